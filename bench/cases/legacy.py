"""The benchmarks carried over from the first bench/run.py: import, first query, warm lookups
against pandas masks, warm series, peak memory and check_text (rows 1-5 and 9 of
docs/performance.md). Their targets come from earlier issues."""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from harness import (
    ROOT,
    Children,
    Config,
    Row,
    code,
    cycle,
    faster,
    log,
    script,
    seconds,
    slower,
    time_batches,
)

#: The example of the README, used wherever one representative query is needed.
SHARE_QUERY = ("patents", "CN", 2023)
GET_QUERY = ("notable_models", "United States", 2024)
SERIES_QUERY = ("patents", "CN")


def peaks(samples: Sequence[tuple[int, str]]) -> list[float]:
    return [float(out.split()[-1]) for _, out in samples]


def bench_import(ch: Children, cfg: Config) -> list[Row]:
    log(f"[1] import aipower vs import attrs ({cfg.fresh_repeats} processes each, interleaved)")
    ours, base = ch.interleaved(
        [code("import aipower"), code("import attrs")], cfg.fresh_repeats, cfg.warmup_processes
    )
    o, b = seconds(ours), seconds(base)
    return [
        slower(
            "import",
            'python -c "import aipower" (wall time)',
            o,
            b,
            "s",
            1.5,
            'python -c "import attrs" (aipower\'s lightest dependency)',
        )
    ]


def bench_first_query(ch: Children, cfg: Config, obs_path: Path) -> list[Row]:
    log(
        f"[2,5] first query vs pq.read_table and ParquetFile.read ({cfg.fresh_repeats} "
        "processes each, interleaved)"
    )
    m, c, y = SHARE_QUERY
    ours, base, bare = ch.interleaved(
        [
            script("first_query", "aipower", m, c, str(y)),
            script("first_query", "read_table", str(obs_path)),
            script("first_query", "parquetfile", str(obs_path)),
        ],
        cfg.fresh_repeats,
        cfg.warmup_processes,
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
                o,
                b,
                "s",
                target,
                f"fresh process: {desc}",
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
                o,
                b,
                "bytes",
                target,
                f"peak RSS of a fresh process: {desc}",
                measured_with="VmHWM from /proc/self/status at the end of the child",
                note=note,
            )
        )
    return rows


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
    from aipower._core import store as _store

    store = _store.default()
    store.load_indexes()
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
    from aipower._core import store as _store

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
            ours,
            base,
            "ns",
            200,
            mask + f" for {base_key}",
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
            ours,
            base,
            "ns",
            200,
            mask + ", same keys",
            distinct_keys=len(ks),
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
            fresh.load_indexes()
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
            miss,
            base,
            "ns",
            None,
            mask + ", same keys",
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
            ours,
            base,
            "ns",
            20,
            f"df[(df.metric_id=={mid!r})&(df.entity_id=={eid!r})].sort_values('year')",
        )
    )
    return rows


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
            ours,
            base,
            "ns",
            None,
            f"re.findall({NUMBER_SCAN!r}) over the same text (finds {numbers} numbers, "
            "resolves and checks nothing)",
            words=n_words,
            findings=findings,
            findings_per_second=findings / (statistics.median(ours) / 1e9),
        )
    ]
    seed = aipower.check_text(corpus.SEED_COLUMN)
    calls: list[tuple[Any, ...]] = [
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
            ours,
            base,
            "ns",
            4.0,
            f"the same {len(calls)} figures checked by {len(calls)} hand-written check() calls",
            target_seconds=0.050,
            under_target_seconds=statistics.median(ours) / 1e9 < 0.050,
        )
    )
    return rows
