"""The package's lazy public names point at the module that does the job.

A scalar lookup loads the scalar query module only: not the frame builders or the listings
(they used to come along through the ``aipower._query.api`` facade).
"""

from __future__ import annotations

import ast
import subprocess
import sys

import aipower


def test_scalar_lookup_loads_only_the_scalar_query_module() -> None:
    code = (
        "import sys, aipower; aipower.get('patents', country='CN', year=2023); "
        "print(sorted(m for m in sys.modules if m.startswith('aipower._query')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    loaded = ast.literal_eval(out)
    assert "aipower._query.scalar" in loaded
    assert "aipower._query.frames" not in loaded
    assert "aipower._query.listing" not in loaded
    assert "aipower._query.api" not in loaded


def test_every_lazy_name_resolves_to_the_api_facade_object() -> None:
    import aipower._query.api as api

    for name in ("get", "get_share", "get_all", "series", "compare", "table", "metrics"):
        assert getattr(aipower, name) is getattr(api, name)
