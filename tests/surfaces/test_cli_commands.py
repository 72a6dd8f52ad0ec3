"""Issue 16, CLI: no-arg help, claim/coverage/plot/check --source/completion commands, shell
phrasing of errors, value parsing, the claims table, flat CSV and one exit code per outcome.
The commands run as real processes (``python -m aipower``)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import aipower
from aipower.cli import ExitCode, natural_key, parse_value, shell_message


def aipower_cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aipower", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


def test_no_arguments_prints_help_and_exits_0() -> None:
    proc = aipower_cli()
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert proc.stdout.startswith("usage: aipower")
    for command in ("claim", "coverage", "plot", "serve", "completion", "check"):
        assert command in proc.stdout


def test_exit_codes_are_distinct_and_documented() -> None:
    codes = [int(c) for c in ExitCode]
    assert len(set(codes)) == len(codes)
    doc = aipower.cli.__doc__ or ""
    help_text = aipower_cli("--help").stdout
    for code in ExitCode:
        assert f"\n{int(code)}  " in doc, code
        assert f"{int(code)} " in " ".join(help_text.split()), code


CHECK_CN_2023 = ("check", "patents", "--country", "CN", "--year", "2023")


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        ((*CHECK_CN_2023, "--value", "69.7%"), ExitCode.OK),
        ((*CHECK_CN_2023, "--value", "70", "--unit", "%"), ExitCode.OK),  # rounded
        ((*CHECK_CN_2023, "--value", "60%"), ExitCode.DIFFERS),
        (("get", "patents", "--country", "Chnia", "--year", "2023"), ExitCode.USAGE),
        (("get-share", "patents", "--country", "CN", "--year", "1990"), ExitCode.NO_DATA),
        (
            ("check", "talent_share_work", "--country", "CN", "--year", "2022", "--value", "47%"),
            ExitCode.UNVERIFIED,
        ),
    ],
)
def test_each_outcome_has_its_exit_code(argv: tuple[str, ...], code: ExitCode) -> None:
    proc = aipower_cli(*argv)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_os_error_and_differs_do_not_share_the_no_data_code(tmp_path: Path) -> None:
    """Regression (issue 13 item 11): an OSError and a 'differs' verdict both exited 1."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    file_error = aipower_cli("export", str(blocker / "sub")).returncode
    differs = aipower_cli(*CHECK_CN_2023, "--value", "60%").returncode
    no_data = aipower_cli("get-share", "patents", "--country", "CN", "--year", "1990").returncode
    assert (file_error, differs, no_data) == (6, 1, 3)


def test_check_value_forms_give_the_same_verdicts() -> None:
    gpu = ("check", "training_gpu_hours", "--entity", "DeepSeek-V3", "--year", "2024")
    for value in ("2.6M", "2,600,000", "2.6 million", "2.6e6"):
        proc = aipower_cli(*gpu, "--value", value, "--format", "json")
        assert proc.returncode == ExitCode.DIFFERS, (value, proc.stderr)
        assert json.loads(proc.stdout)[0]["value"] == 2_600_000
    proc = aipower_cli(*gpu, "--value", "2,788,000")
    assert proc.returncode == 0
    assert proc.stdout.startswith("matches:")


def test_check_conflicting_units_is_a_usage_error() -> None:
    proc = aipower_cli(*CHECK_CN_2023, "--value", "69.7%", "--unit", "million")
    assert proc.returncode == ExitCode.USAGE
    assert "says percent but --unit says million" in proc.stderr


def test_check_bad_value_says_how_to_write_it() -> None:
    proc = aipower_cli(*CHECK_CN_2023, "--value", "2,6")
    assert proc.returncode == ExitCode.USAGE
    assert "69.7%, 2,600,000, 2.6M" in proc.stderr


def test_check_against_one_source() -> None:
    base = ("check", "training_gpu_hours", "--entity", "DeepSeek-V3", "--year", "2024")
    # a second-hand source alone cannot verify a number: unverified, as aipower.check says
    # (it said "matches": tests/surfaces/test_cli_selection.py pins the regression)
    news = aipower_cli(*base, "--value", "2.6M", "--source", "ft_mittr_state_of_ai_2025")
    assert news.returncode == ExitCode.UNVERIFIED, news.stderr
    assert news.stdout.startswith("unverified: ")
    assert "ft_mittr_state_of_ai_2025" in news.stdout
    primary = aipower_cli(*base, "--value", "2.6M", "--source", "deepseek_v3_report")
    assert primary.returncode == ExitCode.DIFFERS
    assert "deepseek_v3_report" in primary.stdout
    unknown = aipower_cli(*base, "--value", "2.6M", "--source", "epoch")
    assert unknown.returncode == ExitCode.USAGE
    assert "'epoch_ai_models'" in unknown.stderr
    assert "`aipower sources`" in unknown.stderr


def test_check_csv_is_flat() -> None:
    proc = aipower_cli(*CHECK_CN_2023, "--value", "69.7%", "--format", "csv")
    assert proc.returncode == 0
    (row,) = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert row["verdict"] == "matches"
    assert row["nearest.source_id"] == "aiindex_2025"
    assert row["nearest.locator"].startswith("Chapter 1, Figure 1.2.3, p. 44")
    assert float(row["nearest.value"]) == 0.697
    assert not any(v.startswith("{") for v in row.values())


def test_errors_speak_shell() -> None:
    proc = aipower_cli("get", "patens", "--country", "CN", "--year", "2023")
    assert "see `aipower metrics`" in proc.stderr.casefold()
    assert "aipower.metrics()" not in proc.stderr
    proc = aipower_cli("get-share", "notable_models", "--country", "US", "--year", "2024")
    assert proc.returncode == ExitCode.USAGE
    assert "not a share; use `aipower get` instead" in proc.stderr
    assert shell_message("pass unit='percent' or unit='fraction'") == (
        "pass --unit percent or --unit fraction"
    )
    assert shell_message("pass entity='OpenAI' instead") == "pass --entity 'OpenAI' instead"


def test_claim_command_is_case_insensitive() -> None:
    proc = aipower_cli("claim", "c6a")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("C6a: differs")
    assert "2.6 million" in proc.stdout
    assert "2,788,000" in proc.stdout or "2.788e+06" in proc.stdout
    proc = aipower_cli("claim", "C99")
    assert proc.returncode == ExitCode.USAGE
    assert "`aipower claims`" in proc.stderr


def test_claims_table_shows_statement_and_explanation_in_natural_order() -> None:
    proc = aipower_cli("claims")
    assert proc.returncode == 0
    ids = [line.split()[0] for line in proc.stdout.splitlines() if not line.startswith(" ")]
    assert ids == sorted(ids, key=natural_key)
    assert ids.index("C2a") < ids.index("C10")
    assert ids[:2] == ["C1a", "C1b"]
    lines = proc.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("C2a "))
    assert "69.7 percent" in lines[at]
    assert lines[at + 1].strip() == "China held 69.7% of AI patents in 2023."
    explanation = aipower.claim("C2a").explanation
    assert lines[at + 2].strip().startswith("-> " + explanation[:40])
    assert "aiindex_2025" in lines[at + 2]


def test_natural_key() -> None:
    assert sorted(["C10", "C2a", "C1b", "D1", "C1a"], key=natural_key) == [
        "C1a", "C1b", "C2a", "C10", "D1",
    ]  # fmt: skip


def test_coverage_command() -> None:
    proc = aipower_cli("coverage", "notable_models", "--family", "aiindex", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    expected = aipower.coverage("notable_models", family="aiindex")
    assert len(records) == len(expected)
    assert {r["source_id"] for r in records} == set(expected["source_id"])


@pytest.mark.parametrize("kind", ["series", "compare"])
def test_plot_command_writes_a_png(tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.png"
    argv = (
        ("plot", "series", "publications", "--country", "US", "--country", "CN")
        if kind == "series"
        else ("plot", "compare", "private_investment", "--year", "2024", "--top", "5")
    )
    proc = aipower_cli(*argv, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    pytest.importorskip("argcomplete", reason="the completion extra (in the test extra) has it")
    proc = aipower_cli("completion", shell)
    assert proc.returncode == 0, proc.stderr
    assert "aipower" in proc.stdout
    assert "_ARGCOMPLETE" in proc.stdout


def complete(line: str, tmp_path: Path) -> set[str]:
    """What the shell does on TAB (argcomplete's protocol), in a real process."""
    out = tmp_path / "completions.txt"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
    }
    subprocess.run(
        [sys.executable, "-m", "aipower"], env=env, capture_output=True, timeout=60, check=False
    )
    return {w.strip() for w in out.read_text().split("\n") if w.strip()}


def test_completion_completes_commands_metric_ids_and_claims(tmp_path: Path) -> None:
    pytest.importorskip("argcomplete", reason="the completion extra (in the test extra) has it")
    assert {"claim", "claims"} <= complete("aipower cl", tmp_path)
    assert "patents_granted_share" in complete("aipower get patents_gr", tmp_path)
    assert "C6a" in complete("aipower claim C6", tmp_path)


@given(
    number=st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False),
    suffix=st.sampled_from(["", "%", "k", "M", "mn", "B", "bn", " million", " billion"]),
    commas=st.booleans(),
)
def test_parse_value_round_trips(number: Decimal, suffix: str, commas: bool) -> None:
    text = f"{number:,f}" if commas else f"{number:f}"
    value, unit = parse_value(text + suffix)
    assert value == number
    expected = {
        "": None, "%": "percent", "k": "thousand", "M": "million", "mn": "million",
        "B": "billion", "bn": "billion", " million": "million", " billion": "billion",
    }[suffix]  # fmt: skip
    assert unit == expected


@pytest.mark.parametrize("bad", ["", "abc", "2,6", "1,00", "12%%", "3 apples", "nan", "inf", "1e"])
def test_parse_value_refuses_non_numbers(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_value(bad)


@pytest.mark.parametrize(
    ("module", "argv", "extra"),
    [
        ("matplotlib", ["plot", "series", "publications", "-o", "x.png"], "plot"),
        ("argcomplete", ["completion", "bash"], "completion"),
    ],
)
def test_missing_optional_part_exits_7_naming_the_extra(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    argv: list[str],
    extra: str,
) -> None:
    from aipower.cli import main

    monkeypatch.setitem(sys.modules, module, None)
    assert main(argv) == ExitCode.MISSING_EXTRA
    err = capsys.readouterr().err
    assert f"pip install 'aipower[{extra}]'" in err
    assert "Traceback" not in err
