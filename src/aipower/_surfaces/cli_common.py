"""What every ``aipower`` command shares: exit statuses, shell phrasing, value parsing.

The public entry (:mod:`aipower.cli`) re-exports these names; the command modules
(``cli_query``, ``cli_claims``, ``cli_extras``) and the parser (``cli_parser``) import them
from here, so that nothing below :mod:`aipower.cli` imports it back.
"""

from __future__ import annotations

import enum
import re
from decimal import Decimal, InvalidOperation


class ExitCode(enum.IntEnum):
    """Exit status of the ``aipower`` command, one per outcome."""

    OK = 0
    DIFFERS = 1
    USAGE = 2
    NO_DATA = 3
    UNVERIFIED = 4
    INTEGRITY = 5
    FILE_ERROR = 6
    MISSING_EXTRA = 7


#: exit status -> what it means (the --help epilog and the generated docs page use this table)
EXIT_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "ok (check: the number matches, or is the value rounded)",
    ExitCode.DIFFERS: "check: the number differs from the primary, or is contradicted by it",
    ExitCode.USAGE: "usage error (unknown metric, country, source, claim or licence; bad argument)",
    ExitCode.NO_DATA: "no data: a valid question aipower holds no value for",
    ExitCode.UNVERIFIED: "check: unverified (only second-hand values to compare with)",
    ExitCode.INTEGRITY: "data integrity error (a shipped file missing, altered or invalid)",
    ExitCode.FILE_ERROR: "file error (a file or directory could not be read or written)",
    ExitCode.MISSING_EXTRA: "an optional part is not installed (the message names the extra)",
}
EXIT_HELP = "exit status: " + "; ".join(f"{int(c)} {m}" for c, m in EXIT_MEANINGS.items())

#: check verdict -> exit status (the CLI's own mapping; its keys are checked against the spec)
VERDICT_EXIT: dict[str, ExitCode] = {
    "matches": ExitCode.OK,
    "rounded": ExitCode.OK,
    "differs": ExitCode.DIFFERS,
    "contradicted": ExitCode.DIFFERS,
    "unverified": ExitCode.UNVERIFIED,
}


class MissingExtra(Exception):
    """An optional part (an extra) is not installed; the message names the pip command."""

    def __init__(self, extra: str, package: str) -> None:
        super().__init__(f"this needs {package}: pip install 'aipower[{extra}]'")


# -- the API's messages, spoken in shell ----------------------------------------------------
#: (pattern, replacement) applied in order to every error message (a mapping table as data)
_SHELL_PHRASES: tuple[tuple[str, str], ...] = (
    (r"aipower\.(claims|metrics|sources|entities)\(\)", r"`aipower \1`"),
    (r"aipower\.get\(\)", "`aipower get`"),
    (r"aipower\.get\((['\"][^'\"]*['\"]), \.\.\.\)", r"`aipower get \1 ...`"),
    (r"the 'family' column of `aipower sources`", "the family column of `aipower sources`"),
    (r"\bunit='(\w+)'", r"--unit \1"),
    (r"\bentity=('[^']*')", r"--entity \1"),
    (r"\bcountry=('[^']*')", r"--country \1"),
    (r"\b(country|entity|source|vintage|year|value|unit)= ", r"--\1 "),
)


def shell_message(message: str) -> str:
    """Rewrite an API error message into the CLI's terms.

    ``aipower.metrics()`` becomes ```aipower metrics```, ``unit='percent'`` becomes
    ``--unit percent``.

    Args:
        message: the API's error message.

    Returns:
        The message phrased for the shell.
    """
    for pattern, replacement in _SHELL_PHRASES:
        message = re.sub(pattern, replacement, message)
    return message


# -- value parsing: 69.7%, 2,600,000, 2.6M ---------------------------------------------------
#: suffix (casefolded) -> the ``unit=`` of aipower.check
_VALUE_SUFFIXES: dict[str, str] = {
    "%": "percent",
    "percent": "percent",
    "k": "thousand",
    "thousand": "thousand",
    "m": "million",
    "mn": "million",
    "million": "million",
    "b": "billion",
    "bn": "billion",
    "billion": "billion",
}
UNIT_CHOICES = ("percent", "%", "fraction", "thousand", "million", "billion")
_NUMBER = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?\.\d+)"
    r"\s*(?P<suffix>%|[A-Za-z]+)?"
)


def parse_value(text: str) -> tuple[Decimal, str | None]:
    """Read a number as people write it, with its unit suffix.

    ``"69.7%"`` -> (69.7, "percent"); ``"2,600,000"`` -> (2600000, None); ``"2.6M"`` ->
    (2.6, "million"). The digits are kept exactly as written, so the rounding rules see the
    stated precision.

    Args:
        text: the number as written.

    Returns:
        The number and the ``unit=`` its suffix names (None without a suffix).

    Raises:
        ValueError: ``text`` is not a number, saying how to write one.

    Example:
        >>> parse_value("2.6M")
        (Decimal('2.6'), 'million')
    """
    cleaned = text.strip().replace("\u202f", "").replace("\u00a0", "").replace("_", "")
    match = _NUMBER.fullmatch(cleaned)
    suffix = (match.group("suffix") or "").casefold() if match else ""
    if match is None or (suffix and suffix not in _VALUE_SUFFIXES):
        raise ValueError(
            f"--value {text!r} is not a number; write it like 69.7, 69.7%, 2,600,000, 2.6M "
            f"or 2.6e6 (suffixes: {', '.join(sorted(set(_VALUE_SUFFIXES)))})"
        )
    try:
        number = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"--value {text!r} is not a number") from None
    return number, _VALUE_SUFFIXES[suffix] if suffix else None


def value_and_unit(value: str, unit: str | None) -> tuple[Decimal, str | None]:
    """The number of ``--value`` and the unit it is written in (its suffix or ``--unit``).

    Args:
        value: ``--value`` as written.
        unit: ``--unit`` (``%`` means percent), or None.

    Returns:
        The number and its unit (None: the metric's canonical unit).

    Raises:
        ValueError: the value is not a number, or its suffix and ``--unit`` disagree.
    """
    number, suffix_unit = parse_value(value)
    unit = "percent" if unit == "%" else unit
    if suffix_unit is not None and unit is not None and suffix_unit != unit:
        raise ValueError(
            f"--value {value!r} says {suffix_unit} but --unit says {unit}; give one of them"
        )
    return number, suffix_unit or unit
