"""Issue 16, notebook and Python objects: shares and observations work as numbers, dir() is
clean, frames use one string dtype and no column of None, and suggestions help."""

from __future__ import annotations

import datetime as dt
import math
import operator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import aipower


@pytest.fixture(scope="module")
def share() -> aipower.Share:
    return aipower.get_share("patents", country="CN", year=2023)


@pytest.fixture(scope="module")
def obs() -> aipower.Observation:
    return aipower.get("notable_models", country="US", year=2024)


def test_share_formats_and_computes_like_its_value(share: aipower.Share) -> None:
    assert f"{share:.1%}" == "69.7%"
    assert f"{share:.3f}" == "0.697"
    assert share * 100 == pytest.approx(69.7)
    assert 100 * share == pytest.approx(69.7)
    assert round(share, 2) == 0.7
    assert share > 0.5
    assert share >= 0.697
    assert share < 1
    assert not share <= 0.5
    assert 1 - share == pytest.approx(0.303)
    assert share / 2 == pytest.approx(0.3485)
    assert abs(-share) == 0.697
    assert share.locator.startswith("Chapter 1, Figure 1.2.3, p. 44")  # provenance stays
    assert share.source.title == "Artificial Intelligence Index Report 2025"
    assert f"{share}" == repr(share)  # no format spec: the sourced repr


def test_observation_int_and_sum(obs: aipower.Observation) -> None:
    assert int(obs) == 40
    assert f"{obs:,.0f}" == "40"
    assert sum([obs, obs]) == 80.0
    assert obs + obs == 80.0
    assert obs - 1 == 39.0
    assert obs**2 == 1600.0
    assert round(obs) == 40
    assert np.float64(2) * obs == 80.0
    assert sorted([obs, 39.5, 41]) == [39.5, obs, 41]


@pytest.mark.parametrize(
    "op",
    [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.pow],
)
def test_arithmetic_returns_plain_floats(share: aipower.Share, op: Any) -> None:
    for result in (op(share, 2), op(2, share), op(share, share)):
        assert type(result) is float


def test_equality_stays_object_equality(share: aipower.Share) -> None:
    """``==`` compares observations (hashable, usable in sets); numbers via float()."""
    assert share == aipower.get_share("patents", country="CN", year=2023)
    assert share != 0.697
    assert float(share) == 0.697
    assert len({share, aipower.get_share("patents", country="CN", year=2023)}) == 1


def test_unsupported_operands_raise_type_error(share: aipower.Share) -> None:
    with pytest.raises(TypeError):
        share + "x"  # type: ignore[operator]
    with pytest.raises(TypeError):
        share < "x"  # type: ignore[operator]  # noqa: B015


@given(x=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_comparisons_agree_with_the_value(x: float) -> None:
    s = aipower.get_share("patents", country="CN", year=2023)
    assert (s < x) == (x > 0.697)
    assert (s > x) == (x < 0.697)
    assert s + x == 0.697 + x
    assert math.isclose(s * x, 0.697 * x)


def test_dir_lists_each_public_name_once() -> None:
    names = dir(aipower)
    assert len(names) == len(set(names))
    assert names == sorted(aipower.__all__)
    for private in ("Any", "TYPE_CHECKING", "annotations", "importlib", "errors", "_LAZY"):
        assert private not in names
    aipower.get_share("patents", country="CN", year=2023)  # names resolved since: still once
    assert dir(aipower) == names


FRAMES = {
    "observations": lambda: aipower.table("observations"),
    "sources": aipower.sources,
    "entities": aipower.entities,
    "claims": aipower.claims,
    "models": lambda: aipower.table("models"),
    "series": lambda: aipower.series("publications", country="CN"),
    "compare": lambda: aipower.compare("citations_share", year=2023),
}


@pytest.mark.parametrize("name", FRAMES)
def test_frames_use_one_string_dtype(name: str) -> None:
    frame = FRAMES[name]()
    expected = pd.Series(["x"]).dtype  # pandas' default string dtype (str from pandas 3)
    text = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, str)).any()]
    assert text
    for column in text:
        if frame[column].map(lambda v: isinstance(v, list)).any():
            continue
        assert frame[column].dtype == expected, (name, column, frame[column].dtype)


def test_nullable_text_columns_share_the_dtype_regression() -> None:
    """Regression: nullable text columns (sources.url, claims.metric_id) were ``object``."""
    sources, claims = aipower.sources(), aipower.claims()
    assert sources["url"].dtype == sources["source_id"].dtype
    assert claims["metric_id"].dtype == claims["claim_id"].dtype
    assert claims["metric_id"].isna().any()


@pytest.mark.parametrize(
    "make",
    [
        lambda: aipower.series("publications", country="CN"),
        lambda: aipower.compare("citations_share", year=2023),
    ],
)
def test_no_date_column_of_none(make: Any) -> None:
    frame = make()
    assert "date" not in frame.columns
    assert not any(frame[c].isna().all() for c in frame.columns)


def test_date_columns_hold_dates() -> None:
    obs = aipower.table("observations")
    dates = obs["date"].dropna()
    assert len(dates) > 0
    assert all(type(d) is dt.date for d in dates)
    monthly = aipower.series("eci_gap_us_china", entity="US_CHINA", by="date")
    assert all(type(d) is dt.date for d in monthly.index)


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: aipower.get("talent", country="CN", year=2022), "'researchers'"),
        (
            lambda: aipower.get("gpu hours", entity="DeepSeek-V3", year=2024),
            "Did you mean 'training_gpu_hours'",
        ),
        (
            lambda: aipower.get("notable_models", country="US", year=2024, source="epoch"),
            "'epoch_ai_models'",
        ),
        (
            lambda: aipower.get_share("notable_models", country="US", year=2024),
            "is a metric of kind 'count', not a share",
        ),
        (lambda: aipower.get("patens", country="CN", year=2023), "Did you mean 'patents'"),
    ],
)
def test_suggestions_that_help(call: Any, needle: str) -> None:
    with pytest.raises(aipower.AipowerError) as info:
        call()
    assert needle in str(info.value)


def test_get_share_on_a_non_share_metric_does_not_say_unknown() -> None:
    with pytest.raises(aipower.UnknownMetricError) as info:
        aipower.get_share("training_gpu_hours", entity="DeepSeek-V3", year=2024)
    assert "unknown metric" not in str(info.value)
    assert "not a share" in str(info.value)


@pytest.mark.parametrize("claim_id", ["c6a", "C6A", " c6A "])
def test_claim_ids_are_case_insensitive(claim_id: str) -> None:
    assert aipower.claim(claim_id).claim_id == "C6a"


def test_plot_series_with_no_countries_is_a_clear_value_error() -> None:
    pytest.importorskip("matplotlib")
    import aipower.plot

    with pytest.raises(ValueError, match="countries is empty"):
        aipower.plot.series("publications", countries=[])
