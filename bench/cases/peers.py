"""aipower against polars and DuckDB (and pandas, and a dict) on the same shipped Parquet.

Four query shapes -- ``scalar`` (one value), ``series`` (one entity over the years),
``compare`` (a cross-section: every country in one year) and ``get_all`` (every reading of
one key) -- measured

* cold: a whole fresh process per query (``bench/children/cold_query.py``), wall time;
* warm: the same query repeated in this process on loaded data (polars: a DataFrame in
  memory; DuckDB: a table in an in-memory database, a prepared statement);
* first call: a new key on loaded data (aipower: a fresh, indexed store; pandas mask and
  polars filter need no warming);
* warm repeated lookup against a plain ``dict`` lookup.

Every peer is given the ids aipower resolved (no name resolution) and must return the same
answer as aipower: the case raises if any engine disagrees, so the comparison is honest.
"""

from __future__ import annotations

import gc
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from harness import (
    Children,
    Config,
    Row,
    code,
    cycle,
    faster,
    last_json,
    log,
    script,
    seconds,
    slower,
    time_batches,
)

SHAPES = ("scalar", "series", "compare", "get_all")
PEERS = ("polars", "duckdb")
#: the README's example, resolved by aipower (scalar), and a long series (the other shapes)
SCALAR_QUERY = ("patents", "CN", 2023)
SERIES_QUERY = ("patents", "CN", 2023)


def resolved_keys() -> dict[str, dict[str, Any]]:
    """The ids aipower resolves the two example queries to, per shape."""
    import aipower

    m, c, y = SCALAR_QUERY
    share = aipower.get_share(m, country=c, year=y)
    m, c, y = SERIES_QUERY
    obs = aipower.get(m, country=c, year=y)

    def key(r: Any) -> dict[str, Any]:
        return {
            "metric_id": r.metric_id,
            "entity_id": r.entity_id,
            "year": r.year,
            "source_id": r.source_id,
            "vintage": r.vintage,
        }

    return {"scalar": key(share), "series": key(obs), "compare": key(obs), "get_all": key(obs)}


# -- cold ---------------------------------------------------------------------------------------
def bench_cold(ch: Children, cfg: Config, data_dir: Path) -> list[Row]:
    obs, ent = str(data_dir / "observations.parquet"), str(data_dir / "entities.parquet")
    keys = resolved_keys()
    rows: list[Row] = []
    for shape in SHAPES:
        k = keys[shape]
        log(f"[10] cold {shape}: aipower vs polars vs DuckDB ({cfg.peer_repeats} processes each)")
        cmds = [
            script("cold_query", e, shape, obs, ent, json.dumps(k)) for e in ("aipower", *PEERS)
        ]
        samples = ch.interleaved(cmds, cfg.peer_repeats, cfg.warmup_processes)
        answers = [last_json(s) for s in samples]
        ours_answer = answers[0][0]["answer"]
        for engine, got in zip(("aipower", *PEERS), answers, strict=True):
            for g in got:
                if g["answer"] != ours_answer:
                    raise AssertionError(
                        f"cold {shape}: {engine} answered {g['answer']}, aipower {ours_answer}"
                    )
        for peer, peer_samples in zip(PEERS, samples[1:], strict=True):
            rows.append(
                slower(
                    f"cold_{shape}_vs_{peer}",
                    f"fresh process: import aipower; one {shape} query (wall time)",
                    seconds(samples[0]),
                    seconds(peer_samples),
                    "s",
                    None,
                    f"fresh process: import {peer}; the same query on the same file",
                    key=k,
                    answer_rows=len(ours_answer),
                    peak_bytes_ours=max(a["peak_bytes"] for a in answers[0]),
                    peak_bytes_baseline=max(
                        a["peak_bytes"] for a in answers[1 + PEERS.index(peer)]
                    ),
                )
            )
    log("[11] CLI series / compare vs python -c 'import pandas'")
    k = keys["series"]
    cli = [
        ["-m", "aipower", "series", k["metric_id"], "--entity", k["entity_id"]],
        ["-m", "aipower", "compare", k["metric_id"], "--year", str(k["year"])],
        code("import pandas"),
    ]
    series_s, compare_s, pandas_s = ch.interleaved(cli, cfg.peer_repeats, cfg.warmup_processes)
    for name, s, argv in (("series", series_s, cli[0]), ("compare", compare_s, cli[1])):
        if not s[0][1].strip():
            raise AssertionError(f"aipower {name} printed nothing")
        rows.append(
            slower(
                f"cli_{name}_vs_import_pandas",
                f"python {' '.join(argv)} (wall time)",
                seconds(s),
                seconds(pandas_s),
                "s",
                None,
                'python -c "import pandas"',
            )
        )
    return rows


# -- warm and first call, in this process -------------------------------------------------------
class Peers:
    """The observations table loaded once into pandas, polars and DuckDB, and their queries."""

    def __init__(self, data_dir: Path) -> None:
        import duckdb
        import pandas as pd
        import polars as pl

        obs = data_dir / "observations.parquet"
        ent = data_dir / "entities.parquet"
        self.pl = pl
        self.pd_obs = pd.read_parquet(obs)
        countries = pd.read_parquet(ent)
        self.pd_countries = set(countries.entity_id[countries.kind == "country"])
        self.pl_obs = pl.read_parquet(obs)
        self.pl_countries = (
            pl.read_parquet(ent).filter(pl.col("kind") == "country").select("entity_id")
        )
        self.con = duckdb.connect()
        self.con.execute(f"CREATE TABLE obs AS SELECT * FROM read_parquet('{obs}')")
        self.con.execute(
            f"CREATE TABLE countries AS SELECT entity_id FROM read_parquet('{ent}') "
            "WHERE kind = 'country'"
        )

    # each returns the answer in the form of bench/children/cold_query.py
    def pandas(self, shape: str, k: dict[str, Any]) -> list[Any]:
        df = self.pd_obs
        if shape == "get_all":
            hit = df[(df.metric_id == k["metric_id"]) & (df.entity_id == k["entity_id"])]
            return sorted(hit.value[hit.year == k["year"]])
        one = (df.priority == 0) & (df.source_id == k["source_id"]) & (df.vintage == k["vintage"])
        if shape == "scalar":
            m = (df.metric_id == k["metric_id"]) & (df.entity_id == k["entity_id"])
            return list(df.value[m & (df.year == k["year"]) & one])
        if shape == "series":
            m = (df.metric_id == k["metric_id"]) & (df.entity_id == k["entity_id"]) & one
            hit = df[m].sort_values("year")
            return [[int(y), float(v)] for y, v in zip(hit.year, hit.value, strict=True)]
        m = (df.metric_id == k["metric_id"]) & (df.year == k["year"]) & one
        hit = df[m & df.entity_id.isin(self.pd_countries)]
        return sorted([e, float(v)] for e, v in zip(hit.entity_id, hit.value, strict=True))

    def polars(self, shape: str, k: dict[str, Any]) -> list[Any]:
        c = self.pl.col
        df = self.pl_obs
        if shape == "get_all":
            f = (
                (c("metric_id") == k["metric_id"])
                & (c("entity_id") == k["entity_id"])
                & (c("year") == k["year"])
            )
            return sorted(df.filter(f)["value"])
        one = (
            (c("priority") == 0)
            & (c("source_id") == k["source_id"])
            & (c("vintage") == k["vintage"])
        )
        if shape == "scalar":
            f = (
                (c("metric_id") == k["metric_id"])
                & (c("entity_id") == k["entity_id"])
                & (c("year") == k["year"])
            )
            return list(df.filter(f & one)["value"])
        if shape == "series":
            f = (c("metric_id") == k["metric_id"]) & (c("entity_id") == k["entity_id"]) & one
            hit = df.filter(f).select("year", "value").sort("year")
            return [[y, v] for y, v in hit.iter_rows()]
        f = (c("metric_id") == k["metric_id"]) & (c("year") == k["year"]) & one
        hit = df.filter(f).join(self.pl_countries, on="entity_id").select("entity_id", "value")
        return sorted([e, v] for e, v in hit.iter_rows())

    def duckdb(self, shape: str, k: dict[str, Any]) -> list[Any]:
        one = "priority = 0 AND source_id = $source_id AND vintage = $vintage"
        if shape == "scalar":
            sql = (
                "SELECT value FROM obs WHERE metric_id = $metric_id AND entity_id = $entity_id "
                f"AND year = $year AND {one}"
            )
            names: tuple[str, ...] = ("metric_id", "entity_id", "year", "source_id", "vintage")
        elif shape == "get_all":
            sql = (
                "SELECT value FROM obs WHERE metric_id = $metric_id AND entity_id = $entity_id "
                "AND year = $year ORDER BY value"
            )
            names = ("metric_id", "entity_id", "year")
        elif shape == "series":
            sql = (
                "SELECT year, value FROM obs WHERE metric_id = $metric_id "
                f"AND entity_id = $entity_id AND {one} ORDER BY year"
            )
            names = ("metric_id", "entity_id", "source_id", "vintage")
        else:
            sql = (
                "SELECT entity_id, value FROM obs JOIN countries USING (entity_id) "
                f"WHERE metric_id = $metric_id AND year = $year AND {one} ORDER BY entity_id"
            )
            names = ("metric_id", "year", "source_id", "vintage")
        rows = self.con.execute(sql, {n: k[n] for n in names}).fetchall()
        if shape in ("scalar", "get_all"):
            return [r[0] for r in rows]
        return [list(r) for r in rows]


def ours(shape: str, k: dict[str, Any]) -> list[Any]:
    import aipower

    if shape == "scalar":
        return [aipower.get(k["metric_id"], entity=k["entity_id"], year=k["year"]).value]
    if shape == "get_all":
        obs = aipower.get_all(k["metric_id"], entity=k["entity_id"], year=k["year"])
        return sorted(o.value for o in obs)
    if shape == "series":
        frame = aipower.series(k["metric_id"], entity=k["entity_id"])
        return [[int(y), float(v)] for y, v in zip(frame.index, frame["value"], strict=True)]
    frame = aipower.compare(k["metric_id"], year=k["year"])
    return sorted([str(e), float(v)] for e, v in zip(frame.index, frame["value"], strict=True))


def repeat(fn: Callable[[str, dict[str, Any]], object], shape: str, seq: Sequence[Any]) -> Any:
    def run() -> None:
        for k in seq:
            fn(shape, k)

    return run


def new_keys(shape: str, n: int) -> list[dict[str, Any]]:
    """Up to ``n`` distinct real keys of ``shape`` (countries, default readings)."""
    import aipower
    from aipower._core import store as _store

    store = _store.default()
    store.load_indexes()
    t = aipower.table("observations", engine="pyarrow")
    cols = ("metric_id", "entity_id", "year", "source_id", "vintage", "priority")
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    dated: set[tuple[Any, ...]] = set()  # sub-year rows: the peers' one-row filter is not enough
    for r in t.select([*cols, "date"]).to_pylist():
        if r["priority"] != 0 or store.entities[r["entity_id"]].kind != "country":
            continue
        ident = {
            "scalar": (r["metric_id"], r["entity_id"], r["year"]),
            "series": (r["metric_id"], r["entity_id"]),
            "compare": (r["metric_id"], r["year"]),
        }[shape]
        if r["date"] is not None:
            dated.add(ident)
        seen.setdefault(ident, {k: r[k] for k in cols if k != "priority"})
    for ident in dated:
        del seen[ident]
    rng = random.Random(20261202)
    picked = rng.sample(sorted(seen), min(n, len(seen)))
    out = []
    for ident in picked:
        k = seen[ident]
        # the peer filters on the reading aipower returns by default
        try:
            got = aipower.get(k["metric_id"], entity=k["entity_id"], year=k["year"])
        except aipower.AipowerError:
            continue
        out.append({**k, "source_id": got.source_id, "vintage": got.vintage})
    return out


def bench_warm(cfg: Config, data_dir: Path) -> list[Row]:
    import aipower
    from aipower._core import store as _store

    log("[12] warm and first-call queries vs pandas, polars and DuckDB")
    peers = Peers(data_dir)
    keys = resolved_keys()
    rows: list[Row] = []
    for shape in SHAPES:
        k = keys[shape]
        want = ours(shape, k)
        for name in ("pandas", "polars", "duckdb"):
            got = getattr(peers, name)(shape, k)
            if got != want:
                raise AssertionError(f"warm {shape}: {name} answered {got}, aipower {want}")
        calls = cfg.ours_calls if shape in ("scalar", "get_all") else cfg.series_calls
        mine = time_batches(repeat(ours, shape, [k] * calls), calls, cfg.warm_repeats)
        for peer in PEERS:
            fn = getattr(peers, peer)
            base = time_batches(
                repeat(fn, shape, [k] * cfg.pandas_calls), cfg.pandas_calls, cfg.warm_repeats
            )
            rows.append(
                faster(
                    f"warm_{shape}_vs_{peer}",
                    f"warm {shape}, the same key repeated, data loaded (per call)",
                    mine,
                    base,
                    "ns",
                    None,
                    f"the same query in {peer} on the table loaded in memory",
                    key=k,
                )
            )

    # the first call for a new key: a fresh store with its data loaded and indexed
    original = _store.default()
    for shape in ("scalar", "series", "compare"):
        ks = new_keys(shape, cfg.distinct_get if shape == "scalar" else cfg.distinct_get // 5)
        for k in ks[:20]:
            want = ours(shape, k)
            for name in ("pandas", "polars"):
                got = getattr(peers, name)(shape, k)
                if got != want:
                    raise AssertionError(f"first {shape}: {name} gave {got}, aipower {want}")
        miss: list[float] = []
        try:
            for _ in range(cfg.miss_repeats):
                fresh = _store.Store(original.data_dir)
                fresh.load_indexes()
                _store.set_default(fresh)
                gc.collect()
                for k in ks:
                    t0 = time.perf_counter_ns()
                    ours(shape, k)
                    miss.append(float(time.perf_counter_ns() - t0))
        finally:
            _store.set_default(original)
        for peer in ("pandas", "polars"):
            fn = getattr(peers, peer)
            seq = cycle(ks, max(cfg.pandas_calls, len(ks)))
            base = time_batches(repeat(fn, shape, seq), len(seq), cfg.warm_repeats)
            rows.append(
                slower(
                    f"first_call_{shape}_vs_{peer}",
                    f"first {shape} call for each of {len(ks)} new keys, data loaded and "
                    "indexed (per call)",
                    miss,
                    base,
                    "ns",
                    None,
                    f"{'a pandas boolean mask' if peer == 'pandas' else 'a polars filter'} "
                    "on the loaded table, same keys",
                    distinct_keys=len(ks),
                )
            )

    # warm repeated lookup vs a plain dict holding the same answer
    k = keys["scalar"]
    answer = aipower.get(k["metric_id"], entity=k["entity_id"], year=k["year"])
    table = {(k["metric_id"], k["entity_id"], k["year"]): answer}
    lookups = [(k["metric_id"], k["entity_id"], k["year"])] * cfg.ours_calls

    def api() -> None:
        for m, e, y in lookups:
            aipower.get(m, entity=e, year=y)

    def plain() -> None:
        for key in lookups:
            table[key]

    rows.append(
        slower(
            "warm_lookup_vs_dict",
            f"warm get({k['metric_id']!r}, entity={k['entity_id']!r}, year={k['year']}), "
            "repeated (per call)",
            time_batches(api, len(lookups), cfg.warm_repeats),
            time_batches(plain, len(lookups), cfg.warm_repeats),
            "ns",
            None,
            "d[(metric_id, entity_id, year)] on a dict holding the same Observation",
        )
    )
    return rows
