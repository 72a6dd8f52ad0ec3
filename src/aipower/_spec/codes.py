"""Code lists of the spec: the kinds, licences, statuses and verdicts a table may hold.

Each status and verdict is a typed record (id, rank, colour, meaning); every other list in
the package is derived from these. Import-light: no pandas, pandera or pyarrow.
"""

from __future__ import annotations

from typing import Literal

import attrs

from aipower._spec.literals import Status, Verdict

Dtype = Literal["str", "int", "float", "bool", "date", "list[str]"]

METRIC_KINDS: tuple[str, ...] = (
    "share",
    "count",
    "amount",
    "rate",
    "index",
    "duration",
    "score",
    "gap",
)
SOURCE_KINDS: tuple[str, ...] = ("report", "dataset", "paper", "article", "survey", "webpage")
ENTITY_KINDS: tuple[str, ...] = (
    "country",
    "aggregate",
    "organisation",
    "model",
    "sector",
    "pair",
)
LICENSES: tuple[str, ...] = (
    "CC-BY-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "LGPL-2.1-only",
    "MIT",
    "proprietary",
    "unknown",
)
CONCEPT_ROLES: tuple[str, ...] = ("value", "share")


# -- code lists -------------------------------------------------------------------------------
# Each status and each verdict is defined once, here, as a record; the tuples, dicts and
# ``Literal`` types the rest of the package uses are derived from these records (a test checks
# that the ``Literal`` types list exactly these ids and that no other module restates them).


@attrs.frozen
class StatusCode:
    """One value of ``observations.status``: how a value was established.

    Example:
        >>> STATUS["secondary"].rank, STATUS["secondary"].colour
        (4, '#cf222e')
    """

    id: str
    #: order of preference when no default source decides (0 is preferred)
    rank: int
    #: colour of the status badge in the HTML views
    colour: str
    #: what the status means, in one line (the data model's definitions)
    meaning: str


@attrs.frozen
class VerdictCode:
    """One value of ``claims.verdict``: the outcome of the rules in ``aipower._claims.verdict``.

    Example:
        >>> VERDICT["rounded"].rank, VERDICT["rounded"].mark
        (1, '≈ rounded')
    """

    id: str
    #: how good the verdict is (0 best; used to pick the nearest observation)
    rank: int
    #: colour of the verdict badge in the HTML views
    colour: str
    #: the rule that gives this verdict (reStructuredText, one paragraph)
    meaning: str
    #: the verdict with a plain glyph every common font has (the docs' claims page)
    mark: str
    #: background colour of a figure with this verdict in ``check_text``'s HTML view
    highlight: str
    #: does the checked number agree with the primary value (exactly or as rounded)?
    agrees: bool = False


#: Every status, in the order the data model lists them; ``rank`` gives the preference.
STATUS_CODES: tuple[StatusCode, ...] = (
    StatusCode("verified", 0, "#1a7f37", "read in the primary source"),
    StatusCode(
        "secondary",
        4,
        "#cf222e",
        "only seen in a secondary source such as news or a digest, not in the primary",
    ),
    StatusCode(
        "inferred", 1, "#9a6700", "value read in the primary, its pairing with a country inferred"
    ),
    StatusCode(
        "derived",
        2,
        "#0969da",
        "computed by aipower from other rows; rule in derived_from, input keys in inputs "
        "(aipower.derivation)",
    ),
    StatusCode("incomplete", 3, "#bc4c00", "the producer flags the period as not yet complete"),
)
#: Every verdict, in the order the claims table lists them; ``rank`` gives how good it is.
VERDICT_CODES: tuple[VerdictCode, ...] = (
    VerdictCode(
        "matches",
        0,
        "#1a7f37",
        "the stated number equals the primary value (relative tolerance 1e-9, i.e. only float "
        "noise: 69.7 % and 0.697 match, 69.70 and 69.7 match).",
        "✓ matches",
        "#c6efce",
        agrees=True,
    ),
    VerdictCode(
        "rounded",
        1,
        "#4d7c0f",
        "not equal, but the primary value rounded half-up at the precision of the stated "
        "number equals it. The precision of a stated number is its last non-zero digit in the "
        "unit it was stated in: 70 % is stated to the ten, 2.6 million to the hundred thousand, "
        "69.7 % to the tenth. (So 70 % for 69.7 % is ``rounded``; 13 % for 13.03 % is "
        "``rounded``.)",
        "≈ rounded",
        "#e2f0c0",
        agrees=True,
    ),
    VerdictCode(
        "differs",
        2,
        "#bc4c00",
        "any other number; the explanation gives the absolute and relative difference. A claim "
        "whose number agrees but which describes a different quantity (curated "
        '``same_basis=false``, e.g. "69.7% of all AI patents" for a share of *granted* '
        "patents) is also ``differs``.",
        "≠ differs",
        "#ffd8b0",
    ),
    VerdictCode(
        "unverified",
        4,
        "#57606a",
        "no primary value was located, or the only value aipower holds was seen second-hand "
        "(status ``secondary``): agreeing with a copy proves nothing, so the explanation says "
        "whether the stated number agrees with that copy but the verdict stays ``unverified``.",
        "? unverified",
        "#fff2b3",
    ),
    VerdictCode(
        "contradicted",
        3,
        "#cf222e",
        'the primary says the opposite of a qualitative claim (e.g. "X leads" when another '
        "named entity has the larger value).",
        "✗ contradicted",
        "#ffc7ce",
    ),
)
#: status id -> its record
STATUS: dict[str, StatusCode] = {c.id: c for c in STATUS_CODES}
#: verdict id -> its record
VERDICT: dict[str, VerdictCode] = {c.id: c for c in VERDICT_CODES}
STATUSES: tuple[str, ...] = tuple(STATUS)
VERDICTS: tuple[str, ...] = tuple(VERDICT)
#: Order in which statuses are preferred when no default source decides.
STATUS_RANK: dict[str, int] = {c.id: c.rank for c in STATUS_CODES}
#: How good each verdict is, best first.
VERDICT_RANK: dict[str, int] = {c.id: c.rank for c in VERDICT_CODES}
#: The verdicts whose number agrees with the primary value.
AGREEING_VERDICTS: tuple[str, ...] = tuple(c.id for c in VERDICT_CODES if c.agrees)
# The ids as types, for mypy, are generated from these records into literals.py
# (``python -m aipower._spec.render``; tests/test_spec.py checks the file is current).

__all__ = [
    "AGREEING_VERDICTS",
    "CONCEPT_ROLES",
    "ENTITY_KINDS",
    "LICENSES",
    "METRIC_KINDS",
    "SOURCE_KINDS",
    "STATUS",
    "STATUSES",
    "STATUS_CODES",
    "STATUS_RANK",
    "VERDICT",
    "VERDICTS",
    "VERDICT_CODES",
    "VERDICT_RANK",
    "Dtype",
    "Status",
    "StatusCode",
    "Verdict",
    "VerdictCode",
]
