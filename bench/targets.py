"""The targets of issue 14, as data: each target names the rows it judges and a bound.

A target passes when every one of its rows was measured and is within the bound; it fails
when one is not; it is "not run" when a row was not measured (the 100x data is optional).
Rows carry the bound too (``Row.target``), so the row table and the target table agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness import Row, grid, ratio_text


@dataclass(frozen=True)
class Target:
    id: str
    measure: str
    op: str  # "<=": ours/baseline must stay at or below the bound
    bound: float
    rows: tuple[str, ...]


TARGETS: tuple[Target, ...] = (
    Target(
        "cold_scalar",
        "cold whole-process scalar query vs DuckDB and vs polars scan (same file, same answer)",
        "<=",
        0.8,
        ("cold_scalar_vs_duckdb", "cold_scalar_vs_polars"),
    ),
    Target(
        "cold_series_compare",
        "cold whole-process series and compare vs polars and DuckDB (API, returning pandas)",
        "<=",
        1.0,
        (
            "cold_series_vs_polars",
            "cold_series_vs_duckdb",
            "cold_compare_vs_polars",
            "cold_compare_vs_duckdb",
        ),
    ),
    Target(
        "cli_series_compare",
        'CLI series / compare vs python -c "import pandas"',
        "<=",
        0.6,
        ("cli_series_vs_import_pandas", "cli_compare_vs_import_pandas"),
    ),
    Target(
        "first_call",
        "first call for a new key (data loaded) vs pandas mask and polars filter: "
        "scalar, series and compare",
        "<=",
        0.5,
        tuple(
            f"first_call_{shape}_vs_{peer}"
            for shape in ("scalar", "series", "compare")
            for peer in ("pandas", "polars")
        ),
    ),
    Target(
        "warm_vs_dict",
        "warm repeated lookup vs a plain dict lookup",
        "<=",
        5.0,
        ("warm_lookup_vs_dict",),
    ),
    Target(
        "scale_first_lookup",
        "first lookup at 100x realistic data vs at 1x",
        "<=",
        2.0,
        ("scale_first_lookup_100x_vs_1x",),
    ),
    Target(
        "scale_peak_memory",
        "peak memory at 100x vs DuckDB's",
        "<=",
        2.0,
        ("scale_peak_memory_100x_vs_duckdb",),
    ),
    Target(
        "data_size",
        "wheel data size vs today",
        "<=",
        0.85,
        ("data_size_vs_reference",),
    ),
    Target(
        "data_reads",
        "... with no slower reads",
        "<=",
        1.0,
        ("data_read_vs_reference",),
    ),
)


def apply(rows: list[Row]) -> None:
    """Set each judged row's bound and PASS/FAIL from :data:`TARGETS`."""
    by_id = {r.id: r for r in rows}
    for t in TARGETS:
        for row_id in t.rows:
            r = by_id.get(row_id)
            if r is None:
                continue
            if r.ratio_def != "ours/baseline":
                raise AssertionError(f"{row_id}: targets are bounds on ours/baseline")
            r.target_op, r.target = t.op, t.bound
            r.passed = r.ratio <= t.bound


def evaluate(rows: list[Row]) -> list[dict[str, Any]]:
    by_id = {r.id: r for r in rows}
    out = []
    for t in TARGETS:
        measured = [by_id[i] for i in t.rows if i in by_id]
        if len(measured) < len(t.rows):
            result = "not run"
        else:
            result = "PASS" if all(r.passed for r in measured) else "FAIL"
        out.append(
            {
                "id": t.id,
                "measure": t.measure,
                "target": f"{t.op} {t.bound:g}x",
                "rows": {i: (None if i not in by_id else round(by_id[i].ratio, 3)) for i in t.rows},
                "result": result,
            }
        )
    return out


def targets_text(results: list[dict[str, Any]]) -> str:
    body = []
    for t in results:
        measured = ", ".join(
            "not run" if v is None else ratio_text(v, "ours/baseline") for v in t["rows"].values()
        )
        body.append((t["id"], t["measure"], measured, t["target"], t["result"]))
    return grid(("target", "measure", "measured (ratio of medians)", "bound", "result"), body)
