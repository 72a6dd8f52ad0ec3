"""The query API: ``get``, ``get_share``, ``get_all``, ``series``, ``compare`` and friends.

Scalar lookups (``get``, ``get_share``, ``get_all``) use only pyarrow and plain Python;
tabular results import pandas when they are called.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from aipower._spec import STATUS_RANK, TABLES, TableName
from aipower._store import Store, default, normalise
from aipower.errors import (
    NoDataError,
    UnknownEntityError,
    UnknownMetricError,
    UnknownSourceError,
    suggest,
)
from aipower.results import Metric, Observation, Share, Source

if TYPE_CHECKING:
    import pandas as pd

Engine = Literal["pandas", "pyarrow", "polars"]
MAX_NAME = 200


# -- argument checking ----------------------------------------------------------------------
def _check_str(value: object, param: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        kind = "a str or None" if optional else "a str"
        raise TypeError(f"{param} must be {kind}, not {type(value).__name__}: {value!r:.60}")
    text = value.strip()
    if not text:
        raise ValueError(f"{param} must not be empty")
    if len(text) > MAX_NAME:
        raise ValueError(f"{param} is too long ({len(text)} characters; at most {MAX_NAME})")
    return text


def _check_year(value: object, param: str = "year", *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, (bool, float | str | bytes)):
        raise TypeError(f"{param} must be an int, not {type(value).__name__}: {value!r:.60}")
    try:
        year = operator.index(value)  # type: ignore[arg-type]  # accepts numpy integers
    except TypeError:
        raise TypeError(
            f"{param} must be an int, not {type(value).__name__}: {value!r:.60}"
        ) from None
    if not 1 <= year <= 9999:
        raise ValueError(f"{param} must be between 1 and 9999, got {year}")
    return year


# -- resolution -----------------------------------------------------------------------------
def resolve_metric(store: Store, name: object, role: Literal["value", "share"] = "value") -> Metric:
    """A metric id, or a concept word resolved for ``role`` (``value`` falls back to ``share``)."""
    text = _check_str(name, "metric")
    assert text is not None
    store.ensure()
    metric = store.metrics.get(text) or store.metrics.get(text.casefold())
    if metric is not None:
        return metric
    concept = text.casefold()
    roles = (role,) if role == "share" else ("value", "share")
    for r in roles:
        mid = store.concepts.get((concept, r))
        if mid is not None:
            return store.metrics[mid]
    members = sorted(mm.metric_id for mm in store.metrics.values() if mm.concept == concept)
    if role == "share":
        members = [mid for mid in members if store.metrics[mid].kind == "share"]
    if len(members) == 1:
        return store.metrics[members[0]]
    if len(members) > 1:
        shown = ", ".join(members[:8]) + (" ..." if len(members) > 8 else "")
        raise UnknownMetricError(
            f"concept {text!r} has {len(members)} metrics and no default; pass one of: {shown}"
        )
    if role == "share" and any(c == concept for c, _ in store.concepts):
        raise UnknownMetricError(
            f"concept {text!r} has no share metric; use aipower.get({text!r}, ...) instead"
        )
    hint = suggest(text, store.metric_names.values())
    raise UnknownMetricError(f"unknown metric {text!r}.{hint} See aipower.metrics() for the list.")


def resolve_entity(store: Store, name: object, param: str) -> str:
    text = _check_str(name, param)
    assert text is not None
    store.ensure()
    eid = store.entity_names.get(normalise(text))
    if eid is not None:
        return eid
    candidates = [e.name for e in store.entities.values()] + [
        a for e in store.entities.values() for a in e.aliases
    ]
    hint = suggest(text, candidates)
    raise UnknownEntityError(
        f"unknown {param} {text!r}.{hint} See aipower.entities() for names, ISO codes and aliases."
    )


def _entity_arg(store: Store, country: object, entity: object) -> str:
    if country is not None and entity is not None:
        raise ValueError("give either country= or entity=, not both")
    if country is None and entity is None:
        raise TypeError("country= or entity= is required (a name, ISO2/ISO3 code or alias)")
    if country is not None:
        eid = resolve_entity(store, country, "country")
        kind = store.entities[eid].kind
        if kind not in ("country", "aggregate"):
            raise UnknownEntityError(
                f"country {country!r} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} "
                f"({eid}), not a country or aggregate: pass entity={country!r} instead"
            )
        return eid
    return resolve_entity(store, entity, "entity")


def _source_arg(store: Store, source: object) -> str | None:
    text = _check_str(source, "source", optional=True)
    if text is None:
        return None
    store.ensure()
    if text in store.sources or any(s.family == text for s in store.sources.values()):
        return text
    hint = suggest(text, list(store.sources) + [s.family for s in store.sources.values()])
    raise UnknownSourceError(f"unknown source {text!r}.{hint} See aipower.sources().")


def _vintage_arg(vintage: object) -> str | None:
    return _check_str(vintage, "vintage", optional=True)


# -- selection ------------------------------------------------------------------------------
def _fallback_key(o: Observation) -> tuple[Any, ...]:
    return (
        0 if o.source.primary else 1,
        STATUS_RANK.get(o.status, 9),
        _neg(o.vintage),
        o.source_id,
        o.priority,
    )


def _neg(text: str) -> tuple[int, ...]:
    return (*tuple(-ord(c) for c in text), 1)


def _family_of(metric: Metric, store: Store) -> str:
    default_src = store.sources.get(metric.default_source_id)
    return default_src.family if default_src is not None else metric.default_source_id


def choose(metric: Metric, store: Store, rows: Sequence[Observation]) -> Observation:
    """The default among rows of one period (data model principle 5).

    Rows of the metric's default source family win; among them the newest vintage, then
    priority 0. Without a default-family row: primary sources before secondary, then status
    (verified, inferred, derived, incomplete, secondary), then newest vintage.
    """
    family = _family_of(metric, store)
    fam = [o for o in rows if o.source.family == family]
    if fam:
        newest = max(o.vintage for o in fam)
        return min((o for o in fam if o.vintage == newest), key=lambda o: o.priority)
    return min(rows, key=_fallback_key)


Release = tuple[str, str]  # (source_id, vintage)


def _releases(metric: Metric, store: Store, rows: Sequence[Observation]) -> list[Release]:
    """Releases present in ``rows``, best first: default family newest first; other
    families after it, primary before secondary, then status, then newest vintage."""
    family = _family_of(metric, store)
    best: dict[Release, tuple[Any, ...]] = {}
    for o in rows:
        rel = (o.source_id, o.vintage)
        if o.source.family == family:
            rank: tuple[Any, ...] = (0, _neg(o.vintage), o.source_id)
        else:
            rank = (1, *_fallback_key(o)[:3])
        if rel not in best or rank < best[rel]:
            best[rel] = rank
    return sorted(best, key=lambda r: best[r])


def _pick(rows: Sequence[Observation]) -> Observation:
    """One row of one release and year: the latest date, then priority 0."""
    return min(_latest_date(list(rows)), key=lambda o: o.priority)


def _filter(
    rows: Sequence[Observation], source: str | None, vintage: str | None
) -> list[Observation]:
    out = list(rows)
    if source is not None:
        out = [o for o in out if o.source_id == source or o.source.family == source]
    if vintage is not None:
        # "2026-08" selects the release of 2026-08-19: a vintage matches itself or a prefix
        out = [o for o in out if o.vintage == vintage or o.vintage.startswith(vintage + "-")]
    return out


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


def _lookup(
    metric: Metric,
    entity_id: str,
    year: int,
    source: str | None,
    vintage: str | None,
    store: Store,
) -> Observation:
    key = ("get", metric.metric_id, entity_id, year, source, vintage)
    hit = store._cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    rows = store.pair_rows(metric.metric_id, entity_id)
    matches = _filter([o for o in rows if o.year == year], source, vintage)
    if not matches:
        what = f"{metric.metric_id} for {entity_id} in {year}"
        if source or vintage:
            what += f" (source={source!r}, vintage={vintage!r})"
            in_year = [o for o in rows if o.year == year]
            if in_year:
                releases = sorted({f"{o.source_id} (vintage {o.vintage})" for o in in_year})
                raise NoDataError(
                    f"no value for {what}. Releases with a value for {year}: {', '.join(releases)}."
                )
        available = _describe_available(store, metric, entity_id, rows)
        raise NoDataError(f"no value for {what}. Available: {available}.")
    if source is None and vintage is None:
        result = choose(metric, store, _latest_date(matches))
    else:
        newest = max(o.vintage for o in matches)
        pool = _latest_date([o for o in matches if o.vintage == newest])
        result = min(pool, key=lambda o: o.priority)
    store._cache[key] = result
    return result


def _latest_date(rows: list[Observation]) -> list[Observation]:
    """Sub-year rows: keep the latest date in the year (an annual query gets the year-end value)."""
    dated = [o for o in rows if o.date is not None]
    if not dated or len(dated) != len(rows):
        return [o for o in rows if o.date is None] or rows
    last = max(o.date for o in dated if o.date is not None)
    return [o for o in dated if o.date == last]


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
    Without ``source=``/``vintage=``, the metric's default source and its newest vintage win.

    Example:
        >>> import aipower
        >>> aipower.get("notable_models", country="US", year=2024).value  # doctest: +SKIP
        40.0

    Raises:
        UnknownMetricError, UnknownEntityError, UnknownSourceError: with close matches.
        NoDataError: saying which years, entities and sources exist.
        TypeError: a parameter has the wrong type (e.g. ``year="2023"``).
    """
    store = default()
    m = resolve_metric(store, metric, "value")
    eid = _entity_arg(store, country, entity)
    y = _check_year(year)
    assert y is not None
    return _lookup(m, eid, y, _source_arg(store, source), _vintage_arg(vintage), store)


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
        >>> s = aipower.get_share("patents", country="CN", year=2023)  # doctest: +SKIP
        >>> float(s), s.percent, s.locator                              # doctest: +SKIP
        (0.697, 69.7, 'Chapter 1, Figure 1.2.3, p. 44')
    """
    store = default()
    m = resolve_metric(store, metric, "share")
    if m.kind != "share":
        raise UnknownMetricError(
            f"{m.metric_id!r} is a metric of kind {m.kind!r}, not a share; "
            "use aipower.get() instead"
        )
    eid = _entity_arg(store, country, entity)
    y = _check_year(year)
    assert y is not None
    result = _lookup(m, eid, y, _source_arg(store, source), _vintage_arg(vintage), store)
    assert isinstance(result, Share)
    return result


def get_all(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    year: int,
) -> list[Observation]:
    """Every observation of ``metric`` for one entity and year: all sources, vintages and
    alternative readings, default first, then by source and newest vintage."""
    store = default()
    m = resolve_metric(store, metric, "value")
    eid = _entity_arg(store, country, entity)
    y = _check_year(year)
    rows = [o for o in store.pair_rows(m.metric_id, eid) if o.year == y]
    if not rows:
        raise NoDataError(
            f"no value for {m.metric_id} for {eid} in {y}. "
            f"Available: {_describe_available(store, m, eid, store.pair_rows(m.metric_id, eid))}."
        )
    first = choose(m, store, _latest_date(rows))
    rest = sorted(
        (o for o in rows if o is not first),
        key=lambda o: (o.source_id, _neg(o.vintage), o.priority, o.date or 0),
    )
    return [first, *rest]


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
    out.attrs = {k: (list(v) if isinstance(v, list) else v) for k, v in frame.attrs.items()}
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

    Without ``source=``/``vintage=`` the series uses the metric's default source family when it
    has data for the entity (other families are never mixed in). Its releases are taken newest
    first. A dataset release joins the series only if it covers none of the years already
    taken: a new vintage of a dataset, which revises the same years, replaces the old one rather
    than being spliced to it. A report edition fills the years still missing: successive
    editions that each add a year are joined (e.g. AI Index 2024, 2025 and 2026 for notable
    models in 2023, 2024 and 2025), and a later edition that restates one earlier year does not
    push an older edition's other years out. The ``source_id``, ``vintage`` and ``status``
    columns show where each year comes from; ``frame.attrs["releases"]`` lists the releases
    used and ``frame.attrs["not_joined"]`` the ones left out. Pass ``source=``/``vintage=`` for
    one source or release. The frame is a copy: mutate it freely.

    Example:
        >>> aipower.series("notable_models", country="CN")[["value", "source_id"]]  # doctest: +SKIP
    """
    store = default()
    m = resolve_metric(store, metric, "value")
    eid = _entity_arg(store, country, entity)
    src = _source_arg(store, source)
    vin = _vintage_arg(vintage)
    if by not in ("year", "date"):
        raise ValueError(f"by must be 'year' or 'date', not {by!r:.60}")
    key = ("series", m.metric_id, eid, src, vin, by)

    def make() -> pd.DataFrame:
        rows = _filter(store.pair_rows(m.metric_id, eid), src, vin)
        if not rows:
            raise NoDataError(
                f"no {m.metric_id} data for {eid}"
                + (f" (source={src!r}, vintage={vin!r})" if src or vin else "")
                + f". Available: {_describe_available(store, m, eid, ())}."
            )
        if src is None and vin is None:
            # a series never mixes source families: when the metric's default family has
            # data for this entity, only that family is used
            family = _family_of(m, store)
            rows = [o for o in rows if o.source.family == family] or rows
        # releases, best first. A dataset release joins only if it covers none of the years
        # already taken (a new vintage revises the same years and is never spliced to the old
        # one); a report edition fills the years still missing, so that successive editions
        # that each add a year are joined and a restated year does not drop the rest
        chosen: list[Observation] = []
        skipped: list[str] = []
        if by == "date":
            rows = [o for o in rows if o.date is not None]
            if not rows:
                raise NoDataError(
                    f"{m.metric_id} for {eid} has no dated (sub-year) values; use by='year'"
                )
        covered_by: set[Any] = set()
        for rel in _releases(m, store, rows):
            mine = [o for o in rows if (o.source_id, o.vintage) == rel]
            periods: set[Any] = {o.date if by == "date" else o.year for o in mine}
            if periods & covered_by:
                if mine[0].source.kind != "report" or periods <= covered_by:
                    skipped.append(f"{rel[0]} ({rel[1]})")
                    continue
                periods -= covered_by
            covered_by |= periods
            for p in sorted(periods, key=str if by == "date" else int):
                same = [o for o in mine if (o.date if by == "date" else o.year) == p]
                chosen.append(_pick(same) if by == "year" else min(same, key=lambda o: o.priority))
        chosen.sort(key=lambda o: (o.year, o.date or dt.date.min))
        frame = _frame(chosen, "date" if by == "date" else "year")
        frame.attrs["metric"] = m.metric_id
        frame.attrs["vintages"] = sorted({o.vintage for o in chosen})
        frame.attrs["releases"] = sorted({f"{o.source_id} ({o.vintage})" for o in chosen})
        frame.attrs["not_joined"] = skipped
        return frame

    return _copy(store.cached(key, make))


def compare(
    metric: str,
    *,
    year: int,
    kind: str | None = None,
    source: str | None = None,
    vintage: str | None = None,
) -> pd.DataFrame:
    """Entity-indexed DataFrame of ``metric`` in ``year``, largest value first.

    All rows come from one release, so the entities are comparable: the metric's default
    source family and its newest vintage with data for the year (``frame.attrs["release"]``
    names it); pass ``source=``/``vintage=`` for another. A release that holds fewer than half
    as many entities for the year as the fullest release (e.g. a later report edition that
    restates one country's earlier value in its text) is passed over and named in
    ``frame.attrs["passed_over"]``. ``kind="country"`` keeps countries
    only (aggregates such as ``WORLD`` are kept otherwise; the ``entity_kind`` column tells
    them apart). The frame is a copy.
    """
    store = default()
    m = resolve_metric(store, metric, "value")
    y = _check_year(year)
    knd = _check_str(kind, "kind", optional=True)
    src = _source_arg(store, source)
    vin = _vintage_arg(vintage)
    key = ("compare", m.metric_id, y, knd, src, vin)

    def make() -> pd.DataFrame:
        rows: list[Observation] = []
        for eid in store.entities_with(m.metric_id):
            if knd is not None and store.entities[eid].kind != knd:
                continue
            rows += _filter([o for o in store.pair_rows(m.metric_id, eid) if o.year == y], src, vin)
        chosen: list[Observation] = []
        passed_over: list[str] = []
        if rows:
            # one release for the whole comparison: the best release with data for the year
            # (default family, newest vintage first); entities it lacks are left out rather
            # than filled from another source or vintage
            by_release: dict[Release, dict[str, list[Observation]]] = {}
            for o in rows:
                by_release.setdefault((o.source_id, o.vintage), {}).setdefault(
                    o.entity_id, []
                ).append(o)
            ranked = _releases(m, store, rows)
            family = store.sources[ranked[0][0]].family
            # within the best release's family only: another family's fuller table (e.g. Epoch
            # counts behind the AI Index ones) never displaces the default
            ranked = [rel for rel in ranked if store.sources[rel[0]].family == family]
            fullest = max(len(by_release[rel]) for rel in ranked)
            release = next(rel for rel in ranked if 2 * len(by_release[rel]) >= fullest)
            passed_over = [f"{r[0]} ({r[1]})" for r in ranked[: ranked.index(release)]]
            mine = by_release[release]
            chosen = [_pick(mine[eid]) for eid in sorted(mine)]
        if not chosen:
            years = sorted(
                {
                    o.year
                    for e in store.entities_with(m.metric_id)
                    for o in store.pair_rows(m.metric_id, e)
                }
            )
            raise NoDataError(
                f"no {m.metric_id} data for {y}"
                + (f" (kind={knd!r}, source={src!r}, vintage={vin!r})" if knd or src or vin else "")
                + f". Years with data: {_span(years) if years else 'none'}."
            )
        chosen.sort(key=lambda o: (-o.value, o.entity_id))
        frame = _frame(chosen, "entity")
        frame.insert(1, "name", [o.entity.name for o in chosen])
        frame.insert(2, "entity_kind", [o.entity.kind for o in chosen])
        frame.attrs["metric"] = m.metric_id
        frame.attrs["release"] = f"{chosen[0].source_id} ({chosen[0].vintage})"
        frame.attrs["passed_over"] = passed_over
        return frame

    return _copy(store.cached(key, make))


def metric(metric_id: str) -> Metric:
    """The :class:`Metric` for a metric id or concept word."""
    return resolve_metric(default(), metric_id, "value")


def source(source_id: str) -> Source:
    """The :class:`Source` with this id."""
    store = default()
    _check_str(source_id, "source_id")
    sid = _source_arg(store, source_id)
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
    from aipower._export import _check_license_arg

    checked = _check_license_arg(license)
    licenses = set(checked) if checked is not None else None
    store = default()
    arrow = store.plain(name)
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
    from aipower._arrow import public_frame

    return public_frame(arrow, name)


def _filter_license(store: Store, arrow: Any, name: str, licenses: set[str]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    store.ensure()
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
