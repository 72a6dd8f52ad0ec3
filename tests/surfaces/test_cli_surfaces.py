"""The CLI commands added for the user surfaces: describe, export, cite; exit codes; start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import aipower
from aipower._spec import TABLES
from aipower.cli import ExitCode, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_describe(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "describe", "patents_granted_share")
    assert (code, err) == (0, "")
    assert out.startswith("Share of world granted AI patents")
    for word in ("definition", "basis", "unit", "Coverage:", "Caveats:", "CC-BY-ND-4.0"):
        assert word in out


def test_describe_unknown_metric_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "describe", "patnts")
    assert code == 2
    assert out == ""
    assert "did you mean 'patents'" in err.casefold()


def test_cite_bibtex_and_apa(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "cite", "--metric", "training_gpu_hours")
    assert code == 0
    assert out == aipower.cite("training_gpu_hours")
    assert "@misc{aipower," in out
    assert "@misc{deepseek_v3_report," in out
    code, out, _ = run(capsys, "cite", "--style", "apa")
    assert code == 0
    assert out.startswith("aipower contributors. (")


def test_cite_bad_style_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "cite", "--style", "mla")
    assert code == 2
    assert "bibtex" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet", "datapackage"])
def test_export(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    code, out, err = run(
        capsys, "export", str(tmp_path / "out"), "--format", fmt, "--license", "CC-BY-4.0"
    )
    assert (code, err) == (0, "")
    written = [Path(line) for line in out.splitlines()]
    assert all(p.exists() for p in written)
    suffix = ".parquet" if fmt == "parquet" else ".csv"
    assert {p.stem for p in written if p.suffix == suffix} == set(TABLES)
    if fmt == "datapackage":
        descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text())
        assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]


def test_export_unknown_license_suggests(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "export", str(tmp_path), "--license", "CC-BY")
    assert code == 2
    assert out == ""
    assert "did you mean 'cc-by-4.0'" in err.casefold()
    assert not list(tmp_path.iterdir())  # nothing written


def test_export_bad_format_is_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", str(tmp_path), "--format", "xlsx")
    assert code == 2
    assert "datapackage" in err


def test_export_into_a_file_fails_with_the_file_error_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "export", str(blocker / "sub"))
    assert code == ExitCode.FILE_ERROR == 6
    assert err.startswith("aipower: error:")
    assert "Traceback" not in err


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_existing_formats_still_work(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "info", "--format", fmt)
    assert code == 0
    assert aipower.DATA_VERSION in out


def test_help_lists_new_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("describe", "export", "cite"):
        assert command in out


def test_version_does_not_import_heavy_modules() -> None:
    """`aipower --version` must start fast: no pandas, pyarrow, pandera or matplotlib."""
    code = (
        "import sys; from aipower.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'pyarrow', 'pandera', 'matplotlib', 'duckdb') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert f"aipower {aipower.__version__}" in result.stdout
    assert "HEAVY []" in result.stdout
