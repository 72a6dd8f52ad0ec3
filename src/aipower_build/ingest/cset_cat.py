"""CSET/ETO Country Activity Tracker (CAT), December 2024 release.

Reads the yearly country x field x year files of ``../shared/sources/cset/cat_2024-12`` and the
sub-fields of ``patents_summary.csv`` that the yearly files do not carry, and OWID's
republications of CAT series (spec entries in :mod:`aipower_build.ingest.cset_cat_owid`, one
source per file, read by :mod:`aipower_build.ingest.owid_grapher`): family ``cset_cat`` covers
both.

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
* OWID copies: see :mod:`aipower_build.ingest.cset_cat_owid`.
"""

from __future__ import annotations

import attrs

from aipower_build.ingest.base import (
    IngestContext,
    IngestError,
    IngestOutput,
    Source,
    observation,
    output,
)
from aipower_build.ingest.cset_cat_owid import OWID_FILES
from aipower_build.ingest.owid_grapher import files_of, owid_rows
from aipower_build.ingest.specs import (
    SIGNED_INTEGER,
    CsvFile,
    Number,
    Record,
    field_slug,
    parse_year,
    read_records,
)

FAMILY = "cset_cat"
SOURCE_ID = "cset_cat_2024_12"
FOLDER = "cset/cat_2024-12"

#: field value meaning "all of AI" in every CSET file
ALL_FIELD = "All"


@attrs.frozen
class YearlySpec:
    """One yearly CAT file: which column holds the value and which metric it feeds."""

    file: str
    value_column: str
    base_metric: str
    #: how the printed integer is read (investment: USD millions -> USD)
    number: Number = SIGNED_INTEGER
    #: file whose ``complete`` flag applies when this file has none
    flag_file: str | None = None

    @property
    def csv(self) -> CsvFile:
        """The file as a :class:`CsvFile` (pinned header, key country/field/year)."""
        flag = ("complete",) if self.flag_file is None else ()
        return CsvFile(
            f"{FOLDER}/{self.file}",
            columns=("country", "field", "year", self.value_column, *flag),
            entity="country",
            key=("country", "field", "year"),
        )


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
        number=SIGNED_INTEGER.scaled(1_000_000),
    ),
    YearlySpec(
        "companies_yearly_disclosed.csv",
        "disclosed_investment",
        "cset_investment_disclosed",
        number=SIGNED_INTEGER.scaled(1_000_000),
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
    *files_of(OWID_FILES),
)

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


def metric_id(base: str, field: str) -> str:
    """``base`` for field "All", else ``base__<field_slug>``."""
    return base if field == ALL_FIELD else f"{base}__{field_slug(field)}"


def _year(spec: CsvFile, record: Record) -> int:
    return parse_year(spec.relpath, record, "year")


def _flag(spec: CsvFile, record: Record) -> bool:
    text = record["complete"]
    if text not in _FLAGS:
        raise IngestError(
            f"{spec.relpath}: line {record.line}: complete={text!r} (rule: True or False)"
        )
    return _FLAGS[text]


class _Flags:
    """``complete`` flags of the articles file by (country, field, year), and by year.

    The per-year flag (complete only if all rows of the year are) covers citation rows that have
    no article row of the same country and field.
    """

    def __init__(self, spec: CsvFile, records: list[Record]) -> None:
        self.spec = spec
        self.by_key: dict[tuple[str, str, int], bool] = {}
        self.by_year: dict[int, bool] = {}
        for record in records:
            year, complete = _year(spec, record), _flag(spec, record)
            self.by_key[(record["country"], record["field"], year)] = complete
            self.by_year[year] = self.by_year.get(year, True) and complete

    def of(self, relpath: str, record: Record, year: int) -> bool:
        """The flag a citations row borrows, or raise when there is none."""
        key = (record["country"], record["field"], year)
        if key in self.by_key:
            return self.by_key[key]
        if year in self.by_year:
            return self.by_year[year]
        raise IngestError(
            f"{relpath}: no completeness flag for {key} in {self.spec.name} "
            "(rule: citations borrow the articles' flag)"
        )


def _yearly_rows(
    spec: YearlySpec, records: list[Record], flags: _Flags, source: Source
) -> list[dict[str, object]]:
    csv = spec.csv
    rows: list[dict[str, object]] = []
    for record in records:
        year = _year(csv, record)
        if spec.flag_file is None:
            complete = _flag(csv, record)
            note = None if complete else NOTE_INCOMPLETE
        else:
            complete = flags.of(csv.relpath, record, year)
            note = None if complete else NOTE_INCOMPLETE_CITATIONS
        where = f"{csv.relpath}: line {record.line}: {spec.value_column}"
        rows.append(
            observation(
                source,
                metric_id=metric_id(spec.base_metric, record["field"]),
                entity_id=record.entity_id,
                year=year,
                value=spec.number.parse(record[spec.value_column], where=where),
                locator=f"{spec.file}, country={record['country']}, field={record['field']}, "
                f"year={year}",
                status="verified" if complete else "incomplete",
                note=note,
            )
        )
    return rows


SUMMARY = CsvFile(
    f"{FOLDER}/{SUMMARY_FILE}",
    columns=("country", "field", *(column for column, _ in SUMMARY_COLUMNS)),
    entity="country",
    key=("country", "field"),
)


def _summary_rows(ctx: IngestContext, last_year: int, source: Source) -> list[dict[str, object]]:
    records = read_records(ctx, SUMMARY)
    unknown = sorted(
        {r["field"] for r in records} - SUMMARY_FIELDS_IN_YEARLY - set(SUMMARY_FIELDS_ONLY)
    )
    if unknown:
        raise IngestError(
            f"{SUMMARY.relpath}: unknown fields {unknown} (rule: every summary field is either "
            "read or known to be covered by the yearly files)"
        )
    if last_year != SUMMARY_LAST_YEAR:
        raise IngestError(
            f"{SUMMARY.relpath}: yearly files end in {last_year}, summary window assumed to end "
            f"in {SUMMARY_LAST_YEAR} (rule: cumulative window must match the yearly files)"
        )
    note = NOTE_SUMMARY.format(first=SUMMARY_FIRST_YEAR, last=SUMMARY_LAST_YEAR)
    return [
        observation(
            source,
            metric_id=metric_id(base, record["field"]),
            entity_id=record.entity_id,
            year=SUMMARY_LAST_YEAR,
            value=SIGNED_INTEGER.parse(
                record[column], where=f"{SUMMARY.relpath}: line {record.line}: {column}"
            ),
            locator=f"{SUMMARY_FILE}, country={record['country']}, field={record['field']}, "
            f"column={column}",
            status="incomplete",
            note=note,
        )
        for record in records
        if record["field"] in SUMMARY_FIELDS_ONLY
        for column, base in SUMMARY_COLUMNS
    ]


def ingest(ctx: IngestContext) -> IngestOutput:
    """Every CAT metric (field "All" and each sub-field, by country x year) and OWID's copies."""
    source = ctx.source(SOURCE_ID)
    records = {spec.file: read_records(ctx, spec.csv) for spec in YEARLY}
    articles = YEARLY[0]
    flags = _Flags(articles.csv, records[articles.file])
    rows: list[dict[str, object]] = []
    for spec in YEARLY:
        rows.extend(_yearly_rows(spec, records[spec.file], flags, source))
    last_year = max(
        _year(spec.csv, record)
        for spec in YEARLY
        if spec.file.startswith("patents_")
        for record in records[spec.file]
    )
    rows.extend(_summary_rows(ctx, last_year, source))
    rows.extend(owid_rows(ctx, OWID_FILES))
    return output(rows, FAMILY)
