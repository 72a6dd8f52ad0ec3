"""``aipower.check``: is this number right, and where is it from?

One function, :func:`evaluate`, compares a stated number with the readings of a resolved
query; ``check`` calls it, and so does the build for every value claim of the ledger, so a
claim's verdict is by construction what ``check`` returns for its stated number against the
source it is compared with.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Literal

import attrs

from aipower._claims.verdict import compare_value, describe_difference, to_decimal
from aipower._core.store import Store, default
from aipower._display import format_value
from aipower._query.api import answer
from aipower._query.resolve import Query, Role, concept_roles, resolve
from aipower._query.select import firsthand, newest_first, readings, release_of, same_reading
from aipower._spec import AGREEING_VERDICTS, VERDICT_RANK
from aipower.errors import NoDataError
from aipower.results import CheckResult, Comparison, Observation

Unit = Literal["percent", "%", "fraction", "thousand", "million", "billion"]
UNITS: tuple[str, ...] = ("percent", "fraction", "thousand", "million", "billion")
#: how a unit word may be written -> the unit it means
UNIT_ALIASES: dict[str, str] = {"%": "percent", "pct": "percent", "share": "fraction"}
SCALES: dict[str, Decimal] = {
    "percent": Decimal("0.01"),
    "fraction": Decimal(1),
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
}
SHARE_UNITS = frozenset({"percent", "fraction"})

__all__ = ["CheckResult", "Comparison", "check", "evaluate"]


def _stated_number(value: object) -> tuple[float, Decimal]:
    """``value`` as a finite float and as the exact decimal the caller wrote."""
    if type(value).__name__ in ("bool", "bool_") or not (
        isinstance(value, int | float | Decimal) or hasattr(value, "__float__")
    ):
        raise TypeError(f"value must be a number, not {type(value).__name__}: {value!r:.60}")
    if isinstance(value, str | bytes):
        raise TypeError(f"value must be a number, not {type(value).__name__}: {value!r:.60}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"value must be finite, got {value!r}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"value must be a number, not {type(value).__name__}: {value!r:.60}"
        ) from None
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"value {value!r:.60} cannot be checked: {exc}") from None
    if not math.isfinite(number):
        raise ValueError(f"value must be finite, got {value!r:.60}")
    stated = value if isinstance(value, Decimal) else to_decimal(number)
    return number, stated


def _unit_arg(unit: object) -> str | None:
    if unit is None:
        return None
    if not isinstance(unit, str):
        raise TypeError(f"unit must be one of {list(UNITS)} or None, not {unit!r:.60}")
    text = UNIT_ALIASES.get(unit.strip().casefold(), unit.strip().casefold())
    if text not in SCALES:
        raise ValueError(f"unit must be one of {list(UNITS)} (or '%') or None, not {unit!r:.60}")
    return text


def _role(store: Store, metric: object, number: float, unit: str | None) -> Role:
    """Which metric a concept word means for this number: its share or its value metric.

    A percent/fraction unit, or a bare number in [0, 1], means the share; a scale word
    (thousand, million, billion) or a bare number above 100 means the value. A bare number in
    (1, 100] is refused for a concept that has both kinds: it could be a percentage or a count.
    """
    if unit in SHARE_UNITS:
        return "share"
    if unit is not None or not isinstance(metric, str):
        return "value"
    roles = concept_roles(store, metric)
    share, value = roles.get("share"), roles.get("value")
    if share is None or value is None or value.kind == "share":
        return "value"
    if 0 <= number <= 1:
        return "share"
    if 1 < number <= 100:
        raise ValueError(
            f"{metric!r} with value {number:g} is ambiguous: it could be a percentage (the "
            f"share metric {share.metric_id}) or a number of {value.unit} ({value.metric_id}). "
            f"Pass unit='percent' to check the share, or metric={value.metric_id!r} to check "
            "the count."
        )
    return "value"


def check(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    year: int,
    value: float,
    unit: Unit | None = None,
    source: str | None = None,
    vintage: str | None = None,
) -> CheckResult:
    """Compare a number with every reading of one metric, entity and year.

    ``unit`` says how ``value`` is written: ``"percent"`` or ``"%"`` (69.7), ``"fraction"``
    (0.697), ``"thousand"``, ``"million"``, ``"billion"``; ``None`` means the metric's
    canonical unit. A concept word (``"patents"``) means its share metric for a percent or
    fraction, or for a bare number in [0, 1], and its value metric otherwise; a bare number in
    (1, 100] for a concept with both is refused rather than guessed. A share outside 0-100 %
    is refused. ``source=``/``vintage=`` restrict the readings, as for :func:`aipower.get`.

    The verdict (rules: :mod:`aipower._claims.verdict`) is decided by the readings aipower made
    first-hand (in the primary source): the best verdict among them. With only second-hand
    readings it is ``unverified``. So ``check(m, ..., value=get(m, ...).value)`` is
    ``matches`` whenever the default answer was read first-hand (and the default answer is
    first-hand whenever aipower holds a first-hand reading), ``unverified`` otherwise.
    ``result.answer`` is the default answer for the same key.

    Example:
        >>> aipower.check(
        ...     "training_gpu_hours", entity="DeepSeek-V3", year=2024, value=2.6e6
        ... ).verdict
        'differs'
    """
    store = default()
    number, stated = _stated_number(value)
    u = _unit_arg(unit)
    q = resolve(
        store,
        metric,
        role=_role(store, metric, number, u),
        country=country,
        entity=entity,
        year=year,
        source=source,
        vintage=vintage,
    )
    m = q.metric
    if m.kind == "share" and u is None and abs(number) > 1:
        raise ValueError(
            f"{m.metric_id} is a share stored as a fraction; value {number} looks like a "
            "percentage. Pass unit='percent' (or unit='fraction' with a value in [0, 1])."
        )
    if m.unit != "fraction" and u in SHARE_UNITS:
        raise ValueError(
            f"unit={u!r} only applies to metrics stored as fractions (shares, relative gaps); "
            f"{m.metric_id} is a {m.kind} in {m.unit}"
        )
    scale = SCALES[u] if u is not None else Decimal(1)
    if m.kind == "share" and not 0 <= stated * scale <= 1:
        shown = f"{number:g}%" if u == "percent" else f"{number:g}"
        raise ValueError(
            f"value {shown} is impossible for {m.metric_id}, a share: a share lies between "
            "0% and 100% (0 and 1 with unit='fraction')"
        )
    result = evaluate(store, q, stated, scale)
    by_concept = isinstance(metric, str) and metric.strip().casefold() == m.concept
    share = concept_roles(store, m.concept).get("share") if by_concept else None
    if u is None and m.kind != "share" and share is not None and share.kind == "share":
        result = attrs.evolve(
            result,
            explanation=(
                f"Note: {metric!r} resolved to {m.metric_id} ({m.kind}, {m.unit}); to check a "
                f"share ({share.metric_id}) pass unit='percent' or unit='fraction'. "
                + result.explanation
            ),
        )
    return result


def describe_comparison(c: Comparison, canonical: float) -> str:
    """One sentence: which reading gives what, and how the checked number compares with it."""
    o = c.observation
    text = (
        f"{o.source.title} ({o.source_id}, {o.vintage}) gives {format_value(o.value, o.unit)} "
        f"[{o.locator}, {o.status}]"
    )
    if c.verdict == "matches":
        return text + ": same number."
    if c.verdict == "rounded":
        return text + ": the checked number is that value rounded."
    diff = describe_difference(canonical, o.value, o.unit)
    return text + f": the checked number differs by {diff}."


def _year_readings(store: Store, q: Query) -> list[Observation]:
    """Every reading of the key, all priorities (for sub-year data: each release's last date)."""
    assert q.entity_id is not None
    rows = [o for o in store.pair_rows(q.metric.metric_id, q.entity_id) if o.year == q.year]
    rows = [o for o in rows if q.keep(o)]
    last = {release: o.date for (release, _), o in readings(rows).items()}
    return [o for o in rows if o.date == last[release_of(o)]]


def _related(
    store: Store, q: Query, compare_all: Callable[[list[Observation]], list[Comparison]]
) -> list[Comparison]:
    """The comparisons with the other metrics of the concept in the same unit, best first."""
    m = q.metric
    assert q.entity_id is not None
    related: list[Comparison] = []
    for other in store.metrics.values():
        if other.metric_id == m.metric_id or other.concept != m.concept or other.unit != m.unit:
            continue
        related += compare_all(
            [o for o in store.pair_rows(other.metric_id, q.entity_id) if o.year == q.year]
        )
    related.sort(key=lambda c: (VERDICT_RANK[c.verdict], abs(c.difference)))
    return related


def evaluate(store: Store, q: Query, stated: Decimal, scale: Decimal) -> CheckResult:
    """The verdict for ``stated`` (in units of ``scale``) against the readings of ``q``."""
    m = q.metric
    assert q.entity_id is not None
    assert q.year is not None
    rows = _year_readings(store, q)
    if not rows:
        avail = sorted({o.year for o in store.pair_rows(m.metric_id, q.entity_id) if q.keep(o)})
        restricted = f" (source={q.source!r}, vintage={q.vintage!r})" if q.restricted else ""
        raise NoDataError(
            f"no {m.metric_id} value for {q.entity_id} in {q.year}{restricted} to check "
            f"against; years with data: {avail or 'none'}"
        )
    default_answer = answer(store, q)
    canonical = float(stated * scale)

    def compare_all(obs: list[Observation]) -> list[Comparison]:
        out = [
            Comparison(o, compare_value(stated, o.value, scale=scale), canonical - o.value)
            for o in obs
        ]
        return sorted(
            out,
            key=lambda c: (
                VERDICT_RANK[c.verdict],
                0 if same_reading(c.observation, default_answer) else 1,
                abs(c.difference),
                newest_first(c.observation.vintage),
                c.observation.source_id,
                c.observation.priority,
            ),
        )

    first = [o for o in rows if firsthand(o)]
    comparisons = compare_all(first or rows)
    secondary = compare_all([o for o in rows if not firsthand(o)]) if first else []
    related = _related(store, q, compare_all)
    best = comparisons[0]
    o = best.observation
    verdict = best.verdict
    explanation = describe_comparison(best, canonical)
    if not same_reading(o, default_answer):
        explanation += (
            f" The default answer (aipower.get) is {format_value(default_answer.value, m.unit)} "
            f"from {default_answer.source_id} ({default_answer.vintage})."
        )
    rest = [c for c in comparisons[1:] if c.observation.value != o.value]
    if rest:
        explanation += (
            " Other sources/vintages: "
            + "; ".join(
                f"{c.observation.source_id} {c.observation.vintage}: "
                f"{format_value(c.observation.value, m.unit)} ({c.verdict})"
                for c in rest[:4]
            )
            + "."
        )
    later_copy = next(
        (
            c
            for c in secondary
            if verdict == "differs"
            and c.verdict in AGREEING_VERDICTS
            and c.observation.source.family == o.source.family
            and c.observation.vintage > o.vintage
        ),
        None,
    )
    if later_copy is not None:
        # the number agrees with a later release of the same producer that aipower holds
        # only second-hand: it may well be right, so it is not called wrong
        verdict = "unverified"
        c = later_copy.observation
        explanation += (
            f" Unverified rather than differs: the checked number agrees with "
            f"{c.source_id} ({c.vintage}), a later release of the same producer that aipower "
            "holds only second-hand."
        )
    if not first:
        verdict = "unverified"
        copies = sorted(
            {c.observation.read_in.source_id for c in comparisons if c.observation.read_in}
        )
        seen = (
            f" (read in {', '.join(copies)})"
            if copies
            else " (the source it is filed under republishes it from another source, which "
            "aipower did not read)"
        )
        explanation += (
            f" Unverified: every value aipower holds for this was seen only second-hand{seen}, "
            f"so the '{best.verdict}' above compares with a copy, not with the primary."
        )
    if secondary:
        explanation += (
            " Secondary sources: "
            + "; ".join(
                f"{c.observation.source_id}: {format_value(c.observation.value, m.unit)}"
                for c in secondary[:4]
            )
            + "."
        )
    if related:
        explanation += (
            " Related metrics: "
            + "; ".join(
                f"{c.observation.metric_id} = {format_value(c.observation.value, m.unit)} "
                f"({c.verdict})"
                for c in related[:4]
            )
            + "."
        )
    return CheckResult(
        metric_id=m.metric_id,
        entity_id=q.entity_id,
        year=q.year,
        value=canonical,
        verdict=verdict,
        nearest=o,
        comparisons=tuple(comparisons + secondary),
        related=tuple(related),
        explanation=explanation,
        answer=default_answer,
    )
