"""pandera models of every shipped table, generated from :mod:`aipower._spec`.

Users can validate their own extensions the way the shipped tables are validated:

    >>> import aipower.schemas as s
    >>> metrics = aipower.table("metrics")
    >>> s.Metrics.validate(metrics).shape == metrics.shape
    True
    >>> s.validate_tables({"metrics": metrics, "concepts": aipower.table("concepts")})

Per-table rules (types, nullability, allowed values, ranges, unique keys) live on the
``DataFrameModel`` classes. Rules that need other tables (references exist, shares lie in
[0, 1], exhaustive share groups sum to 1) are checked by :func:`validate_tables`, which raises
the same :class:`pandera.errors.SchemaErrors` with a ``failure_cases`` table.

Importing this module imports pandas and pandera; ``import aipower`` does not.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from aipower._spec import TABLES, Field, TableSpec

#: Shares in an exhaustive group (one that includes "rest of world" or "unknown") must sum to 1
#: within this tolerance: published labels are rounded to 2 decimals of a percent.
SHARE_SUM_TOLERANCE = 0.005
#: Entities whose presence marks a share group as exhaustive.
EXHAUSTIVE_MARKERS = frozenset({"REST_OF_WORLD", "UNKNOWN"})

_FIGURE = re.compile(r"(?:Figure|Fig\.?|Table)\s*\d+(?:\.\d+)*", re.IGNORECASE)


def figure_key(locator: str) -> str:
    """The chart a locator points at (``"Figure 1.1.7"``), or the whole locator if none.

    Share groups are compared per chart, so that ``"Figure 1.1.7, p. 35"`` and
    ``"Figure 1.1.7, p. 35 (narrative p. 35)"`` are one group.

    >>> figure_key("Chapter 1, Figure 1.1.7, p. 35 (narrative p. 35)")
    'figure 1.1.7'
    """
    match = _FIGURE.search(locator)
    if match is None:
        return locator.strip().casefold()
    number = re.search(r"\d+(?:\.\d+)*", match.group(0))
    assert number is not None
    kind = "table" if match.group(0).lower().startswith("table") else "figure"
    return f"{kind} {number.group(0)}"


_PANDAS_TYPES: dict[str, Any] = {
    "str": str,
    "int": "int64",
    "float": "float64",
    "bool": bool,
    "date": object,
    "list[str]": object,
}


def _is_list_of_str(series: pd.Series) -> bool:  # type: ignore[type-arg]
    return bool(
        series.map(lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)).all()
    )


def _is_bool_or_null(series: pd.Series) -> bool:  # type: ignore[type-arg]
    return bool(series.map(lambda v: v is None or isinstance(v, bool)).all())


def _is_finite_or_null(series: pd.Series) -> pd.Series:  # type: ignore[type-arg]
    values = pd.to_numeric(series, errors="coerce")
    return series.isna() | values.between(-float("inf"), float("inf"), inclusive="neither")


def _is_date_or_null(series: pd.Series) -> bool:  # type: ignore[type-arg]
    return bool(series.map(lambda v: v is None or v is pd.NaT or isinstance(v, _dt.date)).all())


#: (dtype, nullable or None for either) -> (check name, error, test): per-cell checks that a
#: pandas dtype annotation alone cannot express
_CELL_CHECKS: dict[tuple[str, bool | None], tuple[str, str, Any]] = {
    ("list[str]", None): ("list_of_str", "every cell is a list of str", _is_list_of_str),
    ("date", None): ("date_or_null", "every cell is a datetime.date or null", _is_date_or_null),
    ("bool", True): ("bool_or_null", "every cell is True, False or null", _is_bool_or_null),
    ("float", None): ("finite", "numbers are finite (no inf)", _is_finite_or_null),
}


def _field(spec: Field) -> Any:
    kwargs: dict[str, Any] = {
        "nullable": spec.nullable,
        "unique": spec.unique,
        "description": spec.description,
        "title": spec.name,
        "coerce": False,
    }
    if spec.pattern is not None:
        kwargs["str_matches"] = spec.pattern
    if spec.isin is not None:
        kwargs["isin"] = list(spec.isin)
    if spec.ge is not None:
        kwargs["ge"] = spec.ge
    if spec.le is not None:
        kwargs["le"] = spec.le
    return pa.Field(**kwargs)


def _model(spec: TableSpec) -> type[pa.DataFrameModel]:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__doc__": f"{spec.title}: {spec.description}"}
    for f in spec.fields:
        ptype: Any = _PANDAS_TYPES[f.dtype]
        if f.nullable and f.dtype == "bool":
            ptype = object
        elif f.nullable and f.dtype == "int":
            ptype = "Int64"
        annotations[f.name] = Series[ptype]
        namespace[f.name] = _field(f)
        rule = _CELL_CHECKS.get((f.dtype, f.nullable)) or _CELL_CHECKS.get((f.dtype, None))
        if rule is not None:
            name, error, test = rule
            namespace[f"_check_{f.name}_{name}"] = pa.check(f.name, name=name, error=error)(
                lambda cls, s, test=test: test(s)
            )
    namespace["__annotations__"] = annotations
    config = type(
        "Config",
        (),
        {
            "name": spec.name,
            "title": spec.title,
            "description": spec.description,
            "strict": True,
            "unique": list(spec.primary_key) if len(spec.primary_key) > 1 else None,
            "metadata": {"primary_key": list(spec.primary_key)},
        },
    )
    namespace["Config"] = config
    class_name = "".join(part.capitalize() for part in spec.name.split("_"))
    return type(class_name, (pa.DataFrameModel,), namespace)


#: table name -> its pandera model, one per table of the spec (the classes below are its values)
TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    name: _model(spec) for name, spec in TABLES.items()
}
Sources = TABLE_MODELS["sources"]
Entities = TABLE_MODELS["entities"]
Metrics = TABLE_MODELS["metrics"]
Concepts = TABLE_MODELS["concepts"]
Observations = TABLE_MODELS["observations"]
Claims = TABLE_MODELS["claims"]
#: the model of the ``models`` table (AI models); not to be confused with :data:`TABLE_MODELS`
Models = TABLE_MODELS["models"]
Clusters = TABLE_MODELS["clusters"]
Accelerators = TABLE_MODELS["accelerators"]


def _reference_schema(
    spec: TableSpec, tables: dict[str, pd.DataFrame]
) -> pa.DataFrameSchema | None:
    columns: dict[str, pa.Column] = {}
    for f in spec.fields:
        if f.references is None:
            continue
        target_table, target_column = f.references.split(".")
        if target_table not in tables:
            continue
        allowed = set(tables[target_table][target_column].dropna().tolist())
        columns[f.name] = pa.Column(
            nullable=True,
            checks=pa.Check(
                lambda s, allowed=allowed: s.isna() | s.isin(allowed),
                error=f"references {f.references}",
            ),
        )
    if spec.name == "entities":
        allowed_members = set(tables["entities"]["entity_id"].tolist())
        columns["members"] = pa.Column(
            checks=pa.Check(
                lambda s: s.map(lambda v: all(m in allowed_members for m in v)),
                error="references entities.entity_id (members)",
            )
        )
    if not columns:
        return None
    return pa.DataFrameSchema(columns, name=f"{spec.name} (references)", strict=False)


def _share_rules(observations: pd.DataFrame, metrics: pd.DataFrame) -> pa.DataFrameSchema:
    share_ids = set(metrics.loc[metrics["kind"] == "share", "metric_id"].tolist())
    count_ids = set(metrics.loc[metrics["kind"].isin(["count", "amount"]), "metric_id"].tolist())

    def shares_in_unit_interval(df: pd.DataFrame) -> pd.Series:  # type: ignore[type-arg]
        is_share = df["metric_id"].isin(share_ids)
        return ~is_share | df["value"].between(0.0, 1.0)

    def counts_not_negative(df: pd.DataFrame) -> pd.Series:  # type: ignore[type-arg]
        return ~df["metric_id"].isin(count_ids) | (df["value"] >= 0)

    def exhaustive_groups_sum_to_one(df: pd.DataFrame) -> pd.Series:  # type: ignore[type-arg]
        ok = pd.Series(True, index=df.index)
        cand = df[df["metric_id"].isin(share_ids) & (df["priority"] == 0)].copy()
        cand["_figure"] = cand["locator"].map(figure_key)
        keys = ["metric_id", "year", "date", "source_id", "vintage", "_figure"]
        for _, group in cand.groupby(keys, dropna=False, sort=False):
            if not EXHAUSTIVE_MARKERS & set(group["entity_id"]):
                continue
            if abs(float(group["value"].sum()) - 1.0) > SHARE_SUM_TOLERANCE:
                ok[group.index] = False
        return ok

    return pa.DataFrameSchema(
        checks=[
            pa.Check(shares_in_unit_interval, error="shares lie in [0, 1]"),
            pa.Check(counts_not_negative, error="counts and amounts are >= 0"),
            pa.Check(
                exhaustive_groups_sum_to_one,
                error=(
                    "exhaustive share groups (same metric/year/source/vintage/figure, including "
                    f"REST_OF_WORLD or UNKNOWN) sum to 1 within {SHARE_SUM_TOLERANCE}"
                ),
            ),
        ],
        name="observations (share rules)",
    )


def validate_tables(tables: dict[str, pd.DataFrame], *, lazy: bool = True) -> None:
    """Validate every given table with its model, then the cross-table rules.

    Raises :class:`pandera.errors.SchemaErrors` (``lazy=True``) or
    :class:`pandera.errors.SchemaError` listing every failure.
    """
    for name, frame in tables.items():
        TABLE_MODELS[name].validate(frame, lazy=lazy)
    for name, frame in tables.items():
        ref = _reference_schema(TABLES[name], tables)
        if ref is not None:
            ref.validate(frame, lazy=lazy)
    if "observations" in tables and "metrics" in tables:
        _share_rules(tables["observations"], tables["metrics"]).validate(
            tables["observations"], lazy=lazy
        )


__all__ = [
    "SHARE_SUM_TOLERANCE",
    "TABLE_MODELS",
    "Accelerators",
    "Claims",
    "Clusters",
    "Concepts",
    "Entities",
    "Metrics",
    "Models",
    "Observations",
    "Sources",
    "validate_tables",
]
