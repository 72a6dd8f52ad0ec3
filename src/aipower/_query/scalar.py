"""Scalar answers: ``get``, ``get_share``, ``get_all``, and the cached plans behind them.

Pure Python over the store's rows (no pandas). A repeated call with the same raw arguments is
answered from a dictionary keyed on those arguments before anything is resolved (the warm
fast path); everything else goes through :func:`aipower._query.resolve.resolve` and the one
selection policy in :mod:`aipower._query.select`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aipower._core import store as _store
from aipower._core.store import Store, default
from aipower._query.resolve import Query, resolve
from aipower._query.select import By, Lazy, Plan, Policy, others, plan, restatements
from aipower.errors import NoDataError, UnknownMetricError
from aipower.results import Metric, Observation, Share

#: first element of the fast-path keys in ``Store._cache`` (no other key can start with it)
_GET = object()
_GET_SHARE = object()


# -- the selection policy, per metric and entity (decisions are in aipower._query.select) ---------
def policy(store: Store, metric: Metric) -> Policy:
    """The selection policy's view of one metric: default family and restatements.

    The restatements are counted on first use only: most periods have a single reading, and
    ranking one reading needs no count (see :class:`~aipower._query.select.Lazy`).
    """

    def make() -> Policy:
        default_src = store.sources.get(metric.default_source_id)
        family = default_src.family if default_src is not None else metric.default_source_id
        return Policy(
            family, Lazy(lambda: restatements(store.release_entity_counts(metric.metric_id)))
        )

    return store.cached(("policy", metric.metric_id), make)


def plan_for(store: Store, q: Query, by: By = "year") -> Plan:
    """The answers for ``q.metric`` and ``q.entity_id``, period by period (cached)."""
    assert q.entity_id is not None
    key = ("plan", q.metric.metric_id, q.entity_id, q.source, q.vintage, by)

    def make() -> Plan:
        return plan(pair_rows(store, q), policy(store, q.metric), by)

    return store.cached(key, make)


def pair_rows(store: Store, q: Query) -> list[Observation]:
    """The rows of ``q``'s metric and entity that pass its ``source=``/``vintage=``."""
    assert q.entity_id is not None
    rows = store.pair_rows(q.metric.metric_id, q.entity_id)
    return list(rows) if not q.restricted else [o for o in rows if q.keep(o)]


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
        raise NoDataError(no_value(store, q))
    store._cache[key] = result
    return result


def no_value(store: Store, q: Query) -> str:
    """The message of a NoDataError for ``q``: what exists instead."""
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
    return f"no value for {what}. Available: {describe_available(store, m, eid, rows)}."


def describe_available(
    store: Store, metric: Metric, entity_id: str, rows: Sequence[Observation]
) -> str:
    """What data ``metric`` has for an entity (its years and releases), or which entities."""
    if rows:
        years = sorted({o.year for o in rows})
        srcs = sorted({f"{o.source_id} ({o.vintage})" for o in rows})
        return f"{metric.metric_id} for {entity_id} has years {span(years)} from {', '.join(srcs)}"
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


def span(years: list[int]) -> str:
    """Years as a short text: a range when there are many."""
    if len(years) > 6:
        return f"{years[0]}-{years[-1]} ({len(years)} years)"
    return ", ".join(str(y) for y in years)


def _remember(store: Store, key: tuple[Any, ...], year: object, result: Observation) -> None:
    """Keep a resolved answer for the fast path, for an ``int`` year only.

    Only an exact ``int`` year is remembered and hit: ``True`` and ``2023.0`` compare equal to
    ints but must keep raising TypeError, and a numpy year (possibly unhashable, a 0-d array)
    simply takes the resolving path every time.
    """
    if type(year) is int:
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
    store = _store._DEFAULT or default()
    key = (_GET, metric, country, entity, year, source, vintage)
    try:  # the warm fast path: the same raw arguments as an earlier call
        hit = store._cache[key]
    except (KeyError, TypeError):  # new, or unhashable: resolve() says what is wrong
        pass
    else:
        if type(year) is int:
            return hit  # type: ignore[no-any-return]
    q = resolve(
        store, metric, country=country, entity=entity, year=year, source=source, vintage=vintage
    )
    result = answer(store, q)
    _remember(store, key, year, result)
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
    store = _store._DEFAULT or default()
    key = (_GET_SHARE, metric, country, entity, year, source, vintage)
    try:  # the warm fast path, as in get()
        hit = store._cache[key]
    except (KeyError, TypeError):
        pass
    else:
        if type(year) is int:
            return hit  # type: ignore[no-any-return]
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
    _remember(store, key, year, result)
    return result


def get_all(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    year: int,
) -> list[Observation]:
    """Every observation of ``metric`` for one entity and year.

    All sources, vintages and alternative readings: the default answer (what :func:`get`
    returns) first, then by source and newest vintage.
    """
    store = default()
    q = resolve(store, metric, country=country, entity=entity, year=year)
    assert q.entity_id is not None
    rows = [o for o in store.pair_rows(q.metric.metric_id, q.entity_id) if o.year == q.year]
    if not rows:
        raise NoDataError(no_value(store, q))
    first = answer(store, q)
    return [first, *others(rows, first)]
