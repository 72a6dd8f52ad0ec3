"""Exceptions raised by aipower. All subclass :class:`AipowerError`."""

from __future__ import annotations

import difflib
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
    """A shipped table breaks a rule of :mod:`aipower.schemas`; the message names the table,
    column, rule and rows. ``failure_cases`` holds pandera's full table of failures."""

    def __init__(self, message: str, failure_cases: object = None) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases


def suggest(word: str, candidates: Iterable[str], n: int = 3) -> str:
    """`` Did you mean 'patents'?`` or an empty string."""
    pool = sorted(set(candidates))
    lowered = {c.casefold(): c for c in pool}
    matches = difflib.get_close_matches(word.casefold(), list(lowered), n=n, cutoff=0.6)
    if not matches:
        return ""
    quoted = " or ".join(repr(lowered[m]) for m in matches)
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
