"""The build refuses bad input loudly, names file/line/rule, and never half-writes its output.

One baseline build per module (``baseline``); every bad-input case copies the curated ``data/``
and the baseline output into its own tmp dir, breaks one thing, builds again into that output
and checks that (a) ``BuildError`` names the file, the line and the rule and (b) every output
file is byte-identical to before (the build is atomic).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pyarrow.parquet as pq
import pytest

import aipower_build.__main__ as build_main
from aipower_build import build as build_mod
from aipower_build import write as write_mod
from aipower_build.build import BuildError

REPO = Path(__file__).resolve().parents[2]
SOURCES = build_mod.SOURCES_ROOT
COMMITTED = REPO / "src" / "aipower" / "data"
OBS_2025 = "observations/aiindex_2025.csv"
OBS_2024 = "observations/aiindex_2024.csv"
#: a raw file the cset ingest module reads (its lock line is verified on every build)
READ_RAW = "cset/cat_2024-12/patents_yearly_granted.csv"

pytestmark = pytest.mark.skipif(not SOURCES.is_dir(), reason=f"raw sources not found at {SOURCES}")


def hash_tree(root: Path) -> dict[str, str]:
    """relative path -> SHA-256 of every file under *root* (recursively)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@attrs.frozen
class Baseline:
    data: Path
    out: Path
    hashes: dict[str, str]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = tmp_path_factory.mktemp("baseline")
    data = root / "data"
    shutil.copytree(build_mod.DATA_DIR, data)
    out = root / "out"
    build_mod.build(data_dir=data, out_dir=out, sources_root=SOURCES)
    return Baseline(data=data, out=out, hashes=hash_tree(out))


@attrs.frozen
class Workspace:
    data: Path
    out: Path
    before: dict[str, str]


@pytest.fixture
def ws(tmp_path: Path, baseline: Baseline) -> Workspace:
    """A private copy of the curated inputs and of a previously built output directory."""
    data = tmp_path / "data"
    out = tmp_path / "out"
    shutil.copytree(baseline.data, data)
    shutil.copytree(baseline.out, out)
    before = hash_tree(out)
    assert before == baseline.hashes
    return Workspace(data=data, out=out, before=before)


# -- ways to break the input ------------------------------------------------------------------
def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def find_line(data: Path, rel: str, startswith: str) -> int:
    """1-based line number of the first line of ``data/<rel>`` that starts with *startswith*."""
    for number, line in enumerate(_lines(data / rel), start=1):
        if line.startswith(startswith):
            return number
    raise AssertionError(f"no line starting with {startswith!r} in {rel}: fixture data changed?")


def replace_on_line(data: Path, rel: str, number: int, old: str, new: str) -> None:
    path = data / rel
    lines = _lines(path)
    assert old in lines[number - 1], f"{rel}, line {number}: {old!r} not in {lines[number - 1]!r}"
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def append_line(data: Path, rel: str, line: str) -> int:
    """Append a line; return its 1-based line number."""
    path = data / rel
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def drop_column(data: Path, rel: str, column: str) -> None:
    path = data / rel
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = [c for c in rows[0] if c != column]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


PATENTS_CN = "patents_granted_share,CHN,2023,"
LOCATOR_CN = '"Chapter 1, Figure 1.2.3, p. 44 (narrative p. 44; Report Highlights p. 13)"'

#: each case: break the copy in ``data`` and return the substrings the message must contain
Case = Callable[[Path], list[str]]


def case_unknown_column(data: Path) -> list[str]:
    replace_on_line(data, OBS_2025, 1, ",note,", ",notes,")
    return [f"data/{OBS_2025}", "unknown column(s) ['notes']", "rule: observations columns are"]


def case_missing_column(data: Path) -> list[str]:
    drop_column(data, OBS_2025, "locator")
    return [f"data/{OBS_2025}", "missing column(s) ['locator']", "rule: observations columns"]


def case_share_above_one(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",69.70,percent,", ",170,percent,")
    return [
        f"data/{OBS_2025}, line {n}:",
        "1.7",
        "patents_granted_share",
        "is outside [0, 1]",
        "rule: shares lie in [0, 1]",
    ]


def case_negative_count(data: Path) -> list[str]:
    n = find_line(data, OBS_2024, "notable_models,USA,2023,")
    replace_on_line(data, OBS_2024, n, ",61,", ",-61,")
    return [
        f"data/{OBS_2024}, line {n}:",
        "negative count",
        "-61.0",
        "notable_models",
        "rule: counts and amounts are >= 0",
    ]


def case_unknown_entity(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",CHN,", ",NARNIA,")
    return [
        f"data/{OBS_2025}, line {n}:",
        "unknown entity 'NARNIA' in column 'entity_id'",
        "rule: references exist",
    ]


def case_unknown_source(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",aiindex_2025,", ",aiindex_2099,")
    return [
        f"data/{OBS_2025}, line {n}:",
        "unknown source_id 'aiindex_2099'",
        "rule: sources exist",
    ]


def case_unknown_metric(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, "patents_granted_share,", "patents_granted_shares,")
    return [
        f"data/{OBS_2025}, line {n}:",
        "unknown metric 'patents_granted_shares' in column 'metric_id'",
        "rule: references exist",
    ]


def case_duplicate_key(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    m = append_line(data, OBS_2025, _lines(data / OBS_2025)[n - 1])
    return [
        "duplicate observation key",
        "'metric_id': 'patents_granted_share'",
        "'entity_id': 'CHN'",
        f"data/{OBS_2025}, line {n}",
        f"data/{OBS_2025}, line {m}",
        "rule: unique keys",
    ]


def case_empty_locator(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, LOCATOR_CN, '""')
    return [f"data/{OBS_2025}, line {n}:", "empty locator", "rule: every value has a locator"]


def case_blank_locator(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, LOCATOR_CN, '"   "')
    return [f"data/{OBS_2025}, line {n}:", "empty locator", "rule: every value has a locator"]


def case_bad_status(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",verified,", ",checked,")
    return [
        f"data/{OBS_2025}, line {n}:",
        "status 'checked' is not one of",
        "'verified', 'secondary', 'inferred', 'derived', 'incomplete'",
    ]


def case_non_numeric_printed(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",69.70,", ",69.7O,")
    return [f"data/{OBS_2025}, line {n}:", "printed value '69.7O' is not a number"]


def case_nan_printed(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",69.70,", ",NaN,")
    return [f"data/{OBS_2025}, line {n}:", "printed value 'NaN' is not finite"]


def case_bad_printed_unit(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",percent,", ",percents,")
    return [f"data/{OBS_2025}, line {n}:", "printed_unit 'percents' is not one of"]


def case_bad_year(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",2023,", ",2O23,")
    return [f"data/{OBS_2025}, line {n}:", "year '2O23' is not an integer"]


def case_bad_vintage(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, ",aiindex_2025,,", ",aiindex_2025,April 2025,")
    return [
        "table observations breaks",
        f"data/{OBS_2025}, line {n}:",
        "column 'vintage' value 'April 2025'",
        "str_matches",
    ]


def case_raw_hash_differs(data: Path) -> list[str]:
    n = find_line(data, "raw_lock.csv", READ_RAW + ",")
    line = _lines(data / "raw_lock.csv")[n - 1]
    real = line.split(",")[1]
    fake = "0" * 64
    replace_on_line(data, "raw_lock.csv", n, real, fake)
    return [
        READ_RAW,
        f"SHA-256 {real} differs from the lock {fake}",
        "rule: raw files must match data/raw_lock.csv",
    ]


def case_unbalanced_quote(data: Path) -> list[str]:
    n = find_line(data, OBS_2025, PATENTS_CN)
    replace_on_line(data, OBS_2025, n, LOCATOR_CN, '"Chapter 1, Figure 1.2.3')
    return [f"data/{OBS_2025}", "malformed CSV", f"line {n}", "rule: parseable CSV"]


def case_not_utf8(data: Path) -> list[str]:
    path = data / OBS_2025
    path.write_bytes(path.read_bytes().replace(b"narrative p. 44", b"narrative \xe9 44", 1))
    return [f"data/{OBS_2025}", "malformed CSV", "utf-8", "rule: parseable CSV"]


def case_duplicate_source(data: Path) -> list[str]:
    rel = "sources/reports.csv"
    n = find_line(data, rel, "aiindex_2025,")
    m = append_line(data, rel, _lines(data / rel)[n - 1])
    return [
        "duplicate source key {'source_id': 'aiindex_2025'}",
        f"data/{rel}, line {n}",
        f"data/{rel}, line {m}",
        "rule: unique keys",
    ]


def case_claim_without_reference(data: Path) -> list[str]:
    rel = "claims/seed_claims.csv"
    n = find_line(data, rel, "C1b,")
    replace_on_line(data, rel, n, ",citations_share,CHN,2023,aiindex_2025,", ",,,,,")
    return [
        f"data/{rel}, line {n}:",
        "a value claim needs metric_id, entity_id, year and compare_source_id",
    ]


def case_claim_unknown_metric(data: Path) -> list[str]:
    rel = "claims/seed_claims.csv"
    n = find_line(data, rel, "C1b,")
    replace_on_line(data, rel, n, ",citations_share,CHN,", ",no_such_metric,CHN,")
    return [
        "table claims breaks",
        f"data/{rel}, line {n}:",
        "column 'metric_id' value 'no_such_metric'",
        "references metrics.metric_id",
    ]


CASES: dict[str, Case] = {
    "unknown_column": case_unknown_column,
    "missing_column": case_missing_column,
    "share_above_one": case_share_above_one,
    "negative_count": case_negative_count,
    "unknown_entity": case_unknown_entity,
    "unknown_source": case_unknown_source,
    "unknown_metric": case_unknown_metric,
    "duplicate_observation_key": case_duplicate_key,
    "empty_locator": case_empty_locator,
    "blank_locator": case_blank_locator,
    "bad_status": case_bad_status,
    "non_numeric_printed": case_non_numeric_printed,
    "nan_printed": case_nan_printed,
    "bad_printed_unit": case_bad_printed_unit,
    "bad_year": case_bad_year,
    "bad_vintage": case_bad_vintage,
    "raw_hash_differs_from_lock": case_raw_hash_differs,
    "unbalanced_quote": case_unbalanced_quote,
    "not_utf8": case_not_utf8,
    "duplicate_source": case_duplicate_source,
    "claim_references_nothing": case_claim_without_reference,
    "claim_unknown_metric": case_claim_unknown_metric,
}


def assert_refused(ws: Workspace, expected: list[str]) -> str:
    with pytest.raises(BuildError) as info:
        build_mod.build(data_dir=ws.data, out_dir=ws.out, sources_root=SOURCES)
    message = str(info.value)
    missing = [part for part in expected if part not in message]
    assert not missing, f"message lacks {missing}:\n{message}"
    after = hash_tree(ws.out)
    assert after == ws.before, "a failed build changed the previous output"
    leftovers = sorted(p.name for p in ws.out.parent.iterdir() if p.name.startswith("."))
    assert leftovers == [], f"a failed build left temporary directories: {leftovers}"
    return message


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_and_output_untouched(ws: Workspace, name: str) -> None:
    expected = CASES[name](ws.data)
    assert_refused(ws, expected)


# -- regressions (each test pins a bug that was fixed) ------------------------------------------
def test_alias_mapped_to_two_entities(ws: Workspace) -> None:
    m = append_line(ws.data, "entities/country_aliases.csv", "CHN,America")
    assert_refused(
        ws,
        [
            f"data/entities/country_aliases.csv, line {m}",
            "alias 'America' maps to both USA and CHN",
            "rule: an alias names one entity",
        ],
    )


def test_unbalanced_quote_at_end_of_file_names_its_line(ws: Workspace) -> None:
    path = ws.data / OBS_2025
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines.append('notable_models,USA,2023,,1,,aiindex_2025,,"unterminated,verified,,,')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(ws, [f"data/{OBS_2025}", f"line {len(lines)}", "rule: parseable CSV"])


def test_every_lock_line_is_verified(ws: Workspace) -> None:
    rel = "cset/cat_2024-12/companies_summary.csv"
    assert (SOURCES / rel).is_file()
    n = find_line(ws.data, "raw_lock.csv", rel + ",")
    real = _lines(ws.data / "raw_lock.csv")[n - 1].split(",")[1]
    replace_on_line(ws.data, "raw_lock.csv", n, real, "0" * 64)
    assert_refused(ws, [rel, "differs from the lock", "data/raw_lock.csv"])


def test_messages_print_plain_numbers(ws: Workspace) -> None:
    message = assert_refused(ws, case_share_above_one(ws.data))
    assert "np." not in message, message


# -- atomic writes ----------------------------------------------------------------------------
def _baseline_tables(out: Path) -> tuple[dict[str, object], dict[str, object]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("tables")
    tables = {p.stem: pq.read_table(p) for p in sorted(out.glob("*.parquet"))}
    return tables, manifest


@pytest.mark.parametrize("exc_type", [OSError, KeyboardInterrupt])
def test_failure_while_writing_leaves_output_untouched(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, exc_type: type[BaseException]
) -> None:
    tables, manifest = _baseline_tables(ws.out)
    real_write = write_mod.pq.write_table
    written: list[str] = []

    def failing_write(table: object, where: object, **kwargs: object) -> None:
        if len(written) == 3:
            raise exc_type("disk full (simulated)")
        real_write(table, where, **kwargs)
        written.append(str(where))

    monkeypatch.setattr(write_mod.pq, "write_table", failing_write)
    with pytest.raises(exc_type, match="disk full"):
        write_mod.write_all(ws.out, tables, manifest)  # type: ignore[arg-type]
    assert len(written) == 3
    assert hash_tree(ws.out) == ws.before
    assert sorted(p.name for p in ws.out.parent.iterdir()) == ["data", "out"]


def test_write_all_replaces_output_and_cleans_up(ws: Workspace) -> None:
    tables, manifest = _baseline_tables(ws.out)
    (ws.out / "stale.parquet").write_bytes(b"left over from an older build")
    result = write_mod.write_all(ws.out, tables, manifest)  # type: ignore[arg-type]
    after = hash_tree(ws.out)
    assert sorted(after) == sorted(ws.before)  # the stale file is gone
    on_disk = json.loads((ws.out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == result
    for name, entry in result["tables"].items():
        assert entry["file"] == f"{name}.parquet"
        assert entry["sha256"] == after[entry["file"]]
        assert entry["rows"] == tables[name].num_rows  # type: ignore[attr-defined]
    assert sorted(p.name for p in ws.out.parent.iterdir()) == ["data", "out"]


# -- determinism and the CI reproducibility check ---------------------------------------------
def test_two_builds_are_byte_identical(baseline: Baseline, tmp_path: Path) -> None:
    out2 = tmp_path / "second" / "data"
    manifest = build_mod.build(data_dir=baseline.data, out_dir=out2, sources_root=SOURCES)
    assert hash_tree(out2) == baseline.hashes
    assert sorted(baseline.hashes) == sorted(
        [f"{name}.parquet" for name in manifest["tables"]] + ["manifest.json"]
    )
    assert [p.name for p in out2.parent.iterdir()] == ["data"]  # no temporary dirs left


@pytest.mark.pinned_writer
def test_baseline_equals_committed_data(baseline: Baseline) -> None:
    committed = hash_tree(COMMITTED)
    differing = sorted(
        name
        for name in set(committed) | set(baseline.hashes)
        if committed.get(name) != baseline.hashes.get(name)
    )
    assert differing == [], (
        f"src/aipower/data differs from a fresh build in {differing}; "
        "run `python -m aipower_build` and commit src/aipower/data"
    )


@pytest.mark.pinned_writer
def test_check_command_passes_on_committed_data(tmp_path: Path) -> None:
    """The CI reproducibility check, run like CI does (other cwd, hash seed and time zone)."""
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Asia/Shanghai"}
    proc = subprocess.run(
        [sys.executable, "-m", "aipower_build", "--check", "--sources", str(SOURCES)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    n_files = len(list(COMMITTED.iterdir()))
    assert proc.stdout.strip() == f"committed data equals a fresh build ({n_files} files)"


@pytest.mark.parametrize("tamper", ["flip_byte", "extra_file", "missing_file"])
def test_check_command_fails_when_committed_data_differs(
    baseline: Baseline,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tamper: str,
) -> None:
    """``--check`` compares byte by byte (the build itself is replaced by a copy of the
    baseline, so this costs no build)."""
    committed = tmp_path / "committed"
    shutil.copytree(baseline.out, committed)
    target = committed / "observations.parquet"
    if tamper == "flip_byte":
        blob = bytearray(target.read_bytes())
        blob[len(blob) // 2] ^= 0x01
        target.write_bytes(bytes(blob))
    elif tamper == "extra_file":
        target = committed / "extra.parquet"
        target.write_bytes(b"")
    else:
        target.unlink()

    def fake_build(data_dir: Path, out_dir: Path, sources_root: Path) -> dict[str, object]:
        shutil.copytree(baseline.out, out_dir)
        return {}

    monkeypatch.setattr(build_main, "build", fake_build)
    monkeypatch.setattr(build_main, "OUT_DIR", committed)
    assert build_main.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "committed data differs from a fresh build" in err
    assert repr(target.name) in err
    assert "run `python -m aipower_build` and commit src/aipower/data" in err


def test_check_command_reports_build_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def failing_build(data_dir: Path, out_dir: Path, sources_root: Path) -> dict[str, object]:
        raise BuildError("data/observations/x.csv, line 7: broken (rule: test)")

    monkeypatch.setattr(build_main, "build", failing_build)
    assert build_main.main(["--check"]) == 1
    assert capsys.readouterr().err == (
        "build failed: data/observations/x.csv, line 7: broken (rule: test)\n"
    )
