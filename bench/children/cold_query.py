"""Child: one query of one shape in a fresh process, by aipower or a peer engine.

Usage: ``cold_query.py ENGINE SHAPE OBSERVATIONS ENTITIES KEY_JSON``

* ENGINE: ``aipower`` (the public API; series/compare return pandas), ``polars`` (a lazy
  ``scan_parquet`` with filters pushed down) or ``duckdb`` (SQL over ``read_parquet``).
* SHAPE: ``scalar``, ``series``, ``compare`` (a cross-section) or ``get_all``.
* KEY_JSON: the resolved key (see ``bench/cases/peers.py``); aipower is given the same ids.

Prints one JSON line: the answer (so the parent checks every engine returned the same
values) and the peak RSS. The peers read the same shipped Parquet files aipower reads.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from _peak import peak_bytes


def run_aipower(shape: str, k: dict[str, Any]) -> list[Any]:
    import aipower

    if shape == "scalar":
        return [aipower.get(k["metric_id"], entity=k["entity_id"], year=k["year"]).value]
    if shape == "get_all":
        obs = aipower.get_all(k["metric_id"], entity=k["entity_id"], year=k["year"])
        return sorted(o.value for o in obs)
    if shape == "series":
        frame = aipower.series(k["metric_id"], entity=k["entity_id"])
        return [[int(y), float(v)] for y, v in zip(frame.index, frame["value"], strict=True)]
    if shape == "compare":
        frame = aipower.compare(k["metric_id"], year=k["year"])
        return sorted([str(e), float(v)] for e, v in zip(frame.index, frame["value"], strict=True))
    raise SystemExit(f"unknown shape {shape!r}")


def run_polars(shape: str, obs_path: str, ent_path: str, k: dict[str, Any]) -> list[Any]:
    import polars as pl

    c = pl.col
    lf = pl.scan_parquet(obs_path)
    if shape == "scalar":
        q = lf.filter(
            (c("metric_id") == k["metric_id"])
            & (c("entity_id") == k["entity_id"])
            & (c("year") == k["year"])
            & (c("priority") == 0)
            & (c("source_id") == k["source_id"])
            & (c("vintage") == k["vintage"])
        ).select("value")
        return list(q.collect()["value"])
    if shape == "get_all":
        q = lf.filter(
            (c("metric_id") == k["metric_id"])
            & (c("entity_id") == k["entity_id"])
            & (c("year") == k["year"])
        ).select("value")
        return sorted(q.collect()["value"])
    if shape == "series":
        q = (
            lf.filter(
                (c("metric_id") == k["metric_id"])
                & (c("entity_id") == k["entity_id"])
                & (c("priority") == 0)
                & (c("source_id") == k["source_id"])
                & (c("vintage") == k["vintage"])
            )
            .select("year", "value")
            .sort("year")
        )
        return [[y, v] for y, v in q.collect().iter_rows()]
    if shape == "compare":
        countries = pl.scan_parquet(ent_path).filter(c("kind") == "country").select("entity_id")
        q = (
            lf.filter(
                (c("metric_id") == k["metric_id"])
                & (c("year") == k["year"])
                & (c("priority") == 0)
                & (c("source_id") == k["source_id"])
                & (c("vintage") == k["vintage"])
            )
            .join(countries, on="entity_id")
            .select("entity_id", "value")
        )
        return sorted([e, v] for e, v in q.collect().iter_rows())
    raise SystemExit(f"unknown shape {shape!r}")


def run_duckdb(shape: str, obs_path: str, ent_path: str, k: dict[str, Any]) -> list[Any]:
    import duckdb

    one = "priority = 0 AND source_id = $source_id AND vintage = $vintage"
    if shape == "scalar":
        sql = (
            "SELECT value FROM read_parquet($obs) WHERE metric_id = $metric_id "
            f"AND entity_id = $entity_id AND year = $year AND {one}"
        )
        names: tuple[str, ...] = ("metric_id", "entity_id", "year", "source_id", "vintage")
    elif shape == "get_all":
        sql = (
            "SELECT value FROM read_parquet($obs) WHERE metric_id = $metric_id "
            "AND entity_id = $entity_id AND year = $year ORDER BY value"
        )
        names = ("metric_id", "entity_id", "year")
    elif shape == "series":
        sql = (
            "SELECT year, value FROM read_parquet($obs) WHERE metric_id = $metric_id "
            f"AND entity_id = $entity_id AND {one} ORDER BY year"
        )
        names = ("metric_id", "entity_id", "source_id", "vintage")
    elif shape == "compare":
        sql = (
            "SELECT o.entity_id, o.value FROM read_parquet($obs) o "
            "JOIN read_parquet($ent) e USING (entity_id) WHERE e.kind = 'country' "
            f"AND metric_id = $metric_id AND year = $year AND {one} ORDER BY o.entity_id"
        )
        names = ("metric_id", "year", "source_id", "vintage")
    else:
        raise SystemExit(f"unknown shape {shape!r}")
    params: dict[str, Any] = {n: k[n] for n in names}
    params["obs"] = obs_path
    if shape == "compare":
        params["ent"] = ent_path
    rows = duckdb.execute(sql, params).fetchall()
    if shape in ("scalar", "get_all"):
        return [r[0] for r in rows]
    return [list(r) for r in rows]


def main(argv: list[str]) -> None:
    engine, shape, obs_path, ent_path, key = argv
    k = json.loads(key)
    if engine == "aipower":
        answer = run_aipower(shape, k)
    elif engine == "polars":
        answer = run_polars(shape, obs_path, ent_path, k)
    elif engine == "duckdb":
        answer = run_duckdb(shape, obs_path, ent_path, k)
    else:
        raise SystemExit(f"unknown engine {engine!r}")
    print(json.dumps({"answer": answer, "peak_bytes": peak_bytes()}))


if __name__ == "__main__":
    main(sys.argv[1:])
