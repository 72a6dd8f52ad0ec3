"""LMArena: best US and Chinese model per snapshot and the gap, recomputed from the raw JSON.

The recomputation uses the curated mapping tables of the module (they are data) but its own
reading of the JSON files and of Epoch's organisation countries, not the ingest functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import aipower
from aipower_build.entities import NameResolver
from aipower_build.ingest import lmarena
from aipower_build.ingest.base import IngestContext, IngestError

REPO = Path(__file__).parents[2]
SOURCES_ROOT = REPO.parent / "shared" / "sources"
FOLDER = SOURCES_ROOT / "lmarena" / "arena_catalog_2025"
MODELS = SOURCES_ROOT / "epoch" / "ai_models_2025-11" / "all_ai_models.csv"
COUNTRY = {"United States of America": "USA", "China": "CHN"}


def epoch_country() -> dict[str, str]:
    found: dict[str, set[str]] = {}
    with MODELS.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            orgs = [o.strip() for o in re.split(r",(?!\s)", r["Organization"]) if o.strip()]
            places = {c.strip() for c in r["Country (of organization)"].split(",") if c.strip()}
            if len(orgs) == 1 and len(places) == 1:
                found.setdefault(orgs[0], set()).update(places)
    return {org: next(iter(p)) for org, p in found.items() if len(p) == 1}


def model_country() -> dict[str, str]:
    scatter = json.loads((FOLDER / "scatterplot-data.json").read_text(encoding="utf-8"))
    by_model = {
        e["model_api_name"]: lmarena.SCATTER_ORGANISATIONS[e["organization"]] for e in scatter
    }
    countries = epoch_country()
    out: dict[str, str] = {}
    for name in lmarena.SNAPSHOTS:
        board = json.loads((FOLDER / name).read_text(encoding="utf-8"))["full"]
        for model in board:
            org = by_model.get(model) or next(
                (o for p, o in lmarena.NAME_RULES if re.search(p, model, re.IGNORECASE)), None
            )
            if org is not None:
                out[model] = COUNTRY.get(countries[org], countries[org])
    return out


def expected() -> dict[tuple[str, str, dt.date], float]:
    countries = model_country()
    out: dict[tuple[str, str, dt.date], float] = {}
    for name in lmarena.SNAPSHOTS:
        date = dt.date.fromisoformat(name.split("_")[1])
        board = json.loads((FOLDER / name).read_text(encoding="utf-8"))["full"]
        best = {
            ent: max(v["rating"] for m, v in board.items() if countries.get(m) == ent)
            for ent in ("USA", "CHN")
        }
        out[("arena_top_rating", "USA", date)] = best["USA"]
        out[("arena_top_rating", "CHN", date)] = best["CHN"]
        out[("arena_rating_gap_us_china", "US_CHINA", date)] = best["USA"] - best["CHN"]
        out[("arena_relative_gap_us_china", "US_CHINA", date)] = (best["USA"] - best["CHN"]) / best[
            "CHN"
        ]
    return out


def test_every_derived_value_recomputed_from_the_raw_files() -> None:
    want = expected()
    obs = aipower.table("observations")
    mine = obs[obs["source_id"] == "lmarena_leaderboard_2025"]
    got = {(r.metric_id, r.entity_id, r.date): float(r.value) for r in mine.itertuples()}
    assert set(got) == set(want)
    assert len(got) == 15 * 4
    for key, value in want.items():
        assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-9), key


def test_december_2025_snapshot() -> None:
    us = aipower.get("arena_rating", country="US", year=2025)
    cn = aipower.get("arena_rating", country="CN", year=2025)
    assert us.date == cn.date == dt.date(2025, 12, 11)
    assert "gemini-3-pro" in us.locator
    assert "ernie-5.0-preview-1103" in cn.locator
    assert round(us.value) == 1487
    assert "2025-11-05" in us.note  # the scale break is stated on every row after it


def test_models_without_a_country_stay_below_both_bests() -> None:
    countries = model_country()
    for name in lmarena.SNAPSHOTS:
        board = json.loads((FOLDER / name).read_text(encoding="utf-8"))["full"]
        floor = min(
            max(v["rating"] for m, v in board.items() if countries.get(m) == ent)
            for ent in ("USA", "CHN")
        )
        unknown = [m for m, v in board.items() if m not in countries and v["rating"] >= floor]
        assert unknown == [], name


def test_unmapped_model_above_a_best_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the Gemini rule, gemini-2.5-pro-preview-05-06 (not in the scatter file, the top
    model of May 2025) has no country and would hide the US best: the ingest refuses."""
    rules = tuple(r for r in lmarena.NAME_RULES if "gemini" not in r[0])
    monkeypatch.setattr(lmarena, "NAME_RULES", rules)
    frame = pd.read_csv(REPO / "data" / "raw_lock.csv", dtype=str, keep_default_na=False)
    ctx = IngestContext(
        sources_root=SOURCES_ROOT,
        lock=dict(zip(frame["path"], frame["sha256"], strict=True)),
        resolve_name=NameResolver.from_data(REPO / "data"),
    )
    with pytest.raises(IngestError, match=r"has no known country but is rated at or above"):
        lmarena.ingest(ctx)
