"""One question, one answer: get, series, compare, check, the claims ledger, cite and the CLI
follow the one selection rule (aipower._query.select; docs/methodology.md).

Each numbered regression test pins a defect of 0.1.0 (issue 11) and failed before the fix; the
property tests walk real keys drawn from the shipped tables.
"""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aipower
from aipower._query.select import firsthand


# -- 1. a concept word checks the quantity the number is ------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "verdict"),
    [(0.697, None, "matches"), (69.7, "percent", "matches"), (70, "%", "rounded")],
)
def test_check_patents_share_is_not_compared_with_the_patent_count(
    value: float, unit: str | None, verdict: str
) -> None:
    # 0.1.0 resolved "patents" to the CSET count for check but to the AI Index share for
    # get_share, and answered "differs (-20,438 patent families, -100 %)"
    result = aipower.check("patents", country="China", year=2023, value=value, unit=unit)  # type: ignore[arg-type]
    assert result.metric_id == "patents_granted_share"
    assert result.verdict == verdict


def test_check_citations_share_given_as_a_fraction() -> None:
    result = aipower.check("citations", country="CN", year=2023, value=0.226)
    assert (result.metric_id, result.verdict) == ("citations_share", "matches")


def test_check_refuses_a_bare_number_that_could_be_a_percentage_or_a_count() -> None:
    with pytest.raises(ValueError, match="ambiguous") as info:
        aipower.check("patents", country="China", year=2023, value=69.7)
    assert "patents_granted_share" in str(info.value)
    assert "cset_patents_granted" in str(info.value)


def test_cli_check_patents_share_exits_zero() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aipower", "check", "patents", "--country", "China",
         "--year", "2023", "--value", "0.697"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("matches: ")


# -- 2. the default is first-hand, and check agrees with get ---------------------------------
def test_get_publications_default_is_the_first_hand_cset_release() -> None:
    obs = aipower.get("publications", country="US", year=2022)
    assert (obs.value, obs.source_id, obs.status) == (53_690, "cset_cat_2024_12", "verified")
    assert aipower.check("publications", country="US", year=2022, value=obs.value).verdict == (
        "matches"
    )


def test_check_of_a_later_release_held_second_hand_is_unverified_not_differs() -> None:
    # 43,539 is the October 2025 CSET release as copied by OWID: not called wrong
    result = aipower.check("publications", country="US", year=2022, value=43_539)
    assert result.verdict == "unverified"
    assert "owid_cset_publications_2025_10" in result.explanation


# -- 3. a loop over years cannot build a false series ----------------------------------------
def test_get_flags_a_year_that_comes_from_outside_the_series() -> None:
    frame = aipower.series("notable_models", country="US")
    assert 2015 not in frame.index  # Epoch's counts are another source family
    obs = aipower.get("notable_models", country="US", year=2015)
    assert obs.source.family == "epoch_ai_models"
    assert obs.outside_series is not None
    assert "outside the default series" in obs.outside_series
    assert "OUTSIDE THE DEFAULT SERIES" in repr(obs)
    assert frame.attrs["outside_series"][2015] == f"{obs.source_id} ({obs.vintage})"
    # a year of the series is not flagged
    assert aipower.get("notable_models", country="US", year=2024).outside_series is None


def test_get_over_years_equals_the_series_for_china_publications() -> None:
    frame = aipower.series("publications", country="CN")
    for year, row in frame.iterrows():
        obs = aipower.get("publications", country="CN", year=int(year))  # type: ignore[call-overload]
        assert (obs.value, obs.source_id, obs.vintage) == (
            row["value"],
            row["source_id"],
            row["vintage"],
        )
        assert obs.outside_series is None


# -- 4. the claims ledger is check (see also test_claims_check) -------------------------------
@pytest.mark.parametrize(("claim_id", "verdict"), [("R2", "unverified"), ("R1a", "differs")])
def test_reconciliation_claim_is_check_against_its_compared_source(
    claim_id: str, verdict: str
) -> None:
    c = aipower.claim(claim_id)
    assert c.stated_value is not None
    assert c.metric_id is not None
    assert c.entity_id is not None
    assert c.year is not None
    result = aipower.check(
        c.metric_id, entity=c.entity_id, year=c.year, value=c.stated_value,
        source=c.compare_source_id,
    )  # fmt: skip
    assert c.verdict == result.verdict == verdict


# -- 5. cite(concept) cites where the concept's answers come from ----------------------------
def test_cite_patents_cites_the_ai_index_behind_the_share() -> None:
    text = aipower.cite("patents")
    assert "@techreport{aiindex_2025," in text
    assert "cset_cat_2024_12," in text
    share = aipower.get_share("patents", country="CN", year=2023)
    assert f"{{{share.source_id}," in text


# -- 6. compare lists countries unless asked otherwise ---------------------------------------
def test_compare_citations_does_not_rank_blocs_above_countries() -> None:
    frame = aipower.compare("citations", year=2023)
    assert set(frame["entity_kind"]) == {"country"}
    assert frame.index[0] == "CHN"
    assert not {"CSET_GPAI", "CSET_OECD", "CSET_NATO", "CSET_FIVE_EYES"} & set(frame.index)
    blocs = aipower.compare("citations", year=2023, kind="aggregate")
    assert set(blocs["entity_kind"]) == {"aggregate"}


def test_compare_notable_models_lists_no_organisations_or_sectors() -> None:
    frame = aipower.compare("notable_models", year=2024)
    assert set(frame["entity_kind"]) == {"country"}
    everything = aipower.compare("notable_models", year=2024, kind="all")
    assert {"sector", "organisation"} <= set(everything["entity_kind"]) or len(everything) > len(
        frame
    )


def test_compare_bad_kind_names_kind() -> None:
    with pytest.raises(ValueError, match="kind must be one of") as info:
        aipower.compare("citations", year=2023, kind="countries")  # type: ignore[arg-type]
    assert "Did you mean 'country'" in str(info.value)


# -- 7. the partial last year of a file is incomplete ---------------------------------------
def test_epoch_count_for_the_files_partial_last_year_is_incomplete() -> None:
    obs = aipower.get("notable_models", country="US", year=2026, source="epoch_notable_2026_08")
    assert obs.status == "incomplete"
    assert obs.note is not None
    assert "Partial year" in obs.note
    full = aipower.get("notable_models", country="US", year=2025, source="epoch_notable_2026_08")
    assert full.status == "derived"
    frame = aipower.series("notable_models", country="US", source="epoch_notable_2026_08")
    assert frame.attrs["incomplete"] == [2026]


# -- 8. impossible shares are refused ------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit"), [(150, "percent"), (-69.7, "percent"), (1.5, "fraction")]
)
def test_check_refuses_impossible_shares(value: float, unit: str) -> None:
    with pytest.raises(ValueError, match="impossible"):
        aipower.check("patents", country="CN", year=2023, value=value, unit=unit)  # type: ignore[arg-type]


# -- properties over real keys ---------------------------------------------------------------
@functools.cache
def _keys() -> list[tuple[str, str, int]]:
    obs = aipower.table("observations", engine="pyarrow").select(["metric_id", "entity_id", "year"])
    cols = obs.to_pydict()
    return sorted(set(zip(cols["metric_id"], cols["entity_id"], cols["year"], strict=True)))


@functools.cache
def _pairs() -> list[tuple[str, str]]:
    return sorted({(m, e) for m, e, _ in _keys()})


@functools.cache
def _metric_years() -> list[tuple[str, int]]:
    return sorted({(m, y) for m, _, y in _keys()})


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.data())
def test_check_of_the_default_answer_matches(data: st.DataObject) -> None:
    metric_id, entity_id, year = data.draw(st.sampled_from(_keys()))
    obs = aipower.get(metric_id, entity=entity_id, year=year)
    result = aipower.check(metric_id, entity=entity_id, year=year, value=obs.value)
    assert result.verdict == ("matches" if firsthand(obs) else "unverified")
    assert result.answer == obs
    if not firsthand(obs):  # the default is second-hand only where nothing is first-hand
        rows = aipower.get_all(metric_id, entity=entity_id, year=year)
        assert not any(firsthand(o) and o.date == obs.date for o in rows)


@PROPS
@given(st.data())
def test_series_rows_are_what_get_returns(data: st.DataObject) -> None:
    metric_id, entity_id = data.draw(st.sampled_from(_pairs()))
    frame = aipower.series(metric_id, entity=entity_id)
    years = sorted({y for m, e, y in _keys() if (m, e) == (metric_id, entity_id)})
    for year in years:
        obs = aipower.get(metric_id, entity=entity_id, year=year)
        if year in frame.index:
            row = frame.loc[year]
            assert obs.outside_series is None
            assert (obs.value, obs.source_id, obs.vintage) == (
                row["value"],
                row["source_id"],
                row["vintage"],
            )
        else:
            assert obs.outside_series is not None
            assert frame.attrs["outside_series"][year] == f"{obs.source_id} ({obs.vintage})"


@PROPS
@given(st.data())
def test_compare_rows_are_what_get_returns(data: st.DataObject) -> None:
    metric_id, year = data.draw(st.sampled_from(_metric_years()))
    frame = aipower.compare(metric_id, year=year, kind="all")
    for entity_id, row in frame.iterrows():
        obs = aipower.get(metric_id, entity=str(entity_id), year=year)
        assert (obs.value, obs.source_id, obs.vintage) == (
            row["value"],
            row["source_id"],
            row["vintage"],
        )
    assert len(set(zip(frame["source_id"], frame["vintage"], strict=True))) == 1


# -- the rule is stated once, in the same words everywhere ---------------------------------
def _flat(text: str) -> str:
    return " ".join(text.replace("> ", " ").split())


@pytest.mark.parametrize("page", ["README.md", "docs/quickstart.md", "docs/methodology.md"])
def test_docs_quote_the_selection_rule_word_for_word(page: str) -> None:
    from pathlib import Path

    from aipower._query.select import RULE

    root = Path(__file__).resolve().parents[2]
    assert _flat(RULE) in _flat((root / page).read_text(encoding="utf-8"))


def test_describe_quotes_the_selection_rule() -> None:
    from aipower._query.select import RULE

    assert _flat(RULE) in _flat(aipower.describe("publications"))


def test_fast_path_with_an_unhashable_year_that_resolves() -> None:
    # regression (found by the fuzz test): a 0-d numpy array is a valid year for
    # operator.index but cannot be a cache key; the answer must still come back
    import numpy as np

    share = aipower.get_share("patents", entity="CHN", year=np.array(2023), source="aiindex_2025")
    assert float(share) == 0.697
