"""Write the generated module of the spec, :mod:`aipower._spec.literals`.

A type checker reads ``Literal`` types literally, so the ids of the tables, statuses and
verdicts cannot be computed at run time for mypy. They are generated from the spec instead:
``python -m aipower._spec.render`` rewrites ``literals.py``, and ``--check`` exits 1 when the
committed file differs from what the spec generates (tests/test_spec.py runs the same
comparison).
"""

from __future__ import annotations

import sys
from pathlib import Path

from aipower._spec.codes import STATUS_CODES, VERDICT_CODES
from aipower._spec.tables import TABLES

TARGET = Path(__file__).with_name("literals.py")

_HEADER = '''"""``Literal`` types of the spec's ids, for mypy: GENERATED, do not edit.

Written by ``python -m aipower._spec.render`` from ``aipower._spec`` (the tables, the status and
verdict records); tests/test_spec.py fails when this file and the spec disagree.
"""

from __future__ import annotations

from typing import Literal

'''


def _literal(name: str, doc: str, ids: list[str]) -> str:
    items = "".join(f'    "{i}",\n' for i in ids)
    return f"#: {doc}\n{name} = Literal[\n{items}]\n"


def literals_source() -> str:
    """The text of ``literals.py`` as the spec generates it."""
    parts = [
        _literal("TableName", "name of a shipped table", list(TABLES)),
        _literal("Status", "value of ``observations.status``", [c.id for c in STATUS_CODES]),
        _literal("Verdict", "value of ``claims.verdict``", [c.id for c in VERDICT_CODES]),
    ]
    return _HEADER + "\n".join(parts)


def main(argv: list[str]) -> int:
    """Rewrite ``literals.py``, or with ``--check`` report whether it is current."""
    text = literals_source()
    if argv == ["--check"]:
        current = TARGET.read_text(encoding="utf-8") == text
        state = "current" if current else "stale: run python -m aipower._spec.render"
        print(f"{TARGET.name} is {state}")
        return 0 if current else 1
    TARGET.write_text(text, encoding="utf-8")
    print(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
