"""``import aipower`` is cheap and clean: heavy libraries load only when a query needs them,
and nothing warns (``-W error``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "pandera", "pyarrow", "numpy")


def run_python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env
    )


def loaded_after(code: str, cwd: Path) -> list[str]:
    """Which of HEAVY are in sys.modules after running *code* in a fresh interpreter."""
    script = (
        f"{code}\nimport sys, json\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    proc = run_python("-c", script, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_import_loads_no_heavy_library(tmp_path: Path) -> None:
    assert loaded_after("import aipower", tmp_path) == []


def test_import_and_touch_lazy_names_loads_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import aipower\n"
        "aipower.get, aipower.get_share, aipower.series, aipower.compare, aipower.check\n"
        "aipower.Observation, aipower.Share, aipower.AipowerError, aipower.__version__\n"
        "dir(aipower)"
    )
    assert loaded_after(code, tmp_path) == []


def test_scalar_queries_load_neither_pandas_nor_pandera(tmp_path: Path) -> None:
    code = (
        "import aipower\n"
        "s = aipower.get_share('patents', country='CN', year=2023)\n"
        "o = aipower.get('notable_models', country='US', year=2024)\n"
        "assert float(s) == 0.697 and o.value == 40.0\n"
        "aipower.get_all('patents', country='US', year=2023)\n"
        "aipower.check('patents', country='CN', year=2023, value=69.7, unit='percent')\n"
        "aipower.metric('patents'); aipower.source('aiindex_2025')"
    )
    loaded = loaded_after(code, tmp_path)
    assert "pandas" not in loaded
    assert "pandera" not in loaded
    assert "pyarrow" in loaded  # the data is read with pyarrow


def test_tabular_queries_do_load_pandas(tmp_path: Path) -> None:
    """The control: the detector does see pandas when a DataFrame is returned."""
    loaded = loaded_after("import aipower\naipower.series('patents', country='CN')", tmp_path)
    assert "pandas" in loaded
    assert "pandera" not in loaded


@pytest.mark.parametrize(
    "code",
    [
        "import aipower",
        "import aipower; aipower.get_share('patents', country='CN', year=2023)",
        "import aipower; aipower.get('notable_models', country='US', year=2024)",
        "import aipower; aipower.series('patents', country='CN')",
        "import aipower; aipower.compare('patents', year=2023)",
        "import aipower; aipower.claim('C1a')",
        "import aipower; aipower.table('entities')",
        "import aipower; aipower.verify()",
    ],
    ids=["import", "get_share", "get", "series", "compare", "claim", "table", "verify"],
)
def test_no_warnings_with_w_error(tmp_path: Path, code: str) -> None:
    proc = run_python("-W", "error", "-c", code, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == ""


def test_cli_version_with_w_error(tmp_path: Path) -> None:
    proc = run_python("-W", "error", "-m", "aipower", "--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("aipower ")
