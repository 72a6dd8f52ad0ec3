"""The new public names are lazy and documented in __all__ and dir()."""

from __future__ import annotations

import subprocess
import sys

import aipower

NEW = ("export", "duckdb", "describe", "cite", "plot")


def test_new_names_are_public() -> None:
    for name in NEW:
        assert name in aipower.__all__
        assert name in dir(aipower)
        assert getattr(aipower, name) is not None


def test_import_stays_light() -> None:
    code = (
        "import sys, aipower\n"
        "for n in " + repr(NEW) + ": getattr(aipower, n)\n"
        "print(sorted(m for m in ('pandas', 'pandera', 'pyarrow', 'matplotlib', 'duckdb', "
        "'polars', 'frictionless') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
