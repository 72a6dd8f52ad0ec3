"""Epoch AI: model, GPU-cluster and benchmark files.

Reads the pinned Epoch AI snapshots under ``../shared/sources/epoch`` and returns

* the ``models`` table: one row per model per Epoch file (``dataset``) and vintage, without
  Epoch's free-text columns (notes, abstracts, authors, links);
* the ``clusters`` table: one row per GPU cluster of the GPU-clusters snapshot;
* derived observations: notable-model counts, open-weights counts and the largest training
  compute per country and publication year (one set per notable-file vintage), H100-equivalent
  capacity and its share per country, the best Epoch Capabilities Index of US and Chinese
  models by month end and their gap;
* one read observation: DeepSeek-V3's training chip-hours from ``all_ai_models.csv``.

Counting rules are stated in ``docs/sources/epoch.md`` and, per row, in ``derived_from``.
Sources and metric definitions are curated in ``data/sources/epoch.csv`` and
``data/metrics/epoch.csv``; the vintages below must equal the ``vintage`` column there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pandas as pd

from aipower_build.ingest.base import (
    CLUSTER_COLUMNS,
    MODEL_COLUMNS,
    IngestContext,
    IngestError,
    IngestOutput,
    observations_frame,
)

FAMILY = "epoch"

# --- sources (ids and vintages must match data/sources/epoch.csv) -------------------------
SRC_NOTABLE_2026 = "epoch_notable_2026_08"
SRC_AI_MODELS_2025 = "epoch_ai_models_2025_11"
SRC_LARGE_SCALE_2026 = "epoch_large_scale_2026_08"
SRC_CLUSTERS_2025 = "epoch_gpu_clusters_2025_07"
SRC_BENCHMARKED_2026 = "epoch_benchmarked_2026_08"

#: source_id -> vintage (the date of the copy we hold; see docs/sources/epoch.md)
VINTAGES: dict[str, str] = {
    SRC_NOTABLE_2026: "2026-08-19",
    SRC_AI_MODELS_2025: "2025-11-01",
    SRC_LARGE_SCALE_2026: "2026-08-19",
    SRC_CLUSTERS_2025: "2025-07",
    SRC_BENCHMARKED_2026: "2026-08-22",
}

NOTABLE_2026 = "epoch/notable_ai_models_2026-08/notable_ai_models.csv"
AI_MODELS_DIR = "epoch/ai_models_2025-11"
NOTABLE_2025 = f"{AI_MODELS_DIR}/notable_ai_models.csv"
ALL_2025 = f"{AI_MODELS_DIR}/all_ai_models.csv"
LARGE_SCALE_2025 = f"{AI_MODELS_DIR}/large_scale_ai_models.csv"
FRONTIER_2025 = f"{AI_MODELS_DIR}/frontier_ai_models.csv"
LARGE_SCALE_2026 = "epoch/large_scale_ai_models_2026-08/large_scale_ai_models.csv"
CLUSTERS_2025 = "epoch/gpu_clusters_2025-07/gpu_clusters.csv"
BENCHMARKED_2026 = "epoch/benchmarked_models_2026-08/benchmarked_models.csv"


@attrs.frozen
class ModelFile:
    """One Epoch model file and the source/vintage its rows belong to."""

    relpath: str
    dataset: str  # notable / all / large_scale / frontier
    source_id: str

    @property
    def vintage(self) -> str:
        return VINTAGES[self.source_id]


MODEL_FILES: tuple[ModelFile, ...] = (
    ModelFile(NOTABLE_2026, "notable", SRC_NOTABLE_2026),
    ModelFile(NOTABLE_2025, "notable", SRC_AI_MODELS_2025),
    ModelFile(ALL_2025, "all", SRC_AI_MODELS_2025),
    ModelFile(LARGE_SCALE_2025, "large_scale", SRC_AI_MODELS_2025),
    ModelFile(FRONTIER_2025, "frontier", SRC_AI_MODELS_2025),
    ModelFile(LARGE_SCALE_2026, "large_scale", SRC_LARGE_SCALE_2026),
)

FILES: tuple[str, ...] = (
    *(mf.relpath for mf in MODEL_FILES),
    CLUSTERS_2025,
    BENCHMARKED_2026,
)

# --- column names as Epoch spells them ------------------------------------------------------
C_MODEL = "Model"
C_ORG = "Organization"
C_COUNTRY = "Country (of organization)"
C_PUBLISHED = "Publication date"
C_DOMAIN = "Domain"
C_PARAMS = "Parameters"
C_COMPUTE = "Training compute (FLOP)"
C_CONFIDENCE = "Confidence"
C_HARDWARE = "Training hardware"
C_HW_QTY = "Hardware quantity"
C_ACCESS = "Model accessibility"
C_NOTABILITY = "Notability criteria"
MODEL_REQUIRED = (
    C_MODEL,
    C_ORG,
    C_COUNTRY,
    C_PUBLISHED,
    C_DOMAIN,
    C_PARAMS,
    C_COMPUTE,
    C_CONFIDENCE,
    C_HARDWARE,
    C_HW_QTY,
    C_ACCESS,
)

#: ``Model accessibility`` values that mean the weights cannot be downloaded.
CLOSED_ACCESS = frozenset({"API access", "Hosted access (no API)", "Unreleased"})
OPEN_PREFIX = "Open weights"

#: The one model whose chip-hours become an observation, and the chip its unit names.
DEEPSEEK_V3_NAME = "DeepSeek-V3"
DEEPSEEK_V3_ENTITY = "DEEPSEEK_V3"
DEEPSEEK_V3_CHIP = "H800"

WORLD = "WORLD"
UNKNOWN = "UNKNOWN"
PAIR_US_CHINA = "US_CHINA"
USA = "USA"
CHN = "CHN"
#: Entity ids of countries are ISO 3166-1 alpha-3 codes; anything else (e.g. an aggregate for
#: Epoch's "Multinational") is kept in ``countries`` lists but never gets a per-country count.
_COUNTRY_ID = re.compile(r"^[A-Z]{3}$")

_GREEK = re.compile(r"GREEK (?:SMALL|CAPITAL) LETTER (\w+)")


# ============================================================================================
# small parsers
# ============================================================================================


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


def open_weights(accessibility: str, *, file: str, key: str) -> bool | None:
    """``Model accessibility`` -> True (open weights), False (API/hosted/unreleased), None."""
    text = clean_text(accessibility)
    if not text:
        return None
    if text.startswith(OPEN_PREFIX):
        return True
    if text in CLOSED_ACCESS:
        return False
    raise IngestError(
        f"{file}: row {key!r}: unknown Model accessibility {accessibility!r} "
        "(rule: Open weights (...), API access, Hosted access (no API), Unreleased or empty)"
    )


def single_cluster(cell: str) -> bool | None:
    """``Single cluster?`` -> True/False; ``Unclear`` or empty -> None."""
    return {"Yes": True, "No": False}.get(cell.strip())


def map_countries(ctx: IngestContext, cell: str, *, file: str) -> list[str]:
    """Distinct entity ids of a ``,``-joined country cell, order of first appearance."""
    out: list[str] = []
    for name in split_plain(cell):
        eid = ctx.entity_id(name, file=file)
        if eid not in out:
            out.append(eid)
    return out


def is_country(entity_id: str) -> bool:
    return bool(_COUNTRY_ID.match(entity_id))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _require(frame: pd.DataFrame, columns: Iterable[str], file: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IngestError(f"{file}: missing column(s) {missing} (rule: Epoch's published header)")


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [{str(k): str(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")]


def _chip_hours_column(frame: pd.DataFrame) -> str | None:
    """The chip-hours column under any of its spellings (``Training chip-hours``, ...)."""
    for col in frame.columns:
        if re.sub(r"[^a-z]", "", str(col).lower()) in {"trainingchiphours", "traininggpuhours"}:
            return str(col)
    return None


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


# ============================================================================================
# models table
# ============================================================================================


def read_models(ctx: IngestContext, mf: ModelFile) -> pd.DataFrame:
    """One Epoch model file -> rows of the ``models`` table (MODEL_COLUMNS)."""
    frame = ctx.read_csv(mf.relpath)
    _require(frame, MODEL_REQUIRED, mf.relpath)
    chip_col = _chip_hours_column(frame)
    recs = _records(frame)
    names = [clean_text(r[C_MODEL]) for r in recs]
    for i, name in enumerate(names):
        if not name:
            raise IngestError(f"{mf.relpath}: data row {i + 1} has an empty Model name")
    ids = assign_ids(names, file=mf.relpath)
    rows: list[dict[str, Any]] = []
    for rec, name, model_id in zip(recs, names, ids, strict=True):

        def num(col: str, rec: dict[str, str] = rec, name: str = name) -> float:
            return parse_float(rec[col], file=mf.relpath, key=name, column=col)

        access = clean_text(rec[C_ACCESS])
        rows.append(
            {
                "model_id": model_id,
                "name": name,
                "organizations": split_organizations(rec[C_ORG]),
                "countries": map_countries(ctx, rec[C_COUNTRY], file=mf.relpath),
                "published": parse_date(
                    rec[C_PUBLISHED], file=mf.relpath, key=name, column=C_PUBLISHED
                ),
                "domain": split_plain(rec[C_DOMAIN]),
                "parameters": num(C_PARAMS),
                "training_compute_flop": num(C_COMPUTE),
                "confidence": clean_text(rec[C_CONFIDENCE]) or None,
                "training_hardware": clean_text(rec[C_HARDWARE]) or None,
                "hardware_quantity": num(C_HW_QTY),
                "training_chip_hours": num(chip_col) if chip_col else math.nan,
                "accessibility": access or None,
                "open_weights": open_weights(access, file=mf.relpath, key=name),
                "notability": split_plain(rec.get(C_NOTABILITY, "")),
                "dataset": mf.dataset,
                "vintage": mf.vintage,
                "source_id": mf.source_id,
            }
        )
    out = pd.DataFrame(rows, columns=list(MODEL_COLUMNS))
    for col in ("parameters", "training_compute_flop", "hardware_quantity", "training_chip_hours"):
        out[col] = out[col].astype("float64")
    return out


# ============================================================================================
# derived: notable-model counts, open weights, largest compute (per vintage)
# ============================================================================================


def _file_label(relpath: str) -> str:
    """``epoch/x/y.csv`` -> ``x/y.csv`` (the path under the Epoch folder, for locators)."""
    return relpath.removeprefix("epoch/")


def notable_observations(models: pd.DataFrame, mf: ModelFile) -> list[dict[str, Any]]:
    """Counts and largest compute per country and publication year for one notable file."""
    label = _file_label(mf.relpath)
    dated = [
        (p, list(c), ow, comp, mid)
        for p, c, ow, comp, mid in zip(
            models["published"],
            models["countries"],
            models["open_weights"],
            models["training_compute_flop"],
            models["model_id"],
            strict=True,
        )
        if p is not None
    ]
    if not dated:
        raise IngestError(f"{mf.relpath}: no dated rows (rule: notable file has dates)")
    last_date = max(p for p, *_ in dated)
    last_year = last_date.year
    count: dict[tuple[str, int], int] = defaultdict(int)
    open_count: dict[tuple[str, int], int] = defaultdict(int)
    best: dict[tuple[str, int], float] = {}
    first_year: dict[str, int] = {}
    # the model_ids behind each count (the structured inputs of the derived rows)
    counted: dict[tuple[str, int], list[str]] = defaultdict(list)
    open_ids: dict[tuple[str, int], list[str]] = defaultdict(list)
    with_compute: dict[tuple[str, int], list[str]] = defaultdict(list)
    for published, countries, ow, compute, model_id in dated:
        year = published.year
        targets = [WORLD, *[c for c in countries if is_country(c)]]
        for ent in targets:
            count[(ent, year)] += 1
            counted[(ent, year)].append(model_id)
            if ow is True:
                open_count[(ent, year)] += 1
                open_ids[(ent, year)].append(model_id)
            if not math.isnan(compute):
                with_compute[(ent, year)].append(model_id)
            if not math.isnan(compute) and compute > best.get((ent, year), -1.0):
                best[(ent, year)] = compute
            first_year[ent] = min(first_year.get(ent, year), year)

    def note(year: int) -> str | None:
        if year == last_year:
            return f"Partial year: the file's latest Publication date is {last_date.isoformat()}."
        return None

    def who(ent: str) -> str:
        if ent == WORLD:
            return "all rows (each model once)"
        return f"rows whose Country (of organization) resolves to {ent}"

    basis = (
        "whole counting: a model counts once for each distinct country among its "
        "organisations (Hong Kong apart from China); WORLD counts each model once; "
        "year = year of Publication date"
    )
    rows: list[dict[str, Any]] = []
    for ent, start in first_year.items():
        for year in range(start, last_year + 1):
            loc = f"{label}, {who(ent)}, Publication date in {year}"
            common = {
                "entity_id": ent,
                "year": year,
                "date": None,
                "source_id": mf.source_id,
                "vintage": mf.vintage,
                "locator": loc,
                # a partial period is incomplete, whatever else is true of it
                "status": "incomplete" if year == last_year else "derived",
                "priority": 0,
                "note": note(year),
            }
            rows.append(
                {
                    **common,
                    "metric_id": "notable_models",
                    "value": float(count.get((ent, year), 0)),
                    "derived_from": f"Count of rows of {label} ({basis}).",
                    "inputs": sorted(counted.get((ent, year), [])),
                }
            )
            rows.append(
                {
                    **common,
                    "metric_id": "notable_models_open_weights",
                    "value": float(open_count.get((ent, year), 0)),
                    "derived_from": (
                        f"Count of rows of {label} whose Model accessibility starts with "
                        f"'Open weights' ({basis})."
                    ),
                    "inputs": sorted(open_ids.get((ent, year), [])),
                }
            )
            if (ent, year) in best:
                rows.append(
                    {
                        **common,
                        "metric_id": "max_training_compute_flop",
                        "value": best[(ent, year)],
                        "derived_from": (
                            f"Largest Training compute (FLOP) among rows of {label} that give "
                            f"one ({basis}); rows without a compute estimate are ignored."
                        ),
                        "inputs": sorted(with_compute[(ent, year)]),
                    }
                )
    return rows


def deepseek_v3_observation(models: pd.DataFrame, mf: ModelFile) -> dict[str, Any]:
    """DeepSeek-V3's training chip-hours as Epoch's all-models file gives them."""
    hit = models[models["name"] == DEEPSEEK_V3_NAME]
    if len(hit) != 1:
        raise IngestError(
            f"{mf.relpath}: expected exactly one row named {DEEPSEEK_V3_NAME!r}, found {len(hit)}"
        )
    row = hit.iloc[0]
    value = float(row["training_chip_hours"])
    hardware = str(row["training_hardware"] or "")
    if math.isnan(value):
        raise IngestError(f"{mf.relpath}: {DEEPSEEK_V3_NAME} has no Training chip-hours")
    if DEEPSEEK_V3_CHIP not in hardware:
        raise IngestError(
            f"{mf.relpath}: {DEEPSEEK_V3_NAME} training hardware {hardware!r} is not an "
            f"{DEEPSEEK_V3_CHIP} (rule: the metric's unit is {DEEPSEEK_V3_CHIP} GPU-hours)"
        )
    published = row["published"]
    if not isinstance(published, dt.date):
        raise IngestError(f"{mf.relpath}: {DEEPSEEK_V3_NAME} has no Publication date")
    return {
        "metric_id": "training_gpu_hours",
        "entity_id": DEEPSEEK_V3_ENTITY,
        "year": published.year,
        "date": None,
        "value": value,
        "source_id": mf.source_id,
        "vintage": mf.vintage,
        "locator": f"{_file_label(mf.relpath)}, Model = {DEEPSEEK_V3_NAME}, "
        "column Training chip-hours",
        "status": "verified",
        "priority": 0,
        "note": (
            f"Epoch lists the training hardware as {hardware}; for a GPU, chip-hours are "
            "GPU-hours. Year = year of Epoch's Publication date."
        ),
        "derived_from": None,
    }


# ============================================================================================
# clusters
# ============================================================================================

CL_NAME = "Name"
CL_STATUS = "Status"
CL_CERTAINTY = "Certainty"
CL_SINGLE = "Single cluster?"
CL_H100E = "H100 equivalents"
CL_COUNTRY = "Country"
CL_OWNER = "Owner"
CL_FIRST_OP = "First Operational Date"
CL_SECTOR = "Sector"
CL_POWER = "Power Capacity (MW)"
CL_SUPERSEDED = "Superseded by"
CL_DUPLICATE = "Possible Duplicate"
CLUSTER_REQUIRED = (
    CL_NAME,
    CL_STATUS,
    CL_CERTAINTY,
    CL_SINGLE,
    CL_H100E,
    CL_COUNTRY,
    CL_OWNER,
    CL_FIRST_OP,
    CL_SECTOR,
    CL_POWER,
    CL_SUPERSEDED,
    CL_DUPLICATE,
)


def read_clusters(ctx: IngestContext) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """The GPU-clusters file -> ``clusters`` table rows (and the raw records, same order)."""
    relpath = CLUSTERS_2025
    frame = ctx.read_csv(relpath)
    _require(frame, CLUSTER_REQUIRED, relpath)
    recs = _records(frame)
    names = [clean_text(r[CL_NAME]) for r in recs]
    rows: list[dict[str, Any]] = []
    for i, (rec, name) in enumerate(zip(recs, names, strict=True)):
        if not name:
            raise IngestError(f"{relpath}: data row {i + 1} has an empty Name")
        key = f"{name} (data row {i + 1})"
        rows.append(
            {
                "cluster_id": "",
                "name": name,
                "owner": clean_text(rec[CL_OWNER]) or None,
                "countries": map_countries(ctx, rec[CL_COUNTRY], file=relpath),
                "h100_equivalents": parse_float(
                    rec[CL_H100E], file=relpath, key=key, column=CL_H100E
                ),
                "power_mw": parse_float(rec[CL_POWER], file=relpath, key=key, column=CL_POWER),
                "status": clean_text(rec[CL_STATUS]) or None,
                "certainty": clean_text(rec[CL_CERTAINTY]) or None,
                "single_cluster": single_cluster(rec[CL_SINGLE]),
                "sector": clean_text(rec[CL_SECTOR]) or None,
                "first_operational": parse_date(
                    rec[CL_FIRST_OP], file=relpath, key=key, column=CL_FIRST_OP
                ),
                "superseded_by": clean_text(rec[CL_SUPERSEDED]) or None,
                "vintage": VINTAGES[SRC_CLUSTERS_2025],
                "source_id": SRC_CLUSTERS_2025,
            }
        )
    # ids: a name used once keeps its slug; repeated names (Epoch's 257 "Anonymized Chinese
    # System" rows) get _001, _002, ... by (first operational date, H100e, row position).
    slugs = [slugify(n) for n in names]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(slugs):
        groups[s].append(i)
    for slug, idx in groups.items():
        if len(idx) == 1:
            rows[idx[0]]["cluster_id"] = slug
            continue
        width = max(3, len(str(len(idx))))

        def order(i: int) -> tuple[str, float, int]:
            first = rows[i]["first_operational"]
            h100e = rows[i]["h100_equivalents"]
            return (
                first.isoformat() if isinstance(first, dt.date) else "9999-99-99",
                -1.0 if math.isnan(h100e) else float(h100e),
                i,
            )

        for k, i in enumerate(sorted(idx, key=order), start=1):
            rows[i]["cluster_id"] = f"{slug}_{k:0{width}d}"
    ids = [str(r["cluster_id"]) for r in rows]
    if len(set(ids)) != len(ids):
        raise IngestError(f"{relpath}: cluster ids collide (rule: one id per row)")
    out = pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS))
    for col in ("h100_equivalents", "power_mw"):
        out[col] = out[col].astype("float64")
    return out, recs


#: Our counting rule for existing capacity (also in docs/sources/epoch.md).
CAPACITY_RULE = (
    "Sum of 'H100 equivalents' over rows of {file} with Status = Existing, leaving out rows "
    "flagged Possible Duplicate = True, rows with Certainty = Unlikely, and rows whose "
    "'Superseded by' names another Existing row (a later phase whose figure already includes "
    "the earlier one); rows without an H100-equivalents figure cannot be counted; a row with "
    "no Country goes to UNKNOWN; a row naming several countries would be split equally "
    "(none does in this snapshot)."
)


def counted_clusters(clusters: pd.DataFrame, recs: list[dict[str, str]]) -> list[int]:
    """Positions of cluster rows that enter the existing-capacity totals."""
    status_by_name: dict[str, set[str]] = defaultdict(set)
    for rec in recs:
        status_by_name[clean_text(rec[CL_NAME])].add(clean_text(rec[CL_STATUS]))
    keep: list[int] = []
    for i, rec in enumerate(recs):
        if clean_text(rec[CL_STATUS]) != "Existing":
            continue
        if clean_text(rec[CL_DUPLICATE]).lower() == "true":
            continue
        if clean_text(rec[CL_CERTAINTY]) == "Unlikely":
            continue
        successor = clean_text(rec[CL_SUPERSEDED])
        if successor and "Existing" in status_by_name.get(successor, set()):
            continue
        if math.isnan(float(clusters.iloc[i]["h100_equivalents"])):
            continue
        keep.append(i)
    return keep


def cluster_observations(
    clusters: pd.DataFrame, recs: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """``h100e_capacity`` per country (+ UNKNOWN, WORLD) and ``h100e_capacity_share``."""
    label = _file_label(CLUSTERS_2025)
    keep = counted_clusters(clusters, recs)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    members: dict[str, list[str]] = defaultdict(list)
    for i in keep:
        h100e = Decimal(recs[i][CL_H100E].strip())
        countries = list(clusters.iloc[i]["countries"]) or [UNKNOWN]
        for c in countries:
            totals[c] += h100e / len(countries)
            members[c].append(str(clusters.iloc[i]["cluster_id"]))
    members[WORLD] = [str(clusters.iloc[i]["cluster_id"]) for i in keep]
    world = sum(totals.values(), Decimal(0))
    if world <= 0:
        raise IngestError(f"{CLUSTERS_2025}: no existing capacity counted")
    latest = max(
        (d for d in clusters["first_operational"] if isinstance(d, dt.date)),
        default=None,
    )
    note = (
        f"Snapshot of Epoch's GPU-clusters data; latest First Operational Date of any row is "
        f"{latest.isoformat() if latest else 'unknown'}. Epoch estimates its data covers only a "
        "fraction of the world's AI compute."
    )
    rule = CAPACITY_RULE.format(file=label)
    loc = f"{label}, rows with Status = Existing (counting rule in derived_from)"
    vintage = VINTAGES[SRC_CLUSTERS_2025]
    rows: list[dict[str, Any]] = []
    year = 2025  # snapshot year
    for ent, total in [*sorted(totals.items()), (WORLD, world)]:
        common = {
            "entity_id": ent,
            "year": year,
            "date": None,
            "source_id": SRC_CLUSTERS_2025,
            "vintage": vintage,
            "locator": loc,
            "status": "derived",
            "priority": 0,
            "note": note,
            "inputs": sorted(members[ent]),
        }
        rows.append(
            {**common, "metric_id": "h100e_capacity", "value": float(total), "derived_from": rule}
        )
        if ent != WORLD:
            rows.append(
                {
                    **common,
                    "metric_id": "h100e_capacity_share",
                    "value": float(total / world),
                    "derived_from": f"{rule} Share = country total / total of all counted rows "
                    "(UNKNOWN included, so the shares sum to 1).",
                }
            )
    return rows


# ============================================================================================
# benchmarks: best ECI by month end and the US-China gap
# ============================================================================================

BM_MODEL = "Model"
BM_VERSION_ID = "id_model_version"
BM_COUNTRY = "Country (of organization)"
BM_RELEASE = "Version release date"
BM_ECI = "eci"
BENCH_REQUIRED = (BM_MODEL, BM_VERSION_ID, BM_COUNTRY, BM_RELEASE, BM_ECI)


@attrs.frozen
class Scored:
    """One benchmarked model version with an ECI and a release date."""

    released: dt.date
    eci: Decimal
    version_id: str
    countries: tuple[str, ...]


def read_benchmarked(ctx: IngestContext) -> tuple[list[Scored], dt.date]:
    """Scored model versions and the latest release date of any row in the file."""
    relpath = BENCHMARKED_2026
    frame = ctx.read_csv(relpath)
    _require(frame, BENCH_REQUIRED, relpath)
    scored: list[Scored] = []
    latest: dt.date | None = None
    for rec in _records(frame):
        key = clean_text(rec[BM_VERSION_ID])
        released = parse_date(rec[BM_RELEASE], file=relpath, key=key, column=BM_RELEASE)
        if released is not None:
            latest = released if latest is None else max(latest, released)
        text = rec[BM_ECI].strip()
        if released is None or not text:
            continue
        parse_float(text, file=relpath, key=key, column=BM_ECI)  # validates the text
        countries = tuple(map_countries(ctx, rec[BM_COUNTRY], file=relpath))
        scored.append(Scored(released, Decimal(text), key, countries))
    if latest is None:
        raise IngestError(f"{relpath}: no Version release date (rule: dated rows)")
    return scored, latest


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(month_end(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def eci_observations(scored: list[Scored], latest: dt.date) -> list[dict[str, Any]]:
    """``eci_best`` (USA, CHN) and ``eci_gap_us_china`` by month end."""
    label = _file_label(BENCHMARKED_2026)
    source, vintage = SRC_BENCHMARKED_2026, VINTAGES[SRC_BENCHMARKED_2026]
    last_month = month_end(latest.year, latest.month)
    partial = (
        f"Month not complete in this snapshot: the file's latest Version release date is "
        f"{latest.isoformat()}."
    )
    best: dict[str, dict[dt.date, Scored]] = {}
    #: every version tied at the best eci by each month end (the structured inputs)
    tied: dict[str, dict[dt.date, list[str]]] = {}
    for ent in (USA, CHN):
        pool = sorted(
            (s for s in scored if ent in s.countries),
            key=lambda s: (s.released, -s.eci, s.version_id),
        )
        if not pool:
            raise IngestError(f"{BENCHMARKED_2026}: no scored model for {ent}")
        series: dict[dt.date, Scored] = {}
        ties: dict[dt.date, list[str]] = {}
        current: Scored | None = None
        level: list[str] = []
        j = 0
        for me in _months(pool[0].released, last_month):
            while j < len(pool) and pool[j].released <= me:
                if current is None or pool[j].eci > current.eci:
                    current = pool[j]
                    level = [pool[j].version_id]
                elif pool[j].eci == current.eci:
                    level.append(pool[j].version_id)
                j += 1
            assert current is not None
            series[me] = current
            ties[me] = sorted(set(level))
        best[ent] = series
        tied[ent] = ties
    rule = (
        "Running maximum of eci over rows of {file} whose Country (of organization) resolves "
        "to {ent} (a model of several countries counts for each) and whose Version release "
        "date is on or before the month end; rows without eci or release date are ignored."
    )
    rows: list[dict[str, Any]] = []

    def base(ent: str, me: dt.date) -> dict[str, Any]:
        return {
            "entity_id": ent,
            "year": me.year,
            "date": me,
            "source_id": source,
            "vintage": vintage,
            "status": "incomplete" if me == last_month else "derived",
            "priority": 0,
            "note": partial if me == last_month else None,
        }

    for ent, series in best.items():
        for me, s in series.items():
            rows.append(
                {
                    **base(ent, me),
                    "metric_id": "eci_best",
                    "value": float(s.eci),
                    "locator": f"{label}, id_model_version = {s.version_id} (best {ent} model "
                    f"released by {me.isoformat()})",
                    "derived_from": rule.format(file=label, ent=ent),
                    "inputs": tied[ent][me],
                }
            )
    for me in sorted(set(best[USA]) & set(best[CHN])):
        us, cn = best[USA][me], best[CHN][me]
        rows.append(
            {
                **base(PAIR_US_CHINA, me),
                "metric_id": "eci_gap_us_china",
                "value": float(us.eci - cn.eci),
                "locator": f"{label}, id_model_version = {us.version_id} (USA) and "
                f"{cn.version_id} (CHN), best released by {me.isoformat()}",
                "derived_from": "eci_best for USA minus eci_best for CHN at the same month end; "
                + rule.format(file=label, ent="USA or CHN"),
                "inputs": [f"{USA}: {v}" for v in tied[USA][me]]
                + [f"{CHN}: {v}" for v in tied[CHN][me]],
            }
        )
    return rows


# ============================================================================================
# entry point
# ============================================================================================


def _sort_observations(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(r: dict[str, Any]) -> tuple[str, str, str, str, int, str, int]:
        d = r["date"]
        return (
            str(r["metric_id"]),
            str(r["entity_id"]),
            str(r["source_id"]),
            str(r["vintage"]),
            int(r["year"]),
            d.isoformat() if isinstance(d, dt.date) else "",
            int(r["priority"]),
        )

    return sorted(rows, key=key)


def ingest(ctx: IngestContext) -> IngestOutput:
    """Read every Epoch file in :data:`FILES`; return observations, models and clusters."""
    model_frames: list[pd.DataFrame] = []
    obs: list[dict[str, Any]] = []
    for mf in MODEL_FILES:
        frame = read_models(ctx, mf)
        model_frames.append(frame)
        if mf.dataset == "notable":
            obs.extend(notable_observations(frame, mf))
        if mf.relpath == ALL_2025:
            obs.append(deepseek_v3_observation(frame, mf))
    models = pd.concat(model_frames, ignore_index=True)
    models = models.sort_values(["source_id", "dataset", "model_id"], kind="stable")
    models = models.reset_index(drop=True)

    clusters, recs = read_clusters(ctx)
    obs.extend(cluster_observations(clusters, recs))
    clusters = clusters.sort_values("cluster_id", kind="stable").reset_index(drop=True)

    scored, latest = read_benchmarked(ctx)
    obs.extend(eci_observations(scored, latest))

    return IngestOutput(
        observations=observations_frame(_sort_observations(obs)),
        tables={"models": models, "clusters": clusters},
    )
