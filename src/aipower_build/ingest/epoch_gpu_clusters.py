"""Epoch AI GPU clusters: the ``clusters`` table and existing H100-equivalent capacity.

Reads ``../shared/sources/epoch/gpu_clusters_2025-07/gpu_clusters.csv`` and returns the
``clusters`` table (one row per cluster of the snapshot) and the derived observations
``h100e_capacity`` per country (plus UNKNOWN and WORLD) and ``h100e_capacity_share``. The
counting rule (:data:`CAPACITY_RULE`) is stated in ``docs/sources/epoch.md`` and on every row.
The source and its vintage are curated in ``data/sources/epoch.csv``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal
from typing import Any

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
    UNKNOWN,
    WORLD,
    clean_text,
    file_label,
    map_countries,
    parse_date,
    parse_float,
    records,
    require,
    slugify,
)

FAMILY = "epoch_gpu_clusters"
SOURCE_ID = "epoch_gpu_clusters_2025_07"
CLUSTERS_2025 = "epoch/gpu_clusters_2025-07/gpu_clusters.csv"
FILES: tuple[str, ...] = (CLUSTERS_2025,)

#: Columns of the ``clusters`` table (Epoch GPU clusters).
CLUSTER_COLUMNS: tuple[str, ...] = (
    "cluster_id",  # stable slug of the name
    "name",
    "owner",
    "countries",  # list[str] of entity ids
    "h100_equivalents",
    "power_mw",
    "status",  # Existing / Planned / Decommissioned
    "certainty",
    "single_cluster",  # bool or None
    "sector",
    "first_operational",  # date or None
    "superseded_by",
    "vintage",
    "source_id",
)

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


def single_cluster(cell: str) -> bool | None:
    """``Single cluster?`` -> True/False; ``Unclear`` or empty -> None."""
    return {"Yes": True, "No": False}.get(cell.strip())


def read_clusters(ctx: IngestContext) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """The GPU-clusters file -> ``clusters`` table rows (and the raw records, same order)."""
    relpath = CLUSTERS_2025
    source = ctx.source(SOURCE_ID)
    frame = ctx.read_csv(relpath)
    require(frame, CLUSTER_REQUIRED, relpath)
    recs = records(frame)
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
                "vintage": source.vintage,
                "source_id": source.source_id,
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


def _capacity(
    clusters: pd.DataFrame, recs: list[dict[str, str]], keep: list[int]
) -> tuple[dict[str, Decimal], dict[str, list[str]]]:
    """Existing H100e per entity (UNKNOWN for no country) and the clusters counted for it."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    members: dict[str, list[str]] = defaultdict(list)
    for i in keep:
        h100e = Decimal(recs[i][CL_H100E].strip())
        countries = list(clusters.iloc[i]["countries"]) or [UNKNOWN]
        for c in countries:
            totals[c] += h100e / len(countries)
            members[c].append(str(clusters.iloc[i]["cluster_id"]))
    members[WORLD] = [str(clusters.iloc[i]["cluster_id"]) for i in keep]
    return totals, members


def cluster_observations(
    clusters: pd.DataFrame, recs: list[dict[str, str]], source: Source
) -> list[dict[str, object]]:
    """``h100e_capacity`` per country (+ UNKNOWN, WORLD) and ``h100e_capacity_share``."""
    label = file_label(CLUSTERS_2025)
    totals, members = _capacity(clusters, recs, counted_clusters(clusters, recs))
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
    rows: list[dict[str, object]] = []
    for ent, total in [*sorted(totals.items()), (WORLD, world)]:
        common: dict[str, Any] = {
            "entity_id": ent,
            "year": 2025,  # snapshot year
            "locator": f"{label}, rows with Status = Existing (counting rule in derived_from)",
            "status": "derived",
            "note": note,
            "inputs": sorted(members[ent]),
        }
        rows.append(
            observation(
                source, **common, metric_id="h100e_capacity", value=float(total), derived_from=rule
            )
        )
        if ent != WORLD:
            rows.append(
                observation(
                    source,
                    **common,
                    metric_id="h100e_capacity_share",
                    value=float(total / world),
                    derived_from=f"{rule} Share = country total / total of all counted rows "
                    "(UNKNOWN included, so the shares sum to 1).",
                )
            )
    return rows


def ingest(ctx: IngestContext) -> IngestOutput:
    """The clusters table and the existing-capacity observations."""
    clusters, recs = read_clusters(ctx)
    rows = cluster_observations(clusters, recs, ctx.source(SOURCE_ID))
    clusters = clusters.sort_values("cluster_id", kind="stable").reset_index(drop=True)
    return output(rows, FAMILY, clusters=clusters)
