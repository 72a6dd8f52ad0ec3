"""Figures of a sentence: numbers and number words that :func:`aipower.check_text` checks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from aipower._claims.text_grammar import (
    _ENTITY_AFTER,
    _METRIC_AFTER,
    _NEAR,
    _Figure,
    _Grammar,
    _inside,
    _key,
    _Span,
)


def _figure(
    g: _Grammar,
    text: str,
    m: re.Match[str],
    s_start: int,
    metrics: Sequence[_Span],
    entities: Sequence[_Span],
    year_starts: set[int],
) -> _Figure | None:
    """A matched number as a figure, or None when it is a year, date, reference or name."""
    num_start = m.start("num")
    if _inside(num_start, metrics) or _inside(num_start, entities) or num_start in year_starts:
        return None
    after = text[m.end() : m.end() + 2]
    suffix = any(m.group(k) for k in ("scale", "gscale", "sym", "unit", "gunit", "curword"))
    currency = m.group("cur") or m.group("code") or m.group("curword")
    if not suffix and not currency and re.match(r"[A-Za-z\d]|[-.][A-Za-z\d]", after):
        return None  # "2.5-Max", "1.1.7", "3rd": part of a name or reference
    before = text[max(s_start, m.start() - _NEAR) : m.start()]
    word = re.search(r"(\S+)\s*$", before)
    if word and word.group(1).casefold() in g.locator_words:
        return None  # "Figure 1.2", "p. 44"
    date_like = g.month_re.search(before) or g.month_after_re.match(text[m.end() : m.end() + 12])
    if not suffix and not currency and date_like:
        return None  # "November 3", "3 November"
    number = m.group("num").replace(",", "")
    unit: str | None = None
    problem: str | None = None
    level = True
    scale = m.group("scale") or m.group("gscale")
    if scale:
        entry = g.scale_target[_key(scale)]
        if entry.target is None:
            problem = f"scale {scale!r}: {entry.note or 'not supported by check()'}"
        unit = entry.target
    written_unit = m.group("sym") or m.group("unit") or m.group("gunit")
    if written_unit:
        entry = g.unit_target[_key(written_unit)]
        if entry.target is None:
            problem = f"{written_unit!r} is {entry.note or 'not a level'}"
            level = False
        elif unit is not None:
            problem = f"{scale} {written_unit} is not a unit check() takes"
        else:
            unit = entry.target
    bound = g.bound_re.search(text[max(s_start, m.start() - 16) : m.start()])
    if bound is not None and problem is None:
        problem = f"'{bound.group(1)} {m.group()}' is a bound, not a value check() compares"
    rank = g.rank_re.search(text[max(s_start, m.start() - 16) : m.start()])
    if rank is not None and problem is None:
        problem = f"'{rank.group(1)} {m.group()}' is a rank or group size, not a value"
        level = False
    change = g.change_before_re.search(text[max(s_start, m.start() - 24) : m.start()])
    change = change or g.change_after_re.match(text[m.end() : m.end() + 24])
    if change is not None and problem is None:
        problem = f"'{change.group(1)}' makes {m.group()!r} a change, not a level check() compares"
        level = False
    try:
        Decimal(number)
    except InvalidOperation:  # pragma: no cover - the pattern only matches digits
        return None
    return _Figure(
        start=m.start(),
        end=m.end(),
        text=m.group(),
        number=number,
        unit=unit,
        currency=currency,
        problem=problem,
        level=level,
    )


def _number_words(
    g: _Grammar,
    text: str,
    s_start: int,
    s_end: int,
    metrics: Sequence[_Span],
    entities: Sequence[_Span],
) -> list[_Figure]:
    """Number words that are figures: right before a metric phrase or "from/in" + an entity."""
    out = []
    for m in g.number_word_re.finditer(text, s_start, s_end):
        if _inside(m.start(), metrics) or _inside(m.start(), entities):
            continue
        metric_next = any(
            m.end() <= s.start <= m.end() + _NEAR and _METRIC_AFTER.match(text[m.end() : s.start])
            for s in metrics
        )
        entity_next = any(
            m.end() <= e.start <= m.end() + 24 and _ENTITY_AFTER.match(text[m.end() : e.start])
            for e in entities
        )
        if not (metric_next or entity_next):
            continue
        if g.rank_re.search(text[max(s_start, m.start() - 16) : m.start()]):
            continue
        out.append(
            _Figure(
                start=m.start(),
                end=m.end(),
                text=m.group(),
                number=g.number_words[m.group().casefold()],
                unit=None,
                currency=None,
                problem=None,
                level=True,
            )
        )
    return out
