"""Declarative file specs: a raw table of numbers described as data, read by one function.

A :class:`CsvFile` pins a raw CSV's header, names its entity column (mapped through
:meth:`~aipower_build.ingest.base.IngestContext.entity_id`) and its unique key;
:func:`read_records` checks all three. A :class:`WideFile` adds the value columns (one metric
each, or per row through ``metric_of``), how a cell is written (a :class:`Number`), where the
year (and quarter) come from and the locator template; :func:`wide_rows` turns it into
observation rows with :func:`~aipower_build.ingest.base.observation`. Long files (one value
column, the metric named in another column) are the one-column case with ``metric_of``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs

from aipower_build.ingest.base import IngestContext, IngestError, observation


@attrs.frozen
class Number:
    """How a value cell is written: the pattern it must match and how it becomes a float."""

    pattern: re.Pattern[str]
    #: the rule as error messages state it
    rule: str
    convert: Callable[[str], float]

    def parse(self, text: str, *, where: str) -> float:
        """``text`` as a float, or raise ``<where>=<text> (rule: ...)``."""
        if not self.pattern.fullmatch(text):
            raise IngestError(f"{where}={text!r} (rule: {self.rule})")
        return self.convert(text)

    def scaled(self, factor: int) -> Number:
        """The same cells read as integers times ``factor`` (e.g. US$ millions -> US$)."""
        return Number(self.pattern, self.rule, lambda text: float(int(text) * factor))


#: a non-negative integer count, e.g. ``1234``
INTEGER = Number(re.compile(r"[0-9]+"), "a non-negative integer", lambda t: float(int(t)))
#: a signed integer, e.g. ``-12``
SIGNED_INTEGER = Number(re.compile(r"-?[0-9]+"), "an integer", lambda t: float(int(t)))
#: a plain decimal number, e.g. ``-1.5``
DECIMAL = Number(re.compile(r"-?[0-9]+(\.[0-9]+)?"), "plain decimal number", float)
#: a percent with two decimals at most, read as a fraction: ``16.40%`` -> 0.164
PERCENT = Number(
    re.compile(r"[0-9]{1,3}\.[0-9]{1,2}%"),
    "a percent such as '16.40%'",
    lambda t: float(Decimal(t[:-1]) / 100),
)
_YEAR = re.compile(r"[0-9]{4}")


@attrs.frozen
class CsvFile:
    """A raw CSV as a spec: its pinned header, entity column, unique key and encoding."""

    relpath: str
    #: the header, exactly (names and order): a changed layout fails the build
    columns: tuple[str, ...]
    #: column naming the entity, mapped through :meth:`IngestContext.entity_id`
    entity: str | None = None
    #: columns unique per row (the entity column counts by its entity id)
    key: tuple[str, ...] = ()
    encoding: str | None = None
    #: ``(column, values)``: only rows whose cell is one of ``values`` are read (and checked)
    only: tuple[str, frozenset[str]] | None = None

    @property
    def name(self) -> str:
        """The file name without its folder (what locators cite)."""
        return self.relpath.rsplit("/", 1)[1]


@attrs.frozen
class Record:
    """One data row of a :class:`CsvFile`: line number, cells (stripped) and entity id."""

    line: int
    cells: dict[str, str]
    entity_id: str

    def __getitem__(self, column: str) -> str:
        """The cell of ``column``."""
        return self.cells[column]


def read_records(ctx: IngestContext, spec: CsvFile) -> list[Record]:
    """The rows of ``spec`` after the layout, entity and duplicate-key checks."""
    options: dict[str, object] = {"encoding": spec.encoding} if spec.encoding else {}
    frame = ctx.read_csv(spec.relpath, **options)
    if tuple(frame.columns) != spec.columns:
        raise IngestError(
            f"{spec.relpath}: columns {list(frame.columns)} != expected {list(spec.columns)} "
            "(rule: the file layout is pinned)"
        )
    entity_of: dict[str, str] = {}
    first: dict[tuple[str, ...], int] = {}
    records: list[Record] = []
    for line, raw in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = {column: str(cell).strip() for column, cell in zip(spec.columns, raw, strict=True)}
        if spec.only is not None and cells[spec.only[0]] not in spec.only[1]:
            continue
        entity = ""
        if spec.entity is not None:
            name = cells[spec.entity]
            if name not in entity_of:
                entity_of[name] = ctx.entity_id(name, file=spec.relpath)
            entity = entity_of[name]
        key = tuple(entity if c == spec.entity else cells[c] for c in spec.key)
        if spec.key and first.setdefault(key, line) != line:
            raise IngestError(
                f"{spec.relpath}: line {line}: key {dict(zip(spec.key, key, strict=True))} "
                f"repeats line {first[key]} (rule: one row per {', '.join(spec.key)})"
            )
        records.append(Record(line, cells, entity))
    return records


@attrs.frozen
class ValueColumn:
    """A value column of a :class:`WideFile` and the metric it feeds."""

    header: str
    metric_id: str
    #: the year and date of every value in the column (period columns); else the file's
    year: int | None = None
    date: dt.date | None = None
    #: extra note for the column's values (our words)
    note: str | None = None


@attrs.frozen
class WideFile:
    """A table of numbers: one row per entity (and period), one or more value columns."""

    csv: CsvFile
    source_id: str
    values: tuple[ValueColumn, ...]
    number: Number
    #: ``str.format`` template; fields ``file``, ``line``, ``column`` and any cell by header
    locator: str
    status: str = "verified"
    #: note on every value of the file (our words)
    note: str | None = None
    #: column holding the year (else each :class:`ValueColumn` states it)
    year: str | None = None
    #: column holding the quarter 1-4: the date is the quarter's last day
    quarter: str | None = None
    #: an empty cell is a missing value, not an error
    blank_is_missing: bool = False
    #: entity id -> extra note for that entity's values (e.g. a producer's own total)
    entity_notes: Mapping[str, str] = attrs.field(factory=dict)
    #: the metric of a row (overrides the column's; ``None`` skips the row)
    metric_of: Callable[[Record], str | None] | None = None


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a calendar quarter."""
    month = 3 * quarter
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_year(relpath: str, record: Record, column: str) -> int:
    """The 4-digit year in ``column`` of ``record``, or raise naming file, line and rule."""
    text = record[column]
    if not _YEAR.fullmatch(text):
        raise IngestError(f"{relpath}: line {record.line}: {column}={text!r} (rule: 4 digits)")
    return int(text)


def _period(spec: WideFile, record: Record, column: ValueColumn) -> tuple[int, dt.date | None]:
    if spec.year is None:
        if column.year is None:
            raise IngestError(f"{spec.csv.relpath}: {column.header} has no year (rule: spec)")
        return column.year, column.date
    year = parse_year(spec.csv.relpath, record, spec.year)
    if spec.quarter is None:
        return year, column.date
    quarter = record[spec.quarter]
    if quarter not in ("1", "2", "3", "4"):
        raise IngestError(
            f"{spec.csv.relpath}: line {record.line}: {spec.quarter}={quarter!r} "
            "(rule: a quarter 1-4)"
        )
    return year, quarter_end(year, int(quarter))


def wide_rows(ctx: IngestContext, spec: WideFile) -> list[dict[str, object]]:
    """Observation rows of every value cell of ``spec``, through :func:`observation`."""
    source = ctx.source(spec.source_id)
    rows: list[dict[str, object]] = []
    for record in read_records(ctx, spec.csv):
        metric = spec.metric_of(record) if spec.metric_of else ""
        if metric is None:
            continue
        for column in spec.values:
            text = record[column.header]
            if text == "" and spec.blank_is_missing:
                continue
            where = f"{spec.csv.relpath}: line {record.line}: {column.header}"
            year, date = _period(spec, record, column)
            notes = [spec.note, column.note, spec.entity_notes.get(record.entity_id)]
            fields = {**record.cells, "file": spec.csv.name, "line": record.line}
            rows.append(
                observation(
                    source,
                    metric_id=metric or column.metric_id,
                    entity_id=record.entity_id,
                    year=year,
                    date=date,
                    value=spec.number.parse(text, where=where),
                    locator=spec.locator.format_map({**fields, "column": column.header}),
                    status=spec.status,
                    note="; ".join(n for n in notes if n) or None,
                )
            )
    return rows


def field_slug(field: str) -> str:
    """``"Mobile, platforms & Internet services"`` -> ``"mobile_platforms_internet_services"``."""
    slug = re.sub(r"[^0-9a-z]+", "_", field.casefold()).strip("_")
    if not slug:
        raise ValueError(f"field {field!r} has no slug")
    return slug
