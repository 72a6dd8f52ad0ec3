"""Exceptions raised by aipower. All subclass :class:`AipowerError`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


class AipowerError(Exception):
    """Base class of every error aipower raises on purpose."""


class UnknownMetricError(AipowerError, LookupError):
    """The metric or concept word is not known; the message suggests close matches."""


class UnknownEntityError(AipowerError, LookupError):
    """The country/entity name is not known; the message suggests close matches."""


class UnknownSourceError(AipowerError, LookupError):
    """The ``source=`` id is not known; the message suggests close matches."""


class UnknownClaimError(AipowerError, LookupError):
    """The claim id is not in the claims table; the message suggests close matches."""


class NoDataError(AipowerError, LookupError):
    """The query is valid but no value exists; the message says what is available."""


class DataIntegrityError(AipowerError):
    """A shipped data file is missing, truncated or altered; reinstall aipower to repair it."""


class DataValidationError(DataIntegrityError):
    """A shipped table breaks a rule of :mod:`aipower.schemas`.

    The message names the table, column, rule and rows. ``failure_cases`` holds pandera's full
    table of failures.
    """

    def __init__(self, message: str, failure_cases: object = None) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases


#: words people use -> the name aipower uses (a mapping table; used only when the target is
#: one of the candidates, so the same table serves metrics, concepts and sources)
SYNONYMS: dict[str, str] = {
    "talent": "researchers",
    "ai_talent": "researchers",
    "researcher": "researchers",
    "scientists": "researchers",
    "gpu_hours": "training_gpu_hours",
    "gpuhours": "training_gpu_hours",
    "chip_hours": "training_gpu_hours",
    "compute": "training_compute",
    "flop": "training_compute",
    "investment": "private_investment",
    "funding": "private_investment",
    "papers": "publications",
    "articles": "publications",
    "models": "notable_models",
    "ai_models": "notable_models",
}


def _tokens(word: str) -> list[str]:
    return [t for t in re.split(r"[\s_\-/.]+", word.casefold()) if t]


def suggest(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """`` Did you mean 'patents'?`` or an empty string.

    Tried in order: a known synonym (``"talent"`` -> ``researchers``), names that contain
    every word of ``word`` (``"gpu hours"`` -> ``training_gpu_hours``, ``"epoch"`` -> the
    Epoch source families), then close spellings (``"patens"`` -> ``patents``).
    """
    pool = sorted(set(candidates))
    lowered = {c.casefold(): c for c in pool}
    tokens = _tokens(word)
    found: list[str] = []
    target = SYNONYMS.get("_".join(tokens))
    if target is not None and target.casefold() in lowered:
        found.append(lowered[target.casefold()])
    if tokens:
        containing = [
            c
            for c in pool
            if all(t in _tokens(c) for t in tokens) and c.casefold() != word.casefold()
        ]
        found += sorted(
            containing,
            key=lambda c: (_tokens(c)[:1] != tokens[:1], len(_tokens(c)), len(c), c),
        )
    found += [
        lowered[m]
        for m in difflib.get_close_matches(word.casefold(), list(lowered), n=n, cutoff=0.6)
    ]
    unique = list(dict.fromkeys(found))[: n + 1]
    if not unique:
        return ""
    quoted = " or ".join(repr(m) for m in unique)
    return f" Did you mean {quoted}?"


__all__ = [
    "AipowerError",
    "DataIntegrityError",
    "DataValidationError",
    "NoDataError",
    "UnknownClaimError",
    "UnknownEntityError",
    "UnknownMetricError",
    "UnknownSourceError",
]
