"""GitHub Innovation Graph and IFR robot installations (OWID copy): spot values from the raw files.

Expected values are read here with the csv module, not through the ingest code.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import aipower
from aipower_build.entities import NameResolver
from aipower_build.ingest import aiindex
from aipower_build.ingest import github_innovation_graph as github
from aipower_build.ingest.base import IngestContext, IngestError

REPO = Path(__file__).parents[2]
SOURCES_ROOT = REPO.parent / "shared" / "sources"
DATA = REPO / "data"
GITHUB = SOURCES_ROOT / "github" / "innovation_graph_2026-01"
ROBOTS = SOURCES_ROOT / "owid" / "aiindex_industrial_robots_2025pkg"


def read_lock() -> dict[str, str]:
    frame = pd.read_csv(DATA / "raw_lock.csv", dtype=str, keep_default_na=False)
    return dict(zip(frame["path"], frame["sha256"], strict=True))


def raw(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    return NameResolver.from_data(DATA)


@pytest.fixture(scope="module")
def gh(resolver: NameResolver) -> pd.DataFrame:
    ctx = IngestContext(sources_root=SOURCES_ROOT, lock=read_lock(), resolve_name=resolver)
    return github.ingest(ctx).observations


def test_github_row_counts_follow_the_raw_files(gh: pd.DataFrame) -> None:
    for spec in github.COUNT_FILES:
        metric = spec.values[0].metric_id
        assert (gh["metric_id"] == metric).sum() == len(raw(GITHUB / spec.csv.name))
    topics = raw(GITHUB / "topics.csv")
    for topic in github.AI_TOPICS:
        expected = sum(1 for r in topics if r["topic"] == topic)
        assert (gh["metric_id"] == github.topic_metric(topic)).sum() == expected


def test_github_developers_2025_q2_through_the_api() -> None:
    rows = {
        (r["iso2_code"], r["year"], r["quarter"]): int(r["developers"])
        for r in raw(GITHUB / "developers.csv")
    }
    assert rows[("US", "2025", "2")] == 27_113_067
    assert rows[("CN", "2025", "2")] == 10_608_138
    series = aipower.series("github_developers", country="CN", by="date")
    values = dict(zip(series.index, series["value"], strict=True))
    assert values[dt.date(2025, 6, 30)] == 10_608_138
    latest = aipower.get("github_developers", country="US", year=2025)
    assert latest.date == dt.date(2025, 9, 30)
    assert latest.value == rows[("US", "2025", "3")]
    assert latest.license == "CC0-1.0"


def test_ai_developers_is_llm_topic_pushers() -> None:
    llm = {
        (r["iso2_code"], r["year"], r["quarter"]): int(r["num_pushers"])
        for r in raw(GITHUB / "topics.csv")
        if r["topic"] == "llm"
    }
    assert (llm[("US", "2025", "3")], llm[("CN", "2025", "3")]) == (3013, 146)
    cn = aipower.get("ai_developers", country="CN", year=2025)
    assert (cn.metric_id, cn.value) == ("github_topic_pushers__llm", 146.0)
    assert "topic=llm, iso2_code=CN, year=2025, quarter=3" in cn.locator


def test_github_namibia_and_eu(gh: pd.DataFrame) -> None:
    """``NA`` is Namibia (not a missing value) and ``EU`` is the EU-27, not CSET's grouping."""
    assert "NAM" in set(gh["entity_id"])
    assert "CSET_EU" not in set(gh["entity_id"])
    eu = gh[(gh["entity_id"] == "EU27") & (gh["metric_id"] == "github_developers")]
    assert len(eu) == sum(1 for r in raw(GITHUB / "developers.csv") if r["iso2_code"] == "EU")


def test_github_unknown_code_fails(resolver: NameResolver) -> None:
    def without_cn(name: str, file: str) -> str | None:
        return None if name == "CN" else resolver(name, file)

    ctx = IngestContext(sources_root=SOURCES_ROOT, lock=read_lock(), resolve_name=without_cn)
    with pytest.raises(IngestError, match=r"developers.csv: entity name 'CN' is not mapped"):
        github.ingest(ctx)


def test_robots_owid_copy_matches_raw_and_is_secondary(resolver: NameResolver) -> None:
    ctx = IngestContext(sources_root=SOURCES_ROOT, lock=read_lock(), resolve_name=resolver)
    obs = aiindex.ingest(ctx).observations
    mine = obs[obs["source_id"] == "owid_aiindex_industrial_robots_2025"]
    rows = raw(ROBOTS / "annual-industrial-robots-installed.csv")
    assert len(mine) == len(rows) == 77
    assert set(mine["status"]) == {"secondary"}
    expected = {
        (r["Entity"], int(r["Year"])): float(r["Annual industrial robots installed"]) for r in rows
    }
    assert expected[("China", 2023)] == 276_000
    got = aipower.get_all("robot_installations", country="CN", year=2023)
    assert [(o.source_id, o.value) for o in got] == [
        ("owid_aiindex_industrial_robots_2025", expected[("China", 2023)])
    ]
    world = aipower.get("industrial_robot_installations", country="WORLD", year=2023)
    assert world.value == expected[("World", 2023)] == 541_000
