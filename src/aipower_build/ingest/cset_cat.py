"""CSET/ETO Country Activity Tracker (CAT), December 2024 release.

Reads the yearly country x field x year files of ``../shared/sources/cset/cat_2024-12`` and the
sub-fields of ``patents_summary.csv`` that the yearly files do not carry.

Metric ids: ``<base>`` for field "All" and ``<base>__<field_slug>`` for every sub-field, e.g.
``cset_articles`` and ``cset_articles__computer_vision``. Sub-fields are separate metrics because
a sub-field count is a different quantity (fields overlap and do not sum to "All").

Rules:
* ``complete=False`` -> status ``incomplete``; other rows ``verified``. The citations file has no
  flag, so citations take the flag of the articles of the same country, field and year.
* investment is nominal USD millions in the files; it is stored in USD (x 1,000,000, exact).
* ``publications_summary.csv`` (= sums of the yearly files) and ``companies_summary.csv`` (same
  fields as the yearly files, totals not reproducible from them) are not read; see
  ``docs/sources/cset.md``.
"""

from __future__ import annotations

import itertools
import re

import attrs
import pandas as pd

from aipower_build.ingest.base import IngestContext, IngestError, IngestOutput, observations_frame

FAMILY = "cset"
SOURCE_ID = "cset_cat_2024_12"
VINTAGE = "2024-12"
FOLDER = "cset/cat_2024-12"

#: field value meaning "all of AI" in every CSET file
ALL_FIELD = "All"


@attrs.frozen
class YearlySpec:
    """One yearly CAT file: which column holds the value and which metric it feeds."""

    file: str
    value_column: str
    base_metric: str
    #: multiply the printed integer by this (investment: USD millions -> USD)
    scale: int = 1
    #: file whose ``complete`` flag applies when this file has none
    flag_file: str | None = None


YEARLY: tuple[YearlySpec, ...] = (
    YearlySpec("publications_yearly_articles.csv", "num_articles", "cset_articles"),
    YearlySpec(
        "publications_yearly_citations.csv",
        "num_citations",
        "cset_citations",
        flag_file="publications_yearly_articles.csv",
    ),
    YearlySpec(
        "patents_yearly_applications.csv", "num_patent_applications", "cset_patent_applications"
    ),
    YearlySpec("patents_yearly_granted.csv", "num_patent_granted", "cset_patents_granted"),
    YearlySpec(
        "companies_yearly_estimated.csv",
        "estimated_investment",
        "cset_investment_estimated",
        scale=1_000_000,
    ),
    YearlySpec(
        "companies_yearly_disclosed.csv",
        "disclosed_investment",
        "cset_investment_disclosed",
        scale=1_000_000,
    ),
)

SUMMARY_FILE = "patents_summary.csv"
#: (column in patents_summary.csv, base of the cumulative metric id)
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("num_patent_applications", "cset_patent_applications_cumulative"),
    ("num_patent_granted", "cset_patents_granted_cumulative"),
)
#: patents_summary.csv fields that the yearly patent files also carry (their sums over
#: 2014-2024 equal the summary exactly), hence not read from the summary
SUMMARY_FIELDS_IN_YEARLY: frozenset[str] = frozenset(
    {
        "All",
        "Banking_and_Finance",
        "Business",
        "Energy_Management",
        "Industrial_and_Manufacturing",
        "Life_Sciences",
        "Personal_Devices_and_Computing",
        "Physical_Sciences_and_Engineering",
        "Security__eg_cybersecurity",
        "Telecommunications",
        "Transportation",
    }
)
#: patents_summary.csv fields found only there (AI techniques and functional areas)
SUMMARY_FIELDS_ONLY: tuple[str, ...] = (
    "Analytics_and_Algorithms",
    "Computer_Vision",
    "Control",
    "Generic_and_Unspecified",
    "Knowledge_Representation",
    "Logic_Programming",
    "Machine_Learning",
    "Measuring_and_Testing",
    "Ontology_Engineering",
    "Planning_and_Scheduling",
    "Probabilistic_Reasoning",
    "Speech_Processing",
)
#: the summary covers every year of the yearly files: first and last year
SUMMARY_FIRST_YEAR = 2014
SUMMARY_LAST_YEAR = 2024

FILES: tuple[str, ...] = (
    *(f"{FOLDER}/{spec.file}" for spec in YEARLY),
    f"{FOLDER}/{SUMMARY_FILE}",
)

_INT = re.compile(r"-?[0-9]+")
_YEAR = re.compile(r"[0-9]{4}")
_FLAGS = {"True": True, "False": False}

NOTE_INCOMPLETE = (
    "CSET flags this year as not yet complete (complete=False); later releases may revise it"
)
NOTE_INCOMPLETE_CITATIONS = (
    "CSET flags this year's articles as not yet complete (flag taken from "
    "publications_yearly_articles.csv; the citations file has none)"
)
NOTE_SUMMARY = (
    "cumulative total {first}-{last} from patents_summary.csv; the window includes years CSET "
    "flags as not yet complete"
)


def field_slug(field: str) -> str:
    """``"Mobile, platforms & Internet services"`` -> ``"mobile_platforms_internet_services"``."""
    slug = re.sub(r"[^0-9a-z]+", "_", field.casefold()).strip("_")
    if not slug:
        raise ValueError(f"field {field!r} has no slug")
    return slug


def metric_id(base: str, field: str) -> str:
    """``base`` for field "All", else ``base__<field_slug>``."""
    return base if field == ALL_FIELD else f"{base}__{field_slug(field)}"


def cset_entity(ctx: IngestContext, name: str, *, file: str) -> str:
    """Entity id of a country or CSET aggregate as spelt in a raw CAT file.

    The resolver is scoped by folder: bare "Europe", "Africa" or "Oceania" in ``cset/cat_2024-12``
    are CSET's own regions (``CSET_EUROPE`` ...), not OWID's or the AI Index's groupings.
    """
    return ctx.entity_id(name, file=file)


def _check_columns(frame: pd.DataFrame, expected: list[str], relpath: str) -> None:
    if list(frame.columns) != expected:
        raise IngestError(
            f"{relpath}: columns {list(frame.columns)} != expected {expected} "
            "(rule: CAT file layout is pinned)"
        )


def _check_cells(frame: pd.DataFrame, column: str, pattern: re.Pattern[str], relpath: str) -> None:
    bad = frame[~frame[column].str.fullmatch(pattern)]
    if not bad.empty:
        row = int(bad.index[0]) + 2  # header is line 1
        raise IngestError(
            f"{relpath}: line {row}: {column}={bad[column].iloc[0]!r} "
            f"(rule: {column} must match {pattern.pattern})"
        )


def _check_unique(frame: pd.DataFrame, keys: list[str], relpath: str) -> None:
    dup = frame[frame.duplicated(keys, keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        raise IngestError(
            f"{relpath}: duplicate key {dict(first[keys])} (rule: one row per {', '.join(keys)})"
        )


def _read_yearly(ctx: IngestContext, spec: YearlySpec) -> pd.DataFrame:
    relpath = f"{FOLDER}/{spec.file}"
    frame = ctx.read_csv(relpath)
    expected = ["country", "field", "year", spec.value_column]
    if spec.flag_file is None:
        expected.append("complete")
    _check_columns(frame, expected, relpath)
    _check_cells(frame, "year", _YEAR, relpath)
    _check_cells(frame, spec.value_column, _INT, relpath)
    if spec.flag_file is None:
        _check_cells(frame, "complete", re.compile("True|False"), relpath)
    _check_unique(frame, ["country", "field", "year"], relpath)
    return frame


#: key prefix of the per-year flag in :func:`_flags` (no country or field is spelt like this)
ALL_YEAR_KEY = "*"


def _flags(frame: pd.DataFrame) -> dict[tuple[str, str, int], bool]:
    """``complete`` flags by (country, field, year), plus by year: complete only if all rows are.

    CSET sets the flag per year (every row of a year carries the same flag); the per-year entry
    covers citation rows that have no article row of the same country and field.
    """
    flags: dict[tuple[str, str, int], bool] = {}
    for country, field, year_text, _, flag in frame.itertuples(index=False, name=None):
        year = int(year_text)
        complete = _FLAGS[str(flag)]
        flags[(str(country), str(field), year)] = complete
        year_key = (ALL_YEAR_KEY, ALL_YEAR_KEY, year)
        flags[year_key] = flags.get(year_key, True) and complete
    return flags


def _yearly_rows(
    ctx: IngestContext,
    spec: YearlySpec,
    frame: pd.DataFrame,
    flags: dict[tuple[str, str, int], bool],
    entity_of: dict[str, str],
) -> list[dict[str, object]]:
    relpath = f"{FOLDER}/{spec.file}"
    rows: list[dict[str, object]] = []
    for country, field, year_text, printed, *rest in frame.itertuples(index=False, name=None):
        year = int(year_text)
        if spec.flag_file is None:
            complete = _FLAGS[str(rest[0])]
            note = None if complete else NOTE_INCOMPLETE
        else:
            key = (str(country), str(field), year)
            if key in flags:
                complete = flags[key]
            elif (ALL_YEAR_KEY, ALL_YEAR_KEY, year) in flags:
                complete = flags[(ALL_YEAR_KEY, ALL_YEAR_KEY, year)]
            else:
                raise IngestError(
                    f"{relpath}: no completeness flag for {key} in {spec.flag_file} "
                    "(rule: citations borrow the articles' flag)"
                )
            note = None if complete else NOTE_INCOMPLETE_CITATIONS
        if country not in entity_of:
            entity_of[country] = cset_entity(ctx, str(country), file=relpath)
        rows.append(
            {
                "metric_id": metric_id(spec.base_metric, str(field)),
                "entity_id": entity_of[country],
                "year": year,
                "date": None,
                "value": float(int(printed) * spec.scale),
                "source_id": SOURCE_ID,
                "vintage": VINTAGE,
                "locator": f"{spec.file}, country={country}, field={field}, year={year}",
                "status": "verified" if complete else "incomplete",
                "priority": 0,
                "note": note,
                "derived_from": None,
            }
        )
    return rows


def _summary_rows(
    ctx: IngestContext, entity_of: dict[str, str], last_year: int
) -> list[dict[str, object]]:
    relpath = f"{FOLDER}/{SUMMARY_FILE}"
    frame = ctx.read_csv(relpath)
    columns = [column for column, _ in SUMMARY_COLUMNS]
    _check_columns(frame, ["country", "field", *columns], relpath)
    for column in columns:
        _check_cells(frame, column, _INT, relpath)
    _check_unique(frame, ["country", "field"], relpath)
    unknown = sorted(set(frame["field"]) - SUMMARY_FIELDS_IN_YEARLY - set(SUMMARY_FIELDS_ONLY))
    if unknown:
        raise IngestError(
            f"{relpath}: unknown fields {unknown} (rule: every summary field is either read or "
            "known to be covered by the yearly files)"
        )
    if last_year != SUMMARY_LAST_YEAR:
        raise IngestError(
            f"{relpath}: yearly files end in {last_year}, summary window assumed to end in "
            f"{SUMMARY_LAST_YEAR} (rule: cumulative window must match the yearly files)"
        )
    note = NOTE_SUMMARY.format(first=SUMMARY_FIRST_YEAR, last=SUMMARY_LAST_YEAR)
    rows: list[dict[str, object]] = []
    kept = frame[frame["field"].isin(SUMMARY_FIELDS_ONLY)]
    for record in kept.to_dict("records"):
        country, field = str(record["country"]), str(record["field"])
        if country not in entity_of:
            entity_of[country] = cset_entity(ctx, country, file=relpath)
        for column, base in SUMMARY_COLUMNS:
            rows.append(
                {
                    "metric_id": metric_id(base, field),
                    "entity_id": entity_of[country],
                    "year": SUMMARY_LAST_YEAR,
                    "date": None,
                    "value": float(int(str(record[column]))),
                    "source_id": SOURCE_ID,
                    "vintage": VINTAGE,
                    "locator": f"{SUMMARY_FILE}, country={country}, field={field}, column={column}",
                    "status": "incomplete",
                    "priority": 0,
                    "note": note,
                    "derived_from": None,
                }
            )
    return rows


def sort_and_check(rows: list[dict[str, object]], what: str) -> list[dict[str, object]]:
    """Sort by metric, entity, year, source (then vintage, priority); refuse duplicate keys."""

    def key(row: dict[str, object]) -> tuple[str, str, int, str, str, int]:
        return (
            str(row["metric_id"]),
            str(row["entity_id"]),
            int(str(row["year"])),
            str(row["source_id"]),
            str(row["vintage"]),
            int(str(row["priority"])),
        )

    ordered = sorted(rows, key=key)
    for before, after in itertools.pairwise(ordered):
        if key(before) == key(after):
            raise IngestError(
                f"{what}: two rows for {key(after)}: {before['locator']!r} and "
                f"{after['locator']!r} (rule: two raw names must not map to one entity)"
            )
    return ordered


def ingest(ctx: IngestContext) -> IngestOutput:
    """Observations of every CAT metric, field "All" and each sub-field, by country x year."""
    frames = {spec.file: _read_yearly(ctx, spec) for spec in YEARLY}
    entity_of: dict[str, str] = {}
    rows: list[dict[str, object]] = []
    for spec in YEARLY:
        flags = _flags(frames[spec.flag_file]) if spec.flag_file else {}
        rows.extend(_yearly_rows(ctx, spec, frames[spec.file], flags, entity_of))
    last_year = max(
        int(year)
        for spec in YEARLY
        if spec.file.startswith("patents_")
        for year in frames[spec.file]["year"]
    )
    rows.extend(_summary_rows(ctx, entity_of, last_year))
    return IngestOutput(observations=observations_frame(sort_and_check(rows, FOLDER)))
