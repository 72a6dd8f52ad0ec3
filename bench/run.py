#!/usr/bin/env python
"""Benchmarks of aipower, each a ratio against a baseline measured in the same run.

Usage::

    python bench/run.py [--quick] [--scale-100x] [--json PATH] [--strict]

Prints every row (ours and baseline as median / minimum, the ratio of the medians, the
bound, PASS/FAIL) and then the targets of issue 14 (``bench/targets.py``) with PASS/FAIL,
and writes the machine-readable results to ``bench/results/latest.json`` (or ``--json``).

* ``--quick``  few repeats: a smoke run (``tests/bench``), not a measurement. It exits 0 when
  every case ran, whatever the targets, unless ``--strict`` is given.
* ``--scale-100x`` also measure the first lookup at 100x realistic data (slow: several
  minutes and a few GB of memory on 2 cores); 10x is always measured.
* ``--strict`` with ``--quick``, exit 1 on a missed target too. A full run always exits 1
  when a target fails.

Layout: ``bench/harness.py`` (timing, repetitions, rows, output), ``bench/targets.py`` (the
issue's target table as data), ``bench/cases/*.py`` (what is measured) and
``bench/children/*.py`` (the programs run in fresh processes). See ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import targets
from cases import legacy, peers, scale, size
from harness import (
    DEFAULT_JSON,
    FULL,
    QUICK,
    Children,
    Row,
    environment,
    exit_status,
    loadavg,
    table_text,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repeats: a smoke run")
    parser.add_argument("--scale-100x", action="store_true", help="also measure 100x data")
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help=f"where to write results (default: {DEFAULT_JSON}; with --quick: a temp file, so a "
        "smoke run never replaces the recorded full run)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on a missed target")
    opts = parser.parse_args(argv)
    if opts.json is None:
        opts.json = (
            Path(tempfile.gettempdir()) / "aipower-bench-quick.json" if opts.quick else DEFAULT_JSON
        )
    cfg = QUICK if opts.quick else FULL
    factors = (10, 100) if opts.scale_100x else (10,)

    from aipower._core import store as _store

    data_dir = _store.default().data_dir
    obs_path = data_dir / "observations.parquet"
    started = time.perf_counter()
    load_start = loadavg()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="aipower-bench-") as tmp_name:
        tmp = Path(tmp_name)
        cwd = tmp / "cwd"
        cwd.mkdir()
        ch = Children(cwd, tmp / "pycache")
        rows += legacy.bench_import(ch, cfg)
        rows += legacy.bench_first_query(ch, cfg, obs_path)
        rows += legacy.bench_warm(cfg)
        rows += legacy.bench_check_text(cfg)
        rows += peers.bench_cold(ch, cfg, data_dir)
        rows += peers.bench_warm(cfg, data_dir)
        rows += scale.bench_scale(ch, cfg, tmp, factors)
        rows += size.bench_size(cfg, tmp)
    targets.apply(rows)
    judged = targets.evaluate(rows)

    for r in rows:
        if not math.isfinite(r.ratio):
            raise AssertionError(f"{r.id}: ratio {r.ratio}")
    result = {
        "schema": 2,
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "quick": opts.quick,
        "scale_factors": list(factors),
        "duration_s": round(time.perf_counter() - started, 1),
        "environment": {
            **environment(),
            # other work on the machine skews timings: compare with cpu_count
            "loadavg_1min_start": load_start,
            "loadavg_1min_end": loadavg(),
        },
        "config": asdict(cfg),
        "rows": [asdict(r) for r in rows],
        "targets": judged,
        "summary": {
            "passed": sum(r.passed is True for r in rows),
            "failed": sum(r.passed is False for r in rows),
            "informational": sum(r.passed is None for r in rows),
            "targets_passed": sum(t["result"] == "PASS" for t in judged),
            "targets_failed": sum(t["result"] == "FAIL" for t in judged),
            "targets_not_run": sum(t["result"] == "not run" for t in judged),
        },
    }
    opts.json.parent.mkdir(parents=True, exist_ok=True)
    tmp_json = opts.json.with_name(opts.json.name + ".tmp")
    tmp_json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_json, opts.json)

    print(table_text(rows))
    print()
    print(targets.targets_text(judged))
    s = result["summary"]
    print(
        f"\nrows: {s['passed']} passed, {s['failed']} failed, {s['informational']} "
        f"informational; targets of issue 14: {s['targets_passed']} PASS, "
        f"{s['targets_failed']} FAIL, {s['targets_not_run']} not run; "
        f"{'quick smoke run, not a measurement; ' if opts.quick else ''}"
        f"{result['duration_s']} s; load {load_start}-{loadavg()} on {os.cpu_count()} CPUs; "
        f"JSON: {opts.json}"
    )
    return exit_status(s["failed"], quick=opts.quick, strict=opts.strict)


if __name__ == "__main__":
    sys.exit(main())
