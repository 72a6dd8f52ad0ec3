"""Errors: the documented family, helpful messages, no internal exceptions leaking through."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aipower
from aipower._core.store import default
from aipower._query.resolve import resolve_entity

#: what a caller may see: aipower's own errors, or TypeError/ValueError for bad arguments
DOCUMENTED = (aipower.AipowerError, TypeError, ValueError)


def _shown_chain(exc: BaseException) -> list[BaseException]:
    """The exceptions a printed traceback shows: the error and its displayed causes/contexts."""
    out = [exc]
    while True:
        nxt = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        if nxt is None:
            return out
        out.append(nxt)
        exc = nxt


def assert_clean(exc: BaseException) -> None:
    """In the documented family, and no KeyError / pyarrow / pandas internals in the output."""
    assert isinstance(exc, DOCUMENTED), type(exc)
    assert not isinstance(exc, KeyError)
    chain = _shown_chain(exc)
    leaked = [type(e).__name__ for e in chain[1:]]
    assert leaked == [], f"{type(exc).__name__} is shown with internal exceptions {leaked}"
    text = "".join(traceback.format_exception_only(type(exc), exc))
    for word in ("KeyError", "ArrowInvalid", "pyarrow.lib", "pandas.errors", "Traceback"):
        assert word not in text


# -- unknown names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("patens", "patents"),
        ("PATENS", "patents"),
        ("notable_model", "notable_models"),
        ("publicatons", "publications"),
        ("privte_investment", "private_investment"),
    ],
)
def test_unknown_metric_suggests_the_closest(typo: str, meant: str) -> None:
    with pytest.raises(aipower.UnknownMetricError) as info:
        aipower.get(typo, country="CN", year=2023)
    exc = info.value
    assert isinstance(exc, LookupError)
    assert isinstance(exc, aipower.AipowerError)
    assert "did you mean" in str(exc).casefold()
    assert f"'{meant}'" in str(exc)
    assert_clean(exc)


def test_metric_names_forgive_case_and_whitespace() -> None:
    assert aipower.get(" Patents ", country="CN", year=2022).metric.concept == "patents"
    assert aipower.get_share("PATENTS", country="CN", year=2023).value == 0.697


@pytest.mark.parametrize(
    "call",
    [
        lambda: aipower.get_share("patens", country="CN", year=2023),
        lambda: aipower.get_all("patens", country="CN", year=2023),
        lambda: aipower.series("patens", country="CN"),
        lambda: aipower.compare("patens", year=2023),
        lambda: aipower.check("patens", country="CN", year=2023, value=69.7, unit="percent"),
        lambda: aipower.metric("patens"),
    ],
    ids=["get_share", "get_all", "series", "compare", "check", "metric"],
)
def test_every_entry_point_suggests_metrics(call: Callable[[], Any]) -> None:
    with pytest.raises(aipower.UnknownMetricError, match=r"(?i)did you mean 'patents'") as info:
        call()
    assert_clean(info.value)


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("Chnia", "China"), ("Untied States", "United States"), ("Germnay", "Germany")],
)
def test_misspelt_country_suggests_the_closest(typo: str, meant: str) -> None:
    with pytest.raises(aipower.UnknownEntityError) as info:
        aipower.get("publications", country=typo, year=2022)
    exc = info.value
    assert isinstance(exc, LookupError)
    assert isinstance(exc, aipower.AipowerError)
    assert "did you mean" in str(exc).casefold()
    assert f"'{meant}'" in str(exc)
    assert "country" in str(exc)
    assert_clean(exc)


def test_unknown_entity_names_the_parameter() -> None:
    with pytest.raises(aipower.UnknownEntityError, match="entity"):
        aipower.get("training_gpu_hours", entity="DeepSeek-V9000", year=2024)


def test_unknown_source_suggests() -> None:
    with pytest.raises(aipower.UnknownSourceError, match="aiindex_2025") as info:
        aipower.get("notable_models", country="US", year=2024, source="aiindex_2052")
    assert isinstance(info.value, LookupError)
    assert_clean(info.value)


# -- no data ---------------------------------------------------------------------------------------
def _years(metric_id: str, entity_id: str) -> list[int]:
    obs = aipower.table("observations")
    sel = obs[(obs["metric_id"] == metric_id) & (obs["entity_id"] == entity_id)]
    return sorted(set(sel["year"].tolist()))


def test_no_data_lists_the_available_years() -> None:
    years = _years("patents_granted_share", "CHN")
    assert 2023 in years
    assert len(years) <= 6
    with pytest.raises(aipower.NoDataError) as info:
        aipower.get_share("patents", country="CN", year=1990)
    msg = str(info.value)
    assert isinstance(info.value, LookupError)
    for y in years:
        assert str(y) in msg
    assert "1990" in msg
    assert_clean(info.value)


def test_no_data_long_series_gives_the_span() -> None:
    years = _years("notable_models", "CHN")
    with pytest.raises(aipower.NoDataError) as info:
        aipower.get("notable_models", country="CN", year=1900)
    msg = str(info.value)
    assert str(years[0]) in msg
    assert str(years[-1]) in msg
    assert_clean(info.value)


def test_no_data_for_an_entity_lists_entities_with_data() -> None:
    with pytest.raises(aipower.NoDataError) as info:
        aipower.get_share("patents", country="Namibia", year=2023)
    msg = str(info.value)
    assert "NAM" in msg
    assert "CHN" in msg  # an entity that has data
    assert_clean(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: aipower.get_all("patents", country="CN", year=1990),
        lambda: aipower.check("patents", country="CN", year=1990, value=1),
        lambda: aipower.get("notable_models", country="US", year=2024, vintage="1999-01-01"),
    ],
    ids=["get_all", "check", "vintage"],
)
def test_no_data_everywhere(call: Callable[[], Any]) -> None:
    with pytest.raises(aipower.NoDataError) as info:
        call()
    assert_clean(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: aipower.series("patents_granted_share", country="Namibia"),
        lambda: aipower.compare("notable_models", year=1800),
    ],
    ids=["series", "compare"],
)
def test_no_data_from_tabular_queries_does_not_show_a_keyerror(call: Callable[[], Any]) -> None:
    with pytest.raises(aipower.NoDataError) as info:
        call()
    assert_clean(info.value)


def test_tabular_no_data_is_still_a_nodataerror() -> None:
    """The part of the contract that holds today (type and message)."""
    with pytest.raises(aipower.NoDataError, match="1950"):
        aipower.compare("notable_models", year=1800)
    with pytest.raises(aipower.NoDataError, match="NAM"):
        aipower.series("patents_granted_share", country="Namibia")


# -- wrong types -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"country": "CN", "year": "2023"}, "year"),
        ({"country": "CN", "year": 2023.0}, "year"),
        ({"country": "CN", "year": True}, "year"),
        ({"country": "CN", "year": None}, "year"),
        ({"country": None, "year": 2023}, "country"),
        ({"year": 2023}, "country"),
        ({"country": 156, "year": 2023}, "country"),
        ({"country": ["CN"], "year": 2023}, "country"),
        ({"entity": 5, "year": 2023}, "entity"),
        ({"country": "CN", "year": 2023, "source": 2025}, "source"),
        ({"country": "CN", "year": 2023, "vintage": 2025}, "vintage"),
    ],
)
@pytest.mark.parametrize("fn", ["get", "get_share"])
def test_wrong_types_name_the_parameter(fn: str, kwargs: dict[str, Any], param: str) -> None:
    with pytest.raises(TypeError) as info:
        getattr(aipower, fn)("patents", **kwargs)
    assert param in str(info.value)
    assert_clean(info.value)


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda: aipower.get(None, country="CN", year=2023), "metric"),
        (lambda: aipower.get(b"patents", country="CN", year=2023), "metric"),
        (lambda: aipower.get_all("patents", country="CN", year="2023"), "year"),
        (lambda: aipower.compare("citations", year="2023"), "year"),
        (lambda: aipower.series("citations", country=None), "country"),
        (lambda: aipower.check("patents", country="CN", year=2023, value="69.7"), "value"),
        (lambda: aipower.table(3), "name"),
        (lambda: aipower.table("observations", license=5), "license"),
        (lambda: aipower.claim(6), "claim_id"),
    ],
)
def test_wrong_types_elsewhere(call: Callable[[], Any], param: str) -> None:
    with pytest.raises(TypeError, match=param) as info:
        call()
    assert_clean(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: aipower.get("patents", country="", year=2023),
        lambda: aipower.get("patents", country="CN", entity="USA", year=2023),
        lambda: aipower.get("patents", country="CN", year=-1),
        lambda: aipower.get("x" * 5000, country="CN", year=2023),
        lambda: aipower.table("observation"),
        lambda: aipower.table("observations", engine="numpy"),
        lambda: aipower.check("patents", country="CN", year=2023, value=float("nan")),
        lambda: aipower.check("patents", country="CN", year=2023, value=69.7, unit="points"),
    ],
)
def test_bad_values_raise_valueerror(call: Callable[[], Any]) -> None:
    with pytest.raises(ValueError, match=r"\S") as info:
        call()
    assert_clean(info.value)


# -- share vs count --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("metric", "kw"),
    [
        ("notable_models", {"country": "CN", "year": 2024}),
        ("private_investment", {"country": "US", "year": 2024}),
        ("training_gpu_hours", {"entity": "DeepSeek-V3", "year": 2024}),
        ("cset_articles", {"country": "CN", "year": 2022}),
    ],
)
def test_get_share_on_a_non_share_metric_gives_advice(metric: str, kw: dict[str, Any]) -> None:
    with pytest.raises(aipower.AipowerError) as info:
        aipower.get_share(metric, **kw)
    msg = str(info.value)
    assert "share" in msg
    assert "aipower.get(" in msg
    assert_clean(info.value)
    # and the advice works
    assert aipower.get(metric, **kw).value >= 0


# -- a battery: nothing outside the documented family ----------------------------------------------
BAD_CALLS: list[Callable[[], Any]] = [
    lambda: aipower.get("patents", country="Atlantis", year=2023),
    lambda: aipower.get("patents", country="CN", year=10**40),
    lambda: aipower.get("", country="CN", year=2023),
    lambda: aipower.get("patents", country="   ", year=2023),
    lambda: aipower.get("patents", country="CN", year=2023, source=""),
    lambda: aipower.get_share("arena_gap", entity="US_CHINA", year=1999),
    lambda: aipower.get("notable_models", country="Zz", year=2024),
    lambda: aipower.get("notable_models", entity="\x00", year=2024),
    lambda: aipower.source("nope"),
    lambda: aipower.source("aiindex"),
    lambda: aipower.claim("C99"),
    lambda: aipower.series("patents", country="Atlantis"),
    lambda: aipower.compare("patents", year=2023, source="nope"),
    lambda: aipower.check("patents_granted_share", country="CN", year=2023, value=69.7),
    lambda: aipower.check("notable_models", country="US", year=2024, value=40, unit="percent"),
]


@pytest.mark.parametrize("call", BAD_CALLS)
def test_errors_stay_in_the_documented_family(call: Callable[[], Any]) -> None:
    with pytest.raises(DOCUMENTED) as info:
        call()
    assert_clean(info.value)


# -- property: ISO codes resolve whatever the case and padding -------------------------------------
def _country_codes() -> list[tuple[str, str]]:
    ents = aipower.entities()
    countries = ents[ents["kind"] == "country"]
    pairs = []
    for eid, iso2, iso3 in zip(
        countries["entity_id"], countries["iso2"], countries["iso3"], strict=True
    ):
        pairs += [(iso2, eid), (iso3, eid)]
    return pairs


CODES = _country_codes()
CASES: list[Callable[[str], str]] = [str.lower, str.upper, str.title, str.swapcase, str]
SPACE = st.text(alphabet=" \t\n\u00a0\u2003", max_size=3)


def test_there_are_country_codes() -> None:
    assert len(CODES) >= 2 * 240
    assert all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2,3}", c) for c, _ in CODES)


@settings(max_examples=300, deadline=None, database=None)
@given(pair=st.sampled_from(CODES), case=st.sampled_from(CASES), left=SPACE, right=SPACE)
def test_iso_codes_resolve_regardless_of_case_and_whitespace(
    pair: tuple[str, str], case: Callable[[str], str], left: str, right: str
) -> None:
    code, eid = pair
    text = left + case(code) + right
    assert resolve_entity(default(), text, "country") == eid


@settings(max_examples=50, deadline=None, database=None)
@given(
    pair=st.sampled_from([(c, e) for c, e in CODES if e in {"USA", "CHN", "NAM", "TWN", "KOR"}]),
    case=st.sampled_from(CASES),
    left=SPACE,
    right=SPACE,
)
def test_iso_codes_resolve_through_the_public_api(
    pair: tuple[str, str], case: Callable[[str], str], left: str, right: str
) -> None:
    code, eid = pair
    obs = aipower.get("publications", country=left + case(code) + right, year=2020)
    assert obs.entity_id == eid
