"""The compiled grammar of :func:`aipower.check_text`: patterns, spans and sentences.

Built once per store from the vocabulary and the entities table (see
:mod:`aipower._claims.text_check` for the grammar itself).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

import attrs

from aipower._claims.text_vocabulary import (
    VOCABULARY_KINDS,
    VocabularyEntry,
    _alternation,
    _key,
    _phrase_pattern,
    _trie_regex,
    _variants,
    _word_re,
    vocabulary,
)
from aipower._core.store import Store, normalise
from aipower.errors import DataIntegrityError

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


class _Grammar:
    """Compiled patterns and lookup tables (built once per store)."""

    def __init__(self, store: Store) -> None:
        store.load_indexes()
        vocab = vocabulary()
        self.store = store
        by_kind: dict[str, list[VocabularyEntry]] = {k: [] for k in VOCABULARY_KINDS}
        for v in vocab:
            by_kind[v.kind].append(v)
        self._metric_phrases(by_kind["metric"])
        self._entity_names(by_kind["entity"])
        self._numbers(by_kind)
        self._context_words(by_kind)
        self._ledger()

    def _metric_phrases(self, entries: Sequence[VocabularyEntry]) -> None:
        store = self.store
        # metric phrases: normalised phrase -> target (concept or metric id)
        self.concept_words = {c for c, _ in store.concepts}
        self.metric_targets: dict[str, str] = {}
        alternatives: list[str] = []
        for v in entries:
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

    def _entity_names(self, entries: Sequence[VocabularyEntry]) -> None:
        store = self.store
        # entities: surface string (case-sensitive) -> entity id
        self.entity_of: dict[str, str] = {}
        for e in store.entities.values():
            if e.kind not in _ENTITY_KINDS:
                continue
            for surface in (e.name, *e.aliases):
                if surface[:1].isupper() and not surface.endswith(")"):
                    eid = store.entity_names.get(normalise(surface), e.entity_id)
                    self.entity_of.setdefault(surface, eid)
        for v in entries:
            if v.target not in store.entities:
                raise DataIntegrityError(
                    f"text_vocabulary.csv: entity phrase {v.phrase!r} names unknown entity "
                    f"{v.target!r}. Reinstall aipower to repair it."
                )
            self.entity_of[v.phrase] = v.target
        surfaces = sorted(self.entity_of, key=len, reverse=True)
        self.entity_re = re.compile(r"(?<![\w-])" + _trie_regex(surfaces) + r"(?![\w]|-[A-Za-z])")

    def _numbers(self, by_kind: dict[str, list[VocabularyEntry]]) -> None:
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

    def _context_words(self, by_kind: dict[str, list[VocabularyEntry]]) -> None:
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

    def _ledger(self) -> None:
        store = self.store
        # ledger: (metric, entity, year) -> [(claim_id, stated canonical value)]
        self.claims: dict[tuple[str, str, int], list[tuple[str, float]]] = {}
        for r in store.arrow("claims").to_pylist():
            if r["claim_kind"] != "value" or r["stated_value"] is None or r["year"] is None:
                continue
            key = (str(r["metric_id"]), str(r["entity_id"]), int(r["year"]))
            self.claims.setdefault(key, []).append((str(r["claim_id"]), float(r["stated_value"])))


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


def _inside(pos: int, spans: Sequence[_Span]) -> bool:
    """Is ``pos`` inside one of ``spans`` (sorted, non-overlapping)? Binary search."""
    i = bisect_right(spans, pos, key=lambda sp: sp.start) - 1
    return i >= 0 and pos < spans[i].end
