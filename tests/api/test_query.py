"""The query API contract (docs: DATA_MODEL.md section 3): resolution, selection, tables."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import attrs
import pandas as pd
import pyarrow as pa
import pytest

import aipower
from aipower._spec import TABLES

REPO = Path(__file__).resolve().parents[2]

# (what the user types, metric with data for it, year, expected entity id)
PUBS = ("publications", 2022)
RESOLUTION = [
    ("US", *PUBS, "USA"),
    ("usa", *PUBS, "USA"),
    ("USA", *PUBS, "USA"),
    ("United States of America", *PUBS, "USA"),
    ("united states", *PUBS, "USA"),
    ("America", *PUBS, "USA"),
    ("  us \t", *PUBS, "USA"),
    ("CN", *PUBS, "CHN"),
    ("chn", *PUBS, "CHN"),
    ("PRC", *PUBS, "CHN"),
    ("China", *PUBS, "CHN"),
    ("CHINA", *PUBS, "CHN"),
    ("China (mainland)", *PUBS, "CHN"),
    ("  china  (MAINLAND) ", *PUBS, "CHN"),
    ("UK", *PUBS, "GBR"),
    ("Great Britain", *PUBS, "GBR"),
    ("gb", *PUBS, "GBR"),
    ("South Korea", *PUBS, "KOR"),
    ("Korea", *PUBS, "KOR"),
    ("KR", *PUBS, "KOR"),
    ("Taiwan", *PUBS, "TWN"),
    ("TW", *PUBS, "TWN"),
    ("NA", *PUBS, "NAM"),
    ("na", *PUBS, "NAM"),
    ("Namibia", *PUBS, "NAM"),
    ("Hong Kong", "notable_models", 2024, "HKG"),
    ("HK", "notable_models", 2024, "HKG"),
    ("Europe", "citations_share", 2023, "EUROPE_UNSD"),
    ("europe", "citations_share", 2023, "EUROPE_UNSD"),
    ("EU", "notable_models", 2023, "EU27"),
    ("European Union", "notable_models", 2023, "EU27"),
    ("World", "notable_models", 2024, "WORLD"),
    (" WORLD ", "notable_models", 2024, "WORLD"),
]


@pytest.mark.parametrize(("name", "metric", "year", "entity_id"), RESOLUTION)
def test_country_resolution(name: str, metric: str, year: int, entity_id: str) -> None:
    obs = aipower.get(metric, country=name, year=year)
    assert obs.entity_id == entity_id
    assert obs.entity.entity_id == entity_id


def test_entity_accepts_models_and_organisations() -> None:
    assert aipower.get("training_gpu_hours", entity="deepseek-v3", year=2024).entity_id == (
        "DEEPSEEK_V3"
    )
    assert aipower.get("notable_models", entity="Google", year=2024).entity_id == "GOOGLE"


def test_hong_kong_and_taiwan_are_not_china() -> None:
    china = aipower.get(
        "notable_models", country="China", year=2024, source="epoch_notable_2026_08"
    )
    hk = aipower.get(
        "notable_models", country="Hong Kong", year=2024, source="epoch_notable_2026_08"
    )
    assert hk.entity_id == "HKG" != china.entity_id
    tw = aipower.get("publications", country="Taiwan", year=2022)
    cn = aipower.get("publications", country="China", year=2022)
    assert tw.entity_id == "TWN"
    assert tw.value != cn.value
    ents = aipower.entities().set_index("entity_id")
    china_names = {n.casefold() for n in ents.loc["CHN", "aliases"]} | {"china"}
    assert "hong kong" not in china_names
    assert "taiwan" not in china_names


def test_namibia_is_not_a_missing_value() -> None:
    obs = aipower.get("publications", country="NA", year=2020)
    assert obs.entity_id == "NAM"
    assert obs.entity.iso2 == "NA"
    ents = aipower.entities()
    nam = ents[ents["entity_id"] == "NAM"]
    assert len(nam) == 1
    assert nam["iso2"].iloc[0] == "NA"
    assert ents["entity_id"].notna().all()
    arrow = aipower.table("entities", engine="pyarrow")
    iso2 = dict(zip(arrow["entity_id"].to_pylist(), arrow["iso2"].to_pylist(), strict=True))
    assert iso2["NAM"] == "NA"


# -- get_all ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("metric", "kw"),
    [
        ("notable_models", {"country": "US", "year": 2024}),
        ("notable_models", {"country": "CN", "year": 2024}),
        ("newly_funded_companies", {"country": "US", "year": 2024}),
        ("publications", {"country": "US", "year": 2022}),
        ("training_gpu_hours", {"entity": "DeepSeek-V3", "year": 2024}),
    ],
)
def test_get_all_default_first_and_complete(metric: str, kw: dict[str, object]) -> None:
    rows = aipower.get_all(metric, **kw)  # type: ignore[arg-type]
    assert rows[0] == aipower.get(metric, **kw)  # type: ignore[arg-type]
    assert len(rows) >= 2
    # every shipped row for that metric/entity/year, each once
    first = rows[0]
    obs = aipower.table("observations")
    n = (
        (obs["metric_id"] == first.metric_id)
        & (obs["entity_id"] == first.entity_id)
        & (obs["year"] == first.year)
    ).sum()
    assert len(rows) == n
    keys = [(o.source_id, o.vintage, o.priority, o.date) for o in rows]
    assert len(set(keys)) == len(keys)
    # the rest: by source, newest vintage first, then priority
    rest = [(o.source_id, o.priority) for o in rows[1:]]
    assert [s for s, _ in rest] == sorted(s for s, _ in rest)


def test_get_all_returns_a_fresh_list() -> None:
    rows = aipower.get_all("notable_models", country="US", year=2024)
    n = len(rows)
    rows.clear()
    assert len(aipower.get_all("notable_models", country="US", year=2024)) == n


# -- source= and vintage= --------------------------------------------------------------------------
def test_source_selects_a_source() -> None:
    obs = aipower.get("notable_models", country="US", year=2024, source="epoch_notable_2026_08")
    assert obs.source_id == "epoch_notable_2026_08"
    assert obs.value != aipower.get("notable_models", country="US", year=2024).value


def test_vintage_selects_a_release() -> None:
    obs = aipower.get("notable_models", country="US", year=2024, vintage="2025-11-01")
    assert obs.source_id == "epoch_ai_models_2025_11"
    assert obs.vintage == "2025-11-01"


def test_source_family_takes_its_newest_vintage() -> None:
    obs = aipower.get("notable_models", country="US", year=2024, source="epoch_ai_models")
    vintages = [
        o.vintage
        for o in aipower.get_all("notable_models", country="US", year=2024)
        if o.source.family == "epoch_ai_models"
    ]
    assert obs.vintage == max(vintages)


def test_source_and_vintage_that_do_not_meet_give_no_data() -> None:
    with pytest.raises(aipower.NoDataError):
        aipower.get(
            "notable_models", country="US", year=2024, source="aiindex_2025", vintage="2025-11-01"
        )


# -- series ----------------------------------------------------------------------------------------
def test_series_is_a_year_indexed_frame() -> None:
    frame = aipower.series("publications", country="CHN")
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "year"
    assert {"value", "source_id", "vintage", "status"} <= set(frame.columns)
    assert frame.index.is_unique
    assert frame.index.is_monotonic_increasing
    assert all(isinstance(y, int) for y in frame.index.tolist())
    assert (frame["entity_id"] == "CHN").all()
    assert len(frame) >= 9  # 2014-2024 from CSET's own release, read first-hand
    assert set(frame["vintage"]) == {"2024-12"}  # one release, never spliced


def test_series_rows_are_real_observations() -> None:
    frame = aipower.series("notable_models", country="US")
    for year, row in frame.iterrows():
        got = {
            (o.source_id, o.vintage, o.value)
            for o in aipower.get_all("notable_models", country="US", year=int(year))
        }
        assert (row["source_id"], row["vintage"], row["value"]) in got


def test_series_with_source_uses_that_source_only() -> None:
    frame = aipower.series("publications", country="US", source="cset_cat_2024_12")
    assert set(frame["source_id"]) == {"cset_cat_2024_12"}
    assert frame.loc[2022, "value"] == 53_690


# -- compare ---------------------------------------------------------------------------------------
def test_compare_one_row_per_entity_sorted_desc() -> None:
    frame = aipower.compare("citations", year=2022, kind="all")
    assert frame.index.is_unique
    values = frame["value"].tolist()
    assert values == sorted(values, reverse=True)
    assert frame.loc["CHN", "value"] == aipower.get("citations", country="CN", year=2022).value
    assert {"name", "entity_kind", "source_id", "vintage", "status"} <= set(frame.columns)
    assert "aggregate" in set(frame["entity_kind"])


def test_compare_kind_country_keeps_countries_only() -> None:
    everything = aipower.compare("citations", year=2022, kind="all")
    countries = aipower.compare("citations", year=2022, kind="country")
    assert set(countries["entity_kind"]) == {"country"}
    assert set(countries.index) == set(everything.index[everything["entity_kind"] == "country"])
    values = countries["value"].tolist()
    assert values == sorted(values, reverse=True)


def test_compare_shares_figure() -> None:
    frame = aipower.compare("citations_share", year=2023, kind="all")
    assert frame.loc["EUROPE_UNSD", "value"] == 0.209
    assert frame.index[0] == "REST_OF_WORLD"  # the residual group is the largest


# -- mutation safety and frozen results ------------------------------------------------------------
def test_mutating_a_table_does_not_change_the_next_call() -> None:
    first = aipower.table("observations")
    n, total = len(first), first["value"].sum()
    first["value"] = -1.0
    del first["locator"]
    again = aipower.table("observations")
    assert len(again) == n
    assert again["value"].sum() == total


def test_mutating_list_cells_does_not_change_the_next_call() -> None:
    ents = aipower.entities()
    row = ents.index[ents["entity_id"] == "USA"][0]
    aliases = list(ents.at[row, "aliases"])
    ents.at[row, "aliases"].append("Atlantis")
    again = aipower.entities()
    assert list(again.loc[again["entity_id"] == "USA", "aliases"].iloc[0]) == aliases
    assert aipower.get("publications", country="America", year=2022).entity_id == "USA"


@pytest.mark.parametrize(
    "call",
    [
        lambda: aipower.series("publications", country="CHN"),
        lambda: aipower.compare("citations", year=2022),
        aipower.metrics,
        aipower.sources,
        aipower.claims,
    ],
    ids=["series", "compare", "metrics", "sources", "claims"],
)
def test_mutating_frames_does_not_change_the_next_call(call) -> None:  # type: ignore[no-untyped-def]
    first = call()
    snapshot = first.copy(deep=True)
    attrs_before = {k: list(v) if isinstance(v, list) else v for k, v in first.attrs.items()}
    first.iloc[0] = first.iloc[-1]
    first.iloc[-1] = snapshot.iloc[0]
    first.iloc[1:-1] = first.iloc[1:-1].iloc[::-1].to_numpy()
    for v in first.attrs.values():
        if isinstance(v, list):
            v.append("mutated")
    first.attrs["new"] = 1
    again = call()
    pd.testing.assert_frame_equal(again, snapshot)
    assert again.attrs == attrs_before


def test_results_are_frozen() -> None:
    s = aipower.get_share("patents", country="CN", year=2023)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.value = 1.0  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.source.title = "x"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.metric.unit = "x"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.entity.name = "x"  # type: ignore[misc]
    obs = aipower.get("notable_models", country="US", year=2024)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        obs.locator = "x"  # type: ignore[misc]
    assert aipower.get_share("patents", country="CN", year=2023).value == 0.697


def test_result_repr_is_short_and_readable() -> None:
    s = aipower.get_share("patents", country="CN", year=2023)
    text = repr(s)
    assert text.startswith("Share(")
    assert "CHN" in text
    assert "aiindex_2025" in text
    assert len(text) < 300


# -- tables and engines ----------------------------------------------------------------------------
TABLE_NAMES = list(TABLES)  # every shipped table, from the spec


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_table_pyarrow_engine(name: str) -> None:
    arrow = aipower.table(name, engine="pyarrow")
    frame = aipower.table(name)
    assert isinstance(arrow, pa.Table)
    assert arrow.num_rows == len(frame) > 0
    assert arrow.column_names == list(frame.columns)


def test_table_pyarrow_values_equal_pandas() -> None:
    arrow = aipower.table("observations", engine="pyarrow")
    frame = aipower.table("observations")
    assert arrow["value"].to_pylist() == frame["value"].tolist()
    assert arrow["entity_id"].to_pylist() == frame["entity_id"].tolist()


def test_table_license_filter() -> None:
    full = aipower.table("observations")
    srcs = aipower.sources()
    cc_by = set(srcs.loc[srcs["license"] == "CC-BY-4.0", "source_id"])
    kept = aipower.table("observations", license=["CC-BY-4.0"])
    assert len(kept) > 0
    assert set(kept["source_id"]) <= cc_by
    assert len(kept) == full["source_id"].isin(cc_by).sum()
    assert len(kept) < len(full)
    # non-commercial and no-derivatives sources are left out
    assert not kept["source_id"].isin(["cset_cat_2024_12", "aiindex_2025"]).any()
    as_str = aipower.table("observations", license="CC-BY-4.0")
    assert len(as_str) == len(kept)
    arrow = aipower.table("observations", license=["CC-BY-4.0"], engine="pyarrow")
    assert arrow.num_rows == len(kept)


def test_table_license_filter_on_sources_and_several_licences() -> None:
    srcs = aipower.table("sources", license=["CC-BY-4.0", "CC-BY-NC-4.0"])
    assert set(srcs["license"]) == {"CC-BY-4.0", "CC-BY-NC-4.0"}


EXPECTED_COLUMNS = {
    "metrics": {"metric_id", "concept", "kind", "unit", "title", "definition", "basis",
                "default_source_id"},
    "sources": {"source_id", "kind", "publisher", "title", "url", "published", "vintage",
                "license", "primary", "citation"},
    "entities": {"entity_id", "kind", "name", "iso2", "iso3", "aliases", "members",
                 "definition"},
    "claims": {"claim_id", "statement", "stated_value", "stated_by", "attributed_to",
               "verdict", "explanation"},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED_COLUMNS))
def test_listing_functions(name: str) -> None:
    frame = getattr(aipower, name)()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    assert EXPECTED_COLUMNS[name] <= set(frame.columns)
    key = {"metrics": "metric_id", "sources": "source_id", "entities": "entity_id"}.get(
        name, "claim_id"
    )
    assert frame[key].is_unique


def test_metrics_have_a_known_default_source() -> None:
    metrics = aipower.metrics()
    assert set(metrics["default_source_id"]) <= set(aipower.sources()["source_id"])
    assert set(metrics["kind"]) <= {
        "share",
        "count",
        "amount",
        "rate",
        "index",
        "duration",
        "score",
        "gap",
    }
    shares = metrics[metrics["kind"] == "share"]
    assert (shares["unit"] == "fraction").all()


def test_metric_and_source_lookups() -> None:
    assert (
        aipower.metric("patents").metric_id
        == aipower.get("patents", country="CN", year=2022).metric_id
    )
    src = aipower.source("aiindex_2025")
    assert src.title == "Artificial Intelligence Index Report 2025"
    assert src.license == "CC-BY-ND-4.0"


def test_versions() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?\w+)*", aipower.__version__)
    data_version = (REPO / "data" / "DATA_VERSION").read_text(encoding="utf-8").strip()
    assert data_version == aipower.DATA_VERSION
    assert "DATA_VERSION" in dir(aipower)


def test_validate_passes_and_returns_row_counts() -> None:
    counts = aipower.validate()
    for name in TABLE_NAMES:
        assert counts[name] == len(aipower.table(name)) > 0


def test_import_is_light_and_scalar_lookups_avoid_pandas() -> None:
    code = (
        "import sys, aipower\n"
        "heavy = ('pandas', 'pandera', 'pyarrow')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "s = aipower.get_share('patents', country='CN', year=2023)\n"
        "print(s.percent, sorted(m for m in ('pandas', 'pandera') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert out == ["[]", "69.7 []"]
