"""The benchmark harness: timing, repetitions, rows, the targets table, output.

Cases (``bench/cases/``) measure; this module only times, summarises, compares and prints.
Every figure is a ratio against a baseline measured in the same run; each side is repeated
(``>= 5`` times in a full run) and both the minimum and the median are recorded.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CHILDREN = BENCH / "children"
DEFAULT_JSON = BENCH / "results" / "latest.json"
#: a full run repeats every timed measurement at least this often
MIN_FULL_REPEATS = 5


@dataclass(frozen=True)
class Config:
    fresh_repeats: int  # processes per side for import / first query / peak memory
    peer_repeats: int  # processes per side for the cold peer comparisons
    warmup_processes: int  # per side, discarded (page cache, .pyc files)
    warm_repeats: int  # timed batches for in-process benchmarks
    ours_calls: int  # calls per batch for aipower
    pandas_calls: int  # calls per batch for the pandas / polars / DuckDB baselines
    series_calls: int
    distinct_get: int  # N of "rotating over N distinct keys" for get()
    miss_repeats: int  # fresh stores for the first-call (cache-miss) measurements
    scale_repeats: int  # fresh processes per size and engine for the scaling benchmark


FULL = Config(
    fresh_repeats=11,
    peer_repeats=7,
    warmup_processes=2,
    warm_repeats=7,
    ours_calls=50_000,
    pandas_calls=200,
    series_calls=3_000,
    distinct_get=500,
    miss_repeats=5,
    scale_repeats=5,
)
QUICK = Config(
    fresh_repeats=2,
    peer_repeats=1,
    warmup_processes=0,
    warm_repeats=2,
    ours_calls=1_000,
    pandas_calls=5,
    series_calls=50,
    distinct_get=50,
    miss_repeats=1,
    scale_repeats=1,
)


# -- results ----------------------------------------------------------------------------------
@dataclass
class Row:
    id: str
    what: str
    ours: float  # the median
    baseline: float  # the median
    unit: str  # "s", "ns" or "bytes"
    ratio: float  # of the medians
    ratio_def: str  # "ours/baseline" (lower is better) or "baseline/ours" (a speed-up)
    target_op: str | None  # "<=", ">=", or None for an informational row
    target: float | None
    baseline_desc: str
    details: dict[str, Any] = field(default_factory=dict)
    passed: bool | None = None
    ours_min: float | None = None
    baseline_min: float | None = None
    ratio_of_min: float | None = None

    def __post_init__(self) -> None:
        if self.target_op is None or self.target is None:
            self.passed = None
        elif self.target_op == "<=":
            self.passed = self.ratio <= self.target
        else:
            self.passed = self.ratio >= self.target
        if self.ours_min is not None and self.baseline_min is not None:
            if self.ratio_def == "ours/baseline":
                self.ratio_of_min = self.ours_min / self.baseline_min
            else:
                self.ratio_of_min = self.baseline_min / self.ours_min


def _row(
    ratio_def: str,
    row_id: str,
    what: str,
    ours: float | Sequence[float],
    base: float | Sequence[float],
    unit: str,
    target: float | None,
    baseline_desc: str,
    details: dict[str, Any],
) -> Row:
    o_med, o_min = _med_min(ours)
    b_med, b_min = _med_min(base)
    if not isinstance(ours, int | float):
        details["ours_samples"] = summary(ours)
    if not isinstance(base, int | float):
        details["baseline_samples"] = summary(base)
    lower = ratio_def == "ours/baseline"
    return Row(
        row_id,
        what,
        o_med,
        b_med,
        unit,
        o_med / b_med if lower else b_med / o_med,
        ratio_def,
        None if target is None else ("<=" if lower else ">="),
        target,
        baseline_desc,
        details,
        ours_min=o_min,
        baseline_min=b_min,
    )


def _med_min(x: float | Sequence[float]) -> tuple[float, float]:
    if isinstance(x, int | float):
        return float(x), float(x)
    return float(statistics.median(x)), float(min(x))


def slower(
    row_id: str,
    what: str,
    ours: float | Sequence[float],
    base: float | Sequence[float],
    unit: str,
    target: float | None,
    baseline_desc: str,
    **details: Any,
) -> Row:
    """A row where ours/baseline should stay below ``target``; samples or a single value."""
    return _row("ours/baseline", row_id, what, ours, base, unit, target, baseline_desc, details)


def faster(
    row_id: str,
    what: str,
    ours: float | Sequence[float],
    base: float | Sequence[float],
    unit: str,
    target: float | None,
    baseline_desc: str,
    **details: Any,
) -> Row:
    """A row where baseline/ours (our speed-up) should reach ``target``."""
    return _row("baseline/ours", row_id, what, ours, base, unit, target, baseline_desc, details)


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
class Children:
    """Runs fresh interpreters (this one) in an empty directory with a clean environment.

    A child is a program in ``bench/children/`` (``script``) or, for a bare baseline such as
    ``import attrs``, a one-statement ``-c`` string (``code``)."""

    def __init__(self, cwd: Path, pycache: Path) -> None:
        self.cwd = cwd
        drop = (
            "PYTHONSTARTUP",
            "PYTHONPROFILEIMPORTTIME",
            "PYTHONTRACEMALLOC",
            "PYTHONDONTWRITEBYTECODE",
            "PYTHONPATH",
        )
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        # Bytecode is cached as in a normal install (pip compiles .pyc files), but in a
        # temporary tree rather than in the source checkout; the warm-up runs fill it.
        self.env["PYTHONPYCACHEPREFIX"] = str(pycache)

    def run(self, cmd: Sequence[str]) -> tuple[int, str]:
        """Wall time (ns) of ``python *cmd`` from spawn to exit, and its stdout."""
        argv = [sys.executable, *cmd]
        for _attempt in range(3):
            t0 = time.perf_counter_ns()
            proc = subprocess.run(
                argv, cwd=self.cwd, env=self.env, capture_output=True, text=True, check=False
            )
            elapsed = time.perf_counter_ns() - t0
            # pyarrow can abort at interpreter exit, after the child's work is done (a C++
            # thread torn down late: "terminate called without an active exception", cf.
            # apache/arrow#34314); its timing includes the abort, so run it again
            if proc.returncode == -6 and "terminate called without" in proc.stderr:
                continue
            break
        if proc.returncode != 0:
            raise RuntimeError(f"child process failed ({proc.returncode}): {argv}\n{proc.stderr}")
        return elapsed, proc.stdout

    def interleaved(
        self, cmds: Sequence[Sequence[str]], repeats: int, warmup: int
    ) -> list[list[tuple[int, str]]]:
        """Run each of ``cmds`` once per round, the order rotating from round to round (so
        that no command always runs first or after the same neighbour), ``repeats`` rounds
        after ``warmup`` discarded ones. Returns the (ns, stdout) samples per command."""
        out: list[list[tuple[int, str]]] = [[] for _ in cmds]
        for i in range(warmup + repeats):
            order = list(range(len(cmds)))
            order = order[i % len(order) :] + order[: i % len(order)]
            if (i // len(cmds)) % 2:
                order.reverse()
            for k in order:
                sample = self.run(cmds[k])
                if i >= warmup:
                    out[k].append(sample)
        return out


def script(name: str, *args: str) -> list[str]:
    """The command line of the child program ``bench/children/<name>.py``."""
    return [str(CHILDREN / f"{name}.py"), *args]


def code(statement: str) -> list[str]:
    return ["-c", statement]


def seconds(samples: Sequence[tuple[int, str]]) -> list[float]:
    return [t / 1e9 for t, _ in samples]


def last_json(samples: Sequence[tuple[int, str]]) -> list[dict[str, Any]]:
    """The JSON object each child printed on its last line."""
    return [json.loads(out.strip().splitlines()[-1]) for _, out in samples]


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


def exit_status(failed: int, *, quick: bool, strict: bool) -> int:
    """1 when a row missed its bound in a full run (or with ``--strict``); a quick smoke run
    that completed exits 0 whatever the targets."""
    return 1 if failed and (strict or not quick) else 0


# -- output -----------------------------------------------------------------------------------
def fmt(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value / 2**20:,.1f} MiB"
    secs = value if unit == "s" else value / 1e9
    if secs >= 1:
        return f"{secs:,.2f} s"
    if secs >= 1e-3:
        return f"{secs * 1e3:,.2f} ms"
    return f"{secs * 1e6:,.2f} µs"


def ratio_text(ratio: float, ratio_def: str) -> str:
    if ratio_def == "baseline/ours":
        return f"{ratio:,.0f}x faster" if ratio >= 10 else f"{ratio:.2f}x faster"
    return f"{ratio:.2f}x"


def result_text(passed: bool | None) -> str:
    return "info" if passed is None else ("PASS" if passed else "FAIL")


def grid(head: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(x[i])) for x in (head, *body)) for i in range(len(head))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in (head, tuple("-" * w for w in widths), *body)
    ]
    return "\n".join(lines)


def table_text(rows: Sequence[Row]) -> str:
    head = ("row", "ours (median/min)", "baseline (median/min)", "ratio", "target", "result")
    body = []
    for r in rows:
        target = "-" if r.target is None else f"{r.target_op} {r.target:g}x"
        ours = f"{fmt(r.ours, r.unit)} / {fmt(r.ours_min or r.ours, r.unit)}"
        base = f"{fmt(r.baseline, r.unit)} / {fmt(r.baseline_min or r.baseline, r.unit)}"
        body.append(
            (r.id, ours, base, ratio_text(r.ratio, r.ratio_def), target, result_text(r.passed))
        )
    return grid(head, body)


def loadavg() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def environment() -> dict[str, Any]:
    import attrs
    import duckdb
    import pandas
    import polars
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
        "polars": polars.__version__,
        "duckdb": duckdb.__version__,
        "attrs": attrs.__version__,
        "git_commit": commit,
    }
