"""CSET CAT and OWID ingest: exact spot values from the pinned raw files."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pycountry
import pytest

from aipower_build.entities import EXTRA_COUNTRIES, NameResolver
from aipower_build.ingest import aiindex, cset_cat, cset_cat_owid, owid_epoch
from aipower_build.ingest.base import OBSERVATION_COLUMNS, IngestContext, IngestError

REPO = Path(__file__).parents[2]
#: ``../shared/sources`` beside the repository
SOURCES_ROOT = REPO.parent / "shared" / "sources"
DATA = REPO / "data"
ARTICLES = "cset/cat_2024-12/publications_yearly_articles.csv"


def read_lock() -> dict[str, str]:
    frame = pd.read_csv(DATA / "raw_lock.csv", dtype=str, keep_default_na=False)
    return dict(zip(frame["path"], frame["sha256"], strict=True))


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    return NameResolver.from_data(DATA)


def make_ctx(resolver: NameResolver, lock: dict[str, str] | None = None) -> IngestContext:
    return IngestContext(sources_root=SOURCES_ROOT, lock=lock or read_lock(), resolve_name=resolver)


@pytest.fixture(scope="module")
def cset_ctx(resolver: NameResolver) -> IngestContext:
    return make_ctx(resolver)


@pytest.fixture(scope="module")
def owid_ctx(resolver: NameResolver) -> IngestContext:
    return make_ctx(resolver)


#: the modules whose rows include OWID copies (family cset_cat also reads CSET's own files)
OWID_MODULES = (cset_cat, aiindex, owid_epoch)


@pytest.fixture(scope="module")
def cat_and_owid(cset_ctx: IngestContext) -> pd.DataFrame:
    return cset_cat.ingest(cset_ctx).observations


@pytest.fixture(scope="module")
def cset_obs(cat_and_owid: pd.DataFrame) -> pd.DataFrame:
    """Rows read in CSET's own CAT files."""
    mine = cat_and_owid[cat_and_owid["source_id"] == cset_cat.SOURCE_ID]
    return mine.reset_index(drop=True)


@pytest.fixture(scope="module")
def owid_obs(cat_and_owid: pd.DataFrame, owid_ctx: IngestContext) -> pd.DataFrame:
    """Rows read in OWID's republications (of CSET, AI Index and Epoch series)."""
    parts = [cat_and_owid[cat_and_owid["source_id"] != cset_cat.SOURCE_ID]]
    parts += [module.ingest(owid_ctx).observations for module in (aiindex, owid_epoch)]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def both(cset_obs: pd.DataFrame, owid_obs: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([cset_obs, owid_obs], ignore_index=True)


def one(
    frame: pd.DataFrame, metric: str, entity: str, year: int, source: str, priority: int = 0
) -> pd.Series:
    rows = frame[
        (frame["metric_id"] == metric)
        & (frame["entity_id"] == entity)
        & (frame["year"] == year)
        & (frame["source_id"] == source)
        & (frame["priority"] == priority)
    ]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def get_all(frame: pd.DataFrame, metric: str, entity: str, year: int) -> dict[str, float]:
    rows = frame[
        (frame["metric_id"] == metric) & (frame["entity_id"] == entity) & (frame["year"] == year)
    ]
    return dict(zip(rows["source_id"], rows["value"], strict=True))


# --- CSET CAT -------------------------------------------------------------------------------


def test_articles_2022_china_and_us(cset_obs: pd.DataFrame) -> None:
    china = one(cset_obs, "cset_articles", "CHN", 2022, "cset_cat_2024_12")
    us = one(cset_obs, "cset_articles", "USA", 2022, "cset_cat_2024_12")
    assert china["value"] == 111_051
    assert us["value"] == 53_690
    assert china["status"] == us["status"] == "verified"
    assert china["vintage"] == "2024-12"
    assert china["locator"] == (
        "publications_yearly_articles.csv, country=China (mainland), field=All, year=2022"
    )


def test_incomplete_years(cset_obs: pd.DataFrame) -> None:
    us_2023 = one(cset_obs, "cset_articles", "USA", 2023, "cset_cat_2024_12")
    assert us_2023["value"] == 59_553
    assert us_2023["status"] == "incomplete"
    assert us_2023["note"]
    # the citations file has no flag: it borrows the articles' flag
    assert one(cset_obs, "cset_citations", "USA", 2023, "cset_cat_2024_12")["status"] == (
        "incomplete"
    )
    cit_2022 = one(cset_obs, "cset_citations", "CHN", 2022, "cset_cat_2024_12")
    assert (cit_2022["value"], cit_2022["status"]) == (1_172_591, "verified")
    # patent applications: 2019 is the last complete year, granted: 2017
    assert (
        one(cset_obs, "cset_patent_applications", "CHN", 2019, "cset_cat_2024_12")["status"]
        == "verified"
    )
    assert (
        one(cset_obs, "cset_patent_applications", "CHN", 2020, "cset_cat_2024_12")["status"]
        == "incomplete"
    )
    granted = one(cset_obs, "cset_patents_granted", "USA", 2017, "cset_cat_2024_12")
    assert (granted["value"], granted["status"]) == (8_062, "verified")
    assert (
        one(cset_obs, "cset_patents_granted", "USA", 2018, "cset_cat_2024_12")["status"]
        == "incomplete"
    )


def test_investment_stored_in_usd(cset_obs: pd.DataFrame) -> None:
    china = one(cset_obs, "cset_investment_estimated", "CHN", 2021, "cset_cat_2024_12")
    us = one(cset_obs, "cset_investment_estimated", "USA", 2024, "cset_cat_2024_12")
    assert china["value"] == 20_031_000_000
    assert us["value"] == 145_732_000_000
    assert us["status"] == "incomplete"
    assert (
        one(cset_obs, "cset_investment_estimated", "USA", 2023, "cset_cat_2024_12")["value"]
        == 87_318_000_000
    )
    sector = cset_obs[cset_obs["metric_id"].str.startswith("cset_investment_disclosed__")]
    assert not sector.empty
    assert (sector["value"] % 1_000_000 == 0).all()


def test_sub_fields_are_separate_metrics(cset_obs: pd.DataFrame) -> None:
    cv = one(cset_obs, "cset_articles__computer_vision", "CHN", 2022, "cset_cat_2024_12")
    assert cv["locator"].endswith("field=Computer Vision, year=2022")
    metrics = set(cset_obs["metric_id"])
    assert "cset_investment_estimated__mobile_platforms_internet_services" in metrics
    assert "cset_patents_granted__personal_devices_and_computing" in metrics
    # summary-only patent categories, cumulative 2014-2024
    ml = one(
        cset_obs,
        "cset_patent_applications_cumulative__machine_learning",
        "CHN",
        2024,
        "cset_cat_2024_12",
    )
    assert ml["value"] == 346_176
    assert ml["status"] == "incomplete"
    assert "cset_patent_applications_cumulative__business" not in metrics  # in the yearly files


def test_aggregates_mapped_apart(cset_obs: pd.DataFrame) -> None:
    entities = set(cset_obs["entity_id"])
    assert "China (mainland)" not in entities
    # CSET's own groupings keep their own ids, never a country or another producer's group
    europe = cset_obs[
        (cset_obs["metric_id"] == "cset_articles")
        & (cset_obs["year"] == 2022)
        & (cset_obs["value"] == 87_191)
    ]
    assert list(europe["entity_id"]) == ["CSET_EUROPE"]


def test_publications_cover_150_countries(cset_obs: pd.DataFrame) -> None:
    iso3 = {c.alpha_3 for c in pycountry.countries} | set(EXTRA_COUNTRIES)
    countries = set(cset_obs.loc[cset_obs["metric_id"] == "cset_articles", "entity_id"]) & iso3
    assert len(countries) >= 150


def test_tampered_lock_names_the_file(resolver: NameResolver) -> None:
    lock = read_lock()
    lock[ARTICLES] = "0" * 64
    with pytest.raises(IngestError, match=re.escape(ARTICLES)):
        cset_cat.ingest(make_ctx(resolver, lock))


def test_unpinned_file_is_refused(resolver: NameResolver) -> None:
    lock = read_lock()
    del lock[cset_cat_owid.OWID_FILES[0].relpath]
    with pytest.raises(IngestError, match=re.escape("not listed in data/raw_lock.csv")):
        cset_cat.ingest(make_ctx(resolver, lock))


# --- OWID -----------------------------------------------------------------------------------


def test_us_2022_articles_in_every_vintage(both: pd.DataFrame) -> None:
    assert get_all(both, "cset_articles", "USA", 2022) == {
        "cset_cat_2024_12": 53_690,
        "owid_cset_publications_2025_04": 53_690,
        "owid_cset_publications_2025_10": 43_539,
    }
    assert get_all(both, "cset_articles", "CHN", 2022)["owid_cset_publications_2025_10"] == 82_032
    row = one(both, "cset_articles", "USA", 2022, "owid_cset_publications_2025_10")
    assert (row["vintage"], row["status"]) == ("2025-10-22", "secondary")
    assert "republished by OWID" in row["note"]


def test_owid_investment_projection(owid_obs: pd.DataFrame) -> None:
    src = "owid_cset_private_investment_2025_10"
    metric = "cset_investment_estimated_2021usd"
    projected = one(owid_obs, metric, "USA", 2025, src)
    assert (projected["value"], projected["status"]) == (259_590_618_405, "incomplete")
    assert "projection" in projected["note"]
    # the projection that repeats the 2024 actual value is not a second row
    rows_2024 = owid_obs[
        (owid_obs["metric_id"] == metric)
        & (owid_obs["entity_id"] == "USA")
        & (owid_obs["year"] == 2024)
        & (owid_obs["source_id"] == src)
    ]
    assert list(rows_2024["value"]) == [148_345_083_627]
    assert list(rows_2024["status"]) == ["secondary"]
    old = one(owid_obs, metric, "CHN", 2021, "owid_cset_private_investment_2025_04")
    assert old["value"] == 20_031_000_000


def test_owid_other_series(owid_obs: pd.DataFrame) -> None:
    quid = one(
        owid_obs,
        "private_investment_quid_2021usd",
        "USA",
        2024,
        "owid_aiindex_private_investment_2025",
    )
    assert quid["value"] == 94_222_887_831
    funded = one(
        owid_obs, "newly_funded_companies", "USA", 2023, "owid_aiindex_newly_funded_companies_2024"
    )
    assert (funded["value"], funded["status"]) == (897, "secondary")
    assert "republished by OWID" in funded["note"]
    per_million = one(
        owid_obs,
        "cset_patent_applications_per_million",
        "CHN",
        2019,
        "owid_cset_patent_applications_per_million_2025_04",
    )
    assert per_million["value"] == pytest.approx(30.82, abs=0.005)
    granted = one(
        owid_obs,
        "cset_patents_granted__personal_devices_and_computing",
        "CHN",
        2020,
        "owid_cset_patents_granted_by_industry_2024_07",
    )
    assert granted["value"] == 18_316
    apps = one(
        owid_obs, "cset_patent_applications", "CHN", 2020, "owid_cset_patent_applications_2025_10"
    )
    assert apps["value"] == 66_276
    epoch = owid_obs[owid_obs["source_id"] == "owid_epoch_large_scale_systems_2026_04"]
    us_2025 = one(epoch, "large_scale_models_cumulative", "USA", 2025, epoch["source_id"].iloc[0])
    assert (us_2025["value"], us_2025["status"]) == (214, "secondary")
    us_2026 = one(epoch, "large_scale_models_cumulative", "USA", 2026, epoch["source_id"].iloc[0])
    assert us_2026["status"] == "incomplete"


# --- shape and cross-references -------------------------------------------------------------


@pytest.mark.parametrize("which", ["cset", "owid"])
def test_frame_shape(which: str, cset_obs: pd.DataFrame, owid_obs: pd.DataFrame) -> None:
    frame = cset_obs if which == "cset" else owid_obs
    assert tuple(frame.columns) == OBSERVATION_COLUMNS
    assert frame["value"].notna().all()
    assert frame["locator"].str.len().gt(0).all()
    # CSET's own files are read first-hand; OWID's copies are second-hand
    first_hand = "verified" if which == "cset" else "secondary"
    assert set(frame["status"]) == {first_hand, "incomplete"}
    keys = ["metric_id", "entity_id", "year", "source_id"]
    for _, part in frame.groupby("source_id", sort=False):  # each module's rows come sorted
        ordered = part.sort_values([*keys, "vintage", "priority"], kind="stable")
        assert part.reset_index(drop=True).equals(ordered.reset_index(drop=True))
    assert not frame.duplicated([*keys, "vintage", "priority"]).any()


def test_every_file_read_is_pinned(resolver: NameResolver) -> None:
    lock = read_lock()
    for module in OWID_MODULES:
        ctx = make_ctx(resolver)
        module.ingest(ctx)
        assert set(module.FILES) <= set(lock)
        assert set(ctx.inputs) == set(module.FILES)


def test_curated_rows_exist(both: pd.DataFrame) -> None:
    def union(folder: str) -> pd.DataFrame:
        return pd.concat(
            [
                pd.read_csv(p, dtype=str, keep_default_na=False)
                for p in (DATA / folder).glob("*.csv")
            ]
        )

    metrics = union("metrics")
    sources = union("sources")
    assert set(both["metric_id"]) <= set(metrics["metric_id"])
    assert set(both["source_id"]) <= set(sources["source_id"])
    ours = pd.read_csv(DATA / "metrics" / "cset_owid.csv", dtype=str, keep_default_na=False)
    assert ours["metric_id"].is_unique
    assert set(ours["default_source_id"]) <= set(sources["source_id"])
    mine = pd.concat(
        pd.read_csv(DATA / "sources" / name, dtype=str, keep_default_na=False)
        for name in ("cset_owid.csv", "owid_robots.csv")  # the OWID ingest reads both
    )
    assert set(both["source_id"]) == set(mine["source_id"])
    for row in mine.itertuples():
        sub = both[both["source_id"] == row.source_id]
        assert set(sub["vintage"]) == {row.vintage}, row.source_id
    concepts = pd.read_csv(DATA / "concepts" / "cset.csv", dtype=str)
    assert set(concepts["metric_id"]) <= set(ours["metric_id"])


def test_entities_are_countries_or_curated(both: pd.DataFrame) -> None:
    iso3 = {c.alpha_3 for c in pycountry.countries} | set(EXTRA_COUNTRIES)
    curated: set[str] = set()
    for path in sorted((DATA / "entities").glob("aggregates*.csv")) + sorted(
        (DATA / "entities").glob("others*.csv")
    ):
        curated |= set(pd.read_csv(path, dtype=str, keep_default_na=False)["entity_id"])
    assert set(both["entity_id"]) - iso3 - curated == set()


def test_same_name_different_groupings(owid_obs: pd.DataFrame) -> None:
    # "Europe" is OWID's continent in the CSET files and the AI Index's EU + UK in the Quid file
    europe = owid_obs[owid_obs["locator"].str.contains("Entity=Europe,", regex=False)]
    by_source = europe.groupby("source_id")["entity_id"].unique().map(list).to_dict()
    assert by_source["owid_aiindex_private_investment_2025"] == ["EU_UK"]
    assert by_source["owid_cset_publications_2025_10"] == ["OWID_EUROPE"]
    world = one(owid_obs, "cset_articles", "WORLD", 2022, "owid_cset_publications_2025_04")
    assert world["value"] == 421_783
    assert "adding up" in world["note"]
