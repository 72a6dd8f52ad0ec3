"""``aipower.check``: is this number right, and where is it from?"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Literal

import attrs

from aipower._query import _check_year, _entity_arg, resolve_metric
from aipower._store import default
from aipower._verdict import (
    VERDICT_ORDER,
    compare_value,
    describe_difference,
    format_value,
    to_decimal,
)
from aipower.errors import NoDataError
from aipower.results import Observation

Unit = Literal["percent", "%", "fraction", "thousand", "million", "billion"]
_UNIT_ALIASES: dict[str, str] = {"%": "percent", "pct": "percent", "share": "fraction"}
_SCALES: dict[str, Decimal] = {
    "percent": Decimal("0.01"),
    "fraction": Decimal(1),
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
}


@attrs.frozen
class Comparison:
    """The verdict of a checked number against one observation."""

    observation: Observation
    verdict: str
    difference: float


@attrs.frozen(repr=False)
class CheckResult:
    """Outcome of :func:`check`: the best verdict, the nearest observation, and every comparison.

    Example:
        >>> r = aipower.check(  # doctest: +SKIP
        ...     "patents", country="CN", year=2023, value=69.7, unit="percent"
        ... )
        >>> r.verdict  # doctest: +SKIP
        'matches'
    """

    metric_id: str
    entity_id: str
    year: int
    value: float
    verdict: str
    nearest: Observation
    comparisons: tuple[Comparison, ...]
    related: tuple[Comparison, ...]
    explanation: str

    def __repr__(self) -> str:
        return (
            f"CheckResult({self.metric_id} {self.entity_id} {self.year}: {self.value:.6g} -> "
            f"{self.verdict}; nearest {self.nearest.value:.6g} from {self.nearest.source_id})"
        )

    def _repr_html_(self) -> str:
        from aipower._display import check_html

        return check_html(self)


def _check_value(value: object) -> tuple[float, Decimal]:
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


def check(
    metric: str,
    *,
    country: str | None = None,
    entity: str | None = None,
    year: int,
    value: float,
    unit: Unit | None = None,
) -> CheckResult:
    """Compare a number with every matching observation (all sources and vintages).

    ``unit`` says how ``value`` is written: ``"percent"`` or ``"%"`` (69.7), ``"fraction"``
    (0.697), ``"thousand"``, ``"million"``, ``"billion"``; ``None`` means the canonical unit.
    For a share metric, ``value`` above 1 without ``unit`` is refused rather than guessed.
    Verdict rules: see :mod:`aipower._verdict` (matches / rounded / differs). The verdict is
    decided by first-hand values (read in a primary source); when aipower holds only
    second-hand values the verdict is ``unverified`` and the explanation compares with them.

    Example:
        >>> aipower.check(  # doctest: +SKIP
        ...     "training_gpu_hours", entity="DeepSeek-V3", year=2024, value=2.6e6
        ... ).verdict
        'differs'
    """
    store = default()
    if isinstance(unit, str):
        unit = _UNIT_ALIASES.get(unit.strip().casefold(), unit)  # type: ignore[assignment]
    m = resolve_metric(store, metric, "share" if unit in ("percent", "fraction") else "value")
    eid = _entity_arg(store, country, entity)
    y = _check_year(year)
    assert y is not None
    number, stated_raw = _check_value(value)
    if unit is not None and (not isinstance(unit, str) or unit not in _SCALES):
        raise (TypeError if not isinstance(unit, str) else ValueError)(
            f"unit must be one of {sorted(_SCALES)} or None, not {unit!r:.60}"
        )
    if m.kind == "share" and unit is None and abs(number) > 1:
        raise ValueError(
            f"{m.metric_id} is a share stored as a fraction; value {number} looks like a "
            "percentage. Pass unit='percent' (or unit='fraction' with a value in [0, 1])."
        )
    if m.kind != "share" and unit in ("percent", "fraction"):
        raise ValueError(
            f"unit={unit!r} only applies to share metrics; {m.metric_id} is a {m.kind}"
        )
    scale = _SCALES[unit] if unit is not None else Decimal(1)
    stated = stated_raw
    canonical = float(stated * scale)
    rows = [o for o in store.pair_rows(m.metric_id, eid) if o.year == y]
    if not rows:
        avail = sorted({o.year for o in store.pair_rows(m.metric_id, eid)})
        raise NoDataError(
            f"no {m.metric_id} value for {eid} in {y} to check against; "
            f"years with data: {avail or 'none'}"
        )

    def compare_all(obs: list[Observation]) -> list[Comparison]:
        out = [
            Comparison(o, compare_value(stated, o.value, scale=scale), canonical - o.value)
            for o in obs
        ]
        return sorted(
            out,
            key=lambda c: (
                VERDICT_ORDER[c.verdict],
                abs(c.difference),
                0 if c.observation.source.primary else 1,
                c.observation.source_id,
            ),
        )

    # the verdict is decided by primary sources; secondary ones (news, digests) are context
    firsthand = [o for o in rows if o.source.primary and o.status != "secondary"]
    comparisons = compare_all(firsthand or rows)
    secondary = (
        compare_all([o for o in rows if not (o.source.primary and o.status != "secondary")])
        if firsthand
        else []
    )
    related: list[Comparison] = []
    for other in store.metrics.values():
        if other.metric_id == m.metric_id or other.concept != m.concept or other.unit != m.unit:
            continue
        related += compare_all([o for o in store.pair_rows(other.metric_id, eid) if o.year == y])
    related.sort(key=lambda c: (VERDICT_ORDER[c.verdict], abs(c.difference)))
    best = comparisons[0]
    o = best.observation
    verdict = best.verdict
    explanation = (
        f"{o.source.title} ({o.source_id}, {o.vintage}) gives {format_value(o.value, m.unit)} "
        f"[{o.locator}, {o.status}]"
    )
    if best.verdict == "matches":
        explanation += ": same number."
    elif best.verdict == "rounded":
        explanation += ": the checked number is that value rounded."
    else:
        explanation += (
            f": the checked number differs by {describe_difference(canonical, o.value, m.unit)}."
        )
    others = [c for c in comparisons[1:] if c.observation.value != o.value]
    if others:
        explanation += (
            " Other sources/vintages: "
            + "; ".join(
                f"{c.observation.source_id} {c.observation.vintage}: "
                f"{format_value(c.observation.value, m.unit)} ({c.verdict})"
                for c in others[:4]
            )
            + "."
        )
    if not firsthand:
        verdict = "unverified"
        explanation += (
            f" Unverified: every value aipower holds for this was seen only second-hand, so the "
            f"'{best.verdict}' above compares with a copy, not with the primary."
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
    share_id = store.concepts.get((m.concept, "share"))
    by_concept = isinstance(metric, str) and metric.strip().casefold() == m.concept
    if unit is None and m.kind != "share" and share_id is not None and by_concept:
        explanation = (
            f"Note: {metric!r} resolved to {m.metric_id} ({m.kind}, {m.unit}); to check a share "
            f"({share_id}) pass unit='percent' or unit='fraction'. " + explanation
        )
    return CheckResult(
        metric_id=m.metric_id,
        entity_id=eid,
        year=y,
        value=canonical,
        verdict=verdict,
        nearest=o,
        comparisons=tuple(comparisons + secondary),
        related=tuple(related),
        explanation=explanation,
    )
