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

SHAPES = ("scalar", "series", "compare", "get_all")

#: every row bench/run.py reports without --scale-100x
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
    "check_text_5000_words",
    "check_text_seed_column",
    *(f"cold_{s}_vs_{p}" for s in SHAPES for p in ("polars", "duckdb")),
    *(f"warm_{s}_vs_{p}" for s in SHAPES for p in ("polars", "duckdb")),
    *(f"first_call_{s}_vs_{p}" for s in SHAPES[:3] for p in ("pandas", "polars")),
    "cli_series_vs_import_pandas",
    "cli_compare_vs_import_pandas",
    "warm_lookup_vs_dict",
    "scale_first_lookup_10x_vs_1x",
    "scale_first_lookup_10x_vs_duckdb",
    "scale_first_lookup_10x_vs_polars",
    "scale_peak_memory_10x_vs_duckdb",
    "data_size_vs_reference",
    "data_read_vs_reference",
}

#: the targets of issue 14 (bench/targets.py), each reported with its result
TARGETS = {
    "cold_scalar",
    "cold_series_compare",
    "cli_series_compare",
    "first_call",
    "warm_vs_dict",
    "scale_first_lookup",
    "scale_peak_memory",
    "data_size",
    "data_reads",
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
        for key in ("ratio", "ours", "baseline", "ours_min", "baseline_min", "ratio_of_min"):
            value = row[key]
            assert isinstance(value, int | float), (row_id, key, value)
            assert not isinstance(value, bool), (row_id, key, value)
            assert math.isfinite(value), (row_id, key, value)
            assert value > 0, (row_id, key, value)
        assert row["ratio_def"] in ("ours/baseline", "baseline/ours"), row_id
        assert row["target_op"] in ("<=", ">=", None), row_id
        assert row["passed"] in (True, False, None), row_id
        assert (row["passed"] is None) == (row["target"] is None), row_id
        assert row["ours_min"] <= row["ours"], row_id
        assert row["baseline_min"] <= row["baseline"], row_id
    # every target is judged from rows of this run, and printed with its result
    judged = {t["id"]: t for t in result["targets"]}
    assert set(judged) == TARGETS
    for target_id, t in judged.items():
        assert t["result"] in ("PASS", "FAIL", "not run"), target_id
        for row_id, ratio in t["rows"].items():
            if t["result"] != "not run":
                assert ratio == round(rows[row_id]["ratio"], 3), (target_id, row_id)
                assert rows[row_id]["passed"] is (ratio <= rows[row_id]["target"]), row_id
    # the 100x data is optional: without --scale-100x its targets are not run
    assert judged["scale_first_lookup"]["result"] == "not run"
    # the peers were checked to give aipower's answer, and the realistic data is realistic
    data = rows["scale_first_lookup_10x_vs_1x"]["details"]["data"]
    assert data["10x"]["rows"] == 10 * data["1x"]["rows"]
    assert data["10x"]["locator_length"] == data["1x"]["locator_length"]
    assert abs(data["10x"]["arrow_bytes_per_row"] / data["1x"]["arrow_bytes_per_row"] - 1) < 0.05
    # both tables are printed
    assert "first_query" in proc.stdout
    for target_id in TARGETS:
        assert target_id in proc.stdout, target_id
    assert "targets of issue 14" in proc.stdout


def test_bench_full_run_exits_nonzero_on_a_failed_target() -> None:
    """The exit status follows the targets: a full run (or --strict) fails when one is missed."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import targets
        from harness import exit_status, slower
    finally:
        sys.path.remove(str(REPO / "bench"))
    rows = [slower("warm_lookup_vs_dict", "w", [6.0] * 5, [1.0] * 5, "ns", None, "d")]
    targets.apply(rows)
    assert rows[0].passed is False
    assert rows[0].target == 5.0
    judged = {t["id"]: t["result"] for t in targets.evaluate(rows)}
    assert judged["warm_vs_dict"] == "FAIL"
    assert judged["cold_scalar"] == "not run"
    assert exit_status(1, quick=False, strict=False) == 1
    assert exit_status(1, quick=True, strict=True) == 1
    assert exit_status(1, quick=True, strict=False) == 0
    assert exit_status(0, quick=False, strict=True) == 0
    rows = [slower("warm_lookup_vs_dict", "w", [4.0, 9.0, 4.0], [1.0] * 3, "ns", None, "d")]
    targets.apply(rows)
    assert rows[0].passed is True  # judged on the median, the minimum is recorded too
    assert rows[0].ours_min == 4.0
