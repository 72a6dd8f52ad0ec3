"""Parsers and names shared by the Epoch AI ingest modules (no ``FAMILY``: not a module).

``epoch_ai_models``, ``epoch_gpu_clusters``, ``epoch_benchmarks``, ``epoch_ml_hardware`` and
``lmarena`` read Epoch's cells with these: names are slugged, ``,``-joined cells split, numbers
and dates checked, country cells mapped through ``ctx.entity_id``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

import pandas as pd

from aipower_build.ingest.base import IngestContext, IngestError

WORLD = "WORLD"
UNKNOWN = "UNKNOWN"
PAIR_US_CHINA = "US_CHINA"
USA = "USA"
CHN = "CHN"
#: Entity ids of countries are ISO 3166-1 alpha-3 codes; anything else (e.g. an aggregate for
#: Epoch's "Multinational") is kept in ``countries`` lists but never gets a per-country count.
_COUNTRY_ID = re.compile(r"^[A-Z]{3}$")

_GREEK = re.compile(r"GREEK (?:SMALL|CAPITAL) LETTER (\w+)")


def slugify(name: str) -> str:
    """Stable lower_snake slug of a name (``DeepSeek-V3`` -> ``deepseek_v3``).

    ``+`` becomes ``plus`` (so ``DeepLabV3+`` differs from ``DeepLabV3``), Greek letters are
    spelt out (``PanGu-Σ`` -> ``pangu_sigma``), the multiplication sign becomes ``x``, accents
    are dropped and other non-ASCII characters (e.g. Chinese names in brackets) are left out.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch):
            continue
        if ch.isascii():
            out.append(" plus " if ch == "+" else ch)
            continue
        if ch == "\u00d7":  # multiplication sign
            out.append("x")
            continue
        match = _GREEK.fullmatch(unicodedata.name(ch, ""))
        if match:
            out.append(f" {match.group(1).lower()} ")
        else:
            out.append(" ")
    slug = re.sub(r"[^a-z0-9]+", "_", "".join(out).lower()).strip("_")
    return slug or "unnamed"


def clean_text(cell: str) -> str:
    """Collapse all whitespace (incl. newlines and no-break spaces) to single spaces."""
    return " ".join(cell.split())


def split_plain(cell: str) -> list[str]:
    """Split an Epoch ``,``-joined cell into distinct, cleaned entries, order kept."""
    out: list[str] = []
    for part in cell.split(","):
        item = clean_text(part)
        if item and item not in out:
            out.append(item)
    return out


def split_organizations(cell: str) -> list[str]:
    """Split Epoch's ``Organization`` cell.

    Epoch joins organisations with a bare comma; a comma followed by a space belongs to a
    name (``Beijing OrionStar Technology Co., Ltd.``), so only bare commas split.
    """
    out: list[str] = []
    for part in re.split(r",(?!\s)", cell):
        item = clean_text(part)
        if item and item not in out:
            out.append(item)
    return out


def parse_float(cell: str, *, file: str, key: str, column: str) -> float:
    """Epoch number text -> float; empty -> NaN; anything else is an error."""
    text = cell.strip()
    if not text:
        return math.nan
    try:
        value = float(text)
    except ValueError as exc:
        raise IngestError(
            f"{file}: row {key!r}, column {column!r}: {cell!r} is not a number "
            "(rule: numeric columns hold plain numbers)"
        ) from exc
    if not math.isfinite(value) or value < 0:
        raise IngestError(
            f"{file}: row {key!r}, column {column!r}: {cell!r} is not a finite non-negative "
            "number (rule: counts, FLOP and chip-hours are >= 0)"
        )
    return value


def parse_date(cell: str, *, file: str, key: str, column: str) -> dt.date | None:
    """ISO ``YYYY-MM-DD`` -> date; empty -> None; anything else is an error."""
    text = cell.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise IngestError(
            f"{file}: row {key!r}, column {column!r}: {cell!r} is not a YYYY-MM-DD date "
            "(rule: Epoch dates are ISO dates)"
        ) from exc


def map_countries(ctx: IngestContext, cell: str, *, file: str) -> list[str]:
    """Distinct entity ids of a ``,``-joined country cell, order of first appearance."""
    out: list[str] = []
    for name in split_plain(cell):
        eid = ctx.entity_id(name, file=file)
        if eid not in out:
            out.append(eid)
    return out


def is_country(entity_id: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code (a country), False for aggregates."""
    return bool(_COUNTRY_ID.match(entity_id))


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def require(frame: pd.DataFrame, columns: Iterable[str], file: str) -> None:
    """Refuse a file that lacks one of ``columns`` (Epoch adds columns; it must not drop any)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IngestError(f"{file}: missing column(s) {missing} (rule: Epoch's published header)")


def records(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The rows of ``frame`` as ``column -> cell text`` dicts."""
    return [{str(k): str(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")]


def assign_ids(names: Sequence[str], *, file: str) -> list[str]:
    """Unique slugs for *names* (in input order).

    A slug shared by several rows of one file keeps the plain slug for the first row in
    (raw name, row position) order; the others get ``_2``, ``_3``, ... (Epoch's all-models
    file has pairs that differ only by a trailing space).
    """
    slugs = [slugify(n) for n in names]
    taken = set(slugs)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(slugs):
        groups[s].append(i)
    out = list(slugs)
    for slug, idx in groups.items():
        if len(idx) == 1:
            continue
        ordered = sorted(idx, key=lambda i: (names[i], i))
        k = 2
        for i in ordered[1:]:
            while f"{slug}_{k}" in taken:
                k += 1
            out[i] = f"{slug}_{k}"
            taken.add(out[i])
            k += 1
    if len(set(out)) != len(out):  # pragma: no cover - guarded by construction
        raise IngestError(f"{file}: could not make unique ids (rule: one id per row)")
    return out


def file_label(relpath: str) -> str:
    """``epoch/x/y.csv`` -> ``x/y.csv`` (the path under the Epoch folder, for locators)."""
    return relpath.removeprefix("epoch/")


#: Epoch's AI-models file, read by other families to place an organisation in a country
MODELS_FOR_COUNTRIES = "epoch/ai_models_2025-11/all_ai_models.csv"


def organisation_countries(ctx: IngestContext) -> dict[str, set[str]]:
    """Organisation -> entity ids of its single-organisation rows in Epoch's AI-models file."""
    frame = ctx.read_csv(MODELS_FOR_COUNTRIES)
    out: dict[str, set[str]] = {}
    for org_cell, country_cell in zip(
        frame["Organization"], frame["Country (of organization)"], strict=True
    ):
        orgs, countries = split_organizations(str(org_cell)), split_plain(str(country_cell))
        if len(orgs) == 1 and len(countries) == 1:
            out.setdefault(orgs[0], set()).add(
                ctx.entity_id(countries[0], file=MODELS_FOR_COUNTRIES)
            )
    return out
