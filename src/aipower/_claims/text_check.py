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

import csv
import html
import io
import re
import threading
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal

import attrs

from aipower._core.store import Store, default, normalise
from aipower._spec import VERDICT_CODES
from aipower.errors import AipowerError, DataIntegrityError

if TYPE_CHECKING:
    import pandas as pd

    from aipower.results import CheckResult, Observation

Confidence = Literal["high", "medium", "none"]
VOCABULARY_KINDS: tuple[str, ...] = (
    "metric",
    "unit",
    "scale",
    "currency",
    "entity",
    "anaphor",
    "edition",
    "locator",
    "bound",
    "rate",
    "change",
    "number",
    "rank",
)
#: verdict -> background colour of the highlighted figure in the HTML view
HIGHLIGHT_COLOURS: dict[str, str] = {c.id: c.highlight for c in VERDICT_CODES} | {
    "unresolved": "#e4e4e4"
}
_ENTITY_KINDS = ("country", "aggregate", "organisation", "model")
#: a "sentence" longer than this (pasted tables, text without full stops) is not resolved
MAX_SENTENCE = 3_000
#: how far (characters) a word may be from a figure to be attached to it
_NEAR = 48
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_ABBREVIATIONS = frozenset(
    {"u.s", "u.k", "e.g", "i.e", "vs", "mr", "mrs", "ms", "dr", "fig", "p", "pp", "no", "st"}
)


@attrs.frozen
class VocabularyEntry:
    """One row of the text-checking vocabulary (``text_vocabulary.csv``)."""

    kind: str
    phrase: str
    target: str | None
    note: str | None


def vocabulary() -> tuple[VocabularyEntry, ...]:
    """The vocabulary check_text recognises: metric phrases, units, scales, demonyms, ...

    Example:
        >>> any(v.phrase == "Chinese" and v.target == "CHN" for v in vocabulary())
        True
    """
    with _LOCK:
        global _VOCABULARY
        if _VOCABULARY is None:
            _VOCABULARY = _read_vocabulary()
        return _VOCABULARY


def _read_vocabulary() -> tuple[VocabularyEntry, ...]:
    from importlib.resources import files

    text = files("aipower._claims").joinpath("text_vocabulary.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    out = []
    for line, row in enumerate(rows, start=2):
        kind = (row.get("kind") or "").strip()
        phrase = (row.get("phrase") or "").strip()
        if kind not in VOCABULARY_KINDS or not phrase:
            raise DataIntegrityError(
                f"text_vocabulary.csv, line {line}: kind {kind!r} / phrase {phrase!r} is not "
                f"valid (kinds: {', '.join(VOCABULARY_KINDS)}). Reinstall aipower to repair it."
            )
        out.append(
            VocabularyEntry(
                kind=kind,
                phrase=phrase,
                target=(row.get("target") or "").strip() or None,
                note=(row.get("note") or "").strip() or None,
            )
        )
    return tuple(out)


_LOCK = threading.Lock()
_VOCABULARY: tuple[VocabularyEntry, ...] | None = None


# -- results --------------------------------------------------------------------------------
@attrs.frozen(repr=False)
class Finding:
    """One figure of a text: where it is, what it was resolved to and its verdict.

    ``verdict`` is a :func:`aipower.check` verdict, or ``"unresolved"`` when the figure could
    not be tied to one metric, entity and year (``why`` then says what was missing).
    ``confidence`` is ``"high"`` when every part of the resolution came from a direct
    attachment or the only candidate of the sentence, ``"medium"`` when a pairing rule was
    used (order, list, anaphora, the only entity with data), ``"none"`` when unresolved.
    """

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    metric_id: str | None
    entity_id: str | None
    year: int | None
    verdict: str
    confidence: Confidence
    why: str
    result: CheckResult | None = None
    claim_ids: tuple[str, ...] = ()

    @property
    def nearest(self) -> Observation | None:
        """The primary (or nearest) observation the figure was compared with."""
        return self.result.nearest if self.result is not None else None

    @property
    def claim_id(self) -> str | None:
        """The first ledger claim this figure matches, if any."""
        return self.claim_ids[0] if self.claim_ids else None

    def __repr__(self) -> str:
        what = (
            f"{self.metric_id} {self.entity_id} {self.year}"
            if self.verdict != "unresolved"
            else self.why
        )
        return f"Finding({self.text!r} @{self.start}-{self.end}: {self.verdict}; {what})"

    def to_record(self) -> dict[str, Any]:
        """A flat dict (the row of :meth:`TextCheck.to_frame`)."""
        o = self.nearest
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "metric_id": self.metric_id,
            "entity_id": self.entity_id,
            "year": self.year,
            "verdict": self.verdict,
            "nearest_value": o.value if o is not None else None,
            "source_id": o.source_id if o is not None else None,
            "locator": o.locator if o is not None else None,
            "status": o.status if o is not None else None,
            "claim_ids": ";".join(self.claim_ids) or None,
            "confidence": self.confidence,
            "why": self.why,
            "explanation": self.result.explanation if self.result is not None else None,
        }


@attrs.frozen(repr=False)
class TextCheck:
    """Outcome of :func:`check_text`: the text and one :class:`Finding` per figure.

    Iterate over it, index it, or use :meth:`to_frame`; in a notebook it renders the text with
    each figure highlighted by verdict, with the source in a tooltip and a footnote.
    """

    text: str
    findings: tuple[Finding, ...]

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]

    @property
    def verdicts(self) -> dict[str, int]:
        """How many findings got each verdict."""
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.verdict] = out.get(f.verdict, 0) + 1
        return out

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(self.verdicts.items()))
        return f"TextCheck({len(self.findings)} figures; {counts or 'none'})"

    def to_records(self) -> list[dict[str, Any]]:
        return [f.to_record() for f in self.findings]

    def to_frame(self) -> pd.DataFrame:
        """One row per finding (pandas is imported here, not by ``import aipower``)."""
        import pandas as pd

        columns = [
            "start",
            "end",
            "text",
            "value",
            "unit",
            "metric_id",
            "entity_id",
            "year",
            "verdict",
            "nearest_value",
            "source_id",
            "locator",
            "status",
            "claim_ids",
            "confidence",
            "why",
            "explanation",
        ]
        frame = pd.DataFrame(self.to_records(), columns=columns)
        frame["year"] = frame["year"].astype("Int64")
        return frame

    def _repr_html_(self) -> str:
        return text_check_html(self)


def text_check_html(tc: TextCheck) -> str:
    """The text with each figure highlighted by verdict; every piece of text is escaped."""
    parts: list[str] = []
    notes: list[str] = []
    pos = 0
    for n, f in enumerate(tc.findings, start=1):
        parts.append(html.escape(tc.text[pos : f.start]))
        o = f.nearest
        if o is not None:
            from aipower._claims.verdict import format_value

            src = (
                f"{format_value(o.value, o.unit)} in {o.source.title} ({o.source_id}), "
                f"{o.locator}, {o.status}"
            )
            tip = f"{f.verdict}: {f.metric_id} {f.entity_id} {f.year} = {src}"
        else:
            src = f.why
            tip = f"{f.verdict}: {src}"
        colour = HIGHLIGHT_COLOURS.get(f.verdict, "#e4e4e4")
        parts.append(
            f'<mark style="background:{colour};border-radius:3px;padding:0 2px" '
            f'title="{html.escape(tip, quote=True)}">{html.escape(tc.text[f.start : f.end])}'
            f"</mark><sup>{n}</sup>"
        )
        claim = f" &middot; claim {html.escape(', '.join(f.claim_ids))}" if f.claim_ids else ""
        notes.append(
            f"<li><b>{html.escape(f.verdict)}</b> &middot; {html.escape(f.text)} &rarr; "
            f"{html.escape(str(f.metric_id or '?'))} {html.escape(str(f.entity_id or '?'))} "
            f"{html.escape(str(f.year or '?'))}{claim}<br>"
            f"<span style='color:#57606a'>{html.escape(src)}</span></li>"
        )
        pos = f.end
    parts.append(html.escape(tc.text[pos:]))
    body = "".join(parts).replace("\n", "<br>")
    return (
        "<div style='font-family:sans-serif;line-height:1.6;max-width:56em'>"
        f"<p>{body}</p><ol style='font-size:0.9em'>{''.join(notes)}</ol></div>"
    )


# -- the grammar ----------------------------------------------------------------------------
@attrs.frozen
class _Span:
    start: int
    end: int
    text: str
    target: str | None = None


@attrs.frozen
class _Figure:
    start: int
    end: int
    text: str
    number: str
    unit: str | None  # percent / thousand / million / billion, or None
    currency: str | None  # the currency as written
    problem: str | None  # why it cannot be checked whatever the context
    level: bool  # a level (not a ratio or difference): takes part in pairing


@attrs.frozen
class _Resolved:
    metric: str | None
    entity: str | None
    year: int | None


def _phrase_pattern(phrase: str) -> list[str]:
    """Regex alternatives of a phrase: ``[AI]`` words are optional, hyphen = space."""
    out = []
    for variant in _variants(phrase):
        v = variant.split()
        pieces = []
        for w in v:
            sub = [re.escape(p) for p in w.split("-")]
            pieces.append(r"[\s\u00a0-]+".join(sub) if len(sub) > 1 else sub[0])
        out.append(r"[\s\u00a0-]+".join(pieces))
    return out


def _key(text: str) -> str:
    return " ".join(re.split(r"[\s\u00a0-]+", text.casefold())).strip()


def _trie_regex(words: Sequence[str]) -> str:
    """One regex matching any of ``words`` (longest first), compiled from a character trie."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


class _Grammar:
    """Compiled patterns and lookup tables (built once per store)."""

    def __init__(self, store: Store) -> None:
        store.load_indexes()
        vocab = vocabulary()
        self.store = store
        by_kind: dict[str, list[VocabularyEntry]] = {k: [] for k in VOCABULARY_KINDS}
        for v in vocab:
            by_kind[v.kind].append(v)
        # metric phrases: normalised phrase -> target (concept or metric id)
        self.concept_words = {c for c, _ in store.concepts}
        self.metric_targets: dict[str, str] = {}
        alternatives: list[str] = []
        for v in by_kind["metric"]:
            target = v.target or ""
            if target not in store.metrics and not any(c == target for c, _ in store.concepts):
                raise DataIntegrityError(
                    f"text_vocabulary.csv: metric phrase {v.phrase!r} names {target!r}, which "
                    "is neither a metric id nor a concept. Reinstall aipower to repair it."
                )
            for alt in _phrase_pattern(v.phrase):
                alternatives.append(alt)
            for variant in _variants(v.phrase):
                self.metric_targets.setdefault(_key(variant), target)
        alternatives.sort(key=len, reverse=True)
        self.metric_re = re.compile(
            r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE
        )
        # entities: surface string (case-sensitive) -> entity id
        self.entity_of: dict[str, str] = {}
        for e in store.entities.values():
            if e.kind not in _ENTITY_KINDS:
                continue
            for surface in (e.name, *e.aliases):
                if surface[:1].isupper() and not surface.endswith(")"):
                    eid = store.entity_names.get(normalise(surface), e.entity_id)
                    self.entity_of.setdefault(surface, eid)
        for v in by_kind["entity"]:
            if v.target not in store.entities:
                raise DataIntegrityError(
                    f"text_vocabulary.csv: entity phrase {v.phrase!r} names unknown entity "
                    f"{v.target!r}. Reinstall aipower to repair it."
                )
            self.entity_of[v.phrase] = v.target
        surfaces = sorted(self.entity_of, key=len, reverse=True)
        self.entity_re = re.compile(r"(?<![\w-])" + _trie_regex(surfaces) + r"(?![\w]|-[A-Za-z])")
        # numbers with their currency, scale and unit
        self.unit_target = {_key(v.phrase): v for v in by_kind["unit"]}
        self.scale_target = {_key(v.phrase): v for v in by_kind["scale"]}
        self.currency_target = {v.phrase.casefold(): v for v in by_kind["currency"]}
        cur_before = sorted(
            (re.escape(v.phrase) for v in by_kind["currency"] if not v.phrase.isalpha()),
            key=len,
            reverse=True,
        )
        cur_codes = [v.phrase for v in by_kind["currency"] if v.phrase.isupper()]
        cur_after = [v.phrase for v in by_kind["currency"] if v.phrase.islower()]
        scales_spaced = [p for p in self.scale_target if len(p) > 1]
        scales_glued = [p for p in self.scale_target if len(p) == 1]
        units_sym = [p for p in self.unit_target if not p[:1].isalpha()]
        units_word = [p for p in self.unit_target if p[:1].isalpha() and len(p) > 1]
        units_glued = [p for p in self.unit_target if p.isalpha() and len(p) == 1]

        def either(items: Sequence[str]) -> str:
            return "|".join(
                r"[\s\u00a0]+".join(re.escape(w) for w in i.split())
                for i in sorted(items, key=len, reverse=True)
            )

        self.number_re = re.compile(
            r"(?<![\w.,/\-])"
            rf"(?:(?P<cur>{'|'.join(cur_before)})\s?|(?P<code>{either(cur_codes)})[\s\u00a0]?)?"
            r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
            rf"(?:[\s\u00a0]*(?P<scale>(?i:{either(scales_spaced)}))(?![\w])"
            rf"|(?P<gscale>(?i:{either(scales_glued)}))(?![\w]))?"
            rf"(?:[\s\u00a0]?(?P<sym>{either(units_sym)})"
            rf"|[\s\u00a0]+(?P<unit>(?i:{either(units_word)}))(?![\w])"
            rf"|(?P<gunit>(?i:{either(units_glued)}))(?![\w]))?"
            rf"(?:[\s\u00a0]+(?P<curword>{either(cur_after)})(?![\w]))?"
        )
        self.anaphor_re = _word_re(by_kind["anaphor"])
        self.edition_re = _word_re(by_kind["edition"])
        self.bound_re = re.compile(
            r"(?<![\w])(" + _alternation(by_kind["bound"]) + r")[\s\u00a0]+$", re.IGNORECASE
        )
        before_change = [v for v in by_kind["change"] if not v.phrase.startswith("+")]
        after_change = [
            attrs.evolve(v, phrase=v.phrase[1:]) for v in by_kind["change"] if v.phrase[0] == "+"
        ]
        self.rank_re = re.compile(
            r"(?<![\w])(" + _alternation(by_kind["rank"]) + r")[\s\u00a0]+$", re.IGNORECASE
        )
        self.change_before_re = re.compile(
            r"(?<![\w])(" + _alternation(before_change) + r")[\s\u00a0]+$", re.IGNORECASE
        )
        self.change_after_re = re.compile(
            r"^[\s\u00a0]+(" + _alternation(after_change) + r")(?![\w])", re.IGNORECASE
        )
        self.number_words = {v.phrase.casefold(): str(v.target) for v in by_kind["number"]}
        self.number_word_re = _word_re(by_kind["number"])
        self.rate_re = _word_re(by_kind["rate"])
        self.rate_unit = {_key(v.phrase): v for v in by_kind["rate"]}
        self.locator_words = {v.phrase.casefold() for v in by_kind["locator"]}
        self.year_re = re.compile(r"(?<![\w.,\-])(1[89]\d\d|20\d\d|2100)(?![\w%]|[.,]\d)")
        self.month_re = re.compile(rf"\b(?:{_MONTHS})\.?\s*$")
        self.month_after_re = re.compile(rf"^\s*(?:{_MONTHS})\b")
        # ledger: (metric, entity, year) -> [(claim_id, stated canonical value)]
        self.claims: dict[tuple[str, str, int], list[tuple[str, float]]] = {}
        for r in store.arrow("claims").to_pylist():
            if r["claim_kind"] != "value" or r["stated_value"] is None or r["year"] is None:
                continue
            key = (str(r["metric_id"]), str(r["entity_id"]), int(r["year"]))
            self.claims.setdefault(key, []).append((str(r["claim_id"]), float(r["stated_value"])))


def _variants(phrase: str) -> list[str]:
    words = phrase.split()
    out: list[list[str]] = [[]]
    for w in words:
        if w.startswith("[") and w.endswith("]"):
            out = [*[[*v, w[1:-1]] for v in out], *out]
        else:
            out = [[*v, w] for v in out]
    return [" ".join(v) for v in out]


def _alternation(entries: Sequence[VocabularyEntry]) -> str:
    alts = sorted((a for v in entries for a in _phrase_pattern(v.phrase)), key=len, reverse=True)
    return "|".join(alts)


def _word_re(entries: Sequence[VocabularyEntry]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + _alternation(entries) + r")(?![\w])", re.IGNORECASE)


def _grammar(store: Store) -> _Grammar:
    return store.cached(("text-check-grammar",), lambda: _Grammar(store))


# -- sentences ------------------------------------------------------------------------------
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"([\w.]+)$", text[max(start, m.start() - 12) : m.start()])
            if word and word.group(1).casefold().rstrip(".") in _ABBREVIATIONS:
                continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# -- attachment -----------------------------------------------------------------------------
_METRIC_AFTER = re.compile(
    r"^[\s\u00a0]*(?:of[\s\u00a0]+)?(?:(?:the|all|its|their|global|world'?s|world’s|total|"
    r"worldwide|most|top-tier|top|leading)[\s\u00a0]+){0,3}$",
    re.IGNORECASE,
)
_METRIC_BEFORE = re.compile(
    r"^[\s\u00a0]*[,:]?[\s\u00a0]*(?:(?:was|were|is|stood[\s\u00a0]+at|reached|rose[\s\u00a0]+to|"
    r"fell[\s\u00a0]+to|came[\s\u00a0]+to|hit|totall?ed|at|of)[\s\u00a0]+)?"
    r"(?:(?:about|around|some|roughly|just|only)[\s\u00a0]+)?$",
    re.IGNORECASE,
)
_ENTITY_BEFORE = re.compile(
    r"^(?:['’]s)?[\s\u00a0,:(]*(?:(?:had|has|held|holds|with|at|on|was|were|is|got|saw|"
    r"produced|made|released|wrote|published|accounted[\s\u00a0]+for|reached|hosted|hit|"
    r"drew|attracted|raised|totall?ed|came[\s\u00a0]+to|stood[\s\u00a0]+at|rose[\s\u00a0]+to|"
    r"fell[\s\u00a0]+to|amounted[\s\u00a0]+to)[\s\u00a0]+)?"
    r"(?:(?:about|around|some|roughly|just|only)[\s\u00a0]+)?$"
)
_ENTITY_AFTER = re.compile(
    r"^[\s\u00a0,]+(?:in|for|from|by|at)[\s\u00a0]+(?:the[\s\u00a0]+)?$", re.IGNORECASE
)


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


def _inside(pos: int, spans: Sequence[_Span]) -> bool:
    """Is ``pos`` inside one of ``spans`` (sorted, non-overlapping)? Binary search."""
    i = bisect_right(spans, pos, key=lambda sp: sp.start) - 1
    return i >= 0 and pos < spans[i].end


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
    for e in entities:
        if e.end > fig.start + _NEAR or e.start < fig.start - 2 * _NEAR:
            continue
        if e.end <= fig.start and _ENTITY_BEFORE.match(text[e.end : fig.start]):
            return e.target, f"entity '{e.text}' ({e.target}) right before the figure", "high"
        if e.start >= fig.end and _ENTITY_AFTER.match(text[fig.end : e.start]):
            return e.target, f"entity '{e.text}' ({e.target}) right after the figure", "high"
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
