"""Conversions between the spec, Arrow and pandas (imported lazily, never by ``import aipower``)."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from aipower._spec import TABLES, Field, TableSpec

if TYPE_CHECKING:
    import pandas as pd

_ARROW_TYPES: dict[str, pa.DataType] = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "list[str]": pa.list_(pa.string()),
}


def arrow_schema(spec: TableSpec) -> pa.Schema:
    """Arrow schema of a table, with each field's description as field metadata."""
    fields = [
        pa.field(
            f.name,
            _ARROW_TYPES[f.dtype],
            nullable=f.nullable or f.dtype == "list[str]",
            metadata={"description": f.description, **({"unit": f.unit} if f.unit else {})},
        )
        for f in spec.fields
    ]
    return pa.schema(fields, metadata={"table": spec.name, "description": spec.description})


def _missing(value: Any) -> bool:
    """Whether a cell is missing: None, pandas' NA or NaT, or a float NaN."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, float) and math.isnan(value)


def _date(value: Any) -> dt.date | None:
    """A date cell as ``datetime.date`` (datetimes keep their date; text is ISO)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is getattr(value, "NaT", object()):
        return None
    text = str(value)
    if text in ("", "NaT"):
        return None
    return dt.date.fromisoformat(text[:10])


#: how a present cell of each spec dtype is converted (a mapping table, not an if-chain)
_CONVERT: dict[str, Any] = {
    "list[str]": lambda value: [str(v) for v in value],
    "date": _date,
    "int": int,
    "float": float,
    "bool": bool,
}


def _clean(value: Any, field: Field) -> Any:
    """A frame cell as the Python value Arrow expects for ``field``'s dtype (None if missing)."""
    if _missing(value):
        return None
    return _CONVERT.get(field.dtype, str)(value)


def frame_to_arrow(frame: pd.DataFrame, name: str) -> pa.Table:
    """Convert a frame to an Arrow table with exactly the spec's columns and types."""
    spec = TABLES[name]
    arrays = []
    for f in spec.fields:
        values = [_clean(v, f) for v in frame[f.name].tolist()]
        arrays.append(pa.array(values, type=_ARROW_TYPES[f.dtype]))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(spec))


def arrow_to_frame(table: pa.Table, name: str) -> pd.DataFrame:
    """Convert a shipped Arrow table to pandas: lists as ``list``, dates as ``datetime.date``."""
    spec = TABLES[name]
    frame = table.to_pandas(date_as_object=True)
    for f in spec.fields:
        if f.dtype == "list[str]":
            frame[f.name] = [list(v) if v is not None else [] for v in table[f.name].to_pylist()]
        elif f.dtype == "date" or (f.dtype == "bool" and f.nullable):
            frame[f.name] = pd_object(table[f.name].to_pylist())
        elif f.dtype == "int" and f.nullable:
            frame[f.name] = frame[f.name].astype("Int64")
        elif f.dtype == "str" and f.nullable:
            frame[f.name] = pd_object(table[f.name].to_pylist())
    return frame


def pd_object(values: list[Any]) -> Any:
    import pandas as pd

    return pd.Series(values, dtype=object)


def public_frame(table: pa.Table, name: str) -> pd.DataFrame:
    """The frame ``aipower.table()`` returns: like :func:`arrow_to_frame`, text of one dtype.

    Every text column has one dtype (pandas' ``str`` from pandas 3, ``object`` before),
    nullable or not, with missing text as the dtype's missing value. Dates stay
    ``datetime.date`` (or None).
    """
    import pandas as pd

    frame = arrow_to_frame(table, name)
    if int(pd.__version__.split(".", 1)[0]) < 3:
        return frame  # every text column is already ``object``
    for f in TABLES[name].fields:
        if f.dtype == "str" and frame[f.name].dtype == object:
            frame[f.name] = frame[f.name].astype("str")
    return frame
