"""Write Parquet files and the manifest atomically and deterministically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    # no timestamps or writer-dependent page indexes: the same input gives the same bytes
    "write_page_index": False,
}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_all(
    out_dir: Path,
    tables: dict[str, pa.Table],
    manifest: dict[str, Any],
) -> dict[str, Any]:
    """Write every table and ``manifest.json`` into ``out_dir``, replacing it in one step.

    Files are first written to a sibling temporary directory; only when all of them are
    written is the old directory swapped out. A failure leaves ``out_dir`` untouched.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".data-", dir=out_dir.parent))
    tmp.chmod(0o755)
    try:
        table_entries: dict[str, Any] = {}
        for name in sorted(tables):
            path = tmp / f"{name}.parquet"
            pq.write_table(tables[name], path, **PARQUET_OPTIONS)
            table_entries[name] = {
                # the size lets the API refuse a wrong-sized file before reading it
                "bytes": path.stat().st_size,
                "file": path.name,
                "rows": tables[name].num_rows,
                "sha256": sha256_file(path),
            }
        manifest = {**manifest, "tables": table_entries}
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        old = out_dir.parent / f".{out_dir.name}-old"
        if old.exists():
            shutil.rmtree(old)
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest
