"""Smoke test of the benchmarks: ``bench/run.py --quick`` runs end to end and writes every row.

No timing is asserted here (a loaded CI machine must not fail the suite); the numbers are
measured with ``python bench/run.py`` and reported in ``docs/performance.md``.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: every row bench/run.py reports
ROWS = {
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
    "scale_first_lookup_growth",
    "scale_warm_lookup",
    "scale_peak_memory",
    "scale_first_lookup_vs_read_10k",
    "scale_first_lookup_vs_read_1M",
    "scale_cache_miss",
    "check_text_5000_words",
    "check_text_seed_column",
}


def test_bench_quick_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["quick"] is True
    rows = {row["id"]: row for row in result["rows"]}
    assert set(rows) == ROWS
    for row_id, row in rows.items():
        for key in ("ratio", "ours", "baseline"):
            value = row[key]
            assert isinstance(value, int | float), (row_id, key, value)
            assert not isinstance(value, bool), (row_id, key, value)
            assert math.isfinite(value), (row_id, key, value)
            assert value > 0, (row_id, key, value)
        assert row["ratio_def"] in ("ours/baseline", "baseline/ours"), row_id
        assert row["target_op"] in ("<=", ">=", None), row_id
        assert row["passed"] in (True, False, None), row_id
        assert (row["passed"] is None) == (row["target"] is None), row_id
    # the table is printed too
    assert "first_query" in proc.stdout
