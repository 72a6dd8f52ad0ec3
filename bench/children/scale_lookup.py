"""Child: the first lookup on a (synthetic) data directory, imports excluded from the clock.

Usage: ``scale_lookup.py ENGINE DATA_DIR KEY_JSON`` with ENGINE ``aipower`` (a fresh store on
DATA_DIR: load, verify, index, one ``get``), ``polars`` (``scan_parquet`` + filter) or
``duckdb`` (SQL over ``read_parquet``). Prints one JSON line: the answer, the time of the
first lookup and the peak RSS of the whole process.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from _peak import peak_bytes


def main(argv: list[str]) -> None:
    engine, data_dir, key = argv
    k: dict[str, Any] = json.loads(key)
    obs = str(Path(data_dir) / "observations.parquet")
    if engine == "aipower":
        import pyarrow
        import pyarrow.compute
        import pyarrow.parquet  # noqa: F401  (imports are not what this measures)

        import aipower
        from aipower._core import store as _store

        t0 = time.perf_counter_ns()
        _store.set_default(_store.Store(Path(data_dir)))
        answer = [aipower.get(k["metric_id"], entity=k["entity_id"], year=k["year"]).value]
    elif engine == "polars":
        import polars as pl

        t0 = time.perf_counter_ns()
        c = pl.col
        q = pl.scan_parquet(obs).filter(
            (c("metric_id") == k["metric_id"])
            & (c("entity_id") == k["entity_id"])
            & (c("year") == k["year"])
            & (c("priority") == 0)
            & (c("source_id") == k["source_id"])
            & (c("vintage") == k["vintage"])
        )
        answer = list(q.select("value").collect()["value"])
    elif engine == "duckdb":
        import duckdb

        t0 = time.perf_counter_ns()
        rows = duckdb.execute(
            "SELECT value FROM read_parquet($obs) WHERE metric_id = $metric_id AND "
            "entity_id = $entity_id AND year = $year AND priority = 0 AND "
            "source_id = $source_id AND vintage = $vintage",
            {"obs": obs, **{n: k[n] for n in ("metric_id", "entity_id", "year")}}
            | {"source_id": k["source_id"], "vintage": k["vintage"]},
        ).fetchall()
        answer = [r[0] for r in rows]
    else:
        raise SystemExit(f"unknown engine {engine!r}")
    first = time.perf_counter_ns() - t0
    print(json.dumps({"answer": answer, "first_ns": first, "peak_bytes": peak_bytes()}))


if __name__ == "__main__":
    main(sys.argv[1:])
