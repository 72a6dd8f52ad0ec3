"""Tabular answers: ``series`` and ``compare``, and their pandas-free row selections.

``series_rows`` and ``compare_rows`` choose the rows (a :class:`Selection`, no pandas; the
CLI prints these); ``series`` and ``compare`` build a DataFrame from a selection in one step
(one list per column, the index given up front) and import pandas only then.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from aipower._core.store import Store, default
from aipower._query.resolve import Query, check_str, resolve
from aipower._query.scalar import answer, describe_available, pair_rows, plan_for, policy, span
from aipower._query.select import answer_at, cross_section, release_label
from aipower.errors import NoDataError, suggest
from aipower.results import Observation

if TYPE_CHECKING:
    import pandas as pd

EntityKind = Literal["country", "aggregate", "organisation", "sector", "model", "pair", "all"]


@attrs.frozen
class Selection:
    """The rows a tabular query chose, in order, with its selection notes; pandas-free.

    ``series`` and ``compare`` build their DataFrames from it (``notes`` become
    ``frame.attrs``); the CLI prints it directly, without importing pandas. Cached: treat it
    as read-only.
    """

    key: tuple[Any, ...]
    rows: tuple[Observation, ...]
    index: str  # "year", "date" or "entity"
    notes: dict[str, Any]  # become frame.attrs


#: the columns of a series/compare frame after its index, in order (from Observation fields)
SERIES_COLUMNS = (
    "value",
    "unit",
    "metric_id",
    "entity_id",
    "source_id",
    "vintage",
    "status",
    "locator",
    "priority",
    "date",
)


def _copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy the caller may mutate without touching the cached frame.

    With pandas' copy-on-write (always on from pandas 3) a shallow copy is enough and about
    twice as fast; older pandas gets a deep copy.
    """
    import pandas as pd

    cow = int(pd.__version__.split(".", 1)[0]) >= 3 or bool(pd.get_option("mode.copy_on_write"))
    out = frame.copy(deep=not cow)
    out.attrs = copy.deepcopy(frame.attrs)
    return out


def _frame(rows: Sequence[Observation], index: str, extra: dict[str, list[Any]]) -> pd.DataFrame:
    """The frame of a selection, built in one step: one list per column, the index given.

    ``index`` is ``year``, ``date`` (then ``year`` is the first column) or ``entity`` (the
    entity ids); ``extra`` columns (``name``, ``entity_kind``) come right after ``value``. A
    frame of yearly values has no ``date`` column (issue 16).
    """
    import pandas as pd

    data: dict[str, list[Any]] = {}
    if index == "date":
        data["year"] = [o.year for o in rows]
    data["value"] = [o.value for o in rows]
    data.update(extra)
    for name in SERIES_COLUMNS[1:]:
        if name != "date" or index != "date":
            data[name] = [getattr(o, name) for o in rows]
    if index != "date" and all(d is None for d in data["date"]):
        del data["date"]  # no sub-year values: no column of None (issue 16)
    labels = {"year": "year", "date": "date", "entity": "entity_id"}[index]
    keys = pd.Series([getattr(o, labels) for o in rows])
    return pd.DataFrame(_typed_text(data), index=_index(keys, index))


def _index(keys: pd.Series, name: str) -> pd.Index:
    """The index ``set_index(name)`` would make of a column holding ``keys``.

    The same function pandas' ``set_index`` calls, so the index is the same (pandas 3 makes
    consecutive years a ``RangeIndex``), without building the column and dropping it again.
    """
    import pandas as pd
    from pandas.core.indexes import base

    make = getattr(base, "ensure_index_from_sequences", None)  # not in pandas-stubs
    if make is None:  # pragma: no cover - a pandas that moved it: the long way
        return pd.DataFrame({name: keys}).set_index(name).index
    index: pd.Index = make([keys], [name])
    return index


def _typed_text(data: dict[str, list[Any]]) -> dict[str, Any]:
    """The text columns as arrays of the dtype pandas infers for text, inferred only once.

    Inferring a text column's dtype is most of the cost of building a small frame. Every
    column of only ``str`` values infers the same dtype (``str`` in pandas 3, ``object``
    before), so the first such column is inferred as usual and the others are built with its
    dtype: the same frame, about twice as fast. With ``object`` text (older pandas) the lists
    are left to the frame constructor, as before.
    """
    import pandas as pd

    out: dict[str, Any] = dict(data)
    dtype: Any = None
    for name, values in data.items():
        if not values or not all(type(v) is str for v in values):
            continue
        if dtype is None:
            first = pd.Series(values).array
            dtype = first.dtype
            if pd.api.types.is_object_dtype(dtype):
                return out
            out[name] = first
        else:
            out[name] = pd.array(values, dtype=dtype)
    return out


def series(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    source: str | None = None,
    vintage: str | None = None,
    by: Literal["year", "date"] = "year",
) -> pd.DataFrame:
    """Year-indexed DataFrame of ``metric`` for one entity, one row per year.

    ``by="date"`` indexes sub-year data (e.g. the monthly Epoch Capabilities Index gap) by date,
    one row per date, instead of keeping the last date of each year.

    Each year's row is exactly what :func:`get` returns for that year (the one selection rule,
    ``docs/methodology.md``). A series never joins what cannot be joined: it keeps to one
    source family and, within it, to one release of a dataset (a new vintage of a dataset,
    which revises the same years, replaces the old one rather than being spliced to it), while
    report editions fill the years one by one. Years whose answer comes from outside the
    series are left out and named in ``frame.attrs["outside_series"]`` (year -> release);
    ``frame.attrs["releases"]`` lists the releases used, ``frame.attrs["not_joined"]`` the
    others and ``frame.attrs["incomplete"]`` the periods the producer flags as not complete.
    Pass ``source=``/``vintage=`` for one source or release. The frame is a copy: mutate it
    freely.

    Example:
        >>> aipower.series("notable_models", country="CN")["source_id"].to_dict()
        {2023: 'aiindex_2024', 2024: 'aiindex_2025', 2025: 'aiindex_2026'}
    """
    store = default()
    sel = series_rows(metric, country=country, entity=entity, source=source, vintage=vintage, by=by)

    def make() -> pd.DataFrame:
        frame = _frame(sel.rows, sel.index, {})
        frame.attrs.update(sel.notes)  # _copy deep-copies attrs on every return
        return frame

    return _copy(store.cached(("series-frame", sel.key), make))


def series_rows(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    source: str | None = None,
    vintage: str | None = None,
    by: Literal["year", "date"] = "year",
) -> Selection:
    """The rows and selection notes of :func:`series`, without pandas (the CLI prints these)."""
    store = default()
    q = resolve(
        store, metric, country=country, entity=entity, source=source, vintage=vintage,
        need_year=False,
    )  # fmt: skip
    if by not in ("year", "date"):
        raise ValueError(f"by must be 'year' or 'date', not {by!r:.60}")
    key = ("series", q, by)
    return store.cached(key, lambda: _series_selection(store, q, by, key))


def _series_selection(
    store: Store, q: Query, by: Literal["year", "date"], key: tuple[Any, ...]
) -> Selection:
    m, eid = q.metric, q.entity_id
    assert eid is not None
    rows = pair_rows(store, q)
    if not rows:
        raise NoDataError(
            f"no {m.metric_id} data for {eid}"
            + (f" (source={q.source!r}, vintage={q.vintage!r})" if q.restricted else "")
            + f". Available: {describe_available(store, m, eid, ())}."
        )
    if by == "date" and all(o.date is None for o in rows):
        raise NoDataError(f"{m.metric_id} for {eid} has no dated (sub-year) values; use by='year'")
    p = plan_for(store, q, by)
    chosen = p.series()
    chosen.sort(key=lambda o: (o.year, o.date or dt.date.min))
    notes: dict[str, Any] = {
        "metric": m.metric_id,
        "vintages": sorted({o.vintage for o in chosen}),
        "releases": sorted({f"{o.source_id} ({o.vintage})" for o in chosen}),
        "not_joined": [release_label(r) for r in p.not_joined],
        "outside_series": {
            period: f"{o.source_id} ({o.vintage})"
            for period, o in p.answers.items()
            if o.outside_series is not None
        },
        "incomplete": [
            o.date if by == "date" else o.year for o in chosen if o.status == "incomplete"
        ],
    }
    return Selection(key, tuple(chosen), "date" if by == "date" else "year", notes)


def _kind_arg(store: Store, kind: object) -> str | None:
    """``kind=`` of compare: an entity kind, or "all"/None for every kind."""
    if kind is None:
        return None
    text = check_str(kind, "kind")
    assert text is not None
    store.load_indexes()
    kinds = sorted({e.kind for e in store.entities.values()})
    if text == "all":
        return None
    if text not in kinds:
        raise ValueError(
            f"kind must be one of {', '.join(repr(k) for k in [*kinds, 'all'])} or None, "
            f"not {text!r}.{suggest(text, kinds)}"
        )
    return text


def compare(
    metric: str,
    *,
    year: int,
    kind: EntityKind | None = "country",
    source: str | None = None,
    vintage: str | None = None,
) -> pd.DataFrame:
    """Entity-indexed DataFrame of ``metric`` in ``year``, largest value first.

    ``kind="country"`` (the default) keeps countries; ``kind="aggregate"`` (``EU27``,
    ``WORLD``, ...), ``"organisation"`` or another entity kind keeps that kind, and
    ``kind="all"`` (or ``None``) every kind; the ``entity_kind`` column tells them apart.

    Each row is exactly what :func:`get` returns for that entity and year, and all rows come
    from one release, so the entities are comparable: the best-ranked release among the
    entities' answers (``frame.attrs["release"]``). Entities answered from another release
    are left out and named in ``frame.attrs["other_release"]``; newer releases of the same
    family with data for the year (e.g. a later report edition restating one country's
    value) are named in ``frame.attrs["passed_over"]``. Pass ``source=``/``vintage=`` for
    another release. The frame is a copy.

    Example:
        >>> float(aipower.compare("notable_models", year=2024).loc["USA", "value"])
        40.0
    """
    store = default()
    sel = compare_rows(metric, year=year, kind=kind, source=source, vintage=vintage)

    def make() -> pd.DataFrame:
        rows = sel.rows
        extra = {
            "name": [o.entity.name for o in rows],
            "entity_kind": [o.entity.kind for o in rows],
        }
        frame = _frame(rows, "entity", extra)
        frame.attrs.update(sel.notes)  # _copy deep-copies attrs on every return
        return frame

    return _copy(store.cached(("compare-frame", sel.key), make))


def compare_rows(
    metric: str,
    *,
    year: int,
    kind: EntityKind | None = "country",
    source: str | None = None,
    vintage: str | None = None,
) -> Selection:
    """The rows and selection notes of :func:`compare`, without pandas (the CLI prints these)."""
    store = default()
    q = resolve(store, metric, source=source, vintage=vintage, need_entity=False, year=year)
    knd = _kind_arg(store, kind)
    key = ("compare", q, knd)
    return store.cached(key, lambda: _compare_selection(store, q, knd, key))


def _entity_answer(store: Store, eq: Query) -> Observation:
    """``answer(store, eq)``, choosing only ``eq``'s year if the entity's plan is not cached.

    The same answer either way (``select.answer_at`` is the plan's choice for one year); it is
    remembered as ``answer`` would remember it.
    """
    assert eq.entity_id is not None
    assert eq.year is not None
    plan_key = ("plan", eq.metric.metric_id, eq.entity_id, eq.source, eq.vintage, "year")
    if ("get", eq) in store._cache or plan_key in store._cache:
        return answer(store, eq)
    result = answer_at(pair_rows(store, eq), policy(store, eq.metric), eq.year)
    if result is None:  # pragma: no cover - the caller saw a row of this year
        return answer(store, eq)
    store._cache[("get", eq)] = result
    return result


def _compare_selection(store: Store, q: Query, knd: str | None, key: tuple[Any, ...]) -> Selection:
    m, y = q.metric, q.year
    assert y is not None
    answers: dict[str, Observation] = {}
    readings: list[Observation] = []
    store.load_pairs(m.metric_id)  # a cross-section touches every pair: decode them at once
    for eid in store.entities_with(m.metric_id):
        if knd is not None and store.entities[eid].kind != knd:
            continue
        eq = Query(m, eid, y, q.source, q.vintage)
        mine = [o for o in store.pair_rows(m.metric_id, eid) if o.year == y and eq.keep(o)]
        if not mine:
            continue
        readings += mine
        answers[eid] = _entity_answer(store, eq)
    cs = cross_section(answers, readings, policy(store, m))
    if not cs.rows:
        raise NoDataError(_no_cross_section(store, q, knd))
    chosen = sorted(cs.rows, key=lambda o: (-o.value, o.entity_id))
    notes: dict[str, Any] = {
        "metric": m.metric_id,
        "release": f"{chosen[0].source_id} ({chosen[0].vintage})",
        "passed_over": [release_label(r) for r in cs.passed_over],
        "other_release": {e: release_label(r) for e, r in cs.other_release.items()},
        "outside_series": [o.entity_id for o in chosen if o.outside_series],
    }
    return Selection(key, tuple(chosen), "entity", notes)


def _no_cross_section(store: Store, q: Query, knd: str | None) -> str:
    """The message of a compare with no rows: the years and entity kinds with data."""
    m, y = q.metric, q.year
    ents = store.entities_with(m.metric_id)
    years = sorted({o.year for e in ents for o in store.pair_rows(m.metric_id, e)})
    kinds = sorted({store.entities[e].kind for e in ents})
    return (
        f"no {m.metric_id} data for {y}"
        + (f" (kind={knd!r})" if knd else "")
        + (f" (source={q.source!r}, vintage={q.vintage!r})" if q.restricted else "")
        + f". Years with data: {span(years) if years else 'none'}"
        + (
            f"; entity kinds with data: {', '.join(kinds)} (pass kind=...)"
            if knd is not None and knd not in kinds
            else ""
        )
        + "."
    )
