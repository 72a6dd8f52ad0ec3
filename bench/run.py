#!/usr/bin/env python
"""Benchmarks of aipower, each a ratio against a baseline measured in the same run.

Usage::

    python bench/run.py [--quick] [--json PATH] [--strict]

Prints a summary table (what, ours, baseline, ratio, target, result) and writes the
machine-readable results to ``bench/results/latest.json`` (or ``--json PATH``).

* ``--quick``  fewer repeats and iterations: a smoke run (``tests/bench``), not a measurement.
* ``--strict`` exit with status 1 when a target is missed (the default always exits 0 once
  every benchmark ran, so that a slow machine does not fail a test run).

Only the standard library and aipower's own dependencies (pyarrow, pandas) are used. Fresh
processes are started with this interpreter (``sys.executable``) in an empty working
directory; synthetic data for the scaling benchmark is written to a temporary directory and
deleted afterwards (it is never shipped). See ``docs/performance.md`` for what each baseline
is and for the measured numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"

#: The example of the README, used wherever one representative query is needed.
SHARE_QUERY = ("patents", "CN", 2023)
GET_QUERY = ("notable_models", "United States", 2024)
SERIES_QUERY = ("patents", "CN")


@dataclass(frozen=True)
class Config:
    fresh_repeats: int  # processes per side for import / first query / peak memory
    warmup_processes: int  # per side, discarded (page cache, .pyc files)
    warm_repeats: int  # timed batches for in-process benchmarks (the median is reported)
    ours_calls: int  # calls per batch for aipower
    pandas_calls: int  # calls per batch for the pandas baseline
    series_calls: int
    distinct_get: int  # N of "rotating over N distinct keys" for get()
    miss_repeats: int  # fresh stores for the cache-miss measurement
    scale_repeats: int  # fresh processes per size for the scaling benchmark
    scale_warm_calls: int


FULL = Config(
    fresh_repeats=21,
    warmup_processes=2,
    warm_repeats=9,
    ours_calls=50_000,
    pandas_calls=200,
    series_calls=3_000,
    distinct_get=500,
    miss_repeats=5,
    scale_repeats=5,
    scale_warm_calls=50_000,
)
QUICK = Config(
    fresh_repeats=3,
    warmup_processes=1,
    warm_repeats=3,
    ours_calls=2_000,
    pandas_calls=10,
    series_calls=100,
    distinct_get=100,
    miss_repeats=1,
    scale_repeats=1,
    scale_warm_calls=2_000,
)

#: Synthetic observations: rows = metrics x entities x years. 250 country entities and five
#: years per (metric, entity) pair, close to the shipped table (69,000 rows in 10,463 pairs,
#: 6.6 rows per pair, 250 countries); only the number of metrics grows with the size.
SCALE_ENTITIES = 250
SCALE_YEARS = tuple(range(2019, 2024))
SCALE_SIZES = (10_000, 1_000_000)
SCALE_KEYS = 200


# -- results ----------------------------------------------------------------------------------
@dataclass
class Row:
    id: str
    what: str
    ours: float
    baseline: float
    unit: str  # "s", "ns" or "bytes"
    ratio: float
    ratio_def: str  # "ours/baseline" (lower is better) or "baseline/ours" (a speed-up)
    target_op: str | None  # "<=", ">=", or None for an informational row
    target: float | None
    baseline_desc: str
    details: dict[str, Any] = field(default_factory=dict)
    passed: bool | None = None

    def __post_init__(self) -> None:
        if self.target_op is None or self.target is None:
            self.passed = None
        elif self.target_op == "<=":
            self.passed = self.ratio <= self.target
        else:
            self.passed = self.ratio >= self.target


def slower(
    row_id: str,
    what: str,
    ours: float,
    base: float,
    unit: str,
    target: float | None,
    baseline_desc: str,
    **details: Any,
) -> Row:
    """A row where ours/baseline should stay below ``target``."""
    return Row(
        row_id,
        what,
        ours,
        base,
        unit,
        ours / base,
        "ours/baseline",
        "<=" if target is not None else None,
        target,
        baseline_desc,
        details,
    )


def faster(
    row_id: str,
    what: str,
    ours: float,
    base: float,
    unit: str,
    target: float | None,
    baseline_desc: str,
    **details: Any,
) -> Row:
    """A row where baseline/ours (our speed-up) should reach ``target``."""
    return Row(
        row_id,
        what,
        ours,
        base,
        unit,
        base / ours,
        "baseline/ours",
        ">=" if target is not None else None,
        target,
        baseline_desc,
        details,
    )


def summary(samples: Sequence[float]) -> dict[str, Any]:
    xs = sorted(samples)
    q = statistics.quantiles(xs, n=4) if len(xs) >= 2 else [xs[0]] * 3
    return {
        "n": len(xs),
        "median": statistics.median(xs),
        "min": xs[0],
        "max": xs[-1],
        "q1": q[0],
        "q3": q[2],
    }


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- fresh processes --------------------------------------------------------------------------
PEAK_SNIPPET = r"""
def _peak_bytes():
    # VmHWM: the peak resident set size of this process (Linux); ru_maxrss elsewhere
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource, sys
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024
"""


class Children:
    """Runs fresh interpreters (this one) in an empty directory with a clean environment."""

    def __init__(self, cwd: Path, pycache: Path) -> None:
        self.cwd = cwd
        drop = (
            "PYTHONSTARTUP",
            "PYTHONPROFILEIMPORTTIME",
            "PYTHONTRACEMALLOC",
            "PYTHONDONTWRITEBYTECODE",
        )
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        # Bytecode is cached as in a normal install (pip compiles .pyc files), but in a
        # temporary tree rather than in the source checkout; the warm-up runs fill it.
        self.env["PYTHONPYCACHEPREFIX"] = str(pycache)

    def run(self, code: str, *args: str) -> tuple[int, str]:
        """Wall time (ns) of ``python -c code args`` from spawn to exit, and its stdout."""
        cmd = [sys.executable, "-c", code, *args]
        t0 = time.perf_counter_ns()
        proc = subprocess.run(
            cmd, cwd=self.cwd, env=self.env, capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter_ns() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"child process failed ({proc.returncode}):\n{code}\n{proc.stderr}")
        return elapsed, proc.stdout

    def interleaved(
        self, codes: Sequence[str], repeats: int, warmup: int
    ) -> list[list[tuple[int, str]]]:
        """Run each of ``codes`` once per round, the order rotating from round to round (so
        that no code always runs first or after the same neighbour), ``repeats`` rounds after
        ``warmup`` discarded ones. Returns the (ns, stdout) samples per code."""
        out: list[list[tuple[int, str]]] = [[] for _ in codes]
        for i in range(warmup + repeats):
            order = list(range(len(codes)))
            order = order[i % len(order) :] + order[: i % len(order)]
            if (i // len(codes)) % 2:
                order.reverse()
            for k in order:
                sample = self.run(codes[k])
                if i >= warmup:
                    out[k].append(sample)
        return out


def seconds(samples: Sequence[tuple[int, str]]) -> list[float]:
    return [t / 1e9 for t, _ in samples]


def peaks(samples: Sequence[tuple[int, str]]) -> list[float]:
    return [float(out.split()[-1]) for _, out in samples]


def bench_import(ch: Children, cfg: Config) -> list[Row]:
    log(f"[1] import aipower vs import attrs ({cfg.fresh_repeats} processes each, interleaved)")
    ours, base = ch.interleaved(
        ["import aipower", "import attrs"], cfg.fresh_repeats, cfg.warmup_processes
    )
    o, b = seconds(ours), seconds(base)
    return [
        slower(
            "import",
            'python -c "import aipower" (wall time)',
            statistics.median(o),
            statistics.median(b),
            "s",
            1.5,
            'python -c "import attrs" (aipower\'s lightest dependency)',
            ours_samples=summary(o),
            baseline_samples=summary(b),
        )
    ]


def bench_first_query(ch: Children, cfg: Config, obs_path: Path) -> list[Row]:
    log(
        f"[2,5] first query vs pq.read_table and ParquetFile.read ({cfg.fresh_repeats} "
        "processes each, interleaved)"
    )
    m, c, y = SHARE_QUERY
    tail = f"{PEAK_SNIPPET}\nprint(_peak_bytes())\n"
    ours_code = f"import aipower\naipower.get_share({m!r}, country={c!r}, year={y})\n{tail}"
    base_code = f"import pyarrow.parquet as pq\npq.read_table({str(obs_path)!r})\n{tail}"
    bare_code = f"import pyarrow.parquet as pq\npq.ParquetFile({str(obs_path)!r}).read()\n{tail}"
    ours, base, bare = ch.interleaved(
        [ours_code, base_code, bare_code], cfg.fresh_repeats, cfg.warmup_processes
    )
    query = f"get_share({m!r}, country={c!r}, year={y})"
    read_table = "import pyarrow.parquet as pq; pq.read_table(observations.parquet)"
    read_bare = "import pyarrow.parquet as pq; pq.ParquetFile(observations.parquet).read()"
    note = "pq.read_table imports pandas (pandas metadata); ParquetFile.read does not"
    rows = []
    for row_id, base_samples, desc, target in (
        ("first_query", base, read_table, 1.3),
        ("first_query_vs_parquetfile", bare, read_bare, None),
    ):
        o, b = seconds(ours), seconds(base_samples)
        rows.append(
            slower(
                row_id,
                f"fresh process: import aipower; {query} (wall time)"
                + ("" if target else " -- informational, bare pyarrow read"),
                statistics.median(o),
                statistics.median(b),
                "s",
                target,
                f"fresh process: {desc}",
                ours_samples=summary(o),
                baseline_samples=summary(b),
                note=note,
            )
        )
    for row_id, base_samples, desc, target in (
        ("peak_memory", base, read_table, 1.5),
        ("peak_memory_vs_parquetfile", bare, read_bare, None),
    ):
        o, b = peaks(ours), peaks(base_samples)
        rows.append(
            slower(
                row_id,
                f"peak RSS of a fresh process doing one {query}"
                + ("" if target else " -- informational, bare pyarrow read"),
                statistics.median(o),
                statistics.median(b),
                "bytes",
                target,
                f"peak RSS of a fresh process: {desc}",
                ours_samples=summary(o),
                baseline_samples=summary(b),
                measured_with="VmHWM from /proc/self/status at the end of the child",
                note=note,
            )
        )
    return rows


# -- warm, in this process --------------------------------------------------------------------
def time_batches(batch: Callable[[], object], calls: int, repeats: int) -> list[float]:
    """ns per call of ``batch`` (which makes ``calls`` calls), over ``repeats`` batches.

    The garbage collector is off while timing (as in :mod:`timeit`), for both sides."""
    out = []
    batch()  # warm-up
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter_ns()
            batch()
            out.append((time.perf_counter_ns() - t0) / calls)
        finally:
            gc.enable()
    return out


def cycle(keys: Sequence[Any], n: int) -> list[Any]:
    return [keys[i % len(keys)] for i in range(n)]


def api_batch(
    fn: Callable[..., Any], seq: Sequence[tuple[str, dict[str, str], int]]
) -> Callable[[], None]:
    def run() -> None:
        for metric, where, year in seq:
            fn(metric, year=year, **where)

    return run


def pandas_batch(df: Any, seq: Sequence[tuple[str, str, int]]) -> Callable[[], None]:
    def run() -> None:
        for m, e, y in seq:
            df[(df.metric_id == m) & (df.entity_id == e) & (df.year == y)]

    return run


def real_keys(n_get: int) -> dict[str, list[tuple[str, str, int]]]:
    """Distinct (metric_id, entity_id, year) triples of countries in the shipped table."""
    import aipower
    from aipower import _store

    store = _store.default()
    store.ensure()
    obs = aipower.table("observations", engine="pyarrow").select(["metric_id", "entity_id", "year"])
    triples = sorted({(r["metric_id"], r["entity_id"], r["year"]) for r in obs.to_pylist()})
    countries = [t for t in triples if store.entities[t[1]].kind == "country"]
    shares = [t for t in countries if store.metrics[t[0]].kind == "share"]
    rng = random.Random(20261129)
    get_keys = rng.sample(countries, min(n_get, len(countries)))
    share_keys = rng.sample(shares, len(shares))
    return {"get": get_keys, "get_share": share_keys}


def as_api(keys: Sequence[tuple[str, str, int]]) -> list[tuple[str, dict[str, str], int]]:
    return [(m, {"country": e}, y) for m, e, y in keys]


def bench_warm(cfg: Config) -> list[Row]:
    import aipower
    from aipower import _store

    log("[3,4] warm lookups vs pandas boolean masks")
    df = aipower.table("observations")  # pandas, the baseline's table
    keys = real_keys(cfg.distinct_get)
    rows: list[Row] = []
    mask = "df[(df.metric_id==m)&(df.entity_id==e)&(df.year==y)] on the observations DataFrame"

    # the same answers: every key has rows in the baseline, and ours is among them
    for kind, fn in (("get_share", aipower.get_share), ("get", aipower.get)):
        for m, e, y in keys[kind]:
            hit = df[(df.metric_id == m) & (df.entity_id == e) & (df.year == y)]
            value = fn(m, country=e, year=y).value
            if not (hit.value == value).any():
                raise AssertionError(f"baseline and aipower disagree on {(m, e, y)}")

    def single(name: str, fn: Callable[..., Any], query: tuple[str, str, int]) -> Row:
        m, c, y = query
        res = fn(m, country=c, year=y)
        base_key = (res.metric_id, res.entity_id, y)
        ours = time_batches(
            api_batch(fn, [(m, {"country": c}, y)] * cfg.ours_calls),
            cfg.ours_calls,
            cfg.warm_repeats,
        )
        base = time_batches(
            pandas_batch(df, [base_key] * cfg.pandas_calls), cfg.pandas_calls, cfg.warm_repeats
        )
        return faster(
            f"warm_{name}_repeated",
            f"warm {name}({m!r}, country={c!r}, year={y}), repeated key (per call)",
            statistics.median(ours),
            statistics.median(base),
            "ns",
            200,
            mask + f" for {base_key}",
            ours_samples=summary(ours),
            baseline_samples=summary(base),
        )

    def rotating(name: str, fn: Callable[..., Any], ks: list[tuple[str, str, int]]) -> Row:
        api = as_api(ks)
        api_batch(fn, api)()  # every key once: the result cache holds them all
        ours = time_batches(
            api_batch(fn, cycle(api, cfg.ours_calls)), cfg.ours_calls, cfg.warm_repeats
        )
        base = time_batches(
            pandas_batch(df, cycle(ks, cfg.pandas_calls)), cfg.pandas_calls, cfg.warm_repeats
        )
        return faster(
            f"warm_{name}_rotating",
            f"warm {name}, rotating over {len(ks)} distinct real (metric, country, "
            "year) keys (per call)",
            statistics.median(ours),
            statistics.median(base),
            "ns",
            200,
            mask + ", same keys",
            distinct_keys=len(ks),
            ours_samples=summary(ours),
            baseline_samples=summary(base),
        )

    rows.append(single("get_share", aipower.get_share, SHARE_QUERY))
    rows.append(rotating("get_share", aipower.get_share, keys["get_share"]))
    rows.append(single("get", aipower.get, GET_QUERY))
    rows.append(rotating("get", aipower.get, keys["get"]))

    # the uncached path: indexes built, but neither the (metric, entity) rows nor the result
    # cached -- the first lookup of each key in a session
    original = _store.default()
    miss: list[float] = []
    api = as_api(keys["get"])
    try:
        for _ in range(cfg.miss_repeats):
            fresh = _store.Store(original.data_dir)
            fresh.ensure()
            _store.set_default(fresh)
            gc.collect()
            for m, where, y in api:
                t0 = time.perf_counter_ns()
                aipower.get(m, year=y, **where)
                miss.append(float(time.perf_counter_ns() - t0))
    finally:
        _store.set_default(original)
    base = time_batches(
        pandas_batch(df, cycle(keys["get"], cfg.pandas_calls)), cfg.pandas_calls, cfg.warm_repeats
    )
    rows.append(
        faster(
            "get_cache_miss",
            f"get, first call per key ({len(api)} distinct keys; data loaded and "
            "indexed, rows not yet materialised) -- informational",
            statistics.median(miss),
            statistics.median(base),
            "ns",
            None,
            mask + ", same keys",
            ours_samples=summary(miss),
            baseline_samples=summary(base),
        )
    )

    # series
    m, c = SERIES_QUERY
    frame = aipower.series(m, country=c)
    mid, eid = frame["metric_id"].iloc[0], frame["entity_id"].iloc[0]
    expect = df[(df.metric_id == mid) & (df.entity_id == eid)].sort_values("year")
    if set(frame.index) != set(expect.year):
        raise AssertionError("series and the pandas baseline disagree")

    def series_batch() -> None:
        for _ in range(cfg.series_calls):
            aipower.series(m, country=c)

    def pandas_series() -> None:
        for _ in range(cfg.pandas_calls):
            df[(df.metric_id == mid) & (df.entity_id == eid)].sort_values("year")

    ours = time_batches(series_batch, cfg.series_calls, cfg.warm_repeats)
    base = time_batches(pandas_series, cfg.pandas_calls, cfg.warm_repeats)
    rows.append(
        faster(
            "warm_series",
            f"warm series({m!r}, country={c!r}) (per call)",
            statistics.median(ours),
            statistics.median(base),
            "ns",
            20,
            f"df[(df.metric_id=={mid!r})&(df.entity_id=={eid!r})].sort_values('year')",
            ours_samples=summary(ours),
            baseline_samples=summary(base),
        )
    )
    return rows


# -- scaling ----------------------------------------------------------------------------------
def _text_corpus() -> Any:
    """The test texts of ``aipower.check_text`` (tests/api/text_corpus.py), our own sentences."""
    import importlib.util

    path = ROOT / "tests" / "api" / "text_corpus.py"
    spec = importlib.util.spec_from_file_location("aipower_bench_text_corpus", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: the plain scan a reader could write in a minute: every number with its unit, no resolution
NUMBER_SCAN = r"[$€£]?\d[\d,]*(?:\.\d+)?\s?(?:%|per cent|million|billion|bn)?"


def bench_check_text(cfg: Config) -> list[Row]:
    """[9] check_text: a 5,000-word text and the seed column, warm."""
    import re

    import aipower

    log("[9] check_text on a 5,000-word text and on the seed column")
    corpus = _text_corpus()
    paragraphs = [corpus.SEED_COLUMN, *(a.text for a in corpus.ARTICLES)]
    words: list[str] = []
    parts: list[str] = []
    while len(words) < 5_000:
        for p in paragraphs:
            parts.append(p.strip())
            words += p.split()
    long_text = "\n\n".join(parts)
    n_words = len(long_text.split())
    aipower.check_text(long_text)  # warm: data, grammar, caches
    findings = len(aipower.check_text(long_text))
    scan = re.compile(NUMBER_SCAN)
    numbers = len(scan.findall(long_text))
    repeats = max(3, cfg.warm_repeats)

    def loop(fn: Callable[[], object], n: int) -> Callable[[], None]:
        def run() -> None:
            for _ in range(n):
                fn()

        return run

    ours = time_batches(loop(lambda: aipower.check_text(long_text), 1), 1, repeats)
    base = time_batches(loop(lambda: scan.findall(long_text), 50), 50, repeats)
    rows = [
        slower(
            "check_text_5000_words",
            f"check_text on a {n_words:,}-word text (per text)",
            statistics.median(ours),
            statistics.median(base),
            "ns",
            None,
            f"re.findall({NUMBER_SCAN!r}) over the same text (finds {numbers} numbers, "
            "resolves and checks nothing)",
            words=n_words,
            findings=findings,
            findings_per_second=findings / (statistics.median(ours) / 1e9),
            ours_samples=summary(ours),
            baseline_samples=summary(base),
        )
    ]
    seed = aipower.check_text(corpus.SEED_COLUMN)
    calls = [
        (f.metric_id, f.entity_id, f.year, f.value, f.unit)
        for f in seed
        if f.verdict != "unresolved"
    ]

    def by_hand() -> None:
        for m, e, y, v, u in calls:
            aipower.check(m, entity=e, year=y, value=v, unit=u)

    ours = time_batches(loop(lambda: aipower.check_text(corpus.SEED_COLUMN), 20), 20, repeats)
    base = time_batches(loop(by_hand, 20), 20, repeats)
    rows.append(
        slower(
            "check_text_seed_column",
            f"check_text on the seed column ({len(seed)} figures), warm (per text)",
            statistics.median(ours),
            statistics.median(base),
            "ns",
            4.0,
            f"the same {len(calls)} figures checked by {len(calls)} hand-written check() calls",
            target_seconds=0.050,
            under_target_seconds=statistics.median(ours) / 1e9 < 0.050,
            ours_samples=summary(ours),
            baseline_samples=summary(base),
        )
    )
    return rows


def synthetic_tables(n_rows: int) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """The shipped small tables plus ``n_rows`` synthetic observations (and their metrics).

    Returns the tables for :func:`aipower_build.write.write_all`, a description of the shape
    and ``SCALE_KEYS`` random (metric_id, entity_id, year) keys that exist."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from aipower import _store
    from aipower._arrow import arrow_schema
    from aipower._spec import METRICS, OBSERVATIONS, TABLES

    store = _store.default()
    store.ensure()
    per_metric = SCALE_ENTITIES * len(SCALE_YEARS)
    if n_rows % per_metric:
        raise ValueError(f"{n_rows} rows is not a multiple of {per_metric}")
    n_metrics = n_rows // per_metric
    entities = sorted(e.entity_id for e in store.entities.values() if e.kind == "country")
    entities = entities[:SCALE_ENTITIES]
    source = "aiindex_2025"
    vintage = store.sources[source].vintage
    metric_ids = [f"synthetic_{i:06d}" for i in range(n_metrics)]
    is_share = [i % 4 == 0 for i in range(n_metrics)]

    rng = random.Random(n_rows)
    mcol: list[str] = []
    ecol: list[str] = []
    ycol: list[int] = []
    vcol: list[float] = []
    lcol: list[str] = []
    ncol: list[str | None] = []
    for i, mid in enumerate(metric_ids):
        for e in entities:
            for y in SCALE_YEARS:
                mcol.append(mid)
                ecol.append(e)
                ycol.append(y)
                vcol.append(rng.random() if is_share[i] else float(rng.randrange(100_000)))
                lcol.append(f"Synthetic table {i}, row {e}, column {y}")
                ncol.append("synthetic value for benchmarks" if len(ncol) % 10 == 0 else None)
    n = len(mcol)
    obs = pa.Table.from_pydict(
        {
            "metric_id": mcol,
            "entity_id": ecol,
            "year": ycol,
            "date": pa.nulls(n, pa.date32()),
            "value": vcol,
            "source_id": [source] * n,
            "vintage": [vintage] * n,
            "locator": lcol,
            "status": ["verified"] * n,
            "priority": [0] * n,
            "note": ncol,
            "derived_from": pa.nulls(n, pa.string()),
            "inputs": pa.array([[]] * n, pa.list_(pa.string())),
            "read_in": pa.nulls(n, pa.string()),
            "confirmation": pa.nulls(n, pa.string()),
        },
        schema=arrow_schema(OBSERVATIONS),
    )
    # sorted by the primary key as the build sorts (date is null throughout, source, vintage
    # and priority constant): check it rather than trust the loop order
    order = pc.sort_indices(
        obs, sort_keys=[(c, "ascending") for c in ("metric_id", "entity_id", "year")]
    )
    if not order.equals(pa.array(range(n), type=order.type)):
        raise AssertionError("synthetic observations are not sorted by the primary key")

    extra = pa.Table.from_pydict(
        {
            "metric_id": metric_ids,
            "concept": ["synthetic"] * n_metrics,
            "kind": ["share" if s else "count" for s in is_share],
            "unit": ["fraction" if s else "items" for s in is_share],
            "title": [f"Synthetic metric {i}" for i in range(n_metrics)],
            "definition": ["Synthetic values for benchmarks; never shipped."] * n_metrics,
            "basis": ["synthetic"] * n_metrics,
            "default_source_id": [source] * n_metrics,
        },
        schema=arrow_schema(METRICS),
    )
    metrics = pa.concat_tables([store.plain("metrics"), extra]).sort_by("metric_id")
    tables = {name: store.plain(name) for name in TABLES}
    tables["metrics"] = metrics
    tables["observations"] = obs
    keys = [(mcol[i], ecol[i], ycol[i]) for i in rng.sample(range(n), SCALE_KEYS)]
    shape = {
        "rows": n,
        "metrics": n_metrics,
        "entities": len(entities),
        "years": len(SCALE_YEARS),
        "pairs": n_metrics * len(entities),
        "rows_per_pair": len(SCALE_YEARS),
        "arrow_nbytes": obs.nbytes,
    }
    return tables, shape, keys


SCALE_CHILD = (
    r"""
import gc, json, statistics, sys, time
from pathlib import Path
# imports are not what this measures: load them before the clock starts
import pyarrow, pyarrow.compute, pyarrow.parquet
import aipower, aipower._query, aipower.results
from aipower import _store
"""
    + PEAK_SNIPPET
    + r"""
data_dir, keys, calls = Path(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
m, e, y = keys[0]
t0 = time.perf_counter_ns()
store = _store.Store(data_dir)
_store.set_default(store)
aipower.get(m, entity=e, year=y)
first = time.perf_counter_ns() - t0
miss = []
for m, e, y in keys[1:]:
    t = time.perf_counter_ns()
    aipower.get(m, entity=e, year=y)
    miss.append(time.perf_counter_ns() - t)
seq = [keys[i % len(keys)] for i in range(calls)]
warm = []
for _ in range(5):
    gc.disable()
    t = time.perf_counter_ns()
    for m, e, y in seq:
        aipower.get(m, entity=e, year=y)
    warm.append((time.perf_counter_ns() - t) / calls)
    gc.enable()
print(json.dumps({
    "first_ns": first,
    "miss_ns": statistics.median(miss),
    "warm_ns": statistics.median(warm),
    "pairs": len(store._pairs),
    "loaded_nbytes": store.arrow("observations").nbytes,
    "peak_bytes": _peak_bytes(),
}))
"""
)

SCALE_BASELINE_CHILD = (
    r"""
import json, sys, time
import pyarrow.parquet as pq
pq.read_table(sys.argv[2])  # a small file first: pq.read_table's lazy imports (pandas) happen here
"""
    + PEAK_SNIPPET
    + r"""
t0 = time.perf_counter_ns()
table = pq.read_table(sys.argv[1])
read = time.perf_counter_ns() - t0
print(json.dumps({"read_ns": read, "nbytes": table.nbytes, "peak_bytes": _peak_bytes()}))
"""
)


def bench_scaling(ch: Children, cfg: Config, tmp: Path) -> list[Row]:
    from aipower import _store
    from aipower_build.write import write_all  # type: ignore[import-untyped]

    small_file = _store.default().data_dir / "concepts.parquet"
    results: dict[int, dict[str, Any]] = {}
    for size in SCALE_SIZES:
        log(f"[6] scaling: {size:,} synthetic observations")
        t0 = time.perf_counter()
        tables, shape, keys = synthetic_tables(size)
        t1 = time.perf_counter()
        data_dir = tmp / f"data-{size}"
        write_all(data_dir, tables, {"data_version": f"bench-synthetic-{size}", "inputs": {}})
        t2 = time.perf_counter()
        del tables
        obs_path = data_dir / "observations.parquet"
        ours: list[dict[str, Any]] = []
        base: list[dict[str, Any]] = []
        args = (str(data_dir), json.dumps(keys), str(cfg.scale_warm_calls))
        for i in range(cfg.scale_repeats):
            pair = [
                (SCALE_CHILD, args, ours),
                (SCALE_BASELINE_CHILD, (str(obs_path), str(small_file)), base),
            ]
            for code, argv, sink in pair if i % 2 == 0 else pair[::-1]:
                sink.append(json.loads(ch.run(code, *argv)[1]))
        results[size] = {
            "shape": shape,
            "file_bytes": obs_path.stat().st_size,
            "generate_s": round(t1 - t0, 3),
            "write_s": round(t2 - t1, 3),
            **{
                k: statistics.median(r[k] for r in ours)
                for k in ("first_ns", "miss_ns", "warm_ns", "peak_bytes", "loaded_nbytes", "pairs")
            },
            "first_ns_samples": [r["first_ns"] for r in ours],
            "read_ns": statistics.median(r["read_ns"] for r in base),
            "read_peak_bytes": statistics.median(r["peak_bytes"] for r in base),
        }
        shutil.rmtree(data_dir)

    small, big = (results[s] for s in SCALE_SIZES)
    growth = SCALE_SIZES[1] / SCALE_SIZES[0]
    label = {s: f"{s // 1000:,}k" if s < 1_000_000 else f"{s // 1_000_000}M" for s in SCALE_SIZES}
    ls, lb = label[SCALE_SIZES[0]], label[SCALE_SIZES[1]]
    shape = {
        label[s]: f"{results[s]['shape']['metrics']:,} metrics x {SCALE_ENTITIES} countries x "
        f"{len(SCALE_YEARS)} years = {s:,} rows, {results[s]['shape']['pairs']:,} pairs"
        for s in SCALE_SIZES
    }
    details = {label[s]: results[s] for s in SCALE_SIZES}
    rows = [
        slower(
            "scale_first_lookup_growth",
            f"first lookup (load + verify + index + 1 get) at {lb} rows vs at {ls} rows",
            big["first_ns"],
            small["first_ns"],
            "ns",
            growth,
            f"the same first lookup at {ls} rows (target: no worse than linear, "
            f"{growth:.0f}x rows)",
            shape=shape,
            read_growth=big["read_ns"] / small["read_ns"],
            **details,
        ),
        slower(
            "scale_warm_lookup",
            f"warm get, rotating over {SCALE_KEYS} keys, at {lb} rows vs at {ls} rows",
            big["warm_ns"],
            small["warm_ns"],
            "ns",
            2.0,
            f"the same warm get at {ls} rows",
        ),
        slower(
            "scale_peak_memory",
            f"peak RSS of the {lb}-row first-lookup process vs the table's Arrow size",
            big["peak_bytes"],
            big["shape"]["arrow_nbytes"],
            "bytes",
            3.0,
            f"table.nbytes of the {lb}-row observations table (plain Arrow schema)",
            loaded_nbytes=big["loaded_nbytes"],
            pq_read_peak_bytes=big["read_peak_bytes"],
        ),
    ]
    for s, r in zip(SCALE_SIZES, (small, big), strict=True):
        rows.append(
            slower(
                f"scale_first_lookup_vs_read_{label[s]}",
                f"first lookup at {label[s]} rows vs pq.read_table of the same file "
                "(imports excluded) -- informational",
                r["first_ns"],
                r["read_ns"],
                "ns",
                None,
                "pq.read_table(observations.parquet) in a fresh process, imports already done",
            )
        )
    rows.append(
        slower(
            "scale_cache_miss",
            f"get, first call per key (rows not yet materialised) at {lb} vs {ls} "
            "rows -- informational",
            big["miss_ns"],
            small["miss_ns"],
            "ns",
            None,
            f"the same at {ls} rows",
        )
    )
    return rows


# -- output -----------------------------------------------------------------------------------
def fmt(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value / 2**20:,.1f} MiB"
    seconds = value if unit == "s" else value / 1e9
    if seconds >= 1:
        return f"{seconds:,.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:,.2f} ms"
    return f"{seconds * 1e6:,.2f} µs"


def table_text(rows: Sequence[Row]) -> str:
    head = ("what", "ours", "baseline", "ratio", "target", "result")
    body = []
    for r in rows:
        if r.ratio_def == "baseline/ours":
            ratio = f"{r.ratio:,.0f}x faster" if r.ratio >= 10 else f"{r.ratio:.2f}x faster"
        else:
            ratio = f"{r.ratio:.2f}x"
        target = "-" if r.target is None else f"{r.target_op} {r.target:g}x"
        result = "info" if r.passed is None else ("PASS" if r.passed else "FAIL")
        body.append((r.id, fmt(r.ours, r.unit), fmt(r.baseline, r.unit), ratio, target, result))
    widths = [max(len(str(x[i])) for x in (head, *body)) for i in range(len(head))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in (head, tuple("-" * w for w in widths), *body)
    ]
    return "\n".join(lines)


def loadavg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def environment() -> dict[str, Any]:
    import attrs
    import pandas
    import pyarrow

    import aipower

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "aipower": aipower.__version__,
        "data_version": aipower.DATA_VERSION,
        "pyarrow": pyarrow.__version__,
        "pandas": pandas.__version__,
        "attrs": attrs.__version__,
        "git_commit": commit,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repeats: a smoke run")
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help=f"where to write results (default: {DEFAULT_JSON}; with --quick: a temp file, so a "
        "smoke run never replaces the recorded full run)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    opts = parser.parse_args(argv)
    if opts.json is None:
        opts.json = (
            Path(tempfile.gettempdir()) / "aipower-bench-quick.json" if opts.quick else DEFAULT_JSON
        )
    cfg = QUICK if opts.quick else FULL

    from aipower import _store

    obs_path = _store.default().data_dir / "observations.parquet"
    started = time.perf_counter()
    load_start = loadavg()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="aipower-bench-") as tmp_name:
        tmp = Path(tmp_name)
        cwd = tmp / "cwd"
        cwd.mkdir()
        ch = Children(cwd, tmp / "pycache")
        rows += bench_import(ch, cfg)
        rows += bench_first_query(ch, cfg, obs_path)
        rows += bench_warm(cfg)
        rows += bench_scaling(ch, cfg, tmp)
        rows += bench_check_text(cfg)
    order = [
        "import",
        "first_query",
        "first_query_vs_parquetfile",
        "warm_get_share_repeated",
        "warm_get_share_rotating",
        "warm_get_repeated",
        "warm_get_rotating",
        "get_cache_miss",
        "warm_series",
        "peak_memory",
        "peak_memory_vs_parquetfile",
    ]
    rows.sort(key=lambda r: order.index(r.id) if r.id in order else len(order))

    for r in rows:
        if not math.isfinite(r.ratio):
            raise AssertionError(f"{r.id}: ratio {r.ratio}")
    result = {
        "schema": 1,
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": opts.quick,
        "duration_s": round(time.perf_counter() - started, 1),
        "environment": {
            **environment(),
            # other work on the machine skews timings: compare with cpu_count
            "loadavg_1min_start": load_start,
            "loadavg_1min_end": loadavg(),
        },
        "config": asdict(cfg),
        "rows": [asdict(r) for r in rows],
        "summary": {
            "passed": sum(r.passed is True for r in rows),
            "failed": sum(r.passed is False for r in rows),
            "informational": sum(r.passed is None for r in rows),
        },
    }
    opts.json.parent.mkdir(parents=True, exist_ok=True)
    tmp_json = opts.json.with_name(opts.json.name + ".tmp")
    tmp_json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_json, opts.json)

    print(table_text(rows))
    s = result["summary"]
    print(
        f"\n{s['passed']} passed, {s['failed']} failed, {s['informational']} informational; "
        f"{'quick smoke run, not a measurement; ' if opts.quick else ''}"
        f"{result['duration_s']} s; JSON: {opts.json}"
    )
    return 1 if opts.strict and s["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
