"""The query API: ``get``, ``get_share``, ``get_all``, ``series``, ``compare`` and friends.

Scalar lookups (``get``, ``get_share``, ``get_all``) use only pyarrow and plain Python;
tabular results import pandas when they are called.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from aipower._core.licenses import check_license_arg
from aipower._core.store import Store, default
from aipower._query.resolve import Query, check_str, resolve, source_arg
from aipower._query.select import (
    By,
    Plan,
    Policy,
    cross_section,
    others,
    plan,
    release_label,
    restatements,
)
from aipower._spec import TABLES, TableName
from aipower.errors import NoDataError, UnknownMetricError, UnknownSourceError, suggest
from aipower.results import Metric, Observation, Share, Source

if TYPE_CHECKING:
    import pandas as pd

Engine = Literal["pandas", "pyarrow", "polars"]
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


# -- the selection policy, per metric and entity (decisions are in aipower._query.select) ---------
def policy(store: Store, metric: Metric) -> Policy:
    """The selection policy's view of one metric: default family and restatements."""

    def make() -> Policy:
        default_src = store.sources.get(metric.default_source_id)
        family = default_src.family if default_src is not None else metric.default_source_id
        counts = store.release_entity_counts(metric.metric_id)
        return Policy(family, restatements(counts))

    return store.cached(("policy", metric.metric_id), make)


def plan_for(store: Store, q: Query, by: By = "year") -> Plan:
    """The answers for ``q.metric`` and ``q.entity_id``, period by period (cached)."""
    assert q.entity_id is not None
    key = ("plan", q.metric.metric_id, q.entity_id, q.source, q.vintage, by)

    def make() -> Plan:
        assert q.entity_id is not None
        rows = [o for o in store.pair_rows(q.metric.metric_id, q.entity_id) if q.keep(o)]
        return plan(rows, policy(store, q.metric), by)

    return store.cached(key, make)


def answer(store: Store, q: Query) -> Observation:
    """The default answer to ``q`` (what ``get`` returns), or a NoDataError saying what exists."""
    key = ("get", q)
    hit = store._cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    assert q.entity_id is not None
    assert q.year is not None
    result = plan_for(store, q).answers.get(q.year)
    if result is None:
        raise NoDataError(_no_value(store, q))
    store._cache[key] = result
    return result


def _no_value(store: Store, q: Query) -> str:
    assert q.entity_id is not None
    m, eid, year = q.metric, q.entity_id, q.year
    rows = store.pair_rows(m.metric_id, eid)
    what = f"{m.metric_id} for {eid} in {year}"
    if q.restricted:
        what += f" (source={q.source!r}, vintage={q.vintage!r})"
        in_year = [o for o in rows if o.year == year]
        if in_year:
            releases = sorted({f"{o.source_id} (vintage {o.vintage})" for o in in_year})
            return f"no value for {what}. Releases with a value for {year}: {', '.join(releases)}."
    return f"no value for {what}. Available: {_describe_available(store, m, eid, rows)}."


def _describe_available(
    store: Store, metric: Metric, entity_id: str, rows: Sequence[Observation]
) -> str:
    if rows:
        years = sorted({o.year for o in rows})
        srcs = sorted({f"{o.source_id} ({o.vintage})" for o in rows})
        return f"{metric.metric_id} for {entity_id} has years {_span(years)} from {', '.join(srcs)}"
    ents = store.entities_with(metric.metric_id)
    shown = ", ".join(sorted(ents)[:12]) + (" ..." if len(ents) > 12 else "")
    text = f"{metric.metric_id} has no data for {entity_id}; entities with data: {shown}"
    # the same group under another producer's id (EU27 vs CSET_EU): point there
    entity = store.entities.get(entity_id)
    if entity is not None and entity.members:
        same = sorted(
            e
            for e in ents
            if e != entity_id and set(store.entities[e].members) == set(entity.members)
        )
        if same:
            text += f". Same members, with data: {', '.join(same)}"
    return text


def _span(years: list[int]) -> str:
    if len(years) > 6:
        return f"{years[0]}-{years[-1]} ({len(years)} years)"
    return ", ".join(str(y) for y in years)


def _fast(store: Store, key: tuple[Any, ...]) -> Observation | None:
    """A repeated call with the same arguments (of the same types) skips resolution."""
    try:
        hit = store._cache.get(key)
    except TypeError:  # unhashable arguments: resolve() raises the proper error
        return None
    return hit if isinstance(hit, Observation) else None


def _remember(store: Store, key: tuple[Any, ...], result: Observation) -> None:
    """Keep a resolved answer for the fast path; arguments that resolve but cannot be hashed
    (a 0-d numpy array as ``year``) are simply not remembered."""
    with contextlib.suppress(TypeError):
        store._cache[key] = result


# -- public functions -----------------------------------------------------------------------
def get(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    year: int,
    source: str | None = None,
    vintage: str | None = None,
) -> Observation:
    """The value of ``metric`` for one country/entity and year, with its provenance.

    ``metric`` is a metric id or a concept word (``"notable_models"``, ``"patents"``).
    Without ``source=``/``vintage=`` the answer follows the one selection rule (see
    ``docs/methodology.md``): a value read first-hand whenever aipower holds one; among those,
    the metric's default source family, then the newest release. It is the value
    :func:`series` gives for the year; a value that cannot join the entity's series (another
    release than its neighbours) says so in ``outside_series``.

    Example:
        >>> import aipower
        >>> aipower.get("notable_models", country="US", year=2024).value
        40.0

    Raises:
        UnknownMetricError, UnknownEntityError, UnknownSourceError: with close matches.
        NoDataError: saying which years, entities and sources exist.
        TypeError: a parameter has the wrong type (e.g. ``year="2023"``).
    """
    store = default()
    fast = ("get-args", metric, country, entity, year, type(year), source, vintage)
    hit = _fast(store, fast)
    if hit is not None:
        return hit
    q = resolve(
        store, metric, country=country, entity=entity, year=year, source=source, vintage=vintage
    )
    result = answer(store, q)
    _remember(store, fast, result)
    return result


def get_share(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    year: int,
    source: str | None = None,
    vintage: str | None = None,
) -> Share:
    """A share (fraction in [0, 1]; ``.percent`` in percent) with its provenance.

    Example:
        >>> s = aipower.get_share("patents", country="CN", year=2023)
        >>> float(s), s.percent, s.locator
        (0.697, 69.7, 'Chapter 1, Figure 1.2.3, p. 44 (narrative p. 44; Report Highlights p. 13)')
    """
    store = default()
    fast = ("get_share-args", metric, country, entity, year, type(year), source, vintage)
    hit = _fast(store, fast)
    if isinstance(hit, Share):
        return hit
    q = resolve(
        store,
        metric,
        role="share",
        country=country,
        entity=entity,
        year=year,
        source=source,
        vintage=vintage,
    )
    if q.metric.kind != "share":
        raise UnknownMetricError(
            f"{q.metric.metric_id!r} is a metric of kind {q.metric.kind!r}, not a share; "
            "use aipower.get() instead"
        )
    result = answer(store, q)
    assert isinstance(result, Share)
    _remember(store, fast, result)
    return result


def get_all(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    year: int,
) -> list[Observation]:
    """Every observation of ``metric`` for one entity and year: all sources, vintages and
    alternative readings; the default answer (what :func:`get` returns) first, then by
    source and newest vintage."""
    store = default()
    q = resolve(store, metric, country=country, entity=entity, year=year)
    assert q.entity_id is not None
    rows = [o for o in store.pair_rows(q.metric.metric_id, q.entity_id) if o.year == q.year]
    if not rows:
        raise NoDataError(_no_value(store, q))
    first = answer(store, q)
    return [first, *others(rows, first)]


_SERIES_COLUMNS = [
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
]


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


def _frame(rows: list[Observation], index: str) -> pd.DataFrame:
    import pandas as pd

    columns = [index, *_SERIES_COLUMNS]
    if index == "date":
        columns = ["date", "year", *[c for c in _SERIES_COLUMNS if c != "date"]]
    data: dict[str, list[Any]] = {c: [] for c in columns}
    for o in rows:
        if index == "date":
            data["year"].append(o.year)
        else:
            data[index].append(o.year if index == "year" else o.entity_id)
        data["value"].append(o.value)
        data["unit"].append(o.unit)
        data["metric_id"].append(o.metric_id)
        data["entity_id"].append(o.entity_id)
        data["source_id"].append(o.source_id)
        data["vintage"].append(o.vintage)
        data["status"].append(o.status)
        data["locator"].append(o.locator)
        data["priority"].append(o.priority)
        data["date"].append(o.date)
    if index != "date" and all(d is None for d in data["date"]):
        del data["date"]  # no sub-year values: no column of None (issue 16)
    frame = pd.DataFrame(data).set_index(index)
    return frame


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
        frame = _frame(list(sel.rows), sel.index)
        frame.attrs.update(copy.deepcopy(sel.notes))
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

    def make() -> Selection:
        m, eid = q.metric, q.entity_id
        assert eid is not None
        rows = [o for o in store.pair_rows(m.metric_id, eid) if q.keep(o)]
        if not rows:
            raise NoDataError(
                f"no {m.metric_id} data for {eid}"
                + (f" (source={q.source!r}, vintage={q.vintage!r})" if q.restricted else "")
                + f". Available: {_describe_available(store, m, eid, ())}."
            )
        if by == "date" and all(o.date is None for o in rows):
            raise NoDataError(
                f"{m.metric_id} for {eid} has no dated (sub-year) values; use by='year'"
            )
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

    return store.cached(key, make)


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
        chosen = list(sel.rows)
        frame = _frame(chosen, "entity")
        frame.insert(1, "name", [o.entity.name for o in chosen])
        frame.insert(2, "entity_kind", [o.entity.kind for o in chosen])
        frame.attrs.update(copy.deepcopy(sel.notes))
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

    def make() -> Selection:
        m, y = q.metric, q.year
        answers: dict[str, Observation] = {}
        readings: list[Observation] = []
        for eid in store.entities_with(m.metric_id):
            if knd is not None and store.entities[eid].kind != knd:
                continue
            eq = Query(m, eid, y, q.source, q.vintage)
            mine = [o for o in store.pair_rows(m.metric_id, eid) if o.year == y and eq.keep(o)]
            if not mine:
                continue
            readings += mine
            answers[eid] = answer(store, eq)
        cs = cross_section(answers, readings, policy(store, m))
        if not cs.rows:
            years = sorted(
                {
                    o.year
                    for e in store.entities_with(m.metric_id)
                    for o in store.pair_rows(m.metric_id, e)
                }
            )
            kinds = sorted({store.entities[e].kind for e in store.entities_with(m.metric_id)})
            raise NoDataError(
                f"no {m.metric_id} data for {y}"
                + (f" (kind={knd!r})" if knd else "")
                + (f" (source={q.source!r}, vintage={q.vintage!r})" if q.restricted else "")
                + f". Years with data: {_span(years) if years else 'none'}"
                + (
                    f"; entity kinds with data: {', '.join(kinds)} (pass kind=...)"
                    if knd is not None and knd not in kinds
                    else ""
                )
                + "."
            )
        chosen = sorted(cs.rows, key=lambda o: (-o.value, o.entity_id))
        notes: dict[str, Any] = {
            "metric": m.metric_id,
            "release": f"{chosen[0].source_id} ({chosen[0].vintage})",
            "passed_over": [release_label(r) for r in cs.passed_over],
            "other_release": {e: release_label(r) for e, r in cs.other_release.items()},
            "outside_series": [o.entity_id for o in chosen if o.outside_series],
        }
        return Selection(key, tuple(chosen), "entity", notes)

    return store.cached(key, make)


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
    """A copy of a shipped table as a pandas DataFrame (default), pyarrow Table or polars
    DataFrame. ``license=`` keeps only rows whose source has one of the given licence ids
    (e.g. ``license=["CC-BY-4.0"]`` leaves out non-commercial and no-derivatives sources).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    if name not in TABLES:
        raise ValueError(
            f"unknown table {name!r}.{suggest(name, TABLES)} Tables: {', '.join(TABLES)}"
        )
    if engine not in ("pandas", "pyarrow", "polars"):
        raise ValueError(f"engine must be 'pandas', 'pyarrow' or 'polars', not {engine!r}")
    checked = check_license_arg(license)
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

    store.load_indexes()
    if name == "sources" or "source_id" in arrow.column_names:
        keep = [s.source_id for s in store.sources.values() if s.license in licenses]
        column = "source_id"
    elif name == "claims":
        keep = [s.source_id for s in store.sources.values() if s.license in licenses]
        column = "stated_by"
    else:
        return arrow
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
