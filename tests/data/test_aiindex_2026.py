"""AI Index 2026, read in a plain-text extraction of the April 2026 PDF (issue 8).

Exact values and figure locators as printed; the release-day counts that later changed stay
queryable as secondary readings.
"""

from __future__ import annotations

import re

import pytest

import aipower

SOURCE = "aiindex_2026"


def test_notable_models_2025_carry_the_figure_locator() -> None:
    rows = aipower.get_all("notable_models", country="US", year=2025)
    primary = [o for o in rows if o.source_id == SOURCE and o.priority == 0]
    assert [(o.value, o.status) for o in primary] == [(59, "verified")]
    assert primary[0].locator.startswith("Chapter 1, Figure 1.1.1, p. 16")
    assert rows[0] == primary[0]  # the default reading
    release_day = [o for o in rows if o.source_id == SOURCE and o.priority == 1]
    assert [(o.value, o.status) for o in release_day] == [(50, "secondary")]
    assert "Figure 1.1.1" in release_day[0].locator


@pytest.mark.parametrize(
    ("entity", "expected"),
    [("CN", 35), ("South Korea", 8), ("UK", 1), ("Hong Kong", 1), ("Europe", 2), ("World", 102)],
)
def test_notable_models_2025(entity: str, expected: int) -> None:
    obs = aipower.get("notable_models", entity=entity, year=2025)
    assert (obs.source_id, obs.value, obs.status) == (SOURCE, expected, "verified")


def test_notable_models_by_sector_and_organisation_2025() -> None:
    assert aipower.get("notable_models", entity="SECTOR_INDUSTRY", year=2025).value == 93
    assert aipower.get("notable_models", entity="Academia", year=2025).value == 2
    share = aipower.get("notable_models_sector_share", entity="SECTOR_INDUSTRY", year=2025)
    assert share.value == 0.9118
    assert "Figure 1.1.5, p. 19" in share.locator
    openai = aipower.get("notable_models", entity="OpenAI", year=2025)
    assert (openai.value, openai.status) == (20, "verified")
    assert "Figure 1.1.6, p. 19" in openai.locator


def test_publication_shares_2024_form_an_exhaustive_group() -> None:
    frame = aipower.compare("publications_share", year=2024, source=SOURCE, kind="all")
    assert frame["value"].to_dict() == {
        "UNKNOWN": 0.3925,
        "CHN": 0.1776,
        "REST_OF_WORLD": 0.171,
        "EUROPE_UNSD": 0.1105,
        "IND": 0.0755,
        "USA": 0.0729,
    }
    assert frame["value"].sum() == pytest.approx(1.0, abs=1e-9)
    assert set(frame["locator"].str.slice(0, 30)) == {"Chapter 1, Figure 1.6.6, p. 51"}


def test_citation_shares_2024_are_prose_only() -> None:
    s = aipower.get_share("citations", country="CN", year=2024)
    assert (s.value, s.status, s.source_id) == (0.206, "verified", SOURCE)
    # the text cites a figure that, in this export, shows something else
    assert "narrative p. 50" in s.locator
    assert "Figure 1.6.7" in s.locator


def test_patents_2024_count_grants() -> None:
    cn = aipower.get_share("patents", country="CN", year=2024)
    assert (cn.value, cn.status) == (0.7424, "verified")
    assert cn.locator.startswith("Chapter 1, Figure 1.7.2, p. 57")
    assert "granted" in aipower.metric(cn.metric_id).definition.lower()
    assert aipower.get("patents_granted_world", entity="World", year=2024).value == 131_121
    kor = aipower.get("patents_granted_per_100k", country="KR", year=2024)
    assert (kor.value, kor.status) == (14.31, "verified")
    # the narrative rounds the chart label
    assert aipower.check(
        "patents_granted_share", country="CN", year=2024, value=74.2, unit="percent"
    ).verdict == ("rounded")


def test_private_investment_2025() -> None:
    us = aipower.get("private_investment", country="US", year=2025)
    assert (us.value, us.status) == (285_880_000_000, "verified")
    assert us.locator.startswith("Chapter 4, Figure 4.2.8, p. 182")
    assert aipower.get("private_investment", country="CN", year=2025).value == 12_410_000_000
    cumulative = aipower.get("private_investment_cumulative", country="US", year=2025)
    assert cumulative.value == 757_270_000_000
    assert "Figure 4.2.12, p. 184" in cumulative.locator
    assert aipower.get("newly_funded_companies", country="US", year=2025).value == 1953


def test_investment_series_runs_across_editions() -> None:
    frame = aipower.series("private_investment", country="US")
    assert frame.loc[2024, "source_id"] == "aiindex_2025"
    assert frame.loc[2025, "source_id"] == SOURCE
    assert frame.loc[2025, "value"] == 285_880_000_000


def test_arena_gap_march_2026() -> None:
    gap = aipower.get("arena_gap", entity="US_CHINA", year=2026)
    assert (gap.value, gap.status) == (0.027, "verified")
    assert "Figure 2.1.3, p. 77" in gap.locator
    assert aipower.get("arena_top_elo", country="US", year=2026).value == 1503
    assert aipower.get("arena_top_elo", country="CN", year=2026).value == 1464


def test_release_day_claim_now_differs_from_the_report() -> None:
    claim = aipower.claim("R4")
    assert claim.verdict == "differs"
    assert "59" in claim.explanation
    assert "Figure 1.1.1, p. 16" in claim.explanation


def test_every_primary_row_names_a_page() -> None:
    obs = aipower.table("observations")
    mine = obs[(obs["source_id"] == SOURCE) & (obs["status"] == "verified")]
    assert len(mine) >= 150
    no_page = [loc for loc in mine["locator"] if not re.search(r"\bp\. \d+", loc)]
    assert no_page == []
    # second-hand: the three release-day counts, and the Ipsos global figures the report
    # republishes (a republication is not a first-hand reading of the survey)
    rest = obs[(obs["source_id"] == SOURCE) & (obs["status"] != "verified")]
    ipsos = rest[rest["metric_id"] == "optimism"]
    assert sorted(ipsos["year"]) == [2024, 2025]
    release_day = rest[rest["metric_id"] != "optimism"]
    assert sorted(release_day["entity_id"]) == ["CHN", "KOR", "USA"]
    assert set(release_day["priority"]) == {1}
