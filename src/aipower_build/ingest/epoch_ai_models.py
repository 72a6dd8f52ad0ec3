"""Epoch AI model files: the ``models`` table, notable-model counts and one read value.

Reads the pinned model snapshots under ``../shared/sources/epoch`` (``ai_models_2025-11``,
``notable_ai_models_2026-08``, ``large_scale_ai_models_2026-08``) and returns

* the ``models`` table: one row per model per Epoch file (``dataset``) and vintage, without
  Epoch's free-text columns (notes, abstracts, authors, links);
* derived observations: notable-model counts, open-weights counts and the largest training
  compute per country and publication year (one set per notable-file vintage);
* one read observation: DeepSeek-V3's training chip-hours from ``all_ai_models.csv``.

Counting rules are stated in ``docs/sources/epoch.md`` and, per row, in ``derived_from``.
Sources (with their vintages) and metric definitions are curated in ``data/sources/epoch.csv``
and ``data/metrics/epoch.csv``; the module names source ids only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from typing import Any

import attrs
import pandas as pd

from aipower_build.ingest.base import (
    IngestContext,
    IngestError,
    IngestOutput,
    Source,
    observation,
    output,
)
from aipower_build.ingest.epoch_common import (
    WORLD,
    assign_ids,
    clean_text,
    file_label,
    is_country,
    map_countries,
    parse_date,
    parse_float,
    records,
    require,
    split_organizations,
    split_plain,
)

FAMILY = "epoch_ai_models"

AI_MODELS_DIR = "epoch/ai_models_2025-11"
NOTABLE_2026 = "epoch/notable_ai_models_2026-08/notable_ai_models.csv"
NOTABLE_2025 = f"{AI_MODELS_DIR}/notable_ai_models.csv"
ALL_2025 = f"{AI_MODELS_DIR}/all_ai_models.csv"
LARGE_SCALE_2025 = f"{AI_MODELS_DIR}/large_scale_ai_models.csv"
FRONTIER_2025 = f"{AI_MODELS_DIR}/frontier_ai_models.csv"
LARGE_SCALE_2026 = "epoch/large_scale_ai_models_2026-08/large_scale_ai_models.csv"


@attrs.frozen
class ModelFile:
    """One Epoch model file and the source its rows belong to (the vintage is the source's)."""

    relpath: str
    dataset: str  # notable / all / large_scale / frontier
    source_id: str


MODEL_FILES: tuple[ModelFile, ...] = (
    ModelFile(NOTABLE_2026, "notable", "epoch_notable_2026_08"),
    ModelFile(NOTABLE_2025, "notable", "epoch_ai_models_2025_11"),
    ModelFile(ALL_2025, "all", "epoch_ai_models_2025_11"),
    ModelFile(LARGE_SCALE_2025, "large_scale", "epoch_ai_models_2025_11"),
    ModelFile(FRONTIER_2025, "frontier", "epoch_ai_models_2025_11"),
    ModelFile(LARGE_SCALE_2026, "large_scale", "epoch_large_scale_2026_08"),
)
FILES: tuple[str, ...] = tuple(mf.relpath for mf in MODEL_FILES)

#: Columns of the ``models`` table (one row per model per Epoch file/vintage).
#: Lists are Python lists of str; dates are ``datetime.date`` or None; numbers float or NaN.
MODEL_COLUMNS: tuple[str, ...] = (
    "model_id",  # stable slug of the model name, e.g. "deepseek_v3"
    "name",
    "organizations",  # list[str]
    "countries",  # list[str] of entity ids (ISO3; HKG kept apart from CHN)
    "published",  # date
    "domain",  # list[str]
    "parameters",
    "training_compute_flop",
    "confidence",
    "training_hardware",
    "hardware_quantity",
    "training_chip_hours",
    "accessibility",
    "open_weights",  # bool or None (unknown)
    "notability",  # list[str]
    "dataset",  # "notable" / "all" / "large_scale" / "frontier": which Epoch file
    "vintage",
    "source_id",
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


def chip_hours_column(frame: pd.DataFrame) -> str | None:
    """The chip-hours column under any of its spellings (``Training chip-hours``, ...)."""
    for col in frame.columns:
        if re.sub(r"[^a-z]", "", str(col).lower()) in {"trainingchiphours", "traininggpuhours"}:
            return str(col)
    return None


def read_models(ctx: IngestContext, mf: ModelFile) -> pd.DataFrame:
    """One Epoch model file -> rows of the ``models`` table (MODEL_COLUMNS)."""
    source = ctx.source(mf.source_id)
    frame = ctx.read_csv(mf.relpath)
    require(frame, MODEL_REQUIRED, mf.relpath)
    chip_col = chip_hours_column(frame)
    recs = records(frame)
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
                "vintage": source.vintage,
                "source_id": source.source_id,
            }
        )
    out = pd.DataFrame(rows, columns=list(MODEL_COLUMNS))
    for col in ("parameters", "training_compute_flop", "hardware_quantity", "training_chip_hours"):
        out[col] = out[col].astype("float64")
    return out


@attrs.define
class _Cell:
    """The notable models of one country (or WORLD) and publication year."""

    counted: list[str] = attrs.field(factory=list)
    open_ids: list[str] = attrs.field(factory=list)
    with_compute: list[str] = attrs.field(factory=list)
    best: float | None = None

    def add(self, model_id: str, *, is_open: bool, compute: float) -> None:
        """Count one model; ``compute`` is NaN when Epoch gives no estimate."""
        self.counted.append(model_id)
        if is_open:
            self.open_ids.append(model_id)
        if not math.isnan(compute):
            self.with_compute.append(model_id)
            if self.best is None or compute > self.best:
                self.best = compute


def _tally(models: pd.DataFrame) -> tuple[dict[tuple[str, int], _Cell], dict[str, int], dt.date]:
    """Cells by (entity, year), each entity's first year, the latest Publication date."""
    cells: dict[tuple[str, int], _Cell] = defaultdict(_Cell)
    first_year: dict[str, int] = {}
    latest: dt.date | None = None
    columns = ("published", "countries", "open_weights", "training_compute_flop", "model_id")
    for published, countries, ow, compute, model_id in zip(
        *(models[c] for c in columns), strict=True
    ):
        if published is None:
            continue
        latest = published if latest is None else max(latest, published)
        year = published.year
        for ent in [WORLD, *[c for c in countries if is_country(c)]]:
            cells[(ent, year)].add(model_id, is_open=ow is True, compute=compute)
            first_year[ent] = min(first_year.get(ent, year), year)
    if latest is None:
        raise IngestError("no dated rows (rule: notable file has dates)")
    return cells, first_year, latest


BASIS = (
    "whole counting: a model counts once for each distinct country among its "
    "organisations (Hong Kong apart from China); WORLD counts each model once; "
    "year = year of Publication date"
)


def _who(ent: str) -> str:
    if ent == WORLD:
        return "all rows (each model once)"
    return f"rows whose Country (of organization) resolves to {ent}"


def notable_observations(
    models: pd.DataFrame, mf: ModelFile, source: Source
) -> list[dict[str, object]]:
    """Counts and largest compute per country and publication year for one notable file."""
    label = file_label(mf.relpath)
    try:
        cells, first_year, last_date = _tally(models)
    except IngestError as exc:
        raise IngestError(f"{mf.relpath}: {exc}") from exc
    last_year = last_date.year
    partial = f"Partial year: the file's latest Publication date is {last_date.isoformat()}."
    rows: list[dict[str, object]] = []
    for ent, start in first_year.items():
        for year in range(start, last_year + 1):
            cell = cells.get((ent, year), _Cell())
            common: dict[str, Any] = {
                "entity_id": ent,
                "year": year,
                "locator": f"{label}, {_who(ent)}, Publication date in {year}",
                # a partial period is incomplete, whatever else is true of it
                "status": "incomplete" if year == last_year else "derived",
                "note": partial if year == last_year else None,
            }
            rows.append(
                observation(
                    source,
                    **common,
                    metric_id="notable_models",
                    value=float(len(cell.counted)),
                    derived_from=f"Count of rows of {label} ({BASIS}).",
                    inputs=sorted(cell.counted),
                )
            )
            rows.append(
                observation(
                    source,
                    **common,
                    metric_id="notable_models_open_weights",
                    value=float(len(cell.open_ids)),
                    derived_from=f"Count of rows of {label} whose Model accessibility starts "
                    f"with 'Open weights' ({BASIS}).",
                    inputs=sorted(cell.open_ids),
                )
            )
            if cell.best is not None:
                rows.append(
                    observation(
                        source,
                        **common,
                        metric_id="max_training_compute_flop",
                        value=cell.best,
                        derived_from=f"Largest Training compute (FLOP) among rows of {label} "
                        f"that give one ({BASIS}); rows without a compute estimate are ignored.",
                        inputs=sorted(cell.with_compute),
                    )
                )
    return rows


def deepseek_v3_observation(
    models: pd.DataFrame, mf: ModelFile, source: Source
) -> dict[str, object]:
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
    return observation(
        source,
        metric_id="training_gpu_hours",
        entity_id=DEEPSEEK_V3_ENTITY,
        year=published.year,
        value=value,
        locator=f"{file_label(mf.relpath)}, Model = {DEEPSEEK_V3_NAME}, column Training chip-hours",
        status="verified",
        note=(
            f"Epoch lists the training hardware as {hardware}; for a GPU, chip-hours are "
            "GPU-hours. Year = year of Epoch's Publication date."
        ),
    )


def ingest(ctx: IngestContext) -> IngestOutput:
    """Read every Epoch model file in :data:`FILES`; return observations and the models table."""
    model_frames: list[pd.DataFrame] = []
    obs: list[dict[str, object]] = []
    for mf in MODEL_FILES:
        frame = read_models(ctx, mf)
        model_frames.append(frame)
        if mf.dataset == "notable":
            obs.extend(notable_observations(frame, mf, ctx.source(mf.source_id)))
        if mf.relpath == ALL_2025:
            obs.append(deepseek_v3_observation(frame, mf, ctx.source(mf.source_id)))
    models = pd.concat(model_frames, ignore_index=True)
    models = models.sort_values(["source_id", "dataset", "model_id"], kind="stable")
    return output(obs, FAMILY, models=models.reset_index(drop=True))
