"""The query API: ``get``, ``get_share``, ``get_all``, ``series``, ``compare`` and friends.

One import point for the query functions, split by job into :mod:`~aipower._query.scalar`
(scalar answers and the warm fast path; pure Python), :mod:`~aipower._query.frames`
(``series``/``compare`` and their pandas-free row selections) and
:mod:`~aipower._query.listing` (tables and listings). Scalar lookups use only pyarrow and plain
Python; tabular results import pandas when they are called.
"""

from __future__ import annotations

from aipower._query.frames import (
    EntityKind,
    Selection,
    compare,
    compare_rows,
    series,
    series_rows,
)
from aipower._query.listing import Engine, entities, metric, metrics, source, sources, table
from aipower._query.scalar import answer, get, get_all, get_share, plan_for, policy

__all__ = [
    "Engine",
    "EntityKind",
    "Selection",
    "answer",
    "compare",
    "compare_rows",
    "entities",
    "get",
    "get_all",
    "get_share",
    "metric",
    "metrics",
    "plan_for",
    "policy",
    "series",
    "series_rows",
    "source",
    "sources",
    "table",
]
