"""Our World in Data republications of CSET, AI Index (Quid) and Epoch AI series.

Every OWID file under ``../shared/sources/owid`` (``etl_metadata`` aside) is its own source with
its own vintage (``data/sources/cset_owid.csv``). Layout of an OWID grapher CSV:
``Entity, Code, Year, <value column>...``; one row per entity and year, empty cell = no value.

Metric decisions (see ``docs/sources/owid.md``):
* an OWID copy of a CSET series on the same basis is the same metric as the raw CSET one
  (``cset_articles``, ``cset_patent_applications``, ``cset_patents_granted__<field>``): only the
  source and vintage differ, so revisions between releases show up side by side;
* a different basis gets its own metric: investment in constant 2021 US$
  (``cset_investment_estimated_2021usd``, ``private_investment_quid_2021usd``), applications per
  million people (``cset_patent_applications_per_million``), Epoch cumulative counts
  (``large_scale_models_cumulative``);
* newly funded AI companies (AI Index 2024 via OWID) is the AI Index metric
  ``newly_funded_companies`` with the OWID source; industrial robot installations (IFR via the
  AI Index 2025, OWID copy) is the AI Index metric ``industrial_robot_installations``;
* values carry status ``secondary``: they were read in OWID's republication, not in the
  producer's own release of that vintage (the source rows say ``primary=false``);
* projected values (OWID 2025-10 investment) are ``incomplete``; where the projection merely
  repeats the actual value of the same year (OWID draws the line from there) it is skipped.
"""

from __future__ import annotations

import json
import re

import attrs

from aipower_build.entities import iter_countries
from aipower_build.ingest.base import IngestContext, IngestError, IngestOutput, observations_frame
from aipower_build.ingest.cset_cat import field_slug, sort_and_check

FAMILY = "owid"


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
    vintage: str
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
        return f"owid/{self.folder}/{self.file}"


GRANTED_FIELDS: tuple[str, ...] = (
    "Banking and finance",
    "Industry and manufacturing",
    "Energy management",
    "Physical sciences and engineering",
    "Security",
    "Life sciences",
    "Transportation",
    "Business",
    "Telecommunications",
    "Personal devices and computing",
)

CSET_NOTE = "CSET Country Activity Tracker data republished by OWID (OWID import of {date})"
CSET_TOTAL_NOTE = (
    "total computed by OWID by adding up its country values; with whole counting an article "
    "with authors in several countries is counted once for each of them"
)
CSET_TOTAL_NOTE_ADDITIVE = "total computed by OWID by adding up its country values"
PROJECTED_NOTE = (
    "OWID/CSET projection for a year not yet complete (column 'All (projected)'), not a count"
)

OWID_FILES: tuple[OwidFile, ...] = (
    OwidFile(
        folder="cset_publications_2025pkg",
        file="annual-scholarly-publications-on-artificial-intelligence.csv",
        source_id="owid_cset_publications_2025_04",
        vintage="2025-04-18",
        columns=(Column("Number of articles - Field: All", "cset_articles"),),
        note=CSET_NOTE.format(date="2025-04-18"),
        total_note=CSET_TOTAL_NOTE,
        unit_check=(
            "annual-scholarly-publications-on-artificial-intelligence.metadata.json",
            "articles",
        ),
    ),
    OwidFile(
        folder="cset_publications_2025-10vintage",
        file="annual-scholarly-publications-on-artificial-intelligence.csv",
        source_id="owid_cset_publications_2025_10",
        vintage="2025-10-22",
        columns=(Column("All", "cset_articles"),),
        note=CSET_NOTE.format(date="2025-10-22, probable"),
        total_note=CSET_TOTAL_NOTE,
    ),
    OwidFile(
        folder="cset_patents_applications_2025-10vintage",
        file="artificial-intelligence-patents-submitted.csv",
        source_id="owid_cset_patent_applications_2025_10",
        vintage="2025-10-22",
        columns=(Column("All", "cset_patent_applications"),),
        note=CSET_NOTE.format(date="2025-10-22, probable"),
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
    OwidFile(
        folder="cset_patents_applications_per_million_2025-04vintage",
        file="artificial-intelligence-patents-submitted-per-million.csv",
        source_id="owid_cset_patent_applications_per_million_2025_04",
        vintage="2025-04-18",
        columns=(
            Column(
                "Patent applications per 1 million people - Field: All",
                "cset_patent_applications_per_million",
            ),
        ),
        note="CSET application counts divided by OWID population estimates, computed by OWID "
        "(OWID import of 2025-04-18)",
        total_note="world value computed by OWID from its summed country counts and population",
    ),
    OwidFile(
        folder="cset_granted_patents_by_industry_2024-07vintage",
        file="artificial-intelligence-granted-patents-by-industry.csv",
        source_id="owid_cset_patents_granted_by_industry_2024_07",
        vintage="2024-07-16",
        columns=tuple(
            Column(
                f"Patent applications granted - Field: {field}",
                f"cset_patents_granted__{field_slug(field)}",
            )
            for field in GRANTED_FIELDS
        ),
        note=CSET_NOTE.format(date="2024-07-16, probable"),
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
    OwidFile(
        folder="cset_private_investment_2025-04vintage",
        file="private-investment-in-artificial-intelligence-cset.csv",
        source_id="owid_cset_private_investment_2025_04",
        vintage="2025-04-18",
        columns=(Column("Estimated investment - Field: All", "cset_investment_estimated_2021usd"),),
        note=CSET_NOTE.format(date="2025-04-18")
        + "; OWID converted CSET's nominal US$ to constant 2021 US$ with the US CPI",
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
    OwidFile(
        folder="cset_private_investment_2025-10vintage",
        file="private-investment-in-artificial-intelligence-cset.csv",
        source_id="owid_cset_private_investment_2025_10",
        vintage="2025-10-22",
        columns=(
            Column("All", "cset_investment_estimated_2021usd"),
            Column(
                "All (projected) (Projected)",
                "cset_investment_estimated_2021usd",
                status="incomplete",
                note=PROJECTED_NOTE,
            ),
        ),
        note=CSET_NOTE.format(date="2025-10-22, probable")
        + "; OWID converted CSET's nominal US$ to constant 2021 US$ with the US CPI",
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
    OwidFile(
        folder="aiindex_private_investment_2025pkg",
        file="private-investment-in-artificial-intelligence.csv",
        source_id="owid_aiindex_private_investment_2025",
        vintage="2025-04-08",
        columns=(
            Column("Global total private investment in AI", "private_investment_quid_2021usd"),
        ),
        note="AI Index 2025 (Quid) figure republished by OWID, converted by OWID to constant "
        "2021 US$ with the US CPI",
        # OWID labels the AI Index area "European Union and United Kingdom" as "Europe" here;
        # the folder-scoped resolver maps it to EU_UK (data/entities/country_names.csv)
        unit_check=("private-investment-in-artificial-intelligence.metadata.json", "2021"),
    ),
    OwidFile(
        folder="aiindex_newly_funded_ai_companies",
        file="newly-funded-artificial-intelligence-companies.csv",
        source_id="owid_aiindex_newly_funded_companies_2024",
        vintage="2024-06-28",
        columns=(Column("Newly founded AI companies", "newly_funded_companies"),),
        note="AI Index 2024 (Quid) figure republished by OWID",
    ),
    OwidFile(
        folder="epoch_large_scale_systems_by_country",
        file="cumulative-number-of-large-scale-ai-systems-by-country.csv",
        source_id="owid_epoch_large_scale_systems_2026_04",
        vintage="2026-04-29",
        columns=(
            Column(
                "Cumulative number of large-scale AI systems by country",
                "large_scale_models_cumulative",
            ),
        ),
        note="Epoch AI large-scale model counts accumulated by OWID since 2019",
        partial_last_year=2026,
    ),
    OwidFile(
        folder="aiindex_industrial_robots_2025pkg",
        file="annual-industrial-robots-installed.csv",
        source_id="owid_aiindex_industrial_robots_2025",
        vintage="2025-04-08",
        columns=(Column("Annual industrial robots installed", "industrial_robot_installations"),),
        note="International Federation of Robotics (World Robotics) figure as charted in the AI "
        "Index 2025 and republished by OWID, rounded to thousands; the chart keeps only the "
        "five largest markets",
        unit_check=("annual-industrial-robots-installed.metadata.json", "robots"),
    ),
)

FILES: tuple[str, ...] = tuple(spec.relpath for spec in OWID_FILES) + tuple(
    f"owid/{spec.folder}/{spec.unit_check[0]}" for spec in OWID_FILES if spec.unit_check
)

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")
#: ISO 3166-1 alpha-3 codes (OWID also uses 3-letter codes of its own, e.g. EUR for Europe)
_ISO3_CODES = frozenset(iso3 for iso3, _, _ in iter_countries())
#: OWID codes of totals it computes itself
_OWID_TOTAL_CODES = frozenset(
    {"OWID_WRL", "OWID_AFR", "OWID_ASI", "OWID_EUR", "OWID_NAM", "OWID_OCE", "OWID_SAM"}
)
PARTIAL_NOTE = "year still in progress when OWID published the file: a partial count"


def _check_unit(ctx: IngestContext, spec: OwidFile) -> None:
    if spec.unit_check is None:
        return
    meta_file, needle = spec.unit_check
    relpath = f"owid/{spec.folder}/{meta_file}"
    try:
        meta = json.loads(ctx.read_bytes(relpath))
        units = [str(column.get("unit", "")) for column in meta["columns"].values()]
    except (ValueError, KeyError, AttributeError) as exc:
        raise IngestError(
            f"{relpath}: unreadable metadata ({exc}) (rule: valid OWID JSON)"
        ) from exc
    if not units or not all(needle in unit for unit in units):
        raise IngestError(
            f"{relpath}: unit {units} lacks {needle!r} (rule: the unit the metric assumes)"
        )


def _entity(ctx: IngestContext, spec: OwidFile, name: str, code: str) -> str:
    """Entity id of an OWID entity name; the resolver is scoped by folder, so "Europe" is OWID's
    continent in the CSET files and the AI Index's EU + UK in the Quid file."""
    eid = ctx.entity_id(name, file=spec.relpath)
    if code in _ISO3_CODES and eid != code:
        raise IngestError(
            f"{spec.relpath}: entity {name!r} has code {code} but maps to {eid} "
            "(rule: OWID's ISO3 code and our mapping agree)"
        )
    return eid


def _is_total(code: str, entity_id: str) -> bool:
    """World or an OWID continent: a total OWID computed itself from its country rows."""
    return code in _OWID_TOTAL_CODES or entity_id == "WORLD" or entity_id.startswith("OWID_")


def _file_rows(ctx: IngestContext, spec: OwidFile) -> list[dict[str, object]]:
    _check_unit(ctx, spec)
    frame = ctx.read_csv(spec.relpath)
    expected = ["Entity", "Code", "Year", *(column.header for column in spec.columns)]
    if list(frame.columns) != expected:
        raise IngestError(
            f"{spec.relpath}: columns {list(frame.columns)} != expected {expected} "
            "(rule: OWID file layout is pinned)"
        )
    dup = frame[frame.duplicated(["Entity", "Year"], keep=False)]
    if not dup.empty:
        raise IngestError(
            f"{spec.relpath}: duplicate Entity/Year {dup.iloc[0]['Entity']}/{dup.iloc[0]['Year']} "
            "(rule: one row per entity and year)"
        )
    entity_of: dict[str, str] = {}
    rows: list[dict[str, object]] = []
    for line, record in enumerate(frame.to_dict("records"), start=2):
        name, code, year_text = str(record["Entity"]), str(record["Code"]), str(record["Year"])
        if not _YEAR.fullmatch(year_text):
            raise IngestError(f"{spec.relpath}: line {line}: Year={year_text!r} (rule: 4 digits)")
        year = int(year_text)
        if name not in entity_of:
            entity_of[name] = _entity(ctx, spec, name, code)
        values = {column.header: str(record[column.header]) for column in spec.columns}
        for column in spec.columns:
            printed = values[column.header]
            if printed == "":
                continue
            if not _NUMBER.fullmatch(printed):
                raise IngestError(
                    f"{spec.relpath}: line {line}: {column.header}={printed!r} "
                    "(rule: plain decimal number)"
                )
            status = column.status
            notes = [spec.note]
            if column.note:
                notes.append(column.note)
            priority = 0
            if status == "incomplete":
                actual = [
                    values[other.header]
                    for other in spec.columns
                    if other.metric_id == column.metric_id and other.status != "incomplete"
                ]
                if any(value != "" for value in actual):
                    if all(float(value) == float(printed) for value in actual if value != ""):
                        continue  # projection repeats the actual value: line connector only
                    priority = 1
            if spec.partial_last_year is not None and year >= spec.partial_last_year:
                status = "incomplete"
                notes.append(PARTIAL_NOTE)
            if spec.total_note and _is_total(code, entity_of[name]):
                notes.append(spec.total_note)
            rows.append(
                {
                    "metric_id": column.metric_id,
                    "entity_id": entity_of[name],
                    "year": year,
                    "date": None,
                    "value": float(printed),
                    "source_id": spec.source_id,
                    "vintage": spec.vintage,
                    "locator": f"{spec.file}, Entity={name}, Year={year}, column={column.header}",
                    "status": status,
                    "priority": priority,
                    "note": "; ".join(notes),
                    "derived_from": None,
                }
            )
    return rows


def ingest(ctx: IngestContext) -> IngestOutput:
    """Observations of every OWID republication, one source per file."""
    rows: list[dict[str, object]] = []
    for spec in OWID_FILES:
        rows.extend(_file_rows(ctx, spec))
    return IngestOutput(observations=observations_frame(sort_and_check(rows, "owid")))
