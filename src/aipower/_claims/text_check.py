"""``aipower.check_text``: find every checkable figure in a text and check it.

A *figure* is a number written with digits that is not a year, a date, a page or figure
reference, or part of a name ("DeepSeek-V3", "Qwen 2.5-Max", "the 100 most-cited papers").
Each figure is resolved from its own sentence to a metric, an entity and a year, then checked
with :func:`aipower.check` (the one selection policy). What cannot be resolved with confidence
is reported as ``unresolved`` with the reason; nothing is guessed.

The grammar (see ``docs/guide/check-text.md``):

* **figure**: ``[currency] NUMBER [scale] [unit]`` — ``69.7%``, ``2.6 million``, ``USD 109.1
  billion``, ``$9.3bn``, ``40``; a number word (two to twenty) only next to a metric phrase
  or entity. Ratios (``12 times``), differences (``percentage points``), changes (``grew
  30%``), bounds (``more than 70%``) and ranks (``top 3``) are figures left ``unresolved``.
* **metric**: a metric phrase of the vocabulary in the same sentence (``notable AI models``,
  ``GPU-hours``, ``citations``). A phrase right after the figure ("40 notable AI models",
  "69.7% of AI patents") belongs to it, then one right before it ("share of citations
  22.6%"); otherwise the sentence's only metric, otherwise the metric of the previous figure
  in a list. Qualifier phrases ("pre-training", "undergraduate") and rate phrases ("per
  100,000 inhabitants") pick a specific metric of the concept. A percentage resolves the
  concept's ``share`` metric, any other number its ``value`` metric.
* **entity**: a country, aggregate, organisation or model name (from the entities table) or a
  demonym of the vocabulary ("Chinese", "US-based"). In order: the entity right before or
  after the figure ("China 22.6%", "11% in China"), the only entity of the sentence (or the
  only one with data for the metric), or the entities paired with the figures in order
  ("59% ... in the US, compared with 11% in China").
* **year**: a year in the sentence (one year for all figures, or one per figure in order);
  a year next to a report's name ("AI Index 2025") is an edition, not a period.
* **anaphora**: a sentence with "those figures" (and similar) and no metric of its own takes
  the metrics and entities of the previous sentence's figures, in order ("By 2022 those
  figures were 42% and 28%").

The vocabulary is data: ``text_vocabulary.csv`` in this package (see :func:`vocabulary`).
"""

from __future__ import annotations

import re
from typing import Literal

from aipower._claims.text_figures import _figure, _number_words
from aipower._claims.text_findings import HIGHLIGHT_COLOURS, Confidence, Finding, TextCheck
from aipower._claims.text_grammar import (
    _MONTHS,
    _NEAR,
    MAX_SENTENCE,
    _Figure,
    _Grammar,
    _grammar,
    _inside,
    _key,
    _Resolved,
    _sentences,
    _Span,
)
from aipower._claims.text_resolve import (
    _entity_for,
    _metric_for,
    _run_check,
    _unresolved,
    _year_for,
)
from aipower._claims.text_vocabulary import VOCABULARY_KINDS, VocabularyEntry, vocabulary
from aipower._core.store import default
from aipower.errors import AipowerError

__all__ = [
    "HIGHLIGHT_COLOURS",
    "MAX_SENTENCE",
    "VOCABULARY_KINDS",
    "Finding",
    "TextCheck",
    "VocabularyEntry",
    "check_text",
    "vocabulary",
]


def check_text(text: str) -> TextCheck:
    """Find every figure in ``text``, resolve it to metric/entity/year and check it.

    Returns one :class:`Finding` per figure, in text order, spans never overlapping. Figures
    that cannot be tied to one metric, entity and year are ``unresolved`` with the reason.
    Raises only :class:`TypeError` (``text`` is not a ``str``) and, if the installed data is
    damaged, :class:`~aipower.DataIntegrityError`.

    Example:
        >>> tc = aipower.check_text(
        ...     "In 2023 China held 69.7% of AI patents."
        ... )
        >>> tc[0].metric_id, tc[0].verdict
        ('patents_granted_share', 'matches')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    store = default()
    g = _grammar(store)
    findings: list[Finding] = []
    prev: list[tuple[_Figure, _Resolved]] = []
    prev_year: int | None = None
    for s_start, s_end in _sentences(text):
        found, resolved, year = _check_sentence(g, text, s_start, s_end, prev, prev_year)
        findings += found
        if resolved:
            prev = resolved
            prev_year = year
    return TextCheck(text=text, findings=tuple(findings))


def _check_sentence(
    g: _Grammar,
    text: str,
    s_start: int,
    s_end: int,
    prev: list[tuple[_Figure, _Resolved]],
    prev_year: int | None,
) -> tuple[list[Finding], list[tuple[_Figure, _Resolved]], int | None]:
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
    # years (periods), excluding editions of reports and dates
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
    if not figures:
        return [], [], None
    if s_end - s_start > MAX_SENTENCE:
        why = (
            f"the sentence is longer than {MAX_SENTENCE:,} characters (no sentence break): "
            "too long to tie figures to words safely"
        )
        return [_unresolved(f, f.problem or why) for f in figures], [], None
    anaphor_match = g.anaphor_re.search(text, s_start, s_end)
    anaphor = anaphor_match is not None
    levels = [f for f in figures if f.level and f.problem is None]
    out: list[Finding] = []
    resolved_here: list[tuple[_Figure, _Resolved]] = []
    last_metric: str | None = None
    for fig in figures:
        if fig.problem is not None:
            out.append(_unresolved(fig, fig.problem))
            continue
        notes: list[str] = []
        conf: Confidence = "high"
        use_prev = anaphor and not metrics and len(prev) == len(levels)
        idx = levels.index(fig)
        # -- metric
        target: str | None
        if use_prev:
            target = prev[idx][1].metric
            assert anaphor_match is not None
            notes.append(f"metric from the previous sentence ('{anaphor_match.group()}')")
            conf = "medium"
        else:
            target, why_m, c = _metric_for(g, fig, metrics, text, last_metric)
            if target is None:
                out.append(_unresolved(fig, why_m))
                continue
            notes.append(why_m)
            if c == "medium":
                conf = "medium"
        role: Literal["value", "share"] = "share" if fig.unit in ("percent",) else "value"
        try:
            from aipower._query.resolve import resolve_metric

            metric = resolve_metric(g.store, target, role)
        except AipowerError as exc:
            out.append(_unresolved(fig, str(exc), notes))
            continue
        rate = next((r for r in rates if fig.end <= r.start <= fig.end + 2 * _NEAR), None)
        if rate is not None:
            per = [
                mm
                for mm in g.store.metrics.values()
                if mm.concept == metric.concept and mm.unit == rate.target
            ]
            if len(per) != 1:
                why_r = (
                    f"'{rate.text}' makes it a rate; {metric.concept} has no metric in that unit"
                )
                out.append(_unresolved(fig, why_r, notes))
                continue
            metric = per[0]
            notes.append(f"rate phrase '{rate.text}' ({metric.metric_id})")
        last_metric = target
        # -- entity
        inherited = prev[idx][1].entity if use_prev else None
        if inherited is not None:
            entity = inherited
            notes.append(f"entity {entity} from the previous sentence, in order")
        else:
            found, why_e, c = _entity_for(g, fig, metric.metric_id, entities, levels, text)
            if found is None:
                out.append(_unresolved(fig, why_e, notes))
                continue
            entity = found
            notes.append(why_e)
            if c == "medium":
                conf = "medium"
        # -- year
        year, why_y, c = _year_for(g, fig, years, levels, metric.metric_id, entity)
        if year is None and use_prev and prev_year is not None:
            year, why_y, c = prev_year, f"year {prev_year} from the previous sentence", "medium"
        if year is None:
            out.append(_unresolved(fig, why_y, notes))
            continue
        notes.append(why_y)
        if c == "medium":
            conf = "medium"
        if fig.currency is not None:
            cur = g.currency_target.get(fig.currency.casefold())
            if cur is None or cur.target is None or not metric.unit.startswith(cur.target):
                why_c = (
                    f"the figure is in {fig.currency} but {metric.metric_id} is in {metric.unit}"
                )
                out.append(_unresolved(fig, why_c, notes))
                continue
        finding = _run_check(g, fig, metric.metric_id, entity, year, conf, "; ".join(notes))
        out.append(finding)
        resolved_here.append((fig, _Resolved(target, entity, year)))
    year_here = years[0][1] if len({y for _, y in years}) == 1 else None
    return out, resolved_here if len(resolved_here) == len(levels) else [], year_here
