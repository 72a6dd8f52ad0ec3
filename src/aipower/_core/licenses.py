"""Licence ids used in the sources table: their titles and canonical URLs.

A mapping table (not an if-chain), used by exports (Frictionless ``licenses``), citations and
the generated docs. Import-light: no pandas, pandera or pyarrow. A test checks that every id
in ``aipower._spec.LICENSES`` has an entry here.
"""

from __future__ import annotations

from aipower._spec import LICENSES, TABLES
from aipower.errors import suggest

#: licence id -> (title, canonical URL or None)
LICENSE_INFO: dict[str, tuple[str, str | None]] = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution-NonCommercial 4.0 International",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    "CC-BY-ND-4.0": (
        "Creative Commons Attribution-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "LGPL-2.1-only": (
        "GNU Lesser General Public License v2.1 only",
        "https://spdx.org/licenses/LGPL-2.1-only.html",
    ),
    "MIT": ("MIT License", "https://spdx.org/licenses/MIT.html"),
    "proprietary": (
        "All rights reserved by the publisher (aipower records the figures it quotes)",
        None,
    ),
    "unknown": ("Licence not established by aipower; ask the publisher before reuse", None),
}

#: What each licence lets a user of the exported values do, in one line.
LICENSE_USE: dict[str, str] = {
    "CC-BY-4.0": "reuse and adapt, with attribution",
    "CC-BY-NC-4.0": "non-commercial reuse and adaptation, with attribution",
    "CC-BY-ND-4.0": "redistribute unchanged, with attribution; no adapted versions",
    "CC-BY-SA-4.0": "reuse and adapt, with attribution, under the same licence",
    "CC0-1.0": "any use",
    "LGPL-2.1-only": "reuse under the LGPL's terms",
    "MIT": "any use, keeping the copyright notice",
    "proprietary": "quoting facts with attribution; no redistribution of the work",
    "unknown": "unclear: check with the publisher",
}


def license_title(license_id: str) -> str:
    """Human title of a licence id (the id itself when unknown to aipower)."""
    return LICENSE_INFO.get(license_id, (license_id, None))[0]


def license_url(license_id: str) -> str | None:
    """Canonical URL of a licence id, or None."""
    return LICENSE_INFO.get(license_id, (license_id, None))[1]


def license_arg(license: object) -> list[str] | None:
    """The ``license=`` argument of table/export/duckdb as licence ids (case-insensitive).

    Raises:
        TypeError: not a str or a collection of str.
        ValueError: an unknown licence id (the message names the closest).
    """
    if license is None:
        return None
    if isinstance(license, str):
        wanted = [license]
    elif isinstance(license, list | tuple | set | frozenset) and all(
        isinstance(x, str) for x in license
    ):
        wanted = sorted(license)
    else:
        raise TypeError(f"license must be a str or a list of str, not {type(license).__name__}")
    canonical = {lic.casefold(): lic for lic in LICENSES}
    wanted = [canonical.get(lic.strip().casefold(), lic) for lic in wanted]
    for lic in wanted:
        if lic not in LICENSES:
            raise ValueError(
                f"license: unknown licence id {lic!r}.{suggest(lic, LICENSES)} "
                f"Licence ids: {', '.join(LICENSES)}"
            )
    return wanted


def license_column(table: str) -> str | None:
    """The column of ``table`` naming the source whose licence its rows carry (the spec's rule).

    ``None`` for aipower's own reference tables (entities, metrics, concepts), which
    ``license=`` leaves whole.

    Example:
        >>> license_column("claims"), license_column("observations"), license_column("metrics")
        ('stated_by', 'source_id', None)
    """
    return TABLES[table].license_column
