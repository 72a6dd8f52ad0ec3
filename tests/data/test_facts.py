"""The curated facts: every hand-entered value ships exactly, and the FACTS.md figures are served.

Two layers:

* a parametrised round trip over the curated CSVs in ``data/observations/``: each row must be
  in the SHIPPED observations table (``aipower.table("observations")``) with the value
  ``printed x scale`` computed here with decimal arithmetic, and the same locator and status;
* named acceptance tests whose expected numbers are literals copied from
  ``../shared/facts/FACTS.md`` (never read back from the package).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import aipower
from aipower._spec import STATUSES

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
CURATED_FILES = (
    "aiindex_2025.csv",
    "deepseek_v3.csv",
    "macropolo.csv",
    "secondary.csv",
    "news_column.csv",
)
#: ``printed_unit`` -> multiplier (data/README.md, "observations/*.csv")
SCALES: dict[str, Decimal] = {
    "": Decimal(1),
    "percent": Decimal("0.01"),
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
}
AII25_TITLE = "Artificial Intelligence Index Report 2025"


# -- the curated CSVs, read with the csv module ----------------------------------------------------
def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _source_vintages() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((DATA / "sources").glob("*.csv")):
        for row in _read_csv(path):
            out[row["source_id"].strip()] = row["vintage"].strip()
    return out


def _curated_rows() -> list[Any]:
    params = []
    for name in CURATED_FILES:
        for line, row in enumerate(_read_csv(DATA / "observations" / name), start=2):
            rid = f"{name}:{line}:{row['metric_id']}/{row['entity_id']}/{row['year']}"
            params.append(pytest.param(row, id=rid))
    return params


CURATED = _curated_rows()


def expected_value(printed: str, printed_unit: str) -> float:
    """``printed`` x scale, exactly (decimal), then to float once."""
    return float(Decimal(printed.replace(",", "")) * SCALES[printed_unit.strip()])


def _key(metric: str, entity: str, year: int, date: str | None, source: str, vintage: str):
    return (metric, entity, int(year), date or None, source, vintage)


@pytest.fixture(scope="module")
def shipped_index() -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """Shipped observations keyed by metric/entity/year/date/source/vintage."""
    frame = aipower.table("observations")
    index: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for rec in frame.to_dict(orient="records"):
        date = rec["date"]
        date_text = date.isoformat() if isinstance(date, dt.date) else None
        key = _key(
            rec["metric_id"],
            rec["entity_id"],
            rec["year"],
            date_text,
            rec["source_id"],
            rec["vintage"],
        )
        index[key].append(rec)
    return index


@pytest.fixture(scope="module")
def vintages() -> dict[str, str]:
    return _source_vintages()


def test_curated_files_are_not_empty() -> None:
    assert len(CURATED) > 250
    for name in CURATED_FILES:
        assert _read_csv(DATA / "observations" / name), name


@pytest.mark.parametrize("row", CURATED)
def test_curated_row_is_shipped_exactly(
    row: dict[str, str],
    shipped_index: dict[tuple[Any, ...], list[dict[str, Any]]],
    vintages: dict[str, str],
) -> None:
    source = row["source_id"].strip()
    vintage = row["vintage"].strip() or vintages[source]
    key = _key(
        row["metric_id"].strip(),
        row["entity_id"].strip(),
        int(row["year"]),
        row["date"].strip() or None,
        source,
        vintage,
    )
    priority = int(row["priority"].strip() or 0)
    candidates = [r for r in shipped_index.get(key, []) if r["priority"] == priority]
    assert len(candidates) == 1, f"expected one shipped row for {key} priority {priority}"
    shipped = candidates[0]
    assert shipped["value"] == expected_value(row["printed"], row["printed_unit"])
    assert shipped["locator"] == row["locator"].strip()
    assert shipped["status"] == row["status"].strip()
    assert (shipped["note"] or "") == row["note"].strip()


def test_expected_value_uses_exact_decimal_arithmetic() -> None:
    """The helper itself: 69.70 percent is 0.697 and 109.08 billion is 109080000000.0."""
    assert expected_value("69.70", "percent") == 0.697
    assert expected_value("109.08", "billion") == 109_080_000_000.0
    assert expected_value("2,788", "thousand") == 2_788_000.0
    assert expected_value("0.3", "") == 0.3


# -- named acceptance tests: literals from FACTS.md ------------------------------------------------
def test_china_patent_share_2023_is_the_headline_fact() -> None:
    s = aipower.get_share("patents", country="CN", year=2023)
    assert isinstance(s, aipower.Share)
    assert float(s) == 0.697
    assert s.value == 0.697
    assert s.percent == 69.7
    assert s.status == "verified"
    assert s.unit == "fraction"
    assert s.metric_id == "patents_granted_share"
    assert s.entity_id == "CHN"
    assert s.source_id == "aiindex_2025"
    assert s.source.title == AII25_TITLE
    assert "Figure 1.2.3" in s.locator
    assert "p. 44" in s.locator


def test_us_patent_share_2023_and_2015_peak() -> None:
    assert aipower.get_share("patents", country="US", year=2023).value == 0.1416
    peak = aipower.get_share("patents", country="US", year=2015, source="aiindex_2025")
    assert peak.value == 0.428
    assert peak.percent == 42.8
    assert "p. 44" in peak.locator
    assert peak.status == "verified"
    # the 2026 edition restates the same peak in its text (newest edition, so the default)
    newest = aipower.get_share("patents", country="US", year=2015)
    assert (newest.source_id, newest.value) == ("aiindex_2026", 0.428)
    assert "narrative p. 56" in newest.locator


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("CN", 0.697),
        ("US", 0.1416),
        ("Rest of world", 0.13),
        ("Europe", 0.0277),
        ("India", 0.0037),
    ],
)
def test_patent_shares_figure_1_2_3(country: str, expected: float) -> None:
    s = aipower.get_share("patents", country=country, year=2023)
    assert s.value == expected
    assert "Figure 1.2.3" in s.locator


def test_patent_share_areas_sum_to_one() -> None:
    areas = ["CN", "US", "Rest of world", "Europe", "India"]
    total = sum(aipower.get_share("patents", country=a, year=2023).value for a in areas)
    assert total == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("China", 0.226),
        ("Europe", 0.209),
        ("United States", 0.1303),
        ("India", 0.061),
        ("Rest of world", 0.2983),
        ("Unknown", 0.0754),
    ],
)
def test_citation_shares_2023(country: str, expected: float) -> None:
    s = aipower.get_share("citations", country=country, year=2023, source="aiindex_2025")
    assert s.value == expected
    assert s.status == "verified"
    assert s.source.title == AII25_TITLE
    assert "Figure 1.1.7" in s.locator
    assert "p. 35" in s.locator
    # the default is the newest edition that gives the year; the 2026 edition restates only
    # the US value (in its text), and it agrees
    assert aipower.get_share("citations", country=country, year=2023).value == expected


def test_europe_citation_share_is_the_un_m49_aggregate() -> None:
    s = aipower.get_share("citations", country="Europe", year=2023)
    assert s.value == 0.209
    assert s.entity_id == "EUROPE_UNSD"


def test_citation_shares_2023_sum_to_one() -> None:
    areas = ["China", "Europe", "United States", "India", "Rest of world", "Unknown"]
    total = sum(aipower.get_share("citations", country=a, year=2023).value for a in areas)
    assert total == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("China", 0.232),
        ("Rest of world", 0.2251),
        ("Unknown", 0.2065),
        ("Europe", 0.1522),
        ("India", 0.0922),
        ("United States", 0.092),
    ],
)
def test_publication_shares_2023(country: str, expected: float) -> None:
    s = aipower.get_share("publications", country=country, year=2023)
    assert s.value == expected
    assert "Figure 1.1.6" in s.locator
    assert s.status == "verified"


def test_us_publication_share_is_just_below_india() -> None:
    us = aipower.get_share("publications", country="US", year=2023).value
    india = aipower.get_share("publications", country="IN", year=2023).value
    assert us < india


def test_notable_models_us_2024_with_and_without_source() -> None:
    explicit = aipower.get(
        "notable_models", country="United States", year=2024, source="aiindex_2025"
    )
    default = aipower.get("notable_models", country="United States", year=2024)
    assert explicit.value == 40
    assert explicit.status == "verified"
    assert "1.3.1" in explicit.locator
    assert "p. 46" in explicit.locator
    # the default is still the 2025 edition: no newer AI Index edition gives a 2024 US count,
    # and the later Epoch-derived counts (54, 57) are reachable but not the default
    assert default.value == 40
    assert default.source_id == "aiindex_2025"
    assert default == explicit


def test_no_newer_ai_index_edition_has_a_2024_us_count() -> None:
    """Documents why the default above does not move to a newer edition."""
    rows = aipower.get_all("notable_models", country="US", year=2024)
    newer = [o for o in rows if o.source.family == "aiindex" and o.vintage > "2025-04"]
    assert newer == []
    epoch = {o.source_id: o.value for o in rows if o.source.family == "epoch_ai_models"}
    assert {"epoch_ai_models_2025_11", "epoch_notable_2026_08"} <= set(epoch)
    assert all(v != 40 for v in epoch.values())


def test_notable_models_china_and_europe_2024() -> None:
    assert aipower.get("notable_models", country="China", year=2024).value == 15
    europe = aipower.get("notable_models", country="Europe", year=2024)
    assert europe.value == 3
    assert "Figure 1.3.2" in europe.locator
    assert aipower.get("notable_models", country="France", year=2024).value == 3


def test_deepseek_v3_training_gpu_hours_from_the_report() -> None:
    obs = aipower.get("training_gpu_hours", entity="DeepSeek-V3", year=2024)
    assert obs.value == 2_788_000
    assert obs.source_id == "deepseek_v3_report"
    assert obs.status == "verified"
    assert obs.unit == "GPU-hours (H800)"
    assert obs.source.title == "DeepSeek-V3 Technical Report"


def test_deepseek_v3_training_gpu_hours_from_the_news_column() -> None:
    obs = aipower.get(
        "training_gpu_hours", entity="DeepSeek-V3", year=2024, source="ft_mittr_state_of_ai_2025"
    )
    assert obs.value == 2_600_000
    assert obs.status == "secondary"
    assert obs.source.primary is False


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("training_gpu_hours_pretraining", 2_664_000),
        ("training_gpu_hours_context_extension", 119_000),
        ("training_gpu_hours_post_training", 5_000),
    ],
)
def test_deepseek_v3_stages(metric: str, expected: float) -> None:
    obs = aipower.get(metric, entity="DeepSeek-V3", year=2024)
    assert obs.value == expected
    assert obs.source_id == "deepseek_v3_report"
    assert obs.status == "verified"


def test_deepseek_v3_stages_add_up_to_the_total() -> None:
    stages = [
        "training_gpu_hours_pretraining",
        "training_gpu_hours_context_extension",
        "training_gpu_hours_post_training",
    ]
    total = aipower.get("training_gpu_hours", entity="DeepSeek-V3", year=2024).value
    parts = sum(aipower.get(m, entity="DeepSeek-V3", year=2024).value for m in stages)
    assert parts == total == 2_788_000


def test_deepseek_v3_price_and_cost() -> None:
    price = aipower.get("gpu_rental_price_assumed", entity="DeepSeek-V3", year=2024)
    assert price.value == 2
    assert price.unit == "USD per GPU-hour"
    cost = aipower.get("training_cost", entity="DeepSeek-V3", year=2024)
    assert cost.value == 5_576_000
    assert cost.unit == "USD"
    assert cost.status == "verified"
    hours = aipower.get("training_gpu_hours", entity="DeepSeek-V3", year=2024).value
    assert hours * price.value == cost.value


@pytest.mark.parametrize(
    ("country", "year", "expected"),
    [
        ("US", 2021, 64),
        ("US", 2022, 59),
        ("US", 2023, 50),
        ("CN", 2021, 33),
        ("CN", 2022, 34),
        ("CN", 2023, 34),
    ],
)
def test_top100_cited_publications(country: str, year: int, expected: int) -> None:
    obs = aipower.get(
        "top100_cited_publications", country=country, year=year, source="aiindex_2025"
    )
    assert obs.value == expected
    assert obs.status == "verified"
    assert "Figure 1.1.11" in obs.locator
    # by default the newest edition that restates the year wins (principle 5); here the AI
    # Index 2026 copy agrees with the 2025 edition
    default = aipower.get("top100_cited_publications", country=country, year=year)
    assert default.value == expected


def test_patents_per_100k_korea() -> None:
    obs = aipower.get("patents_granted_per_100k", country="South Korea", year=2023)
    assert obs.value == 17.27
    assert obs.unit == "per 100,000 inhabitants"
    # the per-capita chart is Figure 1.2.4 (the p. 44 text mislabels it 1.2.3)
    assert "Figure 1.2.4" in obs.locator
    assert aipower.get("patents_granted_per_100k", country="LU", year=2023).value == 15.31
    assert aipower.get("patents_granted_per_100k", country="CN", year=2023).value == 6.08


def test_private_investment_2024() -> None:
    us = aipower.get("private_investment", country="US", year=2024)
    assert us.value == 109_080_000_000.0
    assert us.value == 109.08e9
    assert us.unit == "USD"
    assert us.source_id == "aiindex_2025"
    assert "Figure 4.3.8" in us.locator
    cn = aipower.get("private_investment", country="CN", year=2024)
    assert cn.value == 9_290_000_000.0
    assert aipower.get("private_investment", country="UK", year=2024).value == 4_520_000_000.0


def test_newly_funded_companies_us_2024_default_and_conflict() -> None:
    default = aipower.get("newly_funded_companies", country="US", year=2024)
    assert default.value == 1073
    assert default.priority == 0
    assert "Figure 4.3.12" in default.locator
    rows = aipower.get_all("newly_funded_companies", country="US", year=2024)
    assert rows[0] == default
    conflicting = [o for o in rows if o.value == 1143]
    assert len(conflicting) == 1
    assert conflicting[0].priority == 1
    assert conflicting[0].source_id == "aiindex_2025"
    assert "Figure 4.3.14" in conflicting[0].locator


def test_newly_funded_companies_china_2024_default_and_conflict() -> None:
    assert aipower.get("newly_funded_companies", country="CN", year=2024).value == 98
    values = {o.value for o in aipower.get_all("newly_funded_companies", country="CN", year=2024)}
    assert {98, 109} <= values


@pytest.mark.parametrize(
    ("metric", "end_2023", "end_2024"),
    [
        ("benchmark_gap_mmlu", 17.5, 0.3),
        ("benchmark_gap_mmmu", 13.5, 8.1),
        ("benchmark_gap_math", 24.3, 1.6),
        ("benchmark_gap_humaneval", 31.6, 3.7),
    ],
)
def test_us_china_benchmark_gaps(metric: str, end_2023: float, end_2024: float) -> None:
    first = aipower.get(metric, entity="US_CHINA", year=2023)
    last = aipower.get(metric, entity="US_CHINA", year=2024)
    assert (first.value, last.value) == (end_2023, end_2024)
    assert first.unit == "percentage points"
    assert "Figure 2.1.37" in last.locator


def test_arena_gap_is_dated() -> None:
    jan = aipower.get("arena_gap", entity="US_CHINA", year=2024)
    feb = aipower.get("arena_gap", entity="US vs China", year=2025, source="aiindex_2025")
    assert jan.value == 0.093
    assert feb.value == 0.017
    assert feb.date == dt.date(2025, 2, 1)
    # the 2026 edition restates February 2025 from a newer Arena export: newest vintage by
    # default, both readings side by side in get_all
    newest = aipower.get("arena_gap", entity="US_CHINA", year=2025)
    assert (newest.source_id, newest.status, newest.value) == ("aiindex_2026", "verified", 0.004)
    assert "Figure 2.1.3, p. 77" in newest.locator
    readings = aipower.get_all("arena_gap", entity="US_CHINA", year=2025)
    assert {o.source_id: o.value for o in readings} == {
        "aiindex_2026": 0.004,
        "aiindex_2025": 0.017,
    }
    assert (
        aipower.get("arena_top_elo", country="US", year=2025, source="aiindex_2025").value == 1385
    )
    assert (
        aipower.get("arena_top_elo", country="CN", year=2025, source="aiindex_2025").value == 1362
    )
    # the 2026 edition's newer Arena export rates the same month's leaders differently
    assert aipower.get("arena_top_elo", country="US", year=2025).value == 1405
    assert aipower.get("arena_top_elo", country="CN", year=2025).value == 1400


def test_ipsos_optimism() -> None:
    china = aipower.get_share("optimism", country="China", year=2024)
    assert china.value == 0.83
    assert china.percent == 83
    assert "Figure 8.1.2" in china.locator
    # the survey year is 2024 (published in the 2025 report), so 2025 has no Chinese value
    with pytest.raises(aipower.NoDataError):
        aipower.get_share("optimism", country="China", year=2025, source="aiindex_2025")
    assert aipower.get_share("optimism", entity="IPSOS_GLOBAL", year=2022).value == 0.52
    assert aipower.get_share("optimism", entity="IPSOS_GLOBAL", year=2024).value == 0.55
    assert aipower.get_share("optimism", country="US", year=2024).value == 0.39


@pytest.mark.parametrize(
    ("country", "year", "expected"),
    [("US", 2019, 0.59), ("CN", 2019, 0.11), ("US", 2022, 0.42), ("CN", 2022, 0.28)],
)
def test_macropolo_talent_shares_are_secondary(country: str, year: int, expected: float) -> None:
    s = aipower.get_share("researchers", country=country, year=year)
    assert s.value == expected
    assert s.metric_id == "talent_share_work"
    assert s.status == "secondary"
    assert s.source.family == "macropolo_talent_tracker"


def test_shipped_values_never_null_and_shares_in_unit_interval() -> None:
    obs = aipower.table("observations")
    metrics = aipower.metrics()
    assert obs["value"].notna().all()
    shares = set(metrics.loc[metrics["kind"] == "share", "metric_id"])
    values = obs.loc[obs["metric_id"].isin(shares), "value"]
    assert not values.empty
    assert values.between(0, 1).all()


def test_every_observation_has_source_and_locator() -> None:
    obs = aipower.table("observations")
    assert (obs["locator"].str.strip() != "").all()
    assert set(obs["source_id"]) <= set(aipower.sources()["source_id"])
    assert set(obs["status"]) <= set(STATUSES)


def test_table_frame_is_pandas() -> None:
    assert isinstance(aipower.table("observations"), pd.DataFrame)
