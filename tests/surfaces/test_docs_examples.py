"""Every fenced Python example in README.md and docs/ runs as written, and printed outputs are
checked.

Runner: Sybil (maintained, pytest-native). Its Markdown ``PythonCodeBlockParser`` runs a
```` ```python ```` block as code, or, when the block starts with ``>>>``, as a doctest whose
printed output must match. A page's blocks run in order in one namespace, as a reader would
type them; each page starts from an empty namespace in a fresh temporary working directory
(so ``export("out")`` or ``savefig(...)`` write nowhere near the checkout). Chosen over
``pytest --doctest-glob`` (which only sees ``>>>`` prompts, not plain code blocks) and
mktestdocs (no doctest-style output checks, no per-page namespace).
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

pytest.importorskip("sybil", reason="sybil is in the test extra")

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

REPO = Path(__file__).resolve().parents[2]
PAGES = sorted(
    [REPO / "README.md", *(REPO / "docs").rglob("*.md")],
    key=lambda p: str(p.relative_to(REPO)),
)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

SYBIL = Sybil(parsers=[PythonCodeBlockParser(doctest_optionflags=FLAGS), SkipParser()])


def _has_python(page: Path) -> bool:
    return "```python" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if _has_python(p)],
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    document = SYBIL.parse(page)
    examples = list(document)
    assert examples, f"{page}: no example was parsed"
    for example in examples:
        example.evaluate()


def test_every_python_fence_is_collected() -> None:
    """A block the parser skipped silently (e.g. ```` ```Python ````) would escape the check."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        lines = text.splitlines()
        fences = [i for i, line in enumerate(lines) if line.strip() == "```python"]
        starts = sorted(example.line - 1 for example in SYBIL.parse(page))
        for fence in fences:
            assert any(fence <= s <= fence + 2 for s in starts), (page, fence + 1)
        assert not any(line.strip().lower() in ("```py", "```python3") for line in lines), page
        assert "```Python" not in text, page


def test_api_page_covers_every_public_name() -> None:
    """Regression: coverage, UnknownClaimError and DATA_VERSION were missing from api.md."""
    import re

    import aipower

    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^:::\s+[\w.]+\.(\w+)\s*$", text, flags=re.M))
    documented |= set(re.findall(r"^\s+- (\w+)\s*$", text, flags=re.M))  # members: lists
    for name in aipower.__all__:
        if name in ("plot", "__version__", "DATA_VERSION"):
            assert f"aipower.{name}" in text, name
        else:
            assert name in documented, name
    directives = re.findall(r"^:::\s+([\w.]+)\s*$", text, flags=re.M)
    assert len(directives) == len(set(directives)), "a name is documented twice"
