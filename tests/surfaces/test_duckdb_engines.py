"""aipower.duckdb(): views over the shipped Parquet; DuckDB, Polars and pandas agree."""

from __future__ import annotations

import math
import sys
from typing import Any

import pytest

import aipower
from aipower._spec import TABLES

duckdb = pytest.importorskip("duckdb", reason="duckdb is in the test extra")
pl = pytest.importorskip("polars", reason="polars is in the test extra")


def _norm(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalars
    if isinstance(value, list | tuple):
        return tuple(value)
    return value


def _pandas_rows(name: str, **kw: Any) -> list[tuple[Any, ...]]:
    frame = aipower.table(name, **kw)  # type: ignore[arg-type]
    return [tuple(_norm(v) for v in row) for row in frame.itertuples(index=False, name=None)]


def test_observations_same_rows_in_duckdb_polars_and_pandas() -> None:
    with aipower.duckdb() as con:
        ddb = [tuple(_norm(v) for v in r) for r in con.sql("select * from observations").fetchall()]
        columns = [d[0] for d in con.sql("select * from observations limit 0").description]
    frame = aipower.table("observations", engine="polars")
    polars = [tuple(_norm(v) for v in r) for r in frame.rows()]
    pandas = _pandas_rows("observations")
    assert columns == list(TABLES["observations"].columns)
    assert len(ddb) == aipower.table("observations", engine="pyarrow").num_rows
    assert ddb == polars == pandas


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_is_a_view_with_the_spec_columns(name: str) -> None:
    with aipower.duckdb() as con:
        columns = [d[0] for d in con.sql(f"select * from {name} limit 0").description]
        (count,) = con.execute(f"select count(*) from {name}").fetchone() or (None,)
    assert columns == list(TABLES[name].columns)
    assert count == aipower.table(name, engine="pyarrow").num_rows  # type: ignore[arg-type]


def test_license_filter_matches_table() -> None:
    with aipower.duckdb(license=["CC-BY-4.0"]) as con:
        for name in ("observations", "claims", "sources", "models"):
            (count,) = con.execute(f"select count(*) from {name}").fetchone() or (None,)
            expected = aipower.table(name, engine="pyarrow", license=["CC-BY-4.0"])  # type: ignore[arg-type]
            assert count == expected.num_rows, name


def test_sql_join_gives_units() -> None:
    with aipower.duckdb() as con:
        rows = con.sql(
            "select o.value, m.unit from observations o join metrics m using (metric_id) "
            "where o.metric_id = 'patents_granted_share' and o.entity_id = 'CHN' "
            "and o.year = 2023 and o.source_id = 'aiindex_2025' and o.priority = 0"
        ).fetchall()
    assert rows == [(0.697, "fraction")]


def test_clear_error_without_duckdb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(ImportError, match=r"pip install 'aipower\[duckdb\]'"):
        aipower.duckdb()


def test_bad_license_is_refused() -> None:
    with pytest.raises(ValueError, match=r"CC-BY-4\.0"):
        aipower.duckdb(license="CC-BY")
