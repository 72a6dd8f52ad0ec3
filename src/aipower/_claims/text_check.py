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

from typing import TYPE_CHECKING, Literal

import attrs

from aipower._claims.text_figures import _scan, _Sentence
from aipower._claims.text_findings import HIGHLIGHT_COLOURS, Confidence, Finding, TextCheck
from aipower._claims.text_grammar import (
    _NEAR,
    MAX_SENTENCE,
    _Figure,
    _Grammar,
    _grammar,
    _Resolved,
    _sentences,
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

if TYPE_CHECKING:
    from aipower.results import Metric

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


@attrs.frozen
class _Context:
    """What one sentence offers its figures, and what the previous sentence resolved."""

    g: _Grammar
    text: str
    sentence: _Sentence
    levels: list[_Figure]
    prev: list[tuple[_Figure, _Resolved]]
    prev_year: int | None
    #: the anaphor ("those figures") when the figures take the previous sentence's metrics
    anaphor: str | None


class _Unresolvable(Exception):
    """A step cannot tie the figure to a metric, entity or year; ``args[0]`` says why."""


@attrs.define
class _Trail:
    """The reasons gathered while resolving one figure, and the confidence they allow."""

    notes: list[str] = attrs.field(factory=list)
    conf: Confidence = "high"

    def add(self, why: str, conf: Confidence = "high") -> None:
        self.notes.append(why)
        if conf == "medium":
            self.conf = "medium"


def _check_sentence(
    g: _Grammar,
    text: str,
    s_start: int,
    s_end: int,
    prev: list[tuple[_Figure, _Resolved]],
    prev_year: int | None,
) -> tuple[list[Finding], list[tuple[_Figure, _Resolved]], int | None]:
    sentence = _scan(g, text, s_start, s_end)
    figures = sentence.figures
    if not figures:
        return [], [], None
    if s_end - s_start > MAX_SENTENCE:
        why = (
            f"the sentence is longer than {MAX_SENTENCE:,} characters (no sentence break): "
            "too long to tie figures to words safely"
        )
        return [_unresolved(f, f.problem or why) for f in figures], [], None
    levels = [f for f in figures if f.level and f.problem is None]
    anaphor_match = g.anaphor_re.search(text, s_start, s_end)
    takes_prev = anaphor_match is not None and not sentence.metrics and len(prev) == len(levels)
    anaphor = anaphor_match.group() if anaphor_match is not None and takes_prev else None
    ctx = _Context(g, text, sentence, levels, prev, prev_year, anaphor)
    out: list[Finding] = []
    resolved_here: list[tuple[_Figure, _Resolved]] = []
    last_metric: str | None = None
    for fig in figures:
        finding, resolved, last_metric = _resolve_figure(ctx, fig, last_metric)
        out.append(finding)
        if resolved is not None:
            resolved_here.append((fig, resolved))
    years = sentence.years
    year_here = years[0][1] if len({y for _, y in years}) == 1 else None
    return out, resolved_here if len(resolved_here) == len(levels) else [], year_here


def _resolve_figure(
    ctx: _Context, fig: _Figure, last_metric: str | None
) -> tuple[Finding, _Resolved | None, str | None]:
    """One figure's finding, what it resolved to, and the metric the next figure may take."""
    if fig.problem is not None:
        return _unresolved(fig, fig.problem), None, last_metric
    trail = _Trail()
    try:
        target, metric = _metric_step(ctx, fig, last_metric, trail)
    except _Unresolvable as exc:
        return _unresolved(fig, str(exc.args[0]), trail.notes), None, last_metric
    try:
        entity = _entity_step(ctx, fig, metric.metric_id, trail)
        year = _year_step(ctx, fig, metric.metric_id, entity, trail)
        _currency_step(ctx, fig, metric)
    except _Unresolvable as exc:
        return _unresolved(fig, str(exc.args[0]), trail.notes), None, target
    finding = _run_check(
        ctx.g, fig, metric.metric_id, entity, year, trail.conf, "; ".join(trail.notes)
    )
    return finding, _Resolved(target, entity, year), target


def _metric_step(
    ctx: _Context, fig: _Figure, last_metric: str | None, trail: _Trail
) -> tuple[str, Metric]:
    """The metric phrase's target and the metric it resolves to (rate phrases applied)."""
    target: str | None
    if ctx.anaphor is not None:
        target = ctx.prev[ctx.levels.index(fig)][1].metric
        trail.add(f"metric from the previous sentence ('{ctx.anaphor}')", "medium")
    else:
        target, why_m, c = _metric_for(ctx.g, fig, ctx.sentence.metrics, ctx.text, last_metric)
        if target is None:
            raise _Unresolvable(why_m)
        trail.add(why_m, c)
    role: Literal["value", "share"] = "share" if fig.unit in ("percent",) else "value"
    try:
        from aipower._query.resolve import resolve_metric

        metric = resolve_metric(ctx.g.store, target, role)
    except AipowerError as exc:
        raise _Unresolvable(str(exc)) from None
    assert target is not None
    return target, _rate_step(ctx, fig, metric, trail)


def _rate_step(ctx: _Context, fig: _Figure, metric: Metric, trail: _Trail) -> Metric:
    """The metric of the concept in a rate phrase's unit ("per 100,000 people"), if any."""
    rate = next((r for r in ctx.sentence.rates if fig.end <= r.start <= fig.end + 2 * _NEAR), None)
    if rate is None:
        return metric
    per = [
        mm
        for mm in ctx.g.store.metrics.values()
        if mm.concept == metric.concept and mm.unit == rate.target
    ]
    if len(per) != 1:
        raise _Unresolvable(
            f"'{rate.text}' makes it a rate; {metric.concept} has no metric in that unit"
        )
    trail.add(f"rate phrase '{rate.text}' ({per[0].metric_id})")
    return per[0]


def _entity_step(ctx: _Context, fig: _Figure, metric_id: str, trail: _Trail) -> str:
    inherited = ctx.prev[ctx.levels.index(fig)][1].entity if ctx.anaphor is not None else None
    if inherited is not None:
        trail.add(f"entity {inherited} from the previous sentence, in order")
        return inherited
    found, why_e, c = _entity_for(
        ctx.g, fig, metric_id, ctx.sentence.entities, ctx.levels, ctx.text
    )
    if found is None:
        raise _Unresolvable(why_e)
    trail.add(why_e, c)
    return found


def _year_step(ctx: _Context, fig: _Figure, metric_id: str, entity: str, trail: _Trail) -> int:
    year, why_y, c = _year_for(ctx.g, fig, ctx.sentence.years, ctx.levels, metric_id, entity)
    if year is None and ctx.anaphor is not None and ctx.prev_year is not None:
        year, why_y, c = (
            ctx.prev_year,
            f"year {ctx.prev_year} from the previous sentence",
            "medium",
        )
    if year is None:
        raise _Unresolvable(why_y)
    trail.add(why_y, c)
    return year


def _currency_step(ctx: _Context, fig: _Figure, metric: Metric) -> None:
    """Refuse a figure whose written currency is not the metric's."""
    if fig.currency is None:
        return
    cur = ctx.g.currency_target.get(fig.currency.casefold())
    if cur is None or cur.target is None or not metric.unit.startswith(cur.target):
        raise _Unresolvable(
            f"the figure is in {fig.currency} but {metric.metric_id} is in {metric.unit}"
        )
