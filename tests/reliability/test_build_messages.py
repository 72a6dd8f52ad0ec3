"""Issue 13.8: the build refuses malformed curated input with ``file, line N: ... (rule: ...)``
and writes nothing, instead of a traceback or silently accepting it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from aipower_build import build as build_mod
from aipower_build.build import BuildError

OBS = "observations/aiindex_2025.csv"
ROW = "publications_share,CHN,2023,"  # a row of OBS (line found at run time)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the curated inputs (no build output: every case fails before it)."""
    target = tmp_path / "data"
    shutil.copytree(build_mod.DATA_DIR, target)
    return target


def line_of(path: Path, startswith: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(startswith):
            return number
    raise AssertionError(f"no line starting with {startswith!r} in {path}")


def edit_line(path: Path, number: int, edit: Callable[[str], str]) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = edit(lines[number - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def refused(data: Path, tmp_path: Path, *parts: str) -> str:
    out = tmp_path / "out"
    with pytest.raises(BuildError) as info:
        build_mod.build(data_dir=data, out_dir=out, sources_root=build_mod.SOURCES_ROOT)
    message = str(info.value)
    missing = [p for p in parts if p not in message]
    assert not missing, f"message lacks {missing}:\n{message}"
    assert "rule" in message
    assert not out.exists()
    return message


def test_impossible_date(data: Path, tmp_path: Path) -> None:
    path = data / "sources" / "reports.csv"
    n = line_of(path, "aiindex_2025,")
    edit_line(path, n, lambda s: s.replace(",2025-04,2025-04,", ",2023-02-30,2025-04,", 1))
    refused(data, tmp_path, f"data/sources/reports.csv, line {n}", "'2023-02-30'", "calendar")


def test_impossible_month(data: Path, tmp_path: Path) -> None:
    path = data / "sources" / "reports.csv"
    n = line_of(path, "aiindex_2025,")
    edit_line(path, n, lambda s: s.replace(",2025-04,2025-04,", ",2025-04,2025-13,", 1))
    refused(data, tmp_path, f"data/sources/reports.csv, line {n}", "column 'vintage'", "month 13")


def test_missing_data_version(data: Path, tmp_path: Path) -> None:
    (data / "DATA_VERSION").unlink()
    refused(data, tmp_path, "data/DATA_VERSION: missing", "YEAR.MINOR.PATCH")


@pytest.mark.parametrize(
    "content",
    ["", "\n", "2026.12.0\n2026.12.1\n", "latest\n"],
    ids=["empty", "blank", "two", "word"],
)
def test_bad_data_version(data: Path, tmp_path: Path, content: str) -> None:
    (data / "DATA_VERSION").write_text(content, encoding="utf-8")
    refused(data, tmp_path, "data/DATA_VERSION, line 1", "exactly one line YEAR.MINOR.PATCH")


def test_missing_raw_lock(data: Path, tmp_path: Path) -> None:
    (data / "raw_lock.csv").unlink()
    refused(data, tmp_path, "data/raw_lock.csv: missing", "rule: every raw input is pinned")


def test_folder_named_like_a_csv(data: Path, tmp_path: Path) -> None:
    (data / "observations" / "old.csv").mkdir()
    refused(data, tmp_path, "data/observations/old.csv: not a regular file")


def test_extra_field_on_a_row(data: Path, tmp_path: Path) -> None:
    path = data / OBS
    n = line_of(path, ROW)
    width = len(path.read_text(encoding="utf-8").splitlines()[0].split(","))
    edit_line(path, n, lambda s: s + ",surplus")
    message = refused(
        data, tmp_path, f"data/{OBS}, line {n}", f"{width + 1} fields where the header has {width}"
    )
    assert "is not an integer" not in message


def test_missing_field_on_a_row(data: Path, tmp_path: Path) -> None:
    path = data / OBS
    n = line_of(path, ROW)
    width = len(path.read_text(encoding="utf-8").splitlines()[0].split(","))
    edit_line(path, n, lambda s: s.rsplit(",", 1)[0])
    refused(
        data, tmp_path, f"data/{OBS}, line {n}", f"{width - 1} fields where the header has {width}"
    )


def test_nul_byte_in_a_note(data: Path, tmp_path: Path) -> None:
    path = data / OBS
    n = line_of(path, ROW)
    edit_line(path, n, lambda s: s.replace("chart data label", "chart\x00data label", 1))
    refused(data, tmp_path, f"data/{OBS}, line {n}: NUL byte", "rule: no control characters")


def test_header_only_curated_file(data: Path, tmp_path: Path) -> None:
    path = data / OBS
    header = path.read_text(encoding="utf-8").split("\n")[0]
    path.write_text(header + "\n", encoding="utf-8")
    refused(data, tmp_path, f"data/{OBS}, line 2: a header but no rows")


def test_empty_curated_file(data: Path, tmp_path: Path) -> None:
    (data / OBS).write_text("", encoding="utf-8")
    refused(data, tmp_path, f"data/{OBS}: empty file")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_formula_like_text_cell(data: Path, tmp_path: Path, start: str) -> None:
    path = data / OBS
    n = line_of(path, ROW)
    note = "chart data label; the narrative rounds it to 23.2"
    edit_line(path, n, lambda s: s.replace(note, f"{start}SUM(A1:A9)", 1))
    refused(data, tmp_path, f"data/{OBS}, line {n}", "column 'note'", f"begins with {start!r}")


def test_negative_number_is_not_a_formula(data: Path, tmp_path: Path) -> None:
    """``-61`` in a numeric column passes the formula rule (and meets the count rule)."""
    path = data / "observations" / "aiindex_2024.csv"
    n = line_of(path, "notable_models,USA,2023,")
    edit_line(path, n, lambda s: s.replace(",61,", ",-61,", 1))
    message = refused(data, tmp_path, f"line {n}", "rule: counts and amounts are >= 0")
    assert "formula" not in message


def test_cli_build_prints_message_not_traceback(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import aipower_build.__main__ as build_main

    (data / "DATA_VERSION").write_text("2026.12.0\n2026.12.1\n", encoding="utf-8")
    monkeypatch.setattr(build_main, "DATA_DIR", data)
    monkeypatch.setattr(build_main, "OUT_DIR", tmp_path / "out")
    assert build_main.main([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("build failed: data/DATA_VERSION, line 1")
    assert "Traceback" not in err


def test_formula_in_an_ingested_value_is_refused() -> None:
    """The rule also covers values read from upstream files (checked on the assembled table)."""
    import pandas as pd

    from aipower_build import lint

    frame = pd.DataFrame(
        {
            "model": ["GPT-4", "=cmd|' /C calc'!A0"],
            "organizations": [["OpenAI"], ["@evil"]],
            "_file": ["ingest/epoch", "ingest/epoch"],
            "_row": ["row 1", "row 2"],
        }
    )
    with pytest.raises(lint.LintError, match=r"ingest/epoch, line row 2: table 'models' column "):
        lint.check_table_cells("models", frame)
    lint.check_table_cells("models", frame.iloc[:1])  # the clean row passes
