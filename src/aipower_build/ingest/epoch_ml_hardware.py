"""Epoch AI ML hardware: the ``accelerators`` table and the US-China accelerator gap.

Raw file: ``epoch/ml_hardware_2025-12/ml_hardware.csv`` (170 accelerators). Decisions (see
``docs/sources/epoch_hardware.md`` and ``docs/methodology.md``):

* every row becomes one row of the ``accelerators`` table (figures only; the ``Notes`` and link
  columns are free text and are not shipped);
* the designer's country comes from :data:`MANUFACTURERS`, a curated table. Where Epoch's own
  AI-models file (``epoch/ai_models_2025-11/all_ai_models.csv``) lists the company as a model
  developer, the country is read from there at build time (``Country (of organization)`` of its
  single-organisation rows, which must all agree); the other companies carry aipower's own
  reading of where the company is based, and the table says so in ``country_basis``;
* derived series by release year (status ``derived``): the best 16-bit FLOP/s of an
  accelerator released in the year by a US and by a Chinese designer, the ratio of the two, and
  the best FP8 FLOP/s where the file reports one. 16-bit performance is the larger of Epoch's
  ``Tensor-FP16/BF16`` and ``FP16`` columns (Huawei's chips are recorded in the second only);
  accelerators without a release date are left out. Each derived row lists in ``inputs`` the
  ``accelerator_id`` of every accelerator tied at the best figure (``"USA: ..."``/``"CHN: ..."``
  for the ratio), keys of the shipped ``accelerators`` table.
"""

from __future__ import annotations

import math
from decimal import Decimal
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
    CHN,
    MODELS_FOR_COUNTRIES,
    PAIR_US_CHINA,
    USA,
    clean_text,
    organisation_countries,
    parse_date,
    parse_float,
    slugify,
)

FAMILY = "epoch_ml_hardware"
HARDWARE = "epoch/ml_hardware_2025-12/ml_hardware.csv"
FILES: tuple[str, ...] = (HARDWARE, MODELS_FOR_COUNTRIES)
SOURCE_ID = "epoch_ml_hardware_2025_12"


@attrs.frozen
class Manufacturer:
    """Where an accelerator designer is based, and how aipower knows."""

    #: ``Manufacturer`` as spelt in ml_hardware.csv
    name: str
    #: ``Organization`` as spelt in Epoch's AI-models file, when the company appears there
    epoch_organization: str | None = None
    #: entity id when there is no Epoch organisation to read it from
    country: str | None = None
    #: why, when ``country`` is given directly (our words)
    basis: str | None = None


CURATED = "aipower curation: the company's headquarters; not recorded in any pinned Epoch file"

#: Every manufacturer spelt in the file. An unknown spelling fails the build.
MANUFACTURERS: tuple[Manufacturer, ...] = (
    Manufacturer("NVIDIA", epoch_organization="NVIDIA"),
    Manufacturer("Google", epoch_organization="Google"),
    Manufacturer("Amazon AWS", epoch_organization="Amazon"),
    Manufacturer("Meta", epoch_organization="Meta AI"),
    Manufacturer("Microsoft", epoch_organization="Microsoft"),
    Manufacturer("Huawei", epoch_organization="Huawei"),
    Manufacturer("Kunlunxin Baidu", epoch_organization="Baidu"),
    Manufacturer("Alibaba", epoch_organization="Alibaba"),
    Manufacturer("Moore Threads (Tencent)", epoch_organization="Moore Threads"),
    Manufacturer("AMD", country=USA, basis=CURATED),
    Manufacturer("Intel", country=USA, basis=CURATED),
    Manufacturer("Tesla", country=USA, basis=CURATED),
    Manufacturer("Cambricon", country=CHN, basis=CURATED),
    Manufacturer("MetaX", country=CHN, basis=CURATED),
    Manufacturer("Iluvatar CoreX", country=CHN, basis=CURATED),
    Manufacturer("Biren", country=CHN, basis=CURATED),
    Manufacturer("Hygon", country=CHN, basis=CURATED),
    Manufacturer("Sunway", country=CHN, basis=CURATED),
    Manufacturer("National University of Defense Technology", country=CHN, basis=CURATED),
    Manufacturer("PEZY", country="JPN", basis=CURATED),
    # one row (GroqChip LPU v1) has no manufacturer: designer country unknown
    Manufacturer("", country=None, basis="no manufacturer in the file"),
)

#: accelerators table column -> (ml_hardware.csv column, unit)
NUMBERS: dict[str, str] = {
    "price_usd": "Release price (USD)",
    "fp64_flops": "FP64 (double precision) performance (FLOP/s)",
    "fp32_flops": "FP32 (single precision) performance (FLOP/s)",
    "fp16_flops": "FP16 (half precision) performance (FLOP/s)",
    "tf32_flops": "TF32 (TensorFloat-32) performance (FLOP/s)",
    "tensor_fp16_bf16_flops": "Tensor-FP16/BF16 performance (FLOP/s)",
    "fp8_flops": "FP8 performance (FLOP/s)",
    "fp4_flops": "FP4 performance (FLOP/s)",
    "int8_ops": "INT8 performance (OP/s)",
    "memory_bytes": "Memory size per board (Byte)",
    "memory_bandwidth_bytes_per_s": "Memory bandwidth (byte/s)",
    "tdp_w": "TDP (W)",
    "process_nm": "Process size (nm)",
}
C_NAME, C_MAKER, C_TYPE, C_RELEASE, C_FOUNDRY = (
    "Hardware name",
    "Manufacturer",
    "Type",
    "Release date",
    "Foundry",
)

#: Columns of the ``accelerators`` table.
ACCELERATOR_COLUMNS: tuple[str, ...] = (
    "accelerator_id",
    "name",
    "manufacturer",
    "designer_country",
    "country_basis",
    "type",
    "released",
    *NUMBERS,
    "foundry",
    "vintage",
    "source_id",
)


def designer_countries(ctx: IngestContext) -> dict[str, tuple[str | None, str]]:
    """Manufacturer spelling -> (entity id or None, basis text)."""
    epoch = organisation_countries(ctx)
    out: dict[str, tuple[str | None, str]] = {}
    for m in MANUFACTURERS:
        if m.epoch_organization is None:
            out[m.name] = (m.country, m.basis or "")
            continue
        found = epoch.get(m.epoch_organization, set())
        if len(found) != 1:
            raise IngestError(
                f"{MODELS_FOR_COUNTRIES}: organisation {m.epoch_organization!r} has countries "
                f"{sorted(found)} (rule: one country for a manufacturer read from Epoch)"
            )
        out[m.name] = (
            next(iter(found)),
            f"Epoch AI all_ai_models.csv (2025-11): Organization '{m.epoch_organization}'",
        )
    return out


def read_accelerators(ctx: IngestContext) -> pd.DataFrame:
    """Every row of ml_hardware.csv as a row of the ``accelerators`` table."""
    source = ctx.source(SOURCE_ID)
    frame = ctx.read_csv(HARDWARE)
    needed = [C_NAME, C_MAKER, C_TYPE, C_RELEASE, C_FOUNDRY, *NUMBERS.values()]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise IngestError(f"{HARDWARE}: missing columns {missing} (rule: pinned layout)")
    countries = designer_countries(ctx)
    rows: list[dict[str, Any]] = []
    for record in frame.to_dict("records"):
        name = clean_text(str(record[C_NAME]))
        maker = clean_text(str(record[C_MAKER]))
        if maker not in countries:
            raise IngestError(
                f"{HARDWARE}: row {name!r}: manufacturer {maker!r} is not in "
                "epoch_ml_hardware.MANUFACTURERS (rule: every designer has a curated country)"
            )
        country, basis = countries[maker]
        row: dict[str, Any] = {
            "accelerator_id": slugify(name),
            "name": name,
            "manufacturer": maker or None,
            "designer_country": country,
            "country_basis": basis or None,
            "type": clean_text(str(record[C_TYPE])) or None,
            "released": parse_date(
                str(record[C_RELEASE]), file=HARDWARE, key=name, column=C_RELEASE
            ),
        }
        for out_col, raw_col in NUMBERS.items():
            row[out_col] = parse_float(
                str(record[raw_col]), file=HARDWARE, key=name, column=raw_col
            )
        row["foundry"] = clean_text(str(record[C_FOUNDRY])) or None
        row["vintage"] = source.vintage
        row["source_id"] = source.source_id
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(ACCELERATOR_COLUMNS))
    dup = table[table.duplicated("accelerator_id", keep=False)]
    if not dup.empty:
        raise IngestError(
            f"{HARDWARE}: accelerator ids {sorted(set(dup['accelerator_id']))} repeat "
            "(rule: unique hardware names)"
        )
    return table.sort_values("accelerator_id", kind="stable").reset_index(drop=True)


def sixteen_bit(row: pd.Series) -> float:  # type: ignore[type-arg]
    """Larger of the tensor FP16/BF16 and the FP16 figure (NaN when neither is reported)."""
    values = [float(row[c]) for c in ("tensor_fp16_bf16_flops", "fp16_flops")]
    present = [v for v in values if not math.isnan(v)]
    return max(present) if present else math.nan


RULE_16 = (
    "Maximum over accelerators in ml_hardware.csv whose Release date falls in the year and "
    "whose Manufacturer maps to {ent} (accelerators table, designer_country) of the larger of "
    "'Tensor-FP16/BF16 performance (FLOP/s)' and 'FP16 (half precision) performance (FLOP/s)'."
)
RULE_8 = (
    "Maximum over accelerators in ml_hardware.csv whose Release date falls in the year and "
    "whose Manufacturer maps to {ent} of 'FP8 performance (FLOP/s)'."
)
NOTE = (
    "Peak figures as Epoch records them from manufacturers' specifications; they say nothing "
    "about how many chips were made or could be bought, and the file does not flag whether a "
    "figure assumes sparsity"
)


def gap_observations(table: pd.DataFrame, source: Source) -> list[dict[str, object]]:
    """Best 16-bit and FP8 FLOP/s by release year for USA and CHN, and the 16-bit ratio."""
    dated = table[table["released"].notna()].copy()
    dated["year"] = [d.year for d in dated["released"]]
    dated["b16"] = dated.apply(sixteen_bit, axis=1)
    best: dict[tuple[str, str, int], pd.Series] = {}  # type: ignore[type-arg]
    tied: dict[tuple[str, str, int], list[str]] = {}
    measures = (
        ("accelerator_best_16bit_flops", "b16", RULE_16),
        ("accelerator_best_fp8_flops", "fp8_flops", RULE_8),
    )
    rows: list[dict[str, object]] = []
    for metric, column, rule in measures:
        for ent in (USA, CHN):
            mine = dated[(dated["designer_country"] == ent) & dated[column].notna()]
            for year in sorted({int(y) for y in mine["year"]}):
                group = mine[mine["year"] == year]
                top = group.sort_values(
                    [column, "accelerator_id"], ascending=[False, True], kind="stable"
                ).iloc[0]
                best[(metric, ent, year)] = top
                # every accelerator tied at the best figure (the structured inputs)
                tied[(metric, ent, year)] = sorted(
                    str(a) for a in group.loc[group[column] == top[column], "accelerator_id"]
                )
                rows.append(
                    observation(
                        source,
                        metric_id=metric,
                        entity_id=ent,
                        year=year,
                        value=float(top[column]),
                        locator=f"ml_hardware.csv, Hardware name = {top['name']} "
                        f"(best {ent} accelerator released in {year})",
                        status="derived",
                        note=NOTE,
                        derived_from=rule.format(ent=ent),
                        inputs=tied[(metric, ent, year)],
                    )
                )
    years = sorted(
        {y for (m, e, y) in best if m == "accelerator_best_16bit_flops" and e == USA}
        & {y for (m, e, y) in best if m == "accelerator_best_16bit_flops" and e == CHN}
    )
    for year in years:
        us = best[("accelerator_best_16bit_flops", USA, year)]
        cn = best[("accelerator_best_16bit_flops", CHN, year)]
        ratio = Decimal(repr(float(us["b16"]))) / Decimal(repr(float(cn["b16"])))
        rows.append(
            observation(
                source,
                metric_id="accelerator_16bit_gap_us_china",
                entity_id=PAIR_US_CHINA,
                year=year,
                value=float(ratio),
                locator=f"ml_hardware.csv, Hardware name = {us['name']} (USA) and "
                f"{cn['name']} (CHN), best released in {year}",
                status="derived",
                note=NOTE,
                derived_from="accelerator_best_16bit_flops for USA divided by the same for "
                "CHN in the same release year; " + RULE_16.format(ent="USA or CHN"),
                inputs=[f"{USA}: {a}" for a in tied[("accelerator_best_16bit_flops", USA, year)]]
                + [f"{CHN}: {a}" for a in tied[("accelerator_best_16bit_flops", CHN, year)]],
            )
        )
    return rows


def ingest(ctx: IngestContext) -> IngestOutput:
    """The accelerators table plus the derived US-China series."""
    table = read_accelerators(ctx)
    return output(gap_observations(table, ctx.source(SOURCE_ID)), FAMILY, accelerators=table)
