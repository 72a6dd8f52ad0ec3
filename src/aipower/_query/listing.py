"""Listings: ``metric``, ``source``, ``table`` and the ``metrics``/``sources``/``entities`` frames.

The tables are shipped Arrow tables, converted on the way out (pandas by default, imported
only then; pyarrow and polars on request), optionally filtered by licence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from aipower._core.licenses import license_arg, license_column
from aipower._core.store import Store, default
from aipower._query.resolve import check_str, resolve, source_arg
from aipower._spec import TABLES, TableName
from aipower.errors import UnknownSourceError, suggest
from aipower.results import Metric, Source

if TYPE_CHECKING:
    import pandas as pd

Engine = Literal["pandas", "pyarrow", "polars"]


def metric(metric_id: str) -> Metric:
    """The :class:`Metric` for a metric id or concept word."""
    return resolve(default(), metric_id, need_entity=False, need_year=False).metric


def source(source_id: str) -> Source:
    """The :class:`Source` with this id."""
    store = default()
    check_str(source_id, "source_id")
    sid = source_arg(store, source_id)
    assert sid is not None
    if sid not in store.sources:
        raise UnknownSourceError(
            f"{sid!r} is a source family, not a source id; see aipower.sources()"
        )
    return store.sources[sid]


def table(
    name: TableName,
    *,
    engine: Engine = "pandas",
    license: Sequence[str] | str | None = None,
) -> Any:
    """A copy of a shipped table as a pandas DataFrame (default), pyarrow Table or polars DataFrame.

    ``license=`` keeps only rows whose source has one of the given licence ids (e.g.
    ``license=["CC-BY-4.0"]`` leaves out non-commercial and no-derivatives sources).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    if name not in TABLES:
        raise ValueError(
            f"unknown table {name!r}.{suggest(name, TABLES)} Tables: {', '.join(TABLES)}"
        )
    if not isinstance(engine, str) or engine not in ("pandas", "pyarrow", "polars"):
        # the type test first: `in` on a numpy array compares element by element
        raise ValueError(f"engine must be 'pandas', 'pyarrow' or 'polars', not {engine!r:.60}")
    checked = license_arg(license)
    licenses = set(checked) if checked is not None else None
    store = default()
    arrow = store.shipped_table(name)
    if licenses is not None:
        arrow = _filter_license(store, arrow, name, licenses)
    if engine == "pyarrow":
        return arrow  # Arrow tables are immutable: safe to share
    if engine == "polars":
        try:
            import polars as pl
        except ImportError as exc:
            raise ImportError(
                "engine='polars' needs polars: pip install 'aipower[polars]'"
            ) from exc
        return pl.from_arrow(arrow)
    from aipower._core.arrow import public_frame

    return public_frame(arrow, name)


def _filter_license(store: Store, arrow: Any, name: str, licenses: set[str]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    column = license_column(name)
    if column is None:
        return arrow
    store.load_indexes()
    keep = [s.source_id for s in store.sources.values() if s.license in licenses]
    mask = pc.is_in(arrow.column(column), value_set=pa.array(keep, type=pa.string()))
    return arrow.filter(mask)


def metrics() -> pd.DataFrame:
    """All metrics (a copy)."""
    frame: pd.DataFrame = table("metrics")
    return frame


def sources() -> pd.DataFrame:
    """All sources with licences (a copy)."""
    frame: pd.DataFrame = table("sources")
    return frame


def entities() -> pd.DataFrame:
    """All entities with ISO codes, aliases and members (a copy)."""
    frame: pd.DataFrame = table("entities")
    return frame
