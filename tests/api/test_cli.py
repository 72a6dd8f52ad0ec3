"""The command line: ``aipower.cli.main([...])`` in-process, plus one real ``python -m aipower``."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

import aipower
from aipower.cli import ExitCode, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_get_share_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "get-share", "patents", "--country", "CN", "--year", "2023")
    assert code == 0
    assert err == ""
    assert "69.7" in out
    assert "Figure 1.2.3" in out
    assert "p. 44" in out
    assert "Artificial Intelligence Index Report 2025" in out
    assert "verified" in out


def test_get_share_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "get-share", "patents", "--country", "CN", "--year", "2023", "--format", "json"
    )
    assert code == 0
    records = json.loads(out)
    assert len(records) == 1
    rec = records[0]
    assert rec["value"] == 0.697
    assert rec["entity_id"] == "CHN"
    assert rec["metric_id"] == "patents_granted_share"
    assert rec["source_id"] == "aiindex_2025"
    assert rec["status"] == "verified"
    assert "Figure 1.2.3" in rec["locator"]
    assert rec["unit"] == "fraction"


def test_get_share_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "get-share", "patents", "--country", "CN", "--year", "2023", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert float(rows[0]["value"]) == 0.697
    assert rows[0]["locator"].startswith("Chapter 1, Figure 1.2.3, p. 44")
    assert rows[0]["date"] == ""


def test_get_with_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "get",
        "training_gpu_hours",
        "--entity",
        "DeepSeek-V3",
        "--year",
        "2024",
        "--source",
        "ft_mittr_state_of_ai_2025",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)[0]["value"] == 2_600_000


def test_get_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "get",
        "notable_models",
        "--country",
        "US",
        "--year",
        "2024",
        "--all",
        "--format",
        "json",
    )
    assert code == 0
    records = json.loads(out)
    api = aipower.get_all("notable_models", country="US", year=2024)
    assert [(r["source_id"], r["value"]) for r in records] == [(o.source_id, o.value) for o in api]


def test_unknown_metric_exits_2_with_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "get-share", "patens", "--country", "CN", "--year", "2023")
    assert code == 2
    assert out == ""
    assert "'patents'" in err
    assert "did you mean" in err.casefold()
    assert "Traceback" not in err


def test_unknown_country_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "get", "publications", "--country", "Chnia", "--year", "2022")
    assert code == 2
    assert "'China'" in err


def test_bad_year_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "get", "publications", "--country", "CN", "--year", "abc")
    assert code == 2
    assert "--year" in err


def test_no_data_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "get-share", "patents", "--country", "CN", "--year", "1990")
    assert code == ExitCode.NO_DATA == 3
    assert out == ""
    assert "no data" in err
    assert "2023" in err  # the years that exist
    assert "Traceback" not in err


def test_check_matches_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "patents",
        "--country",
        "CN",
        "--year",
        "2023",
        "--value",
        "69.7",
        "--unit",
        "percent",
    )
    assert code == 0
    assert "matches" in out


def test_check_differs_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "training_gpu_hours",
        "--entity",
        "DeepSeek-V3",
        "--year",
        "2024",
        "--value",
        "2.6e6",
        "--format",
        "json",
    )
    assert code == 1
    rec = json.loads(out)[0]
    assert rec["verdict"] == "differs"
    assert rec["nearest"]["value"] == 2_788_000
    assert rec["nearest"]["source_id"] == "deepseek_v3_report"


def test_check_percent_without_unit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "check",
        "patents_granted_share",
        "--country",
        "CN",
        "--year",
        "2023",
        "--value",
        "69.7",
    )
    assert code == 2
    assert "unit" in err


def test_series(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "series", "publications", "--country", "CHN", "--format", "json")
    assert code == 0
    records = json.loads(out)
    frame = aipower.series("publications", country="CHN")
    assert [r["year"] for r in records] == frame.index.tolist()
    assert [r["value"] for r in records] == frame["value"].tolist()


def test_series_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "series", "notable_models", "--country", "US")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["year", "value"]
    assert any(line.startswith("2024") and " 40 " in f"{line} " for line in lines)


def test_compare(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compare", "citations_share", "--year", "2023", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # countries by default, as aipower.compare: China leads the citation share among them
    assert rows[0]["entity"] == "CHN"
    assert {r["entity_kind"] for r in rows} == {"country"}
    values = [float(r["value"]) for r in rows]
    assert values == sorted(values, reverse=True)
    assert {r["entity"]: float(r["value"]) for r in rows}["CHN"] == 0.226
    code, out, _ = run(
        capsys, "compare", "citations_share", "--year", "2023", "--kind", "all", "--format", "csv"
    )
    assert code == 0
    assert next(csv.DictReader(io.StringIO(out)))["entity"] == "REST_OF_WORLD"


def test_table_output_names_the_releases_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compare", "citations_share", "--year", "2023")
    assert code == 0
    assert err.strip() == (
        "from aiindex_2025 (2025-04); left out: aiindex_2026 (2026-04)"
        " (select one with --source/--vintage)"
    )
    assert "aiindex_2026" not in out
    code, out, err = run(capsys, "series", "publications", "--country", "CN")
    assert err.startswith("from cset_cat_2024_12 (2024-12); left out: ")
    # piped formats stay clean
    code, out, err = run(capsys, "series", "publications", "--country", "CN", "--format", "csv")
    assert err == ""


def test_compare_kind_country(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "compare", "citations", "--year", "2022", "--kind", "country", "--format", "json"
    )
    assert code == 0
    records = json.loads(out)
    assert {r["entity_kind"] for r in records} == {"country"}
    assert len(records) >= 150


@pytest.mark.parametrize(
    ("command", "needle"),
    [
        ("metrics", "patents_granted_share"),
        ("sources", "aiindex_2025"),
        ("entities", "NAM"),
        ("claims", "C6a"),
    ],
)
def test_listings(capsys: pytest.CaptureFixture[str], command: str, needle: str) -> None:
    code, out, _ = run(capsys, command)
    assert code == 0
    assert needle in out
    code, out, _ = run(capsys, command, "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert len(records) == len(getattr(aipower, command)())


def test_entities_csv_keeps_namibia(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "entities", "--format", "csv")
    assert code == 0
    rows = {r["entity_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["NAM"]["iso2"] == "NA"
    assert rows["CHN"]["iso3"] == "CHN"


def test_info(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", "--format", "json")
    assert code == 0
    rec = json.loads(out)[0]
    assert rec["aipower"] == aipower.__version__
    assert rec["data_version"] == aipower.DATA_VERSION
    assert rec["rows.observations"] == len(aipower.table("observations"))
    code, out, _ = run(capsys, "info")
    assert code == 0
    assert aipower.DATA_VERSION in out


def test_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate")
    assert code == 0
    lines = [line for line in out.splitlines() if line.strip()]
    assert any(line.startswith("observations") and line.endswith("ok") for line in lines)
    assert all(line.endswith("ok") for line in lines)


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert aipower.__version__ in out
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "get-share" in out


def test_no_command_prints_help_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert (code, err) == (0, "")
    assert out.startswith("usage: aipower")
    assert "get-share" in out
    assert "exit status: 0 ok" in out


def test_python_m_aipower() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "aipower",
            "get-share",
            "patents",
            "--country",
            "CN",
            "--year",
            "2023",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "69.7" in proc.stdout
    assert "Figure 1.2.3" in proc.stdout
    assert proc.stderr == ""
