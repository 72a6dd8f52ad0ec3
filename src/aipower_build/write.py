"""Write Parquet files and the manifest atomically and deterministically.

The settings were chosen by measurement (``docs/performance.md``): zstd level 19, dictionary
encoding only for columns with few distinct values (under :data:`DICTIONARY_BELOW` of the
rows; elsewhere a dictionary page costs bytes and saves none), row groups of
:data:`ROW_GROUP_ROWS` rows. Per row group the manifest records its byte range, SHA-256 and
first and last ``metric_id``, and the same range and hash for the footer, so the store can
read and verify one metric's rows without the rest of the file (``aipower._core.rows``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 19,
    "write_statistics": True,
    # no timestamps or writer-dependent page indexes: the same input gives the same bytes
    "write_page_index": False,
}
#: rows per row group: the unit a lookup reads (3 groups in the shipped observations)
ROW_GROUP_ROWS = 32768
#: dictionary-encode a column when its distinct values are fewer than this share of rows
DICTIONARY_BELOW = 0.1


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dictionary_columns(table: pa.Table) -> list[str]:
    """The columns worth a dictionary: few distinct values (list columns never)."""
    out = []
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_list(column.type):
            continue
        if len(column) == 0 or len(column.unique()) < DICTIONARY_BELOW * len(column):
            out.append(name)
    return out


def _sha(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def row_group_parts(path: Path) -> dict[str, Any]:
    """Byte range, SHA-256 and metric span of each row group, and the footer's range.

    The ranges tile the file: row group ``i`` runs from its first column chunk to the next
    group's (the first from byte 0, the magic number), the footer from the end of the last.
    """
    blob = path.read_bytes()
    meta = pq.read_metadata(path)
    starts = []
    for i in range(meta.num_row_groups):
        col = meta.row_group(i).column(0)
        start = col.dictionary_page_offset if col.has_dictionary_page else col.data_page_offset
        starts.append(0 if i == 0 else int(start or 0))
    footer = len(blob) - 8 - int.from_bytes(blob[-8:-4], "little")
    metric_ids = pq.ParquetFile(path).read(columns=["metric_id"]).column("metric_id")
    groups, row = [], 0
    for i, (a, b) in enumerate(zip(starts, [*starts[1:], footer], strict=True)):
        n = meta.row_group(i).num_rows
        first, last = metric_ids[row].as_py(), metric_ids[row + n - 1].as_py()
        groups.append(
            {"bytes": b - a, "metrics": [first, last], "offset": a, "sha256": _sha(blob[a:b])}
        )
        row += n
    return {
        "footer": {"bytes": len(blob) - footer, "offset": footer, "sha256": _sha(blob[footer:])},
        "row_groups": groups,
    }


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
            table = tables[name]
            options = {
                **PARQUET_OPTIONS,
                "use_dictionary": dictionary_columns(table),
                "row_group_size": ROW_GROUP_ROWS,
            }
            pq.write_table(table, path, **options)
            if name == "observations" and table.num_rows:
                table_entries[name] = row_group_parts(path)
            table_entries[name] = {
                **table_entries.get(name, {}),
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
            out_dir.replace(old)
        tmp.replace(out_dir)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest
