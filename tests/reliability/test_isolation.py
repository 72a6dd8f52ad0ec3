"""What a caller does to a returned frame or list never leaks into later answers, and result
objects are frozen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

import aipower

FRAMES: dict[str, Callable[[], pd.DataFrame]] = {
    "table_observations": lambda: aipower.table("observations"),
    "table_entities": lambda: aipower.table("entities"),
    "table_models": lambda: aipower.table("models"),
    "series": lambda: aipower.series("patents", country="CN"),
    "compare": lambda: aipower.compare("patents", year=2023),
    "metrics": aipower.metrics,
    "sources": aipower.sources,
    "entities": aipower.entities,
    "claims": aipower.claims,
}


def _snapshot(frame: pd.DataFrame) -> tuple[Any, ...]:
    """Everything a later caller could observe: values (incl. list cells), index, attrs."""
    return (
        frame.to_json(orient="split", date_format="iso", default_handler=str),
        list(frame.columns),
        [str(t) for t in frame.dtypes],
        repr(frame.attrs),
    )


def _mutate_everything(frame: pd.DataFrame) -> None:
    """Every ordinary way of changing a frame in place, including shared inner objects."""
    first_col = frame.columns[0]
    for col in frame.columns:
        cell = frame[col].iloc[0]
        if isinstance(cell, list):
            cell.append("MUTATED")  # list cells are Python objects: must not be shared
    for value in frame.attrs.values():
        if isinstance(value, list):
            value.append("MUTATED")
    frame.attrs["metric"] = "MUTATED"
    frame.iloc[0, 0] = frame.iloc[-1, 0]
    numeric = frame.select_dtypes("number").columns
    for col in numeric:
        array = np.asarray(frame[col])
        if array.flags.writeable:
            array[:] = -1
        frame.loc[:, col] = -2
    frame[first_col] = frame[first_col].iloc[::-1].to_numpy()
    frame["added"] = 1
    for col in list(frame.columns[1:3]):
        del frame[col]
    frame.index = [f"row{i}" for i in range(len(frame))]
    frame.columns = [f"{c}_renamed" for c in frame.columns]


@pytest.mark.parametrize("name", list(FRAMES))
def test_mutating_a_returned_frame_does_not_affect_later_calls(name: str) -> None:
    make = FRAMES[name]
    first = make()
    before = _snapshot(first)
    again = make()
    assert _snapshot(again) == before
    _mutate_everything(first)
    assert _snapshot(first) != before  # the mutation did take effect on the caller's copy
    assert _snapshot(make()) == before
    assert _snapshot(again) == before  # an earlier returned copy is independent too


def test_mutating_a_frame_does_not_change_scalar_answers() -> None:
    obs = aipower.table("observations")
    obs["value"] = 0.0
    share = aipower.get_share("patents", country="CN", year=2023)
    assert float(share) == 0.697
    series = aipower.series("patents_granted_share", country="CN", source="aiindex_2025")
    series["value"] = 0.0
    assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
    fresh = aipower.series("patents_granted_share", country="CN", source="aiindex_2025")
    assert fresh.loc[2023, "value"] == 0.697


def test_arrow_tables_are_immutable_and_unchanged() -> None:
    table = aipower.table("observations", engine="pyarrow")
    n = table.num_rows
    assert not hasattr(table, "__setitem__")
    shorter = table.drop_columns(["note"]).slice(0, 5)
    assert shorter.num_rows == 5
    again = aipower.table("observations", engine="pyarrow")
    assert again.num_rows == n
    assert "note" in again.column_names
    assert again.equals(table)


def test_returned_lists_are_independent() -> None:
    rows = aipower.get_all("patents", country="US", year=2023)
    expected = list(rows)
    rows.clear()
    assert aipower.get_all("patents", country="US", year=2023) == expected


def _frozen_results() -> dict[str, Any]:
    share = aipower.get_share("patents", country="CN", year=2023)
    checked = aipower.check("patents", country="CN", year=2023, value=69.7, unit="percent")
    return {
        "Share": share,
        "Observation": aipower.get("notable_models", country="US", year=2024),
        "Source": share.source,
        "Metric": share.metric,
        "Entity": share.entity,
        "Claim": aipower.claim("C1a"),
        "CheckResult": checked,
        "Comparison": checked.comparisons[0],
    }


@pytest.mark.parametrize("kind", list(_frozen_results()))
def test_results_are_frozen(kind: str) -> None:
    result = _frozen_results()[kind]
    assert type(result).__name__ == kind
    fields = attrs.fields(type(result))
    assert fields
    for field in fields:
        before = getattr(result, field.name)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(result, field.name, None)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(result, field.name)
        assert getattr(result, field.name) == before
    with pytest.raises((attrs.exceptions.FrozenInstanceError, AttributeError)):
        result.brand_new_attribute = 1


def test_result_containers_are_immutable() -> None:
    share = aipower.get_share("patents", country="CN", year=2023)
    assert isinstance(share.entity.aliases, tuple)
    assert isinstance(share.entity.members, tuple)
    claim = aipower.claim("C1a")
    assert isinstance(claim.observations, tuple)
    checked = aipower.check("patents", country="CN", year=2023, value=69.7, unit="percent")
    assert isinstance(checked.comparisons, tuple)
    assert isinstance(checked.related, tuple)
    europe = aipower.get_share("citations", entity="EUROPE_UNSD", year=2023).entity
    assert isinstance(europe.members, tuple)
    assert "DEU" in europe.members
