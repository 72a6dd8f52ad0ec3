#!/usr/bin/env python3
"""Regenerate ``data/entities/country_names.csv`` from the pinned raw files.

Every country / region name as it is spelt in a raw CSV under ``../shared/sources`` is
mapped to an aipower entity id:

* countries and territories -> ISO 3166-1 alpha-3 (via pycountry; ``XKX`` for Kosovo),
* groupings -> an aggregate id defined in ``data/entities/aggregates.csv``.

Columns read (and nothing else):

* ``cset/**``  : ``country``
* ``owid/**``  : ``Entity`` (``Code`` is used only to cross-check the mapping)
* ``epoch/**`` : ``Country (of organization)`` and ``Country`` (comma-joined lists, split on
  "," and stripped)

Resolution order for one spelt name seen in one source folder:

1. ``AGGREGATE_NAMES`` (context dependent: the same word, e.g. "Europe", means different
   groupings in different files, so the rule is keyed by source-folder prefix),
2. ``COUNTRY_OVERRIDES`` (hand-made, for spellings pycountry cannot resolve),
3. ``pycountry.countries.lookup`` (alpha-2/3, numeric, name, common_name, official_name).

A name that resolves to different ids in different folders gets one row per id; ``seen_in``
then tells the build which row applies. Unresolved names, OWID codes that disagree with the
mapping, or aggregate ids missing from aggregates.csv make the script exit with status 1.

Usage (from the repository root, with the project venv active)::

    python scripts/make_country_names.py            # rewrite the CSV
    python scripts/make_country_names.py --check    # exit 1 if the CSV is out of date
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = REPO.parent / "shared" / "sources"
DEFAULT_OUT = REPO / "data" / "entities" / "country_names.csv"
AGGREGATES_CSV = REPO / "data" / "entities" / "aggregates.csv"

# Which columns hold entity names, by top-level source family. Values of the columns in
# SPLIT_COLUMNS are comma-joined lists (Epoch: one country per organisation).
NAME_COLUMNS = {
    "cset": ("country",),
    "owid": ("Entity",),
    "epoch": ("Country (of organization)", "Country"),
}
SPLIT_COLUMNS = {"Country (of organization)", "Country"}

# (source-folder prefix, name as spelt, entity id). The first matching row wins, so more
# specific prefixes must come first.
AGGREGATE_NAMES: list[tuple[str, str, str]] = [
    # --- AI Index data republished by OWID: "Europe" (code EUR) is EU + UK ----------------
    ("owid/aiindex_", "Europe", "EU_UK"),
    ("owid/aiindex_", "European Union and United Kingdom", "EU_UK"),
    # --- OWID regions (OWID computes these totals itself) ---------------------------------
    ("owid/", "World", "WORLD"),
    ("owid/", "Africa", "OWID_AFRICA"),
    ("owid/", "Asia", "OWID_ASIA"),
    ("owid/", "Europe", "OWID_EUROPE"),
    ("owid/", "North America", "OWID_NORTH_AMERICA"),
    ("owid/", "Oceania", "OWID_OCEANIA"),
    ("owid/", "South America", "OWID_SOUTH_AMERICA"),
    # --- CSET groupings as OWID spells them ("... (CSET)") --------------------------------
    ("owid/", "ASEAN (Association of Southeast Asian Nations) (CSET)", "CSET_ASEAN"),
    ("owid/", "Africa (CSET)", "CSET_AFRICA"),
    ("owid/", "Asia (CSET)", "CSET_ASIA"),
    ("owid/", "Asia Pacific (CSET)", "CSET_ASIA_PACIFIC"),
    ("owid/", "Europe (CSET)", "CSET_EUROPE"),
    ("owid/", "European Union (27) (CSET)", "CSET_EU"),
    (
        "owid/",
        "Five Eyes (Australia, Canada, New Zealand, UK, and the US) (CSET)",
        "CSET_FIVE_EYES",
    ),
    ("owid/", "Global Partnership on Artificial Intelligence (CSET)", "CSET_GPAI"),
    ("owid/", "Latin America and the Caribbean (CSET)", "CSET_LATIN_AMERICA_CARIBBEAN"),
    ("owid/", "NATO (CSET)", "CSET_NATO"),
    ("owid/", "North America (CSET)", "CSET_NORTHERN_AMERICA"),
    ("owid/", "North America and the Caribbean (CSET)", "CSET_NORTH_AMERICA_CARIBBEAN"),
    ("owid/", "OECD (CSET)", "CSET_OECD"),
    ("owid/", "Oceania (CSET)", "CSET_OCEANIA"),
    ("owid/", "Quad (Australia, India, Japan and the US) (CSET)", "CSET_QUAD"),
    ("owid/", "South and Central America (CSET)", "CSET_SOUTH_CENTRAL_AMERICA"),
    # patent offices that CSET treats like a filing "country"
    ("owid/", "European Patent Organization (CSET)", "CSET_EPO"),
    ("owid/", "Eurasian Patent Organization (CSET)", "CSET_EAPO"),
    ("owid/", "World Intellectual Property Organization (WIPO) (CSET)", "CSET_WIPO"),
    ("owid/", "International Bureau of WIPO (CSET)", "CSET_WIPO_IB"),
    # --- Epoch groupings (also when republished by OWID) ----------------------------------
    ("owid/", "All large-scale AI systems", "EPOCH_ALL_LARGE_SCALE"),
    ("owid/", "Multinational", "EPOCH_MULTINATIONAL"),
    ("epoch/", "Multinational", "EPOCH_MULTINATIONAL"),
    # --- CSET groupings as spelt in the raw CAT download ----------------------------------
    ("cset/", "ASEAN", "CSET_ASEAN"),
    ("cset/", "Africa", "CSET_AFRICA"),
    ("cset/", "Asia Pacific", "CSET_ASIA_PACIFIC"),
    ("cset/", "EU", "CSET_EU"),
    ("cset/", "Europe", "CSET_EUROPE"),
    ("cset/", "Five Eyes", "CSET_FIVE_EYES"),
    ("cset/", "Global Partnership on Artificial Intelligence", "CSET_GPAI"),
    ("cset/", "Latin America and the Caribbean", "CSET_LATIN_AMERICA_CARIBBEAN"),
    ("cset/", "NATO", "CSET_NATO"),
    ("cset/", "Northern America", "CSET_NORTHERN_AMERICA"),
    ("cset/", "OECD", "CSET_OECD"),
    ("cset/", "Oceania", "CSET_OCEANIA"),
    ("cset/", "Quad", "CSET_QUAD"),
]

# Spellings of countries/territories that pycountry.countries.lookup cannot resolve.
COUNTRY_OVERRIDES: dict[str, str] = {
    "Brunei": "BRN",
    "Cape Verde": "CPV",
    "Cayman Islands (the)": "CYM",
    "Central African Republic (the)": "CAF",
    "China (mainland)": "CHN",  # CSET: mainland only; Hong Kong and Macao are separate rows
    "Cote d'Ivoire": "CIV",
    "East Timor": "TLS",
    "Iran (Islamic Republic of)": "IRN",
    "Korea (Republic of)": "KOR",
    "Kosovo": "XKX",  # not in ISO 3166-1; XKX is the code the EU/World Bank use
    "Micronesia": "FSM",  # the country (CSET), not the Pacific sub-region
    "Micronesia (country)": "FSM",
    "Philippines (the)": "PHL",
    "Russia": "RUS",
    "Swaziland": "SWZ",
    "São Tomé and Príncipe": "STP",
    "Turkey": "TUR",
    "Vatican": "VAT",
    "Vatican City": "VAT",
}

# Non-ISO OWID codes -> entity id (used only to cross-check OWID rows).
OWID_CODES = {
    "OWID_WRL": "WORLD",
    "OWID_KOS": "XKX",
    "OWID_AFR": "OWID_AFRICA",
    "OWID_ASI": "OWID_ASIA",
    "OWID_EUR": "OWID_EUROPE",
    "OWID_NAM": "OWID_NORTH_AMERICA",
    "OWID_OCE": "OWID_OCEANIA",
    "OWID_SAM": "OWID_SOUTH_AMERICA",
    "EUR": "EU_UK",  # OWID's code for the AI Index "Europe" (EU + UK) series
}

NON_ISO_COUNTRY_IDS = {"XKX"}


def collect(sources: Path) -> dict[tuple[str, str], set[str]]:
    """Return {(name, folder): {owid codes seen}} for every name in every raw CSV."""
    seen: dict[tuple[str, str], set[str]] = {}
    for path in sorted(sources.rglob("*.csv")):
        rel = path.relative_to(sources)
        family = rel.parts[0]
        if family not in NAME_COLUMNS:
            continue
        folder = "/".join(rel.parts[:-1])
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            cols = [c for c in NAME_COLUMNS[family] if c in (reader.fieldnames or [])]
            if not cols:
                continue
            for row in reader:
                for col in cols:
                    raw = row.get(col) or ""
                    parts = raw.split(",") if col in SPLIT_COLUMNS else [raw]
                    for part in parts:
                        name = part.strip()
                        if not name:
                            continue
                        codes = seen.setdefault((name, folder), set())
                        code = (row.get("Code") or "").strip() if family == "owid" else ""
                        if code:
                            codes.add(code)
    return seen


def resolve(name: str, folder: str) -> str | None:
    for prefix, spelt, entity_id in AGGREGATE_NAMES:
        if spelt == name and (folder + "/").startswith(prefix):
            return entity_id
    if name in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


def code_to_id(code: str) -> str | None:
    if code in OWID_CODES:
        return OWID_CODES[code]
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_3 if country else None


def build(sources: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    problems: list[str] = []
    mapping: dict[tuple[str, str], set[str]] = {}
    for (name, folder), codes in sorted(collect(sources).items()):
        entity_id = resolve(name, folder)
        if entity_id is None:
            problems.append(f"unresolved name {name!r} in {folder}")
            continue
        for code in sorted(codes):
            expected = code_to_id(code)
            if expected != entity_id:
                problems.append(
                    f"{name!r} in {folder}: OWID code {code!r} implies {expected!r}, "
                    f"mapping says {entity_id!r}"
                )
        mapping.setdefault((name, entity_id), set()).add(folder)

    known_aggregates: set[str] | None = None
    if AGGREGATES_CSV.exists():
        with AGGREGATES_CSV.open(newline="", encoding="utf-8") as fh:
            known_aggregates = {r["entity_id"] for r in csv.DictReader(fh)}
    for name, entity_id in mapping:
        is_country = pycountry.countries.get(alpha_3=entity_id) is not None
        if is_country or entity_id in NON_ISO_COUNTRY_IDS:
            continue
        if known_aggregates is not None and entity_id not in known_aggregates:
            problems.append(f"{name!r} -> {entity_id!r}: id not in {AGGREGATES_CSV.name}")

    rows = sorted(
        (name, entity_id, ";".join(sorted(folders)))
        for (name, entity_id), folders in mapping.items()
    )
    return rows, problems


def render(rows: list[tuple[str, str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "entity_id", "seen_in"])
    writer.writerows(rows)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="only compare with --out")
    args = ap.parse_args()

    rows, problems = build(args.sources)
    for p in problems:
        print("ERROR:", p, file=sys.stderr)
    if problems:
        return 1
    text = render(rows)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; rerun without --check", file=sys.stderr)
            return 1
        print(f"{args.out}: up to date ({len(rows)} rows)")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
