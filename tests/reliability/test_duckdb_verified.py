"""Issue 13.3: ``aipower.duckdb()`` shows exactly the verified tables: no path is read, so glob
characters in the install path and files changed after the hash check change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from manifest_tools import rehash

import aipower
from aipower._spec import TABLES

pytest.importorskip("duckdb", reason="duckdb is in the test extra")


@pytest.mark.parametrize("folder", ["d*", "d?ta", "[d]ata"])
def test_glob_characters_in_install_path(
    tmp_path: Path, data: Path, use_store: Any, folder: str
) -> None:
    target = tmp_path / "site" / folder
    shutil.copytree(data, target)
    for sibling in ("data", "dd"):  # siblings the pattern would match, with other content
        shutil.copytree(data, tmp_path / "site" / sibling)
        path = tmp_path / "site" / sibling / "metrics.parquet"
        pq.write_table(pq.read_table(path).slice(0, 3), path)
    use_store(target)
    with aipower.duckdb() as con:
        for name in TABLES:
            (count,) = con.execute(f"select count(*) from {name}").fetchone() or (None,)
            assert count == aipower.table(name, engine="pyarrow").num_rows, name  # type: ignore[arg-type]


def test_file_changed_after_the_call_is_not_read(data: Path, use_store: Any) -> None:
    use_store(data)
    expected = aipower.table("metrics", engine="pyarrow").num_rows
    con = aipower.duckdb()
    try:
        path = data / "metrics.parquet"
        table = pq.read_table(path)
        pq.write_table(table.slice(0, 3), path)  # swapped for a short, rehashed file
        rehash(data, "metrics")
        (count,) = con.execute("select count(*) from metrics").fetchone() or (None,)
        assert count == expected
        path.unlink()  # and gone entirely
        (count,) = con.execute("select count(*) from metrics").fetchone() or (None,)
        assert count == expected
    finally:
        con.close()


def test_damaged_file_refused_before_connecting(data: Path, use_store: Any) -> None:
    blob = bytearray((data / "clusters.parquet").read_bytes())
    blob[len(blob) // 2] ^= 0x01
    (data / "clusters.parquet").write_bytes(bytes(blob))
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match=r"clusters\.parquet"):
        aipower.duckdb()
