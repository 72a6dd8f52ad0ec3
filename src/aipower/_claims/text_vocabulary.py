"""The vocabulary of :func:`aipower.check_text` (``text_vocabulary.csv``) and phrase patterns.

The vocabulary is data: one row per phrase, with its kind (metric, unit, scale, currency, ...),
the metric, entity or unit it stands for, and a note. ``[AI]`` marks an optional word, and a
hyphen matches a space.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Sequence
from typing import Any

import attrs

from aipower.errors import DataIntegrityError

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
