"""Epoch ML hardware: the accelerators table and the accelerator gap, recomputed from the raw file.

The recomputation below reads ml_hardware.csv with the csv module and its own country map built
from Epoch's AI-models file; it does not call the ingest functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

import aipower
from aipower_build.entities import NameResolver
from aipower_build.ingest import epoch_ml_hardware as epoch_hardware
from aipower_build.ingest.base import IngestContext, IngestError

REPO = Path(__file__).parents[2]
SOURCES_ROOT = REPO.parent / "shared" / "sources"
DATA = REPO / "data"
HARDWARE = SOURCES_ROOT / "epoch" / "ml_hardware_2025-12" / "ml_hardware.csv"
MODELS = SOURCES_ROOT / "epoch" / "ai_models_2025-11" / "all_ai_models.csv"
COUNTRY_NAME = {"United States of America": "USA", "China": "CHN"}


def raw(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def manufacturer_country() -> dict[str, str | None]:
    """Independent map: Epoch organisation countries where the curated entry names one."""
    single: dict[str, set[str]] = {}
    for r in raw(MODELS):
        orgs = [o.strip() for o in r["Organization"].split(",") if o.strip()]
        countries = [c.strip() for c in r["Country (of organization)"].split(",") if c.strip()]
        if len(orgs) == 1 and len(set(countries)) == 1:
            single.setdefault(orgs[0], set()).add(countries[0])
    out: dict[str, str | None] = {}
    for m in epoch_hardware.MANUFACTURERS:
        if m.epoch_organization is None:
            out[m.name] = m.country
        else:
            (name,) = single[m.epoch_organization]
            out[m.name] = COUNTRY_NAME[name]
    return out


def number(text: str) -> float | None:
    return float(text) if text.strip() else None


def expected_series() -> dict[tuple[str, str, int], float]:
    countries = manufacturer_country()
    best: dict[tuple[str, str, int], float] = {}
    for r in raw(HARDWARE):
        country = countries[" ".join(r["Manufacturer"].split())]
        if country not in ("USA", "CHN") or not r["Release date"].strip():
            continue
        year = dt.date.fromisoformat(r["Release date"].strip()).year
        sixteen = [
            v
            for v in (
                number(r["Tensor-FP16/BF16 performance (FLOP/s)"]),
                number(r["FP16 (half precision) performance (FLOP/s)"]),
            )
            if v is not None
        ]
        fp8 = number(r["FP8 performance (FLOP/s)"])
        for metric, value in (
            ("accelerator_best_16bit_flops", max(sixteen) if sixteen else None),
            ("accelerator_best_fp8_flops", fp8),
        ):
            if value is not None:
                key = (metric, country, year)
                best[key] = max(best.get(key, 0.0), value)
    for (metric, country, year), value in list(best.items()):
        if metric == "accelerator_best_16bit_flops" and country == "USA":
            china = best.get((metric, "CHN", year))
            if china is not None:
                best[("accelerator_16bit_gap_us_china", "US_CHINA", year)] = value / china
    return best


def test_every_derived_value_recomputed_from_the_raw_file() -> None:
    expected = expected_series()
    obs = aipower.table("observations")
    mine = obs[obs["source_id"] == "epoch_ml_hardware_2025_12"]
    got = {(r.metric_id, r.entity_id, int(r.year)): float(r.value) for r in mine.itertuples()}
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert math.isclose(got[key], value, rel_tol=1e-12), key
    assert set(mine["status"]) == {"derived"}


def test_gap_at_the_top_in_2025() -> None:
    gap = aipower.get("accelerator_16bit_gap_us_china", entity="US_CHINA", year=2025)
    assert "AMD Instinct MI355X (USA) and Huawei Ascend 920 (CHN)" in gap.locator
    assert round(gap.value, 2) == 2.80
    cn = aipower.get("accelerator_performance", country="CN", year=2025)
    assert cn.value == 9.0e14


def test_no_dated_chinese_fp8_chip() -> None:
    with pytest.raises(aipower.errors.NoDataError, match="entities with data: USA"):
        aipower.get_all("accelerator_best_fp8_flops", country="CN", year=2025)


def test_accelerators_table_rows_and_countries() -> None:
    table = aipower.table("accelerators")
    assert len(table) == len(raw(HARDWARE)) == 170
    countries = manufacturer_country()
    for r in raw(HARDWARE):
        row = table[table["name"] == " ".join(r["Hardware name"].split())].iloc[0]
        expected = countries[" ".join(r["Manufacturer"].split())]
        assert (row["designer_country"] if isinstance(row["designer_country"], str) else None) == (
            expected
        )
    h100 = table[table["name"] == "NVIDIA H100 SXM5 80GB"].iloc[0]
    assert h100["tensor_fp16_bf16_flops"] == 9.894e14
    assert h100["country_basis"].startswith("Epoch AI all_ai_models.csv")


def test_unknown_manufacturer_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    lock = dict(
        zip(
            *(
                pd.read_csv(DATA / "raw_lock.csv", dtype=str, keep_default_na=False)[c]
                for c in ("path", "sha256")
            ),
            strict=True,
        )
    )
    ctx = IngestContext(
        sources_root=SOURCES_ROOT, lock=lock, resolve_name=NameResolver.from_data(DATA)
    )
    fewer = tuple(m for m in epoch_hardware.MANUFACTURERS if m.name != "Biren")
    monkeypatch.setattr(epoch_hardware, "MANUFACTURERS", fewer)
    with pytest.raises(IngestError, match=r"manufacturer 'Biren' is not in"):
        epoch_hardware.ingest(ctx)
