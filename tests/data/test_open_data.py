"""Open datasets: shipped values equal what the pinned raw files in ../shared/sources say.

Each test reads the raw CSV itself (csv module, no aipower code) and compares with
``aipower.get(..., source=..., vintage=...)``. The Epoch notable-model counts are recomputed
here with the documented rule (docs/sources/epoch.md, ``aipower_build.ingest.epoch_ai_models``):
whole counting over ``Country (of organization)`` (a model counts once for each distinct country of
its organisations; Hong Kong apart from China), year = year of ``Publication date``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

import aipower

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "sources"
DATA = REPO / "data"

CSET_ARTICLES = "cset/cat_2024-12/publications_yearly_articles.csv"
OWID_PUBS_FILE = "annual-scholarly-publications-on-artificial-intelligence.csv"
OWID_PUBS_2025_10 = f"owid/cset_publications_2025-10vintage/{OWID_PUBS_FILE}"
OWID_PUBS_2025_04 = f"owid/cset_publications_2025pkg/{OWID_PUBS_FILE}"
EPOCH_NOTABLE = {
    "epoch_notable_2026_08": "epoch/notable_ai_models_2026-08/notable_ai_models.csv",
    "epoch_ai_models_2025_11": "epoch/ai_models_2025-11/notable_ai_models.csv",
}
EPOCH_ALL_2025 = "epoch/ai_models_2025-11/all_ai_models.csv"


def raw(relpath: str) -> list[dict[str, str]]:
    path = SOURCES / relpath
    if not path.is_file():
        pytest.skip(f"raw file not found: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def one_value(rows: list[dict[str, str]], column: str, **where: str) -> float:
    hits = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(hits) == 1, f"{where}: {len(hits)} rows"
    return float(hits[0][column])


# -- CSET Country Activity Tracker, December 2024 release ------------------------------------------
@pytest.mark.parametrize(
    ("country", "cset_name", "literal"),
    [("CN", "China (mainland)", 111_051), ("US", "United States", 53_690)],
)
def test_cset_articles_2022(country: str, cset_name: str, literal: int) -> None:
    rows = raw(CSET_ARTICLES)
    expected = one_value(rows, "num_articles", country=cset_name, field="All", year="2022")
    assert expected == literal  # the raw file is the one FACTS/PROVENANCE describe
    obs = aipower.get("publications", country=country, year=2022, source="cset_cat_2024_12")
    assert obs.value == expected
    assert obs.metric_id == "cset_articles"
    assert obs.vintage == "2024-12"
    assert obs.source.license == "CC-BY-NC-4.0"
    assert "publications_yearly_articles.csv" in obs.locator
    by_vintage = aipower.get("publications", country=country, year=2022, vintage="2024-12")
    assert by_vintage == obs


def test_cset_incomplete_years_are_flagged() -> None:
    rows = raw(CSET_ARTICLES)
    hit = [
        r
        for r in rows
        if r["country"] == "China (mainland)" and r["field"] == "All" and r["year"] == "2024"
    ]
    assert len(hit) == 1
    assert hit[0]["complete"] == "False"
    obs = aipower.get("publications", country="CN", year=2024, source="cset_cat_2024_12")
    assert obs.value == float(hit[0]["num_articles"])
    assert obs.status == "incomplete"


# -- OWID republications of CSET: two vintages -----------------------------------------------------
def test_owid_2025_10_us_2022_is_one_argument_away() -> None:
    expected = one_value(raw(OWID_PUBS_2025_10), "All", Entity="United States", Year="2022")
    assert expected == 43_539
    chosen = aipower.get(
        "publications", country="US", year=2022, source="owid_cset_publications_2025_10"
    )
    assert chosen.value == expected
    assert chosen.status == "secondary"
    # the default is CSET's own release, read first-hand (docs/methodology.md)
    default = aipower.get("publications", country="US", year=2022)
    cset = one_value(
        raw(CSET_ARTICLES), "num_articles", country="United States", field="All", year="2022"
    )
    assert default.value == cset == 53_690
    assert (default.source_id, default.status) == ("cset_cat_2024_12", "verified")


def test_owid_2025_04_us_2022_is_reachable_by_vintage() -> None:
    expected = one_value(
        raw(OWID_PUBS_2025_04),
        "Number of articles - Field: All",
        Entity="United States",
        Year="2022",
    )
    obs = aipower.get("publications", country="US", year=2022, vintage="2025-04-18")
    assert obs.value == expected
    assert obs.source_id == "owid_cset_publications_2025_04"


def test_all_publication_vintages_are_in_get_all() -> None:
    rows = aipower.get_all("publications", country="United States", year=2022)
    got = {(o.source_id, o.value) for o in rows}
    cset = one_value(
        raw(CSET_ARTICLES), "num_articles", country="United States", field="All", year="2022"
    )
    owid = one_value(raw(OWID_PUBS_2025_10), "All", Entity="United States", Year="2022")
    assert ("cset_cat_2024_12", cset) in got
    assert ("owid_cset_publications_2025_10", owid) in got
    assert rows[0] == aipower.get("publications", country="US", year=2022)


def test_owid_china_2022_matches_raw() -> None:
    expected = one_value(raw(OWID_PUBS_2025_10), "All", Entity="China", Year="2022")
    got = aipower.get("publications", country="PRC", year=2022, vintage="2025-10-22")
    assert got.value == expected


# -- Epoch notable models: counts recomputed from the raw file -------------------------------------
def _name_map(folder: str) -> dict[str, str]:
    """Raw spelling -> entity id from the curated data/entities/country_names.csv."""
    with (DATA / "entities" / "country_names.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, str] = {}
    for r in rows:
        if folder in r["seen_in"].split(";"):
            out[r["name"].strip()] = r["entity_id"].strip()
    return out


def count_notable(relpath: str, entity_id: str | None, year: int) -> int:
    """Whole counting: rows published in ``year`` with ``entity_id`` among their countries
    (``None``: every dated row once)."""
    folder = relpath.rsplit("/", 1)[0]
    names = _name_map(folder)
    n = 0
    for r in raw(relpath):
        published = r["Publication date"].strip()
        if not published or dt.date.fromisoformat(published).year != year:
            continue
        if entity_id is None:
            n += 1
            continue
        parts = {" ".join(p.split()) for p in r["Country (of organization)"].split(",")}
        if entity_id in {names.get(p) for p in parts if p}:
            n += 1
    return n


@pytest.mark.parametrize("source_id", sorted(EPOCH_NOTABLE))
@pytest.mark.parametrize("country", ["CN", "US", "GB", "HK", "KR"])
def test_epoch_notable_counts_2024(source_id: str, country: str) -> None:
    obs = aipower.get("notable_models", country=country, year=2024, source=source_id)
    expected = count_notable(EPOCH_NOTABLE[source_id], obs.entity_id, 2024)
    assert obs.value == expected
    assert obs.status == "derived"
    assert obs.derived_from


def test_epoch_notable_china_2024_latest_vintage() -> None:
    """The headline reconciliation number: CN 2024 from the August 2026 file."""
    obs = aipower.get("notable_models", country="CN", year=2024, source="epoch_notable_2026_08")
    assert obs.entity_id == "CHN"
    assert obs.value == count_notable(EPOCH_NOTABLE["epoch_notable_2026_08"], "CHN", 2024)
    assert obs.value > 0
    # Hong Kong models are not folded into China
    hk = aipower.get("notable_models", country="HK", year=2024, source="epoch_notable_2026_08")
    assert hk.entity_id == "HKG"


def test_epoch_world_count_counts_each_model_once() -> None:
    obs = aipower.get("notable_models", entity="World", year=2023, source="epoch_notable_2026_08")
    assert obs.value == count_notable(EPOCH_NOTABLE["epoch_notable_2026_08"], None, 2023)


@pytest.mark.parametrize("source_id", sorted(EPOCH_NOTABLE))
def test_models_table_holds_every_notable_model(source_id: str) -> None:
    rows = raw(EPOCH_NOTABLE[source_id])
    expected = Counter(" ".join(r["Model"].split()) for r in rows)
    models = aipower.table("models")
    mine = models[(models["source_id"] == source_id) & (models["dataset"] == "notable")]
    assert len(mine) == len(rows)
    assert Counter(mine["name"]) == expected
    assert mine["model_id"].is_unique


def test_deepseek_v3_chip_hours_in_epoch_equal_the_report() -> None:
    hits = [r for r in raw(EPOCH_ALL_2025) if r["Model"].strip() == "DeepSeek-V3"]
    assert len(hits) == 1
    raw_hours = float(hits[0]["Training chip-hours"])
    assert "H800" in hits[0]["Training hardware"]
    epoch = aipower.get(
        "training_gpu_hours", entity="DeepSeek-V3", year=2024, source="epoch_ai_models_2025_11"
    )
    report = aipower.get(
        "training_gpu_hours", entity="DeepSeek-V3", year=2024, source="deepseek_v3_report"
    )
    assert epoch.value == raw_hours
    assert epoch.value == report.value == 2_788_000


# -- size and coverage -----------------------------------------------------------------------------
def test_observations_table_is_large() -> None:
    assert len(aipower.table("observations")) >= 30_000


def test_publications_cover_at_least_150_countries() -> None:
    obs = aipower.table("observations")
    ents = aipower.entities()
    countries = ents.loc[ents["kind"] == "country"]
    iso3 = set(countries["iso3"])
    assert set(countries["entity_id"]) == iso3  # countries are keyed by ISO3
    covered = set(obs.loc[obs["metric_id"] == "cset_articles", "entity_id"]) & iso3
    assert len(covered) >= 150
    assert {"USA", "CHN", "TWN", "NAM"} <= covered


def test_namibia_survives_as_na_in_the_raw_and_the_tables() -> None:
    rows = raw(CSET_ARTICLES)
    assert any(r["country"] == "Namibia" for r in rows)
    ents = aipower.entities().set_index("entity_id")
    assert ents.loc["NAM", "iso2"] == "NA"
    obs = aipower.table("observations")
    assert (obs["entity_id"] == "NAM").any()
    assert obs["entity_id"].notna().all()
