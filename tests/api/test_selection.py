"""Default selection across sources and vintages (docs/methodology.md, "Which value ...").

Regression tests for defects found in review: compare() mixed sources entity by entity;
series() spliced dataset vintages across a method change; the AI Index chapter-4 'Europe'
was filed as the UN list of European countries.
"""

from __future__ import annotations

import datetime as dt

import pytest

import aipower


def test_compare_takes_every_entity_from_one_release() -> None:
    frame = aipower.compare("notable_models", year=2024, kind="country")
    assert set(frame["source_id"]) == {"aiindex_2025"}
    assert frame.attrs["release"] == "aiindex_2025 (2025-04)"
    assert frame.loc["USA", "value"] == 40
    # Epoch-derived counts (USA 57 in the 2026-08 file) stay behind source=
    epoch = aipower.compare("notable_models", year=2024, source="epoch_notable_2026_08")
    assert set(epoch["vintage"]) == {"2026-08-19"}
    assert epoch.loc["USA", "value"] == 57


def test_compare_publications_uses_the_first_hand_cset_release_only() -> None:
    frame = aipower.compare("publications", year=2023)
    assert set(frame["source_id"]) == {"cset_cat_2024_12"}
    assert frame.loc["CHN", "value"] == 136_371
    assert frame.loc["CHN", "status"] == "incomplete"
    # the later releases, held only in OWID's copies, are named and one argument away
    assert frame.attrs["passed_over"] == ["owid_cset_publications_2025_10 (2025-10-22)"]
    newer = aipower.compare("publications", year=2023, source="owid_cset_publications_2025_10")
    assert newer.loc["CHN", "value"] == 103_493


def test_series_does_not_splice_dataset_vintages() -> None:
    frame = aipower.series("publications", country="CN")
    assert list(frame.index) == list(range(2014, 2025))
    assert set(frame["source_id"]) == {"cset_cat_2024_12"}
    assert frame.attrs["not_joined"] == [
        "owid_cset_publications_2025_10 (2025-10-22)",
        "owid_cset_publications_2025_04 (2025-04-18)",
    ]
    assert frame.attrs["incomplete"] == [2023, 2024]
    # the later release (OWID's copy) is one argument away, on its own
    new = aipower.series("publications", country="CN", source="owid_cset_publications_2025_10")
    assert new.loc[2022, "value"] == 82_032
    assert set(new["vintage"]) == {"2025-10-22"}


def test_series_joins_report_editions_that_each_add_a_year() -> None:
    frame = aipower.series("notable_models", country="CN")
    assert frame["source_id"].to_dict() == {
        2023: "aiindex_2024",
        2024: "aiindex_2025",
        2025: "aiindex_2026",
    }
    assert frame.loc[2025, "status"] == "verified"
    assert frame.loc[2025, "value"] == 35


def test_series_is_not_cut_short_by_an_edition_restating_one_year() -> None:
    # regression: the 2026 edition restates the US count for 2021 in its text, which made
    # the whole 2025 edition (2021-2023) "overlapping" and dropped 2022 and 2023
    frame = aipower.series("top100_cited_publications", country="US")
    assert frame["value"].to_dict() == {2021: 64, 2022: 59, 2023: 50, 2024: 46}
    # 2021: both editions hold only a few countries (the 2025 chart's other 2021 bars were
    # dropped as unconfirmed pairings), so neither is a restatement and the newer one answers
    # (the same number, 64)
    assert frame["source_id"].to_dict() == {
        2021: "aiindex_2026",
        2022: "aiindex_2025",
        2023: "aiindex_2025",
        2024: "aiindex_2026",
    }
    # no edition is left out (the news column's reading of the same figure is another family)
    assert frame.attrs["not_joined"] == ["ft_mittr_state_of_ai_2025 (2025-11-03)"]
    # a dataset vintage still never fills gaps in a newer vintage of the same series
    cset = aipower.series("publications", country="CN")
    assert cset.attrs["not_joined"] != []


def test_compare_is_not_taken_over_by_an_edition_restating_one_country() -> None:
    # regression: the 2026 edition gives the 2023 US citation share in its text; compare for
    # 2023 returned that single row instead of the 2025 edition's chart
    frame = aipower.compare("citations_share", year=2023, kind="all")
    assert frame.attrs["release"] == "aiindex_2025 (2025-04)"
    assert frame.attrs["passed_over"] == ["aiindex_2026 (2026-04)"]
    assert frame.loc["CHN", "value"] == 0.226
    assert len(frame) == 6
    newest = aipower.compare("citations_share", year=2023, source="aiindex_2026")
    assert list(newest.index) == ["USA"]


def test_series_by_date_gives_the_monthly_eci_gap() -> None:
    monthly = aipower.series("eci_gap_us_china", entity="US_CHINA", by="date")
    assert monthly.index.name == "date"
    assert len(monthly) > 30
    assert monthly.index.is_monotonic_increasing
    assert monthly.loc[dt.date(2026, 7, 31), "value"] == pytest.approx(5.0, abs=0.005)
    yearly = aipower.series("eci_gap_us_china", entity="US_CHINA")
    assert len(yearly) < len(monthly)
    with pytest.raises(aipower.NoDataError, match="by='year'"):
        aipower.series("publications", country="CN", by="date")
    with pytest.raises(ValueError, match="by"):
        aipower.series("publications", country="CN", by="month")  # type: ignore[arg-type]


def test_ai_index_chapter_4_europe_is_eu_plus_uk() -> None:
    obs = aipower.get("private_investment", country="EU_UK", year=2024)
    assert obs.value == 19_420_000_000
    assert "Figure 4.3.10" in obs.locator
    with pytest.raises(aipower.NoDataError):
        aipower.get("private_investment", country="Europe", year=2024)


def test_country_argument_refuses_models_and_organisations() -> None:
    with pytest.raises(aipower.UnknownEntityError, match="entity='DeepSeek-V3'"):
        aipower.get("training_gpu_hours", country="DeepSeek-V3", year=2024)
    assert aipower.get("training_gpu_hours", entity="DeepSeek-V3", year=2024).value == 2_788_000


def test_concept_word_with_one_metric_resolves_and_with_several_lists_them() -> None:
    assert aipower.metric("robots").metric_id == "industrial_robot_installations"
    with pytest.raises(aipower.UnknownMetricError, match="arena_gap, arena_top_elo"):
        aipower.metric("arena")


def test_licence_ids_are_case_insensitive() -> None:
    lower = aipower.table("observations", license="cc-by-4.0")
    assert len(lower) == len(aipower.table("observations", license="CC-BY-4.0")) > 0


def test_check_accepts_percent_sign_and_hints_at_shares() -> None:
    assert aipower.check("patents", country="CN", year=2023, value=69.7, unit="%").verdict == (
        "matches"
    )
    # a bare number in [0, 1] means the concept's share (issue 11, item 1)
    result = aipower.check("patents", country="CN", year=2023, value=0.697)
    assert result.metric_id == "patents_granted_share"
    # a count is still a count, with a hint at the share
    count = aipower.check("patents", country="CN", year=2023, value=20_000)
    assert count.metric_id == "cset_patents_granted"
    assert "unit='percent'" in count.explanation


def test_world_optimism_is_the_ipsos_average_not_the_world() -> None:
    frame = aipower.series("optimism", entity="Ipsos global")
    assert frame["value"].to_dict() == {2022: 0.52, 2024: 0.55, 2025: 0.59}
    with pytest.raises(aipower.NoDataError, match="IPSOS_GLOBAL"):
        aipower.get("optimism", country="World", year=2024)
