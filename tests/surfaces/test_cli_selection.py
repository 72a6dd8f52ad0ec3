"""Issue 14, CLI: ``series`` and ``compare`` print from the pandas-free selections.

The output must be byte for byte what printing the API's DataFrames gave (the reference
below is the frame-based code the commands used before), in every format, and a whole
``aipower series``/``compare`` process must not import pandas. Also issue 17's ``check
--source`` consistency bug and the ``entry`` semantics for child processes.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import aipower
from aipower._query.api import compare_rows, series_rows
from aipower._surfaces.cli_output import emit_records, frame_records, note_selection
from aipower.cli import ExitCode, main

FORMATS = ("table", "csv", "json")
#: (metric, entity): shares and counts, report editions and datasets, a model, an aggregate,
#: incomplete years, sub-year (dated) values kept per year, a restated release left out
SERIES = [
    ("cset_patents_granted", "CHN"),
    ("publications", "CHN"),
    ("citations_share", "USA"),
    ("notable_models", "USA"),
    ("patents_granted_share", "CHN"),
    ("training_gpu_hours", "DeepSeek-V3"),
    ("eci_gap_us_china", "US_CHINA"),
    ("github_developers", "CHN"),
    ("private_investment", "EU_UK"),
]
#: (metric, year, kind)
COMPARE = [
    ("cset_patents_granted", 2023, None),
    ("citations_share", 2023, None),
    ("citations", 2022, "country"),
    ("notable_models", 2024, "all"),
    ("private_investment", 2024, "aggregate"),
    ("github_developers", 2024, None),
]


def frame_output(command: str, fmt: str, **kw: Any) -> tuple[str, str]:
    """What the CLI printed before issue 14: the DataFrame of the API, as records."""
    frame = aipower.series(**kw) if command == "series" else aipower.compare(**kw)
    frame = frame.drop(columns=[c for c in ("date", "priority") if c in frame.columns])
    out, err = io.StringIO(), io.StringIO()
    emit_records(frame_records(frame), fmt, out)
    with contextlib.redirect_stderr(err):
        if command == "series":
            note_selection(frame.attrs, fmt, used="releases", left_out="not_joined")
        else:
            note_selection(frame.attrs, fmt, used="release", left_out="passed_over")
    return out.getvalue(), err.getvalue()


def cli_output(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    assert main(list(argv)) == ExitCode.OK
    captured = capsys.readouterr()
    return captured.out, captured.err


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("metric", "entity"), SERIES)
def test_series_prints_what_the_frame_printed(
    capsys: pytest.CaptureFixture[str], metric: str, entity: str, fmt: str
) -> None:
    got = cli_output(capsys, "series", metric, "--entity", entity, "--format", fmt)
    assert got == frame_output("series", fmt, metric=metric, entity=entity)
    assert got[0].strip()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("metric", "year", "kind"), COMPARE)
def test_compare_prints_what_the_frame_printed(
    capsys: pytest.CaptureFixture[str], metric: str, year: int, kind: str | None, fmt: str
) -> None:
    argv = ["compare", metric, "--year", str(year), "--format", fmt]
    argv += ["--kind", kind] if kind else []
    got = cli_output(capsys, *argv)
    # without --kind the CLI compares countries, as aipower.compare does by default
    assert got == frame_output("compare", fmt, metric=metric, year=year, kind=kind or "country")
    assert got[0].strip()


def _every_metric() -> Iterator[tuple[str, str, int]]:
    """Each metric with one of its entities (a country when it has one) and its last year."""
    obs = aipower.table("observations", engine="pyarrow")
    entities: dict[str, set[str]] = {}
    years: dict[str, int] = {}
    for m, e, y in zip(
        obs.column("metric_id").to_pylist(),
        obs.column("entity_id").to_pylist(),
        obs.column("year").to_pylist(),
        strict=True,
    ):
        entities.setdefault(m, set()).add(e)
        years[m] = max(years.get(m, y), y)
    for m in sorted(entities):
        preferred = sorted(entities[m] & {"CHN", "USA"}) or sorted(entities[m])
        yield m, preferred[0], years[m]


def test_every_metric_prints_what_its_frames_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON keeps the types (1644.0, not 1644; null, not NaN): the strictest comparison."""
    checked = 0
    for metric, entity, year in _every_metric():
        got = cli_output(capsys, "series", metric, "--entity", entity, "--format", "json")
        assert got == frame_output("series", "json", metric=metric, entity=entity), metric
        argv = ("compare", metric, "--year", str(year), "--kind", "all", "--format", "json")
        got = cli_output(capsys, *argv)
        assert got == frame_output("compare", "json", metric=metric, year=year, kind="all")
        checked += 1
    assert checked == len(aipower.metrics())


def test_selection_notes_are_the_frame_attrs() -> None:
    sel = series_rows("publications", country="CN")
    assert sel.notes == aipower.series("publications", country="CN").attrs
    assert sel.notes["not_joined"]  # the note the table output prints on stderr
    sel = compare_rows("citations_share", year=2023)
    assert sel.notes == aipower.compare("citations_share", year=2023).attrs
    assert sel.notes["passed_over"] == ["aiindex_2026 (2026-04)"]


HEAVY = ("pandas", "pandera", "matplotlib", "argcomplete", "duckdb", "polars")


@pytest.mark.parametrize(
    "argv",
    [
        ["series", "cset_patents_granted", "--entity", "CHN"],
        ["compare", "cset_patents_granted", "--year", "2023", "--format", "json"],
        ["series", "publications", "--country", "CN", "--format", "csv"],
    ],
)
def test_series_and_compare_do_not_import_pandas(argv: list[str]) -> None:
    """Issue 14: the whole process prints without pandas (nor pandera or the extras)."""
    code = (
        "import os, sys\n"
        "from aipower.cli import main\n"
        f"status = main({argv!r})\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.stdout.flush(); sys.stderr.flush()\n"
        "os._exit(status)  # as aipower.cli.entry does once pyarrow is loaded\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    assert "cset_cat_2024_12" in proc.stdout or "cset_cat_2024_12" in proc.stderr
    assert len(proc.stdout.splitlines()) > 5


# -- issue 17: `check --source` gave another verdict than aipower.check(source=...) ----------
DEEPSEEK = ("check", "training_gpu_hours", "--entity", "DeepSeek-V3", "--year", "2024")


@pytest.mark.parametrize(
    ("source", "verdict"),
    [
        ("ft_mittr_state_of_ai_2025", "unverified"),  # second-hand: the CLI said "matches"
        ("deepseek_v3_report", "differs"),
        (None, "differs"),
    ],
)
def test_regression_check_source_said_matches_where_the_api_says_unverified(
    capsys: pytest.CaptureFixture[str], source: str | None, verdict: str
) -> None:
    api = aipower.check(
        "training_gpu_hours", entity="DeepSeek-V3", year=2024, value=2.6e6, source=source
    )
    assert api.verdict == verdict
    argv = [*DEEPSEEK, "--value", "2.6M"] + (["--source", source] if source else [])
    code = main(argv)
    out = capsys.readouterr().out
    assert out == f"{api.verdict}: {api.explanation}\n"
    assert code == {"unverified": ExitCode.UNVERIFIED, "differs": ExitCode.DIFFERS}[verdict]
    main([*argv, "--format", "json"])
    (record,) = json.loads(capsys.readouterr().out)
    assert (record["verdict"], record["explanation"]) == (api.verdict, api.explanation)
    assert record["nearest"]["source_id"] == api.nearest.source_id


def test_check_source_without_a_value_gives_the_api_no_data_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(aipower.NoDataError) as api:
        aipower.check("patents", country="CN", year=2023, value=0.697, source="cset_cat_2024_12")
    code = main(["check", "patents", "--country", "CN", "--year", "2023", "--value", "69.7%",
                 "--source", "cset_cat_2024_12"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == ExitCode.NO_DATA
    assert err.startswith("aipower: no data: no patents_granted_share value for CHN in 2023")
    assert str(api.value).split(";")[0] in err


# -- the exit abort: child processes run a command through entry() ----------------------------
@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["get-share", "patents", "--country", "CN", "--year", "2023"], ExitCode.OK),
        (["get-share", "patents", "--country", "CN", "--year", "1990"], ExitCode.NO_DATA),
        ([*DEEPSEEK, "--value", "2.6M"], ExitCode.DIFFERS),
    ],
)
def test_entry_takes_argv_and_leaves_with_the_command_status(
    argv: list[str], status: ExitCode
) -> None:
    code = f"from aipower.cli import entry; entry({argv!r})"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout or proc.stderr.startswith("aipower: no data")


def test_regression_cli_compare_without_kind_listed_every_kind_where_the_api_lists_countries(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the CLI passed kind=None (every kind, EU27 and WORLD among them) when --kind was left
    # out, while aipower.compare defaults to kind="country": one question, two answers
    import json

    got = cli_output(capsys, "compare", "notable_models", "--year", "2024", "--format", "json")
    rows = json.loads(got[0])
    api = aipower.compare("notable_models", year=2024)
    assert [r["entity"] for r in rows] == list(api.index)
    assert {r["entity_kind"] for r in rows} == {"country"}
