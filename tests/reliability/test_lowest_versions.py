"""Issue 13.1: the stated minimum versions are true. CI's lowest-versions leg (.ci/run) runs
the suite on them; these tests pin the two failures found there, so they also fail on the
pinned versions if the code regresses."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

import aipower

REPO = Path(__file__).resolve().parents[2]


def floor(requirement: str) -> tuple[int, ...]:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for dep in deps["dependencies"]:
        m = re.match(rf"^{requirement}(?:\[[^\]]*\])?>=([0-9.]+)", dep)
        if m:
            return tuple(int(x) for x in m[1].split("."))
    raise AssertionError(f"no floor for {requirement} in pyproject.toml")


def test_csv_export_works_without_the_eol_keyword(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow 16-25 have no ``WriteOptions(eol=...)``: the export must not pass it."""
    real = pacsv.WriteOptions

    def old_write_options(*args: object, **kwargs: object) -> object:
        if "eol" in kwargs:
            raise TypeError("__init__() got an unexpected keyword argument 'eol'")
        return real(*args, **kwargs)

    monkeypatch.setattr(pacsv, "WriteOptions", old_write_options)
    written = aipower.export(tmp_path, format="datapackage")
    blob = (tmp_path / "observations.csv").read_bytes()
    assert b"\r" not in blob
    assert blob.endswith(b"\n")
    assert blob.count(b"\n") > aipower.table("observations", engine="pyarrow").num_rows
    assert written[-1].name == "datapackage.json"


def test_pyarrow_floor_excludes_versions_that_warn_under_pandas_3() -> None:
    """pyarrow 15 calls pandas' deprecated make_block (Pandas4Warning under pandas 3, an
    error with -W error); 16 does not. The floor in pyproject.toml says so."""
    assert floor("pyarrow") >= (16,)


def test_table_has_no_warnings_with_w_error_on_installed_versions() -> None:
    code = (
        "import warnings, aipower; warnings.simplefilter('error'); "
        "aipower.table('observations'); aipower.table('models'); print('ok')"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "ok\n"


def test_ci_runs_lowest_versions_and_python_313_legs() -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install -e ".[test]" && python -m pytest' in run  # the README's
    assert "--resolution lowest-direct" in run
    assert "AIPOWER_UNPINNED_DEPS=1" in run
    assert "3.13" in run
    assert "set -euo pipefail" in run


def test_suite_collects_tests_build(request: pytest.FixtureRequest) -> None:
    """pytest's default ``norecursedirs`` contains "build": tests/build (the reproducibility
    check, the build's error messages, the schemas) was silently never collected."""
    patterns = request.config.getini("norecursedirs")
    assert "build" not in patterns
    assert ".*" in patterns  # the rest of the default is kept
    assert (REPO / "tests" / "build" / "test_build_robustness.py").is_file()
