"""The first lookup and peak memory at 10x and 100x realistic synthetic data.

The synthetic observations are the shipped table itself, replicated: replica 0 is the
shipped table, replica ``r >= 1`` is every shipped row with ``r`` written into its metric id
(``r001_<metric_id>``) and into the first four characters of its locator, and the metrics
table gains the matching metrics. So the bytes per row, the locator length distribution, the
rows per (metric, entity) pair and every other column's content are those of the shipped
table (measured, not assumed: the case records bytes per row and locator lengths of both);
replicas are not byte-identical, so compression does not flatter the file size. The
directories are written with the build's own writer (about 7 minutes at 100x with zstd-19)
and cached under ``$TMPDIR/aipower-bench-cache``, keyed on the SHA-256 of their inputs (the
factor, the shipped manifest, this file and the writer's source), so a rerun reuses them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import Children, Config, Row, last_json, log, script, slower

ENGINES = ("aipower", "polars", "duckdb")


def locator_stats(table: Any) -> dict[str, float]:
    import pyarrow.compute as pc

    lengths = pc.utf8_length(table["locator"]).to_pylist()
    qs = statistics.quantiles(lengths, n=10)
    return {
        "mean": round(statistics.fmean(lengths), 2),
        "min": min(lengths),
        "p10": qs[0],
        "median": statistics.median(lengths),
        "p90": qs[-1],
        "max": max(lengths),
    }


def replicated(factor: int) -> tuple[dict[str, Any], Any]:
    """The shipped tables with observations (and metrics) replicated ``factor`` times."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from aipower._core import store as _store
    from aipower._spec import OBSERVATIONS, TABLES

    store = _store.default()
    store.load_indexes()
    obs = store.shipped_table("observations")
    metrics = store.shipped_table("metrics")
    obs_parts, metric_parts = [obs], [metrics]
    for r in range(1, factor):
        prefix = f"r{r:03d}_"
        tag = f"{r:03x}|"
        o = obs.set_column(
            obs.schema.get_field_index("metric_id"),
            obs.schema.field("metric_id"),
            pc.binary_join_element_wise(prefix, obs["metric_id"], ""),  # type: ignore[call-overload]
        )
        o = o.set_column(
            o.schema.get_field_index("locator"),
            o.schema.field("locator"),
            pc.utf8_replace_slice(obs["locator"], 0, len(tag), tag),
        )
        obs_parts.append(o)
        metric_parts.append(
            metrics.set_column(
                metrics.schema.get_field_index("metric_id"),
                metrics.schema.field("metric_id"),
                pc.binary_join_element_wise(prefix, metrics["metric_id"], ""),  # type: ignore[call-overload]
            )
        )
    big = pa.concat_tables(obs_parts)
    big = big.sort_by([(c, "ascending") for c in OBSERVATIONS.primary_key])
    tables = {name: store.shipped_table(name) for name in TABLES}
    tables["observations"] = big
    tables["metrics"] = pa.concat_tables(metric_parts).sort_by("metric_id")
    return tables, obs


def _cache_dir(factor: int, shipped_dir: Path) -> Path:
    """Where the ``factor``x data lives, keyed on everything that goes into it."""
    import aipower_build.write as writer  # type: ignore[import-untyped]

    digest = hashlib.sha256(f"{factor}\n".encode())
    for path in (shipped_dir / "manifest.json", Path(__file__), Path(writer.__file__)):
        digest.update(path.read_bytes())
    return (
        Path(tempfile.gettempdir())
        / "aipower-bench-cache"
        / f"data-{factor}x-{digest.hexdigest()[:16]}"
    )


def shipped_shape(shipped_dir: Path) -> dict[str, Any]:
    from aipower._core import store as _store

    shipped = _store.default().shipped_table("observations")
    return {
        "rows": shipped.num_rows,
        "arrow_bytes_per_row": round(shipped.nbytes / shipped.num_rows, 1),
        "parquet_bytes_per_row": round(
            (shipped_dir / "observations.parquet").stat().st_size / shipped.num_rows, 2
        ),
        "locator_length": locator_stats(shipped),
    }


def synthetic(factor: int, shipped_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The ``factor``x data directory (written once, then cached) and its shape."""
    from aipower_build.write import write_all  # type: ignore[import-untyped]

    data_dir = _cache_dir(factor, shipped_dir)
    shape_file = data_dir / "bench-shape.json"
    if shape_file.exists():
        log(f"[13] scale: reusing the cached {factor}x data in {data_dir}")
        return data_dir, json.loads(shape_file.read_text())
    t0 = time.perf_counter()
    tables, _shipped = replicated(factor)
    partial = data_dir.with_name(data_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    write_all(partial, tables, {"data_version": f"bench-synthetic-{factor}x", "inputs": {}})
    obs = tables["observations"]
    shape = {
        "rows": obs.num_rows,
        "arrow_bytes_per_row": round(obs.nbytes / obs.num_rows, 1),
        "parquet_bytes_per_row": round(
            (partial / "observations.parquet").stat().st_size / obs.num_rows, 2
        ),
        "locator_length": locator_stats(obs),
        "generate_and_write_s": round(time.perf_counter() - t0, 1),
    }
    # written last, outside the manifest's tables: its presence marks a complete directory
    (partial / "bench-shape.json").write_text(json.dumps(shape))
    partial.rename(data_dir)
    return data_dir, shape


def measure(ch: Children, cfg: Config, data_dir: Path, key: dict[str, Any]) -> dict[str, Any]:
    cmds = [script("scale_lookup", e, str(data_dir), json.dumps(key)) for e in ENGINES]
    samples = ch.interleaved(cmds, cfg.scale_repeats, 0)
    out: dict[str, Any] = {}
    answer = None
    for engine, s in zip(ENGINES, samples, strict=True):
        got = last_json(s)
        for g in got:
            if answer is None:
                answer = g["answer"]
            if g["answer"] != answer:
                raise AssertionError(f"scale: {engine} answered {g['answer']}, wanted {answer}")
        out[engine] = {
            "first_ns": [float(g["first_ns"]) for g in got],
            "peak_bytes": [float(g["peak_bytes"]) for g in got],
        }
    return out


def bench_scale(ch: Children, cfg: Config, tmp: Path, factors: tuple[int, ...]) -> list[Row]:
    from aipower._core import store as _store
    from cases.peers import resolved_keys

    shipped_dir = _store.default().data_dir
    base_key = resolved_keys()["scalar"]
    results: dict[int, dict[str, Any]] = {}
    log(f"[13] scale: first lookup at 1x ({cfg.scale_repeats} processes per engine)")
    results[1] = measure(ch, cfg, shipped_dir, base_key)
    shape: dict[str, Any] = {}
    for factor in factors:
        log(f"[13] scale: {factor}x realistic synthetic data")
        data_dir, shape[f"{factor}x"] = synthetic(factor, shipped_dir)
        shape["1x"] = shipped_shape(shipped_dir)
        key = {**base_key, "metric_id": f"r{factor - 1:03d}_{base_key['metric_id']}"}
        results[factor] = measure(ch, cfg, data_dir, key)

    one = results[1]
    rows: list[Row] = []
    for factor in factors:
        r = results[factor]
        growth = {
            e: statistics.median(r[e]["first_ns"]) / statistics.median(one[e]["first_ns"])
            for e in ENGINES
        }
        rows.append(
            slower(
                f"scale_first_lookup_{factor}x_vs_1x",
                f"aipower first lookup (fresh store: load, verify, index, one get; imports "
                f"excluded) at {factor}x realistic data vs at 1x",
                r["aipower"]["first_ns"],
                one["aipower"]["first_ns"],
                "ns",
                None,
                "the same first lookup on the shipped data (1x)",
                growth_by_engine=growth,
                data=shape,
            )
        )
        for peer in ("duckdb", "polars"):
            rows.append(
                slower(
                    f"scale_first_lookup_{factor}x_vs_{peer}",
                    f"aipower first lookup at {factor}x vs {peer} (imports excluded)",
                    r["aipower"]["first_ns"],
                    r[peer]["first_ns"],
                    "ns",
                    None,
                    f"{peer}: the same lookup on the same {factor}x file, imports excluded",
                )
            )
        rows.append(
            slower(
                f"scale_peak_memory_{factor}x_vs_duckdb",
                f"peak RSS of the aipower first-lookup process at {factor}x",
                r["aipower"]["peak_bytes"],
                r["duckdb"]["peak_bytes"],
                "bytes",
                None,
                f"peak RSS of the DuckDB process doing the same lookup at {factor}x",
                polars_peak_bytes=statistics.median(r["polars"]["peak_bytes"]),
            )
        )
    return rows
