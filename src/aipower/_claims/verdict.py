"""Verdict rules: how a stated number compares with a primary value.

The rules are code, so every verdict in the claims table and every ``aipower.check`` answer
comes from the same place:
"""

from __future__ import annotations

import textwrap
from decimal import ROUND_HALF_UP, Decimal, localcontext

from aipower._display import format_value
from aipower._spec import VERDICT_CODES, Verdict

__all__ = ["compare_value", "describe_difference", "format_value", "stated_quantum", "to_decimal"]

# Each verdict and its rule is a record of the metadata spec; the docstring lists them, best
# first (the docs' verdict rules are read from this docstring).
__doc__ = (__doc__ or "") + "".join(
    f"\n``{c.id}``\n"
    + textwrap.fill(
        c.meaning,
        width=96,
        initial_indent="    ",
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    for c in sorted(VERDICT_CODES, key=lambda c: c.rank)
)

#: Relative tolerance under which two numbers are the same number (float noise only).
MATCH_RTOL = 1e-9


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
