"""The curated input columns come from the table spec (``aipower._spec``), not a second list."""

from __future__ import annotations

import pytest

from aipower._spec import TABLES
from aipower_build.curated import COLUMNS, INPUTS


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_every_table_column_is_curated_or_computed(kind: str) -> None:
    spec = INPUTS[kind]
    required, optional = COLUMNS[kind]
    curated = set(required) | set(optional)
    assert set(TABLES[kind].columns) == (curated - set(spec.inputs)) | set(spec.computed)
    assert not set(spec.computed) & curated


def test_sources_and_metrics_files_are_the_table_columns() -> None:
    for kind in ("sources", "metrics", "concepts"):
        required, optional = COLUMNS[kind]
        assert sorted(required + optional) == sorted(TABLES[kind].columns)


def test_observation_files_give_printed_not_value() -> None:
    required, optional = COLUMNS["observations"]
    assert {"printed", "printed_unit"} <= set(required)
    assert "value" not in required + optional
    assert "priority" in optional
