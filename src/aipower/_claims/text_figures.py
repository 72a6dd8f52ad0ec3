"""Figures of a sentence: numbers and number words that :func:`aipower.check_text` checks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import attrs

from aipower._claims.text_grammar import (
    _ENTITY_AFTER,
    _METRIC_AFTER,
    _MONTHS,
    _NEAR,
    _Figure,
    _Grammar,
    _inside,
    _Span,
)
from aipower._claims.text_vocabulary import _key


@attrs.frozen
class _Sentence:
    """The phrases of one sentence that figures can attach to, and its figures."""

    metrics: list[_Span]
    editions: list[_Span]
    rates: list[_Span]
    entities: list[_Span]
    #: (position, year) of each year that is a period (not an edition or a date)
    years: list[tuple[int, int]]
    figures: list[_Figure]


def _scan(g: _Grammar, text: str, s_start: int, s_end: int) -> _Sentence:
    """Find the metric, edition, rate and entity phrases, the years and the figures."""
    metrics = [
        _Span(m.start(), m.end(), m.group(), g.metric_targets.get(_key(m.group())))
        for m in g.metric_re.finditer(text, s_start, s_end)
    ]
    editions = [
        _Span(m.start(), m.end(), m.group()) for m in g.edition_re.finditer(text, s_start, s_end)
    ]
    rates = [
        _Span(m.start(), m.end(), m.group(), g.rate_unit[_key(m.group())].target)
        for m in g.rate_re.finditer(text, s_start, s_end)
    ]
    entities = _entities(g, text, s_start, s_end, metrics, editions)
    years, year_like = _years(g, text, s_start, s_end, metrics, entities, editions)
    figures: list[_Figure] = []
    for m in g.number_re.finditer(text, s_start, s_end):
        if _inside(m.start("num"), rates):
            continue  # "per 100,000 people"
        fig = _figure(g, text, m, s_start, metrics, entities, year_like)
        if fig is not None:
            figures.append(fig)
    words = _number_words(g, text, s_start, s_end, metrics, entities)
    if words:
        figures = sorted([*figures, *words], key=lambda f: f.start)
    return _Sentence(metrics, editions, rates, entities, years, figures)


def _entities(
    g: _Grammar,
    text: str,
    s_start: int,
    s_end: int,
    metrics: Sequence[_Span],
    editions: Sequence[_Span],
) -> list[_Span]:
    """Entity names of the sentence, except those inside a metric phrase or a proper name."""
    entities: list[_Span] = []
    for m in g.entity_re.finditer(text, s_start, s_end):
        if _inside(m.start(), metrics) or _inside(m.start(), editions):
            continue
        after = text[m.end() : m.end() + 40]
        # "US Council of Economic Advisers", "China Banking News": part of a proper name
        nxt = re.match(r"[\s\u00a0]+([A-Z][\w'’-]*)", after)
        word = nxt.group(1) if nxt else ""
        if word and not (word.isupper() and len(word) <= 4) and word not in g.entity_of:
            continue
        before = text[max(s_start, m.start() - 30) : m.start()]
        if re.search(r"[A-Z][a-z]+[\s\u00a0]+of[\s\u00a0]+(?:the[\s\u00a0]+)?$", before):
            continue  # "Bank of China"
        entities.append(_Span(m.start(), m.end(), m.group(), g.entity_of[m.group()]))
    return entities


def _years(
    g: _Grammar,
    text: str,
    s_start: int,
    s_end: int,
    metrics: Sequence[_Span],
    entities: Sequence[_Span],
    editions: Sequence[_Span],
) -> tuple[list[tuple[int, int]], set[int]]:
    """Years that are periods, and the start of every year-like number (never a figure)."""
    years: list[tuple[int, int]] = []
    year_like: set[int] = set()
    # positions where a year would touch a report's name ("AI Index 2025", "the 2025 AI Index")
    edition_touch = {e.end + k for e in editions for k in (0, 1, 2)}
    edition_touch |= {e.start - k for e in editions for k in (0, 1, 2)}
    for m in g.year_re.finditer(text, s_start, s_end):
        if _inside(m.start(), metrics) or _inside(m.start(), entities):
            continue
        year_like.add(m.start())
        near = text[max(s_start, m.start() - 25) : m.start()]
        if m.start() in edition_touch or m.end() in edition_touch:
            continue
        if re.search(rf"(?:{_MONTHS})\.?\s+\d{{1,2}},?\s*$", near):
            continue  # "November 3, 2025": a date, usually of publication
        years.append((m.start(), int(m.group(1))))
    return years, year_like


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
    if _not_a_figure(g, text, m, s_start, metrics, entities, year_starts):
        return None
    number = m.group("num").replace(",", "")
    unit, problem, level = _unit_of(g, m)
    problem, level = _context_problem(g, text, m, s_start, problem, level)
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
        currency=_currency(m),
        problem=problem,
        level=level,
    )


def _currency(m: re.Match[str]) -> str | None:
    return m.group("cur") or m.group("code") or m.group("curword")


def _not_a_figure(
    g: _Grammar,
    text: str,
    m: re.Match[str],
    s_start: int,
    metrics: Sequence[_Span],
    entities: Sequence[_Span],
    year_starts: set[int],
) -> bool:
    """Is the number a year, part of a phrase or name, a reference or a date?"""
    num_start = m.start("num")
    if _inside(num_start, metrics) or _inside(num_start, entities) or num_start in year_starts:
        return True
    after = text[m.end() : m.end() + 2]
    bare = not any(m.group(k) for k in _SUFFIXES) and not _currency(m)
    if bare and re.match(r"[A-Za-z\d]|[-.][A-Za-z\d]", after):
        return True  # "2.5-Max", "1.1.7", "3rd": part of a name or reference
    before = text[max(s_start, m.start() - _NEAR) : m.start()]
    word = re.search(r"(\S+)\s*$", before)
    if word and word.group(1).casefold() in g.locator_words:
        return True  # "Figure 1.2", "p. 44"
    date_like = g.month_re.search(before) or g.month_after_re.match(text[m.end() : m.end() + 12])
    return bool(bare and date_like)  # "November 3", "3 November"


#: the groups of ``number_re`` that follow the number (a scale or a unit)
_SUFFIXES = ("scale", "gscale", "sym", "unit", "gunit", "curword")


def _unit_of(g: _Grammar, m: re.Match[str]) -> tuple[str | None, str | None, bool]:
    """The figure's unit from its scale and written unit, why it cannot be checked, level."""
    unit: str | None = None
    problem: str | None = None
    scale = m.group("scale") or m.group("gscale")
    if scale:
        entry = g.scale_target[_key(scale)]
        if entry.target is None:
            problem = f"scale {scale!r}: {entry.note or 'not supported by check()'}"
        unit = entry.target
    written_unit = m.group("sym") or m.group("unit") or m.group("gunit")
    if not written_unit:
        return unit, problem, True
    entry = g.unit_target[_key(written_unit)]
    if entry.target is None:
        return unit, f"{written_unit!r} is {entry.note or 'not a level'}", False
    if unit is not None:
        return unit, f"{scale} {written_unit} is not a unit check() takes", True
    return entry.target, problem, True


def _context_problem(
    g: _Grammar, text: str, m: re.Match[str], s_start: int, problem: str | None, level: bool
) -> tuple[str | None, bool]:
    """A bound, rank or change written around the number makes it uncheckable."""
    if problem is not None:
        return problem, level
    bound = g.bound_re.search(text[max(s_start, m.start() - 16) : m.start()])
    if bound is not None:
        return f"'{bound.group(1)} {m.group()}' is a bound, not a value check() compares", level
    rank = g.rank_re.search(text[max(s_start, m.start() - 16) : m.start()])
    if rank is not None:
        return f"'{rank.group(1)} {m.group()}' is a rank or group size, not a value", False
    change = g.change_before_re.search(text[max(s_start, m.start() - 24) : m.start()])
    change = change or g.change_after_re.match(text[m.end() : m.end() + 24])
    if change is not None:
        return (
            f"'{change.group(1)}' makes {m.group()!r} a change, not a level check() compares",
            False,
        )
    return None, level


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
