"""Helpers for tests that edit a copy of the data directory's manifest (importable because
pytest puts this folder on sys.path)."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from aipower_build.write import row_group_parts


def read_manifest(path: Path) -> dict[str, Any]:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def write_manifest(path: Path, content: object) -> None:
    (path / "manifest.json").write_text(json.dumps(content), encoding="utf-8")


def rehash(path: Path, name: str) -> None:
    """Make the manifest agree with a changed file (a consistent but altered install)."""
    m = read_manifest(path)
    blob = (path / f"{name}.parquet").read_bytes()
    entry = m["tables"][name]
    entry["sha256"] = hashlib.sha256(blob).hexdigest()
    entry["bytes"] = len(blob)
    for key in ("row_groups", "footer"):
        entry.pop(key, None)
    if name == "observations":
        # per-row-group hashes too, as the build writes them; not Parquet: the whole-file hash
        with contextlib.suppress(Exception):
            entry.update(row_group_parts(path / f"{name}.parquet"))
    write_manifest(path, m)
