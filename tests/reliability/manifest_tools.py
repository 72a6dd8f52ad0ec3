"""Helpers for tests that edit a copy of the data directory's manifest (importable because
pytest puts this folder on sys.path)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def read_manifest(path: Path) -> dict[str, Any]:
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def write_manifest(path: Path, content: object) -> None:
    (path / "manifest.json").write_text(json.dumps(content), encoding="utf-8")


def rehash(path: Path, name: str) -> None:
    """Make the manifest agree with a changed file (a consistent but altered install)."""
    m = read_manifest(path)
    blob = (path / f"{name}.parquet").read_bytes()
    m["tables"][name]["sha256"] = hashlib.sha256(blob).hexdigest()
    m["tables"][name]["bytes"] = len(blob)
    write_manifest(path, m)
