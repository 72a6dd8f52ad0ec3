"""Microsoft AI diffusion: ingest of the May 2026 CSV and the report values curated from the PDFs.

Expected values are read from the raw file here with the csv module (not the ingest code).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import aipower
from aipower_build.entities import NameResolver
from aipower_build.ingest import microsoft_ai_diffusion as microsoft
from aipower_build.ingest.base import IngestContext, IngestError

REPO = Path(__file__).parents[2]
SOURCES_ROOT = REPO.parent / "shared" / "sources"
DATA = REPO / "data"
RAW = SOURCES_ROOT / "microsoft" / "ai_diffusion_2026-05" / "AI_Diffusion_Q12026_Update.csv"
REPORTS_CSV = DATA / "observations" / "microsoft_diffusion_reports.csv"
COLUMN_DATE = {
    "H1 2025 AI Diffusion": dt.date(2025, 6, 30),
    "H2 2025 AI Diffusion": dt.date(2025, 12, 31),
    "Q1 2026 AI Diffusion": dt.date(2026, 3, 31),
}


def read_lock() -> dict[str, str]:
    frame = pd.read_csv(DATA / "raw_lock.csv", dtype=str, keep_default_na=False)
    return dict(zip(frame["path"], frame["sha256"], strict=True))


def raw_rows() -> list[dict[str, str]]:
    text = RAW.read_bytes().decode("mac_roman")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    return NameResolver.from_data(DATA)


@pytest.fixture(scope="module")
def obs(resolver: NameResolver) -> pd.DataFrame:
    ctx = IngestContext(sources_root=SOURCES_ROOT, lock=read_lock(), resolve_name=resolver)
    return microsoft.ingest(ctx).observations


def test_one_row_per_economy_and_period(obs: pd.DataFrame) -> None:
    rows = raw_rows()
    assert len(rows) == 147
    assert len(obs) == 147 * 3
    assert obs["entity_id"].nunique() == 147
    assert set(obs["status"]) == {"verified"}
    assert set(obs["date"]) == set(COLUMN_DATE.values())


def test_every_value_equals_the_raw_percent(obs: pd.DataFrame, resolver: NameResolver) -> None:
    got = {(r.entity_id, r.date): r.value for r in obs.itertuples()}
    for row in raw_rows():
        entity = resolver(row["Economy"], microsoft.DIFFUSION_CSV)
        for column, date in COLUMN_DATE.items():
            expected = float(Decimal(row[column].rstrip("%")) / 100)
            assert got[(entity, date)] == expected, (row["Economy"], column)


def test_mac_roman_name_is_decoded(obs: pd.DataFrame) -> None:
    turkey = obs[(obs["entity_id"] == "TUR") & (obs["year"] == 2026)].iloc[0]
    assert "Economy=Türkiye" in turkey["locator"]
    assert turkey["value"] == 0.174


def test_q1_2026_china_and_us_through_the_api() -> None:
    cn = aipower.get("ai_diffusion", country="CN", year=2026)
    us = aipower.get("adoption", country="US", year=2026)
    assert (cn.value, us.value) == (0.164, 0.313)
    assert cn.date == us.date == dt.date(2026, 3, 31)
    assert cn.source_id == "microsoft_ai_diffusion_2026_05"
    assert cn.locator.startswith("AI_Diffusion_Q12026_Update.csv, line ")
    assert "Economy=China, column=Q1 2026 AI Diffusion" in cn.locator
    assert cn.license == "MIT"


def test_annual_query_returns_the_year_end_period() -> None:
    obs = aipower.get("ai_diffusion", country="US", year=2025)
    assert (obs.date, obs.value) == (dt.date(2025, 12, 31), 0.283)


def test_report_vintages_sit_beside_the_csv_in_get_all() -> None:
    rows = aipower.get_all("ai_diffusion", country="CN", year=2025)
    by_source = {(r.source_id, r.date): r.value for r in rows}
    h2 = dt.date(2025, 12, 31)
    assert by_source[("microsoft_ai_diffusion_2026_05", h2)] == 0.163
    assert by_source[("microsoft_ai_diffusion_report_2025_h2", h2)] == 0.163
    assert by_source[("microsoft_ai_diffusion_report_2026_q1", h2)] == 0.163
    report = next(r for r in rows if r.source_id == "microsoft_ai_diffusion_report_2025_h2")
    assert report.vintage == "2026-01"
    assert "p. 15" in report.locator


def test_report_values_equal_the_restated_csv(resolver: NameResolver) -> None:
    """The May 2026 CSV restates H1 and H2 2025: every printed report value agrees with it
    (at the report's precision), so no restatement exists for any economy."""
    csv_values: dict[tuple[str, str], Decimal] = {}
    for row in raw_rows():
        entity = resolver(row["Economy"], microsoft.DIFFUSION_CSV)
        assert entity is not None
        for column, date in COLUMN_DATE.items():
            csv_values[(entity, date.isoformat())] = Decimal(row[column].rstrip("%"))
    with REPORTS_CSV.open(encoding="utf-8", newline="") as fh:
        curated = [r for r in csv.DictReader(fh) if r["entity_id"] != "WORLD"]
    assert len(curated) == 147 * 2 + 147 * 3
    for r in curated:
        assert Decimal(r["printed"]) == csv_values[(r["entity_id"], r["date"])], r


def test_unmapped_economy_name_fails(resolver: NameResolver) -> None:
    def without_china(name: str, file: str) -> str | None:
        return None if name == "China" else resolver(name, file)

    ctx = IngestContext(sources_root=SOURCES_ROOT, lock=read_lock(), resolve_name=without_china)
    with pytest.raises(IngestError, match=r"entity name 'China' is not mapped"):
        microsoft.ingest(ctx)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_report_rows_are_what_the_pdfs_print() -> None:
    """Re-extract the curated report rows from the PDFs and compare byte for byte."""
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "extract_microsoft_reports.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
