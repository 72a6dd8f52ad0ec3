"""Tie one figure to a metric, an entity and a year, then check it (:func:`aipower.check`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from aipower._claims.text_findings import Confidence, Finding
from aipower._claims.text_grammar import (
    _ENTITY_AFTER,
    _ENTITY_BEFORE,
    _METRIC_AFTER,
    _METRIC_BEFORE,
    _NEAR,
    _Figure,
    _Grammar,
    _Span,
)
from aipower.errors import AipowerError, DataIntegrityError


def _metric_for(
    g: _Grammar, fig: _Figure, metrics: Sequence[_Span], text: str, last: str | None
) -> tuple[str | None, str, Confidence]:
    if not metrics:
        return None, "no metric phrase in the sentence", "none"
    attached = [
        s
        for s in metrics
        if fig.end <= s.start <= fig.end + _NEAR and _METRIC_AFTER.match(text[fig.end : s.start])
    ]
    # qualifiers (a phrase naming a metric id) refine a concept phrase of the same sentence
    targets = {s.target for s in metrics}
    specific = {t for t in targets if t is not None and t in g.store.metrics} - g.concept_words

    def refine(t: str | None) -> str:
        assert t is not None
        concept = g.store.metrics[t].concept if t in g.store.metrics else t
        for q in sorted(specific):
            if g.store.metrics[q].concept == concept and q != t:
                return q
        return t

    if attached:
        return (
            refine(attached[0].target),
            f"metric phrase '{attached[0].text}' right after the figure",
            "high",
        )
    before = [
        s
        for s in metrics
        if fig.start - _NEAR <= s.end <= fig.start and _METRIC_BEFORE.match(text[s.end : fig.start])
    ]
    if before:
        return (
            refine(before[-1].target),
            f"metric phrase '{before[-1].text}' right before it",
            "high",
        )
    general = {refine(t) for t in targets if t is not None}
    if len(general) == 1:
        t = next(iter(general))
        phrase = metrics[0].text
        return t, f"metric phrase '{phrase}', the only one in the sentence", "high"
    if last is not None:
        return last, "metric of the previous figure in the same list", "medium"
    shown = ", ".join(sorted(general))
    return None, f"several metric phrases ({shown}) and none is attached", "none"


def _entity_for(
    g: _Grammar,
    fig: _Figure,
    metric_id: str,
    entities: Sequence[_Span],
    levels: Sequence[_Figure],
    text: str,
) -> tuple[str | None, str, Confidence]:
    if not entities:
        return None, "no country, region, organisation or model named in the sentence", "none"
    attached = _attached_entity(fig, entities, text)
    if attached is not None:
        return attached
    ids = list(dict.fromkeys(e.target for e in entities))
    if len(ids) == 1:
        return ids[0], f"{_named(entities[0])}, the only one in the sentence", "high"
    with_data = g.store.cached(
        ("text-check-with-data", metric_id), lambda: set(g.store.entities_with(metric_id))
    )
    idx = levels.index(fig)
    mentions = _dedupe(entities)
    if len(mentions) > len(levels):
        # a mention after the last figure that is not attached to it ("though the American
        # share is falling") takes no part in the pairing
        last = levels[-1].end
        mentions = [
            e for e in mentions if e.start < last or _ENTITY_AFTER.match(text[last : e.start])
        ]
    if len(mentions) == len(levels):
        e = mentions[idx]
        return e.target, f"{_named(e)}, paired with the figures in order", "medium"
    having = [e for e in mentions if e.target in with_data]
    if len({e.target for e in having}) == 1:
        e = having[0]
        return (
            e.target,
            f"entity '{e.text}' ({e.target}), the only one in the sentence with {metric_id} data",
            "medium",
        )
    if len(having) == len(levels):
        e = having[idx]
        return e.target, f"{_named(e)}, paired in order among those with data", "medium"
    names = ", ".join(dict.fromkeys(str(e.target) for e in entities))
    return None, f"several entities ({names}) and none is attached to the figure", "none"


def _attached_entity(
    fig: _Figure, entities: Sequence[_Span], text: str
) -> tuple[str | None, str, Confidence] | None:
    """The entity written right before or right after the figure, if any."""
    for e in entities:
        if e.end > fig.start + _NEAR or e.start < fig.start - 2 * _NEAR:
            continue
        if e.end <= fig.start and _ENTITY_BEFORE.match(text[e.end : fig.start]):
            return e.target, f"entity '{e.text}' ({e.target}) right before the figure", "high"
        if e.start >= fig.end and _ENTITY_AFTER.match(text[fig.end : e.start]):
            return e.target, f"entity '{e.text}' ({e.target}) right after the figure", "high"
    return None


def _named(e: _Span) -> str:
    return f"entity '{e.text}' ({e.target})"


def _dedupe(entities: Sequence[_Span]) -> list[_Span]:
    """Mentions in order, a repeated mention of the entity just named counted once."""
    out: list[_Span] = []
    for e in entities:
        if out and out[-1].target == e.target:
            continue
        out.append(e)
    return out


def _year_for(
    g: _Grammar,
    fig: _Figure,
    years: Sequence[tuple[int, int]],
    levels: Sequence[_Figure],
    metric_id: str,
    entity: str | None,
) -> tuple[int | None, str, Confidence]:
    distinct = sorted({y for _, y in years})
    if len(distinct) == 1:
        return distinct[0], f"year {distinct[0]}", "high"
    if len(years) > 1 and len(years) == len(levels):
        y = years[levels.index(fig)][1]
        return y, f"year {y}, paired with the figures in order", "medium"
    if years:
        return None, f"several years ({', '.join(map(str, distinct))}) for the figures", "none"
    if entity is not None and g.store.entities[entity].kind == "model":
        have = sorted({o.year for o in g.store.pair_rows(metric_id, entity)})
        if len(have) == 1:
            why = f"no year written; {entity} is a model and aipower has only {have[0]}"
            return have[0], why, "medium"
    return None, "no year in the sentence", "none"


def _unresolved(fig: _Figure, reason: str, notes: Sequence[str] = ()) -> Finding:
    """An unresolved finding: the reason first, then what had been resolved before it."""
    why = f"{reason} (resolved so far: {'; '.join(notes)})" if notes else reason
    return Finding(
        start=fig.start,
        end=fig.end,
        text=fig.text,
        value=float(fig.number),
        unit=fig.unit,
        metric_id=None,
        entity_id=None,
        year=None,
        verdict="unresolved",
        confidence="none",
        why=why,
    )


def _run_check(
    g: _Grammar, fig: _Figure, metric_id: str, entity: str, year: int, conf: Confidence, why: str
) -> Finding:
    from aipower._claims.check import check

    try:
        result = check(
            metric_id,
            entity=entity,
            year=year,
            value=Decimal(fig.number),  # type: ignore[arg-type]
            unit=fig.unit,  # type: ignore[arg-type]
        )
    except (AipowerError, ValueError, TypeError) as exc:
        if isinstance(exc, DataIntegrityError):
            raise
        return attrs.evolve(
            _unresolved(fig, f"check() refused it: {exc}", [why]),
            metric_id=metric_id,
            entity_id=entity,
            year=year,
        )
    claims = tuple(
        cid
        for cid, stated in g.claims.get((metric_id, entity, year), [])
        if abs(stated - result.value) <= 1e-9 * max(1.0, abs(stated))
    )
    return attrs.evolve(
        _unresolved(fig, why),
        metric_id=result.metric_id,
        entity_id=result.entity_id,
        year=result.year,
        verdict=result.verdict,
        confidence=conf,
        result=result,
        claim_ids=tuple(sorted(claims)),
    )
