"""docs/contributing.md shows the real spec entry of a new source, not a copy that can drift."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from aipower_build.ingest import microsoft_ai_diffusion

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "contributing.md"


def _section_blocks() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## A new open dataset", 1)[1].split("\n## ", 1)[0]
    return [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)\n *```", section, re.S)]


def test_the_doc_quotes_the_microsoft_module_verbatim() -> None:
    source = Path(microsoft_ai_diffusion.__file__).read_text(encoding="utf-8")
    blocks = _section_blocks()
    assert len(blocks) == 2
    for block in blocks:
        assert block in source, block[:80]
    assert "DIFFUSION = WideFile(" in blocks[0]
    assert blocks[0].startswith("import datetime as dt")


def test_the_microsoft_module_is_a_spec_entry() -> None:
    """Its ingest is one line: the spec entry does the layout, entity, key and number checks."""
    source = Path(microsoft_ai_diffusion.__file__).read_text(encoding="utf-8")
    body = source.split("def ingest(", 1)[1]
    statements = [line for line in body.splitlines()[1:] if line.strip()]
    assert statements[-1].strip() == "return output(wide_rows(ctx, DIFFUSION), FAMILY)"
    assert source.count("def ") == 1
