"""Argument resolution: what the caller typed -> a typed :class:`Query`.

Every public function resolves its arguments here (metric or concept word and its role,
country/entity, year, source, vintage), so names, aliases, type errors and suggestions behave
the same everywhere. Nothing here chooses between observations: that is
:mod:`aipower._query.select`.
"""

from __future__ import annotations

import operator
from typing import Literal

import attrs

from aipower._core.store import Store, normalise
from aipower.errors import UnknownEntityError, UnknownMetricError, UnknownSourceError, suggest
from aipower.results import Metric, Observation

Role = Literal["value", "share"]
MAX_NAME = 200


@attrs.frozen
class Query:
    """One resolved, checked question.

    A metric, an entity (optional for cross-sections), a year, and the optional
    ``source``/``vintage`` restrictions.
    """

    metric: Metric
    entity_id: str | None = None
    year: int | None = None
    source: str | None = None
    vintage: str | None = None

    @property
    def restricted(self) -> bool:
        return self.source is not None or self.vintage is not None

    def keep(self, o: Observation) -> bool:
        """Whether an observation passes ``source=`` and ``vintage=``.

        ``source`` is a source id or family; ``vintage`` a vintage or its prefix ("2026-08"
        selects the release of 2026-08-19).
        """
        if self.source is not None and self.source not in (o.source_id, o.source.family):
            return False
        if self.vintage is not None:
            return o.vintage == self.vintage or o.vintage.startswith(self.vintage + "-")
        return True

    def describe(self) -> str:
        text = self.metric.metric_id
        if self.entity_id is not None:
            text += f" for {self.entity_id}"
        if self.year is not None:
            text += f" in {self.year}"
        if self.restricted:
            text += f" (source={self.source!r}, vintage={self.vintage!r})"
        return text


def check_str(value: object, param: str, *, optional: bool = False) -> str | None:
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


def check_year(value: object, param: str = "year", *, optional: bool = False) -> int | None:
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


def concept_roles(store: Store, name: str) -> dict[str, Metric]:
    """The metrics a concept word resolves to, by role (empty if ``name`` is no concept)."""
    store.load_indexes()
    concept = name.strip().casefold()
    return {role: store.metrics[mid] for (c, role), mid in store.concepts.items() if c == concept}


def resolve_metric(store: Store, name: object, role: Role = "value") -> Metric:
    """A metric id, or a concept word resolved for ``role`` (``value`` falls back to ``share``)."""
    text = check_str(name, "metric")
    assert text is not None
    store.load_indexes()
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
    text = check_str(name, param)
    assert text is not None
    store.load_indexes()
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


def entity_arg(store: Store, country: object, entity: object) -> str:
    """The entity id from ``country=`` (countries and aggregates only) or ``entity=``."""
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


def source_arg(store: Store, source: object) -> str | None:
    text = check_str(source, "source", optional=True)
    if text is None:
        return None
    store.load_indexes()
    if text in store.sources or any(s.family == text for s in store.sources.values()):
        return text
    hint = suggest(text, list(store.sources) + [s.family for s in store.sources.values()])
    raise UnknownSourceError(f"unknown source {text!r}.{hint} See aipower.sources().")


def vintage_arg(vintage: object) -> str | None:
    return check_str(vintage, "vintage", optional=True)


def resolve(
    store: Store,
    metric: object,
    *,
    role: Role = "value",
    country: object = None,
    entity: object = None,
    year: object = None,
    source: object = None,
    vintage: object = None,
    need_entity: bool = True,
    need_year: bool = True,
) -> Query:
    """Resolve and check every argument of a query, in the order a user reads them."""
    m = resolve_metric(store, metric, role)
    eid = entity_arg(store, country, entity) if need_entity else None
    y = check_year(year, optional=not need_year)
    return Query(m, eid, y, source_arg(store, source), vintage_arg(vintage))
