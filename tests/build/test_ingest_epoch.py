"""Epoch ingest (models, GPU clusters, benchmarks): values checked against the pinned raw files.

The three Epoch families are three modules (``epoch_ai_models``, ``epoch_gpu_clusters``,
``epoch_benchmarks``); :func:`ingest_all` runs them together as the build does.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from aipower_build.entities import NameResolver, read_curated_csv
from aipower_build.ingest import epoch_ai_models, epoch_benchmarks, epoch_common, epoch_gpu_clusters
from aipower_build.ingest.base import OBSERVATION_COLUMNS, IngestContext, IngestError, IngestOutput
from aipower_build.ingest.epoch_ai_models import MODEL_COLUMNS
from aipower_build.ingest.epoch_gpu_clusters import CLUSTER_COLUMNS

REPO = Path(__file__).resolve().parents[2]
#: ``../shared/sources`` beside the repository (REPO.parent / "shared" / "sources")
SOURCES_ROOT = REPO.parent / "shared" / "sources"
DATA = Path("data") if Path("data/raw_lock.csv").exists() else REPO / "data"


EPOCH_MODULES = (epoch_ai_models, epoch_gpu_clusters, epoch_benchmarks)
FILES = tuple(f for module in EPOCH_MODULES for f in module.FILES)


def ingest_all(ctx: IngestContext) -> IngestOutput:
    """The three Epoch modules' output, observations concatenated, tables merged."""
    outputs = [module.ingest(ctx) for module in EPOCH_MODULES]
    observations = pd.concat([o.observations for o in outputs], ignore_index=True)
    return IngestOutput(observations, {k: v for o in outputs for k, v in o.tables.items()})


def _context() -> IngestContext:
    if not SOURCES_ROOT.is_dir():
        pytest.skip(f"raw sources not found at {SOURCES_ROOT}")
    lock = read_curated_csv(DATA / "raw_lock.csv")
    return IngestContext(
        sources_root=SOURCES_ROOT,
        lock=dict(zip(lock["path"], lock["sha256"], strict=True)),
        resolve_name=NameResolver.from_data(DATA),
    )


@pytest.fixture(scope="module")
def out() -> IngestOutput:
    return ingest_all(_context())


@pytest.fixture(scope="module")
def obs(out: IngestOutput) -> pd.DataFrame:
    return out.observations


@pytest.fixture(scope="module")
def models(out: IngestOutput) -> pd.DataFrame:
    return out.tables["models"]


@pytest.fixture(scope="module")
def clusters(out: IngestOutput) -> pd.DataFrame:
    return out.tables["clusters"]


def one(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, val in where.items():
        mask &= frame[col].map(lambda v, val=val: v == val)
    hit = frame[mask]
    assert len(hit) == 1, f"{where}: {len(hit)} rows"
    return hit.iloc[0]


# --- shapes ---------------------------------------------------------------------------------


def test_columns(out: IngestOutput) -> None:
    assert tuple(out.observations.columns) == OBSERVATION_COLUMNS
    assert tuple(out.tables["models"].columns) == MODEL_COLUMNS
    assert tuple(out.tables["clusters"].columns) == CLUSTER_COLUMNS
    assert set(out.tables) == {"models", "clusters"}


def test_every_file_is_read_and_pinned() -> None:
    ctx = _context()
    ingest_all(ctx)
    assert sorted(ctx.inputs) == sorted(FILES)
    assert all(f in ctx.lock for f in FILES)


def test_row_counts_per_file(models: pd.DataFrame, clusters: pd.DataFrame) -> None:
    counts = models.groupby(["source_id", "dataset"]).size().to_dict()
    assert counts == {
        ("epoch_notable_2026_08", "notable"): 1050,
        ("epoch_ai_models_2025_11", "notable"): 942,
        ("epoch_ai_models_2025_11", "all"): 3170,
        ("epoch_ai_models_2025_11", "large_scale"): 471,
        ("epoch_ai_models_2025_11", "frontier"): 131,
        ("epoch_large_scale_2026_08", "large_scale"): 526,
    }
    assert len(clusters) == 786


def test_primary_keys_unique(
    obs: pd.DataFrame, models: pd.DataFrame, clusters: pd.DataFrame
) -> None:
    assert not models.duplicated(["model_id", "dataset", "vintage"]).any()
    assert not clusters.duplicated(["cluster_id", "vintage"]).any()
    key = ["metric_id", "entity_id", "year", "date", "source_id", "vintage", "priority"]
    assert not obs.astype({"date": str}).duplicated(key).any()


def test_deterministic(out: IngestOutput) -> None:
    again = ingest_all(_context())
    pd.testing.assert_frame_equal(out.observations, again.observations)
    for name in ("models", "clusters"):
        pd.testing.assert_frame_equal(out.tables[name], again.tables[name])


def test_vintages_come_from_curated_sources(out: IngestOutput) -> None:
    """A vintage is stated once, in data/sources/epoch.csv: every row and table carries it."""
    src = read_curated_csv(DATA / "sources" / "epoch.csv")
    curated = dict(zip(src["source_id"], src["vintage"], strict=True))
    for frame in (out.observations, *out.tables.values()):
        pairs = set(zip(frame["source_id"], frame["vintage"], strict=True))
        assert pairs <= set(curated.items())
    assert set(src["license"]) == {"CC-BY-4.0"}
    for module in EPOCH_MODULES:
        assert not hasattr(module, "VINTAGES"), module.__name__


def test_metrics_file_covers_emitted_metrics(obs: pd.DataFrame) -> None:
    met = read_curated_csv(DATA / "metrics" / "epoch.csv")
    emitted = set(obs["metric_id"]) - {"notable_models", "training_gpu_hours"}
    assert set(met["metric_id"]) == emitted


# --- models table ---------------------------------------------------------------------------


def test_deepseek_v3_chip_hours(models: pd.DataFrame, obs: pd.DataFrame) -> None:
    row = one(models, model_id="deepseek_v3", dataset="all")
    assert row["training_chip_hours"] == 2_788_000.0
    assert row["training_hardware"] == "NVIDIA H800 SXM5"
    assert row["hardware_quantity"] == 2048.0
    assert row["training_compute_flop"] == 3.4078e24
    assert row["published"] == dt.date(2024, 12, 24)
    assert row["countries"] == ["CHN"]
    assert row["open_weights"] is True
    # Epoch revised the compute estimate in the 2026 notable file; no chip-hours column there
    new = one(models, model_id="deepseek_v3", source_id="epoch_notable_2026_08")
    assert new["training_compute_flop"] == 3.3e24
    assert math.isnan(new["training_chip_hours"])

    o = one(obs, metric_id="training_gpu_hours")
    assert o["entity_id"] == "DEEPSEEK_V3"
    assert o["year"] == 2024
    assert o["value"] == 2_788_000.0
    assert o["source_id"] == "epoch_ai_models_2025_11"
    assert o["vintage"] == "2025-11-01"
    assert o["status"] == "verified"
    assert "all_ai_models.csv" in o["locator"]
    assert "DeepSeek-V3" in o["locator"]


def test_hong_kong_kept_apart(models: pd.DataFrame, obs: pd.DataFrame) -> None:
    new = models[models["source_id"] == "epoch_notable_2026_08"]
    assert one(new, name="SenseChat 5.5")["countries"] == ["HKG"]
    assert one(new, name="LLaVA-OV-72B")["countries"] == ["CHN", "SGP", "HKG"]
    hkg = one(
        obs,
        metric_id="notable_models",
        entity_id="HKG",
        year=2024,
        source_id="epoch_notable_2026_08",
    )
    assert hkg["value"] == 2.0  # SenseChat 5.5 and LLaVA-OV-72B


def test_lists_and_open_weights(models: pd.DataFrame) -> None:
    new = models[models["source_id"] == "epoch_notable_2026_08"]
    gdm = one(new, name="Gemini 1.0 Ultra")
    assert gdm["organizations"] == ["Google DeepMind"]
    assert gdm["countries"] == ["USA"]  # Aug 2026: Google DeepMind is US only
    old = models[
        (models["source_id"] == "epoch_ai_models_2025_11") & (models["dataset"] == "notable")
    ]
    assert one(old, name="Gemini 1.0 Ultra")["countries"] == ["USA", "GBR"]
    assert gdm["open_weights"] is False  # API access
    assert one(new, name="SenseChat 5.5")["open_weights"] is False
    # a comma followed by a space stays inside one organisation name
    orgs = one(models[models["dataset"] == "all"], name="RWKV-5 (Eagle) 7B")["organizations"]
    assert orgs[0] == "RWKV Foundation"
    assert len(orgs) == 15
    # DeepLabV3 and DeepLabV3+ get different ids
    ids = set(new["model_id"])
    assert {"deeplabv3", "deeplabv3_plus", "pointnet", "pointnet_plus_plus"} <= ids


def test_duplicate_names_in_all_file(models: pd.DataFrame) -> None:
    rows = models[(models["dataset"] == "all") & (models["name"] == "Tulu 3 (Tülu 3) 70B")]
    assert sorted(rows["model_id"]) == ["tulu_3_tulu_3_70b", "tulu_3_tulu_3_70b_2"]


# --- derived counts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "entity", "year", "expected"),
    [
        ("epoch_notable_2026_08", "USA", 2024, 57.0),
        ("epoch_notable_2026_08", "CHN", 2024, 31.0),
        ("epoch_notable_2026_08", "GBR", 2024, 3.0),
        ("epoch_notable_2026_08", "WORLD", 2024, 98.0),
        ("epoch_ai_models_2025_11", "USA", 2024, 54.0),
        ("epoch_ai_models_2025_11", "CHN", 2024, 31.0),
        ("epoch_ai_models_2025_11", "GBR", 2024, 12.0),
        ("epoch_ai_models_2025_11", "WORLD", 2024, 96.0),
        ("epoch_notable_2026_08", "GBR", 2023, 6.0),
        ("epoch_ai_models_2025_11", "GBR", 2023, 20.0),
    ],
)
def test_notable_model_counts(
    obs: pd.DataFrame, source: str, entity: str, year: int, expected: float
) -> None:
    row = one(obs, metric_id="notable_models", entity_id=entity, year=year, source_id=source)
    assert row["value"] == expected
    assert row["status"] == "derived"
    assert row["derived_from"]


def test_open_weights_and_max_compute(obs: pd.DataFrame) -> None:
    src = "epoch_notable_2026_08"
    assert (
        one(
            obs, metric_id="notable_models_open_weights", entity_id="CHN", year=2024, source_id=src
        )["value"]
        == 16.0
    )
    assert (
        one(
            obs, metric_id="notable_models_open_weights", entity_id="USA", year=2024, source_id=src
        )["value"]
        == 20.0
    )
    cn = one(obs, metric_id="max_training_compute_flop", entity_id="CHN", year=2024, source_id=src)
    assert cn["value"] >= 3.3e24  # DeepSeek-V3 is a 2024 Chinese notable model


def test_partial_year_is_flagged(obs: pd.DataFrame) -> None:
    row = one(
        obs,
        metric_id="notable_models",
        entity_id="WORLD",
        year=2026,
        source_id="epoch_notable_2026_08",
    )
    assert "2026-08-14" in row["note"]


# --- clusters -------------------------------------------------------------------------------


def test_known_cluster(clusters: pd.DataFrame) -> None:
    row = one(clusters, cluster_id="xai_colossus_memphis_phase_3")
    assert row["h100_equivalents"] == 275795.85649723833
    assert row["countries"] == ["USA"]
    assert row["owner"] == "xAI"
    assert row["status"] == "Existing"
    assert row["single_cluster"] is True
    assert row["first_operational"] == dt.date(2025, 7, 22)
    phase2 = one(clusters, cluster_id="xai_colossus_memphis_phase_2")
    assert phase2["superseded_by"] == "xAI Colossus Memphis Phase 3"
    anon = clusters[clusters["name"] == "Anonymized Chinese System"]
    assert len(anon) == 257
    assert anon["cluster_id"].is_unique


def test_capacity_shares(obs: pd.DataFrame) -> None:
    share = obs[obs["metric_id"] == "h100e_capacity_share"]
    assert "WORLD" not in set(share["entity_id"])
    assert share["value"].sum() == pytest.approx(1.0, abs=1e-9)
    cap = obs[obs["metric_id"] == "h100e_capacity"].set_index("entity_id")["value"]
    assert cap["WORLD"] == pytest.approx(cap.drop("WORLD").sum(), rel=1e-12)
    us = one(share, entity_id="USA")["value"]
    cn = one(share, entity_id="CHN")["value"]
    assert us == pytest.approx(cap["USA"] / cap["WORLD"])
    assert 0.70 < us < 0.72
    assert 0.14 < cn < 0.15
    assert set(obs.loc[obs["metric_id"].str.startswith("h100e"), "year"]) == {2025}


# --- ECI ------------------------------------------------------------------------------------


def test_eci_gap_at_one_month(obs: pd.DataFrame) -> None:
    month = dt.date(2026, 7, 31)
    us = one(obs, metric_id="eci_best", entity_id="USA", date=month)
    cn = one(obs, metric_id="eci_best", entity_id="CHN", date=month)
    gap = one(obs, metric_id="eci_gap_us_china", entity_id="US_CHINA", date=month)
    assert us["value"] == 162.49  # Claude Fable 5, released 2026-06-09
    assert cn["value"] == 157.49  # Kimi K3 (high), released 2026-07-16
    assert gap["value"] == 5.0
    assert gap["year"] == 2026
    assert "claude-fable-5" in us["locator"]
    assert "kimi-k3_high" in cn["locator"]
    # DeepSeek-R1 lifts China's best in January 2025
    jan = one(obs, metric_id="eci_best", entity_id="CHN", date=dt.date(2025, 1, 31))
    assert jan["value"] == 139.56


def test_eci_dates_are_month_ends(obs: pd.DataFrame) -> None:
    eci = obs[obs["metric_id"].str.startswith("eci")]
    for d in eci["date"]:
        assert isinstance(d, dt.date)
        assert (d + dt.timedelta(days=1)).day == 1
    assert obs.loc[~obs["metric_id"].str.startswith("eci"), "date"].isna().all()


# --- helpers and failure modes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("DeepSeek-V3", "deepseek_v3"),
        ("DeepLabV3+", "deeplabv3_plus"),
        ("PanGu-Σ", "pangu_sigma"),
        ("NÜWA", "nuwa"),
        ("ResNeXt-101 (64\u00d74d)", "resnext_101_64x4d"),
        ("ERNIE x1 (文心大模型X1)", "ernie_x1_x1"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert epoch_common.slugify(name) == slug


def test_split_organizations() -> None:
    cell = "Beijing OrionStar Technology Co., Ltd.,Cylingo Group"
    assert epoch_common.split_organizations(cell) == [
        "Beijing OrionStar Technology Co., Ltd.",
        "Cylingo Group",
    ]


def test_open_weights_rule() -> None:
    assert epoch_ai_models.open_weights("Open weights (non-commercial)", file="f", key="k") is True
    assert epoch_ai_models.open_weights("Hosted access (no API)", file="f", key="k") is False
    assert epoch_ai_models.open_weights("", file="f", key="k") is None
    with pytest.raises(IngestError):
        epoch_ai_models.open_weights("Leaked", file="f", key="k")


def test_unmapped_country_fails() -> None:
    def nothing(name: str, file: str) -> str | None:
        return None

    ctx = _context()
    ctx.resolve_name = nothing
    with pytest.raises(IngestError, match="not mapped"):
        ingest_all(ctx)
