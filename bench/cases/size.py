"""The shipped data's size and read time against the data of a reference commit ("today").

The reference is the commit the redesign of issue 14 starts from (``REFERENCE_COMMIT``); its
Parquet files are taken from git (``git show``) into a temporary directory, so both sides
are measured in the same run on the same machine. Skipped when git or the commit is absent.
"""

from __future__ import annotations

import gc
import subprocess
import time
from pathlib import Path

from harness import ROOT, Config, Row, log, slower

#: main's HEAD when the benchmark part of issue 14 was written: the layout of "today"
REFERENCE_COMMIT = "5089d213b8c22e81b778d005af660523db8c4988"
DATA = "src/aipower/data"


def reference_files(tmp: Path) -> dict[str, Path] | None:
    try:
        names = subprocess.run(
            ["git", "ls-tree", "--name-only", f"{REFERENCE_COMMIT}:{DATA}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    out = {}
    ref = tmp / "reference-data"
    ref.mkdir()
    for name in names:
        if name.endswith(".parquet"):
            blob = subprocess.run(
                ["git", "show", f"{REFERENCE_COMMIT}:{DATA}/{name}"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            ).stdout
            (ref / name).write_bytes(blob)
            out[name] = ref / name
    return out


def read_all(paths: list[Path]) -> int:
    import pyarrow.parquet as pq

    t0 = time.perf_counter_ns()
    for p in paths:
        pq.ParquetFile(p).read()
    return time.perf_counter_ns() - t0


def bench_size(cfg: Config, tmp: Path) -> list[Row]:
    from aipower._core import store as _store

    ref = reference_files(tmp)
    if ref is None:
        log("[14] data size: reference commit not available, skipped")
        return []
    log(f"[14] data size and read time vs the data of {REFERENCE_COMMIT[:10]}")
    data_dir = _store.default().data_dir
    now = sorted(data_dir.glob("*.parquet"))
    then = sorted(ref.values())
    ours_ns: list[float] = []
    base_ns: list[float] = []
    read_all(now), read_all(then)  # warm the page cache and the imports
    for i in range(max(cfg.warm_repeats, 5)):
        gc.collect()
        pair = [(now, ours_ns), (then, base_ns)]
        for paths, sink in pair if i % 2 == 0 else pair[::-1]:
            sink.append(float(read_all(paths)))
    return [
        slower(
            "data_size_vs_reference",
            f"bytes of the shipped Parquet files ({len(now)} files)",
            float(sum(p.stat().st_size for p in now)),
            float(sum(p.stat().st_size for p in then)),
            "bytes",
            None,
            f"the same files at commit {REFERENCE_COMMIT[:10]} (before the redesign)",
            files={p.name: p.stat().st_size for p in now},
            reference_files={p.name: p.stat().st_size for p in then},
        ),
        slower(
            "data_read_vs_reference",
            "reading every shipped Parquet file (pq.ParquetFile(f).read(), in this process)",
            ours_ns,
            base_ns,
            "ns",
            None,
            f"reading the files of commit {REFERENCE_COMMIT[:10]} the same way",
        ),
    ]
