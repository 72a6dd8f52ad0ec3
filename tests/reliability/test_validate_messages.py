"""Issue 13.2: ``aipower validate`` on a table that breaks a schema rule (value changed,
manifest rehashed so the hash check passes) names table, column, rule and rows and exits 1,
without a pandera traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from manifest_tools import rehash

import aipower
from aipower.cli import main as cli_main
from aipower.errors import DataIntegrityError, DataValidationError


def set_cell(data: Path, name: str, column: str, row: int, value: Any) -> None:
    path = data / f"{name}.parquet"
    table = pq.read_table(path)
    values = table.column(column).to_pylist()
    values[row] = value
    index = table.column_names.index(column)
    table = table.set_column(index, column, pa.array(values, type=table.schema.field(index).type))
    pq.write_table(table, path)
    rehash(data, name)


def test_bad_status_names_table_column_rule_and_row(
    data: Path, use_store: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(data, "observations", "status", 7, "made-up")
    use_store(data)
    assert cli_main(["validate"]) == 5  # ExitCode.INTEGRITY
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("aipower: data integrity error: table 'observations'")
    assert "column 'status'" in err
    assert "isin" in err  # the rule
    assert "rows 7 " in err
    assert "'made-up'" in err
    assert "Traceback" not in err
    assert "SchemaErrors" not in err


def test_row_rule_names_the_row_and_its_key(data: Path, use_store: Any) -> None:
    obs = pq.read_table(data / "observations.parquet")
    kinds = dict(
        zip(
            pq.read_table(data / "metrics.parquet").column("metric_id").to_pylist(),
            pq.read_table(data / "metrics.parquet").column("kind").to_pylist(),
            strict=True,
        )
    )
    row = next(i for i, m in enumerate(obs.column("metric_id").to_pylist()) if kinds[m] == "count")
    set_cell(data, "observations", "value", row, -5.0)
    use_store(data)
    with pytest.raises(DataValidationError) as info:
        aipower.verify()
    message = str(info.value)
    assert "table 'observations'" in message
    assert "rule 'counts and amounts are >= 0'" in message
    assert f"rows {row}" in message
    assert "value=-5.0" in message
    assert isinstance(info.value, DataIntegrityError)
    assert info.value.failure_cases is not None
    assert len(info.value.failure_cases) > 0


def test_validate_api_raises_data_validation_error(data: Path, use_store: Any) -> None:
    set_cell(data, "metrics", "kind", 0, "not-a-kind")
    use_store(data)
    with pytest.raises(DataValidationError, match=r"table 'metrics'.*\n  column 'kind'"):
        aipower.validate()


def test_cli_validate_subprocess_schema_break_exit_5_no_traceback(data: Path) -> None:
    set_cell(data, "sources", "license", 0, "no licence at all")
    code = (
        "import sys; from pathlib import Path; import aipower._core.store as s; "
        f"s.set_default(s.Store(Path({str(data)!r}))); "
        "from aipower.cli import entry; entry(['validate'])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 5, proc.stderr  # ExitCode.INTEGRITY
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert "table 'sources'" in proc.stderr
    assert "column 'license'" in proc.stderr
    assert "'no licence at all'" in proc.stderr
