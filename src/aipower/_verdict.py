"""Verdict rules: how a stated number compares with a primary value.

The rules are code, so every verdict in the claims table and every ``aipower.check`` answer
comes from the same place:

``matches``
    the stated number equals the primary value (relative tolerance 1e-9, i.e. only float noise:
    69.7 % and 0.697 match, 69.70 and 69.7 match).
``rounded``
    not equal, but the primary value rounded half-up at the precision of the stated number
    equals it. The precision of a stated number is its last non-zero digit in the unit it was
    stated in: 70 % is stated to the ten, 2.6 million to the hundred thousand, 69.7 % to the
    tenth. (So 70 % for 69.7 % is ``rounded``; 13 % for 13.03 % is ``rounded``.)
``differs``
    any other number; the explanation gives the absolute and relative difference. A claim
    whose number agrees but which describes a different quantity (curated ``same_basis=false``,
    e.g. "69.7% of all AI patents" for a share of *granted* patents) is also ``differs``.
``contradicted``
    the primary says the opposite of a qualitative claim (e.g. "X leads" when another named
    entity has the larger value).
``unverified``
    no primary value was located, or the only value aipower holds was seen second-hand
    (status ``secondary``): agreeing with a copy proves nothing, so the explanation says
    whether the stated number agrees with that copy but the verdict stays ``unverified``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

from aipower._display import format_value

__all__ = ["compare_value", "describe_difference", "format_value", "stated_quantum", "to_decimal"]

Verdict = Literal["matches", "rounded", "differs", "contradicted", "unverified"]

#: Relative tolerance under which two numbers are the same number (float noise only).
MATCH_RTOL = 1e-9

#: How good each verdict is, best first (used to pick the nearest observation).
VERDICT_ORDER: dict[str, int] = {
    "matches": 0,
    "rounded": 1,
    "differs": 2,
    "contradicted": 3,
    "unverified": 4,
}


def stated_quantum(stated: Decimal) -> Decimal:
    """Precision of a stated number: the place value of its last non-zero digit.

    >>> [stated_quantum(Decimal(x)) for x in ("69.7", "70", "2.6")]
    [Decimal('0.1'), Decimal('1E+1'), Decimal('0.1')]
    """
    if stated == 0:
        return Decimal(1)
    exponent = stated.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Exact decimal of what a person wrote: ``2.6e6`` -> ``2600000``, ``69.7`` -> ``69.7``."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).replace(",", ""))


def compare_value(stated: Decimal, primary: float, *, scale: Decimal = Decimal(1)) -> Verdict:
    """Verdict for a stated number (in units of ``scale``) against a primary value.

    ``scale`` converts the stated unit to the canonical one: 0.01 for percent, 1e6 for million.

    >>> compare_value(Decimal("69.7"), 0.697, scale=Decimal("0.01"))
    'matches'
    >>> compare_value(Decimal("70"), 0.697, scale=Decimal("0.01"))
    'rounded'
    >>> compare_value(Decimal("2.6"), 2788000.0, scale=Decimal(1000000))
    'differs'
    """
    # wide precision and exponent range: a stated 1e-30 or 0.30000000000000004 must not
    # overflow decimal's default 28 digits when divided by its quantum
    with localcontext() as ctx:
        ctx.prec = 400
        ctx.Emax = 999_999
        ctx.Emin = -999_999
        primary_in_stated = Decimal(repr(float(primary))) / scale
        tolerance = Decimal(str(MATCH_RTOL)) * max(Decimal(1), abs(primary_in_stated))
        if abs(primary_in_stated - stated) <= tolerance:
            return "matches"
        quantum = stated_quantum(stated)
        steps = (primary_in_stated / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if steps * quantum == stated:
            return "rounded"
        return "differs"


def describe_difference(stated_canonical: float, primary: float, unit: str = "") -> str:
    """Size of a difference: ``"-188,000 GPU-hours (-6.7% of the value compared with)"``."""
    diff = stated_canonical - primary
    if unit == "fraction":
        text = f"{diff * 100:+.4g} percentage points"
    elif float(diff).is_integer() and abs(diff) < 1e15:
        text = f"{int(diff):+,} {unit}".rstrip()
    else:
        text = f"{diff:+,.6g} {unit}".rstrip()
    if primary == 0:
        return text
    return f"{text} ({diff / primary:+.1%} of the value compared with)"
