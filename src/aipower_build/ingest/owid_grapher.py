"""Our World in Data grapher files: the spec of one file and the reader of all of them.

Not an ingest module (no ``FAMILY``): the OWID copies belong to the families of their
producers, so ``cset_cat``, ``aiindex`` and ``owid_epoch`` each list their :class:`OwidFile`
entries and call :func:`owid_rows`. Layout of an OWID grapher CSV: ``Entity, Code, Year,
<value column>...``; one row per entity and year, empty cell = no value.

Rules common to every OWID file (see ``docs/sources/owid.md``):
* values carry status ``secondary``: they were read in OWID's republication, not in the
  producer's own release of that vintage (the source rows say ``primary=false``);
* projected values (OWID 2025-10 investment) are ``incomplete``; where the projection merely
  repeats the actual value of the same year (OWID draws the line from there) it is skipped;
* OWID's ISO3 code of an entity must agree with our mapping of its name; totals OWID computed
  itself (world, continents) carry the file's ``total_note``.
"""

from __future__ import annotations

import json

import attrs

from aipower_build.entities import iter_countries
from aipower_build.ingest.base import IngestContext, IngestError, Source, observation
from aipower_build.ingest.specs import DECIMAL, CsvFile, Record, parse_year, read_records


@attrs.frozen
class Column:
    """One value column of an OWID file and what it becomes."""

    header: str
    metric_id: str
    #: ``secondary``: aipower read OWID's copy, not the producer's own release of that vintage;
    #: ``incomplete`` for projected columns
    status: str = "secondary"
    note: str | None = None


@attrs.frozen
class OwidFile:
    """One OWID file, the source row it stands for and its value columns."""

    folder: str
    file: str
    source_id: str
    columns: tuple[Column, ...]
    #: note put on every observation of the file (our words)
    note: str
    #: extra note for totals OWID computed itself (world, continents)
    total_note: str | None = None
    #: the latest year is a year in progress (counts only part of it)
    partial_last_year: int | None = None
    #: (metadata file, substring its value column's unit must contain)
    unit_check: tuple[str, str] | None = None

    @property
    def relpath(self) -> str:
        """Path of the CSV under ``../shared/sources``."""
        return f"owid/{self.folder}/{self.file}"

    @property
    def metadata(self) -> str | None:
        """Path of the metadata file whose unit is checked, when there is one."""
        return f"owid/{self.folder}/{self.unit_check[0]}" if self.unit_check else None

    @property
    def csv(self) -> CsvFile:
        """The file as a :class:`CsvFile`: pinned header, entity ``Entity``, key Entity/Year."""
        headers = tuple(dict.fromkeys(column.header for column in self.columns))
        return CsvFile(
            self.relpath,
            columns=("Entity", "Code", "Year", *headers),
            entity="Entity",
            key=("Entity", "Year"),
        )


def files_of(specs: tuple[OwidFile, ...]) -> tuple[str, ...]:
    """The raw files ``specs`` read: the CSVs, then the metadata files whose unit is checked."""
    return tuple(s.relpath for s in specs) + tuple(s.metadata for s in specs if s.metadata)


#: ISO 3166-1 alpha-3 codes (OWID also uses 3-letter codes of its own, e.g. EUR for Europe)
_ISO3_CODES = frozenset(iso3 for iso3, _, _ in iter_countries())
#: OWID codes of totals it computes itself
_OWID_TOTAL_CODES = frozenset(
    {"OWID_WRL", "OWID_AFR", "OWID_ASI", "OWID_EUR", "OWID_NAM", "OWID_OCE", "OWID_SAM"}
)
PARTIAL_NOTE = "year still in progress when OWID published the file: a partial count"


def _check_unit(ctx: IngestContext, spec: OwidFile) -> None:
    if spec.unit_check is None or spec.metadata is None:
        return
    needle = spec.unit_check[1]
    try:
        meta = json.loads(ctx.read_bytes(spec.metadata))
        units = [str(column.get("unit", "")) for column in meta["columns"].values()]
    except (ValueError, KeyError, AttributeError) as exc:
        raise IngestError(
            f"{spec.metadata}: unreadable metadata ({exc}) (rule: valid OWID JSON)"
        ) from exc
    if not units or not all(needle in unit for unit in units):
        raise IngestError(
            f"{spec.metadata}: unit {units} lacks {needle!r} (rule: the unit the metric assumes)"
        )


def _check_code(spec: OwidFile, record: Record) -> None:
    """OWID's ISO3 code and our mapping of the name agree.

    The resolver is scoped by folder, so "Europe" is OWID's continent in the CSET files and the
    AI Index's EU + UK in the Quid file.
    """
    code = record["Code"]
    if code in _ISO3_CODES and record.entity_id != code:
        raise IngestError(
            f"{spec.relpath}: entity {record['Entity']!r} has code {code} but maps to "
            f"{record.entity_id} (rule: OWID's ISO3 code and our mapping agree)"
        )


def _is_total(record: Record) -> bool:
    """World or an OWID continent: a total OWID computed itself from its country rows."""
    eid = record.entity_id
    return record["Code"] in _OWID_TOTAL_CODES or eid == "WORLD" or eid.startswith("OWID_")


def _projection_priority(spec: OwidFile, column: Column, record: Record) -> int | None:
    """0 for an actual value, 1 for a projection beside an actual, None: repeats it (skip)."""
    if column.status != "incomplete":
        return 0
    actual = [
        record[other.header]
        for other in spec.columns
        if other.metric_id == column.metric_id and other.status != "incomplete"
    ]
    if not any(value != "" for value in actual):
        return 0
    printed = float(record[column.header])
    if all(float(value) == printed for value in actual if value != ""):
        return None  # projection repeats the actual value: line connector only
    return 1


def _value_rows(
    spec: OwidFile, record: Record, source: Source, year: int
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for column in spec.columns:
        printed = record[column.header]
        if printed == "":
            continue
        where = f"{spec.relpath}: line {record.line}: {column.header}"
        value = DECIMAL.parse(printed, where=where)
        priority = _projection_priority(spec, column, record)
        if priority is None:
            continue
        status = column.status
        notes = [spec.note, column.note]
        if spec.partial_last_year is not None and year >= spec.partial_last_year:
            status = "incomplete"
            notes.append(PARTIAL_NOTE)
        if spec.total_note and _is_total(record):
            notes.append(spec.total_note)
        rows.append(
            observation(
                source,
                metric_id=column.metric_id,
                entity_id=record.entity_id,
                year=year,
                value=value,
                locator=f"{spec.file}, Entity={record['Entity']}, Year={year}, "
                f"column={column.header}",
                status=status,
                priority=priority,
                note="; ".join(n for n in notes if n),
            )
        )
    return rows


def owid_rows(ctx: IngestContext, specs: tuple[OwidFile, ...]) -> list[dict[str, object]]:
    """Observation rows of every value cell of every file in ``specs``."""
    rows: list[dict[str, object]] = []
    for spec in specs:
        _check_unit(ctx, spec)
        source = ctx.source(spec.source_id)
        checked: set[str] = set()
        for record in read_records(ctx, spec.csv):
            if record["Entity"] not in checked:
                _check_code(spec, record)
                checked.add(record["Entity"])
            year = parse_year(spec.relpath, record, "Year")
            rows.extend(_value_rows(spec, record, source, year))
    return rows
