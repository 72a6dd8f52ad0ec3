"""The ingest template (``ingest/specs.py``, ``ingest/base.py``) on small files of our own.

Each case writes a CSV under a temporary sources root, pins it in a lock and reads it through
a real :class:`IngestContext`, so the checks run exactly as in the build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aipower_build.ingest.base import (
    IngestContext,
    IngestError,
    Source,
    observation,
    sort_and_check,
)
from aipower_build.ingest.specs import (
    DECIMAL,
    INTEGER,
    PERCENT,
    SIGNED_INTEGER,
    CsvFile,
    ValueColumn,
    WideFile,
    quarter_end,
    read_records,
    wide_rows,
)

NAMES = {"China": "CHN", "United States": "USA", "CN": "CHN", "US": "USA"}


def make_ctx(root: Path, files: dict[str, str]) -> IngestContext:
    lock: dict[str, str] = {}
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        lock[relpath] = hashlib.sha256(path.read_bytes()).hexdigest()
    return IngestContext(
        sources_root=root,
        lock=lock,
        resolve_name=lambda name, file: NAMES.get(name),
        vintages={"toy_2025": "2025-05"},
    )


COUNTS = CsvFile(
    "toy/counts_2025/c.csv", columns=("n", "code", "year"), entity="code", key=("code", "year")
)


def test_records_carry_line_entity_and_stripped_cells(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {COUNTS.relpath: "n,code,year\n 7 ,CN,2024\n9,US,2024\n"})
    records = read_records(ctx, COUNTS)
    assert [(r.line, r.entity_id, r["n"]) for r in records] == [(2, "CHN", "7"), (3, "USA", "9")]
    assert set(ctx.inputs) == {COUNTS.relpath}


def test_layout_change_is_refused(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {COUNTS.relpath: "code,n,year\nCN,7,2024\n"})
    with pytest.raises(IngestError, match=r"c\.csv: columns \['code', 'n', 'year'\] != expected"):
        read_records(ctx, COUNTS)


def test_two_names_of_one_entity_are_a_duplicate_key(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {COUNTS.relpath: "n,code,year\n7,CN,2024\n8,China,2024\n"})
    with pytest.raises(IngestError, match=r"line 3: key .*'CHN'.* repeats line 2"):
        read_records(ctx, COUNTS)


def test_unmapped_entity_names_the_file_and_the_fix(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {COUNTS.relpath: "n,code,year\n7,XX,2024\n"})
    with pytest.raises(IngestError, match=r"c\.csv: entity name 'XX' is not mapped.*country_names"):
        read_records(ctx, COUNTS)


def test_only_skips_rows_before_any_check(tmp_path: Path) -> None:
    spec = CsvFile(
        "toy/t_2025/t.csv",
        columns=("n", "topic", "code"),
        entity="code",
        key=("topic", "code"),
        only=("topic", frozenset({"ai"})),
    )
    text = "n,topic,code\n1,ai,CN\n2,go,XX\n3,go,XX\n"  # unmapped and duplicated, but skipped
    records = read_records(make_ctx(tmp_path, {spec.relpath: text}), spec)
    assert [r["n"] for r in records] == ["1"]


def quarterly(**overrides: object) -> WideFile:
    fields: dict[str, object] = {
        "csv": CsvFile(
            "toy/q_2025/q.csv",
            columns=("v", "code", "year", "quarter"),
            entity="code",
            key=("code", "year", "quarter"),
        ),
        "source_id": "toy_2025",
        "values": (ValueColumn("v", "toy_metric"),),
        "number": INTEGER,
        "locator": "{file}, line {line}, code={code}, year={year}, q={quarter}",
        "note": "our note",
        "year": "year",
        "quarter": "quarter",
        "entity_notes": {"USA": "a US-only note"},
    }
    fields.update(overrides)
    return WideFile(**fields)  # type: ignore[arg-type]


def test_wide_rows_period_locator_notes_and_vintage(tmp_path: Path) -> None:
    spec = quarterly()
    ctx = make_ctx(tmp_path, {spec.csv.relpath: "v,code,year,quarter\n5,CN,2024,4\n6,US,2025,1\n"})
    cn, us = wide_rows(ctx, spec)
    assert cn["date"] == dt.date(2024, 12, 31)
    assert us["date"] == dt.date(2025, 3, 31)
    assert (cn["year"], cn["value"], cn["vintage"]) == (2024, 5.0, "2025-05")
    assert cn["locator"] == "q.csv, line 2, code=CN, year=2024, q=4"
    assert cn["note"] == "our note"
    assert us["note"] == "our note; a US-only note"
    assert (cn["inputs"], cn["priority"], cn["status"]) == ([], 0, "verified")


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ("-5,CN,2024,4", "a non-negative integer"),
        ("5,CN,24,4", "4 digits"),
        ("5,CN,2024,5", "a quarter 1-4"),
    ],
)
def test_wide_rows_refuse_bad_cells(tmp_path: Path, row: str, rule: str) -> None:
    spec = quarterly()
    ctx = make_ctx(tmp_path, {spec.csv.relpath: f"v,code,year,quarter\n{row}\n"})
    with pytest.raises(IngestError, match=rf"q\.csv: line 2: .*\(rule: {re.escape(rule)}\)"):
        wide_rows(ctx, spec)


def test_blank_cells_are_missing_only_when_the_spec_says_so(tmp_path: Path) -> None:
    text = "v,code,year,quarter\n,CN,2024,4\n"
    with pytest.raises(IngestError, match="v=''"):
        wide_rows(make_ctx(tmp_path, {quarterly().csv.relpath: text}), quarterly())
    spec = quarterly(blank_is_missing=True)
    assert wide_rows(make_ctx(tmp_path, {spec.csv.relpath: text}), spec) == []


def test_a_source_without_a_curated_vintage_is_refused(tmp_path: Path) -> None:
    spec = quarterly(source_id="nowhere_2025")
    ctx = make_ctx(tmp_path, {spec.csv.relpath: "v,code,year,quarter\n5,CN,2024,4\n"})
    with pytest.raises(IngestError, match=r"'nowhere_2025' has no curated row.*data/sources"):
        wide_rows(ctx, spec)


def test_sort_and_check_refuses_two_rows_on_one_key() -> None:
    source = Source("toy_2025", "2025-05")
    row = observation(
        source, metric_id="m", entity_id="CHN", year=2024, value=1.0, locator="a", status="derived"
    )
    other = {**row, "locator": "b"}
    with pytest.raises(IngestError, match=r"toy: two rows for .*'a' and 'b'"):
        sort_and_check([row, other], "toy")
    later = {**row, "date": dt.date(2024, 6, 30)}
    assert sort_and_check([later, row], "toy") == [row, later]  # no date sorts first


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_percent_reads_exactly_as_a_fraction(number: Decimal) -> None:
    assert PERCENT.parse(f"{number:.2f}%", where="f: line 2: c") == float(number / 100)


@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=1, max_value=10**6))
def test_scaled_integers_are_exact(count: int, factor: int) -> None:
    assert SIGNED_INTEGER.scaled(factor).parse(str(count), where="w") == float(count * factor)
    assert INTEGER.parse(str(count), where="w") == float(count)


@given(st.text(max_size=8))
def test_numbers_refuse_anything_but_their_pattern(text: str) -> None:
    for number in (INTEGER, DECIMAL, PERCENT):
        if number.pattern.fullmatch(text):
            continue
        with pytest.raises(IngestError, match=re.escape(f"w={text!r} (rule: {number.rule})")):
            number.parse(text, where="w")


def test_quarter_end_is_the_last_day() -> None:
    assert [quarter_end(2024, q) for q in (1, 2, 3, 4)] == [
        dt.date(2024, 3, 31),
        dt.date(2024, 6, 30),
        dt.date(2024, 9, 30),
        dt.date(2024, 12, 31),
    ]
