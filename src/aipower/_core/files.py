"""Reading the shipped files safely: the manifest's shape, regular files of the stated size.

Every byte the store uses passes through :func:`read_regular` (a whole file) or
:func:`read_ranges` (byte ranges of one file) and is then checked against a SHA-256 of the
manifest by the caller. Both refuse a FIFO, socket, device or directory before reading, and a
file whose size differs from the manifest's, so a huge sparse file cannot exhaust memory ahead
of the hash check.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aipower.errors import DataIntegrityError

if TYPE_CHECKING:
    import pyarrow as pa

REPAIR = "Reinstall aipower to repair it: pip install --force-reinstall --no-deps aipower"
#: the largest data file read when the manifest states no size (older manifests)
MAX_UNSIZED_BYTES = 256 * 1024 * 1024
#: the largest manifest.json read (the shipped one is a few kB)
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


def check_digest(blob: bytes, expected: str, what: str) -> None:
    """Raise DataIntegrityError unless ``blob`` has the SHA-256 ``expected``."""
    digest = hashlib.sha256(blob).hexdigest()
    if digest != expected:
        raise DataIntegrityError(
            f"{what} is corrupted or altered (SHA-256 {digest[:12]}..., "
            f"manifest says {expected[:12]}...). {REPAIR}"
        )


def manifest_problem(manifest: object) -> str | None:
    """What is wrong with a parsed manifest, or None."""
    if not isinstance(manifest, dict):
        return f"expected a JSON object, got {type(manifest).__name__}"
    if not isinstance(manifest.get("data_version"), str):
        return "no 'data_version' string"
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        return "no 'tables' object"
    for name, entry in tables.items():
        problem = _entry_problem(entry)
        if problem is not None:
            return f"table entry {name!r} {problem}"
    return None


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict):
        return "is not an object"
    for key in ("file", "sha256"):
        if not isinstance(entry.get(key), str):
            return f"has no {key!r} string"
    name = entry["file"]
    if "/" in name or "\\" in name or name.startswith("."):
        return "names a file outside the data directory"
    if "\x00" in name or not name:
        return "has an empty file name or one with a NUL byte"
    size = entry.get("bytes")
    if size is not None and not _count(size):
        return "has a 'bytes' size that is not a whole number >= 0"
    if "row_groups" in entry or "footer" in entry:
        return _parts_problem(entry)
    return None


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def _range_problem(part: object) -> bool:
    return not (
        isinstance(part, dict)
        and _count(part.get("offset"))
        and _count(part.get("bytes"))
        and isinstance(part.get("sha256"), str)
    )


def _parts_problem(entry: dict[str, Any]) -> str | None:
    """The per-row-group hashes: ranges that tile the file, each with its metric span."""
    groups, footer = entry.get("row_groups"), entry.get("footer")
    if not isinstance(groups, list) or _range_problem(footer) or not _count(entry.get("bytes")):
        return "has 'row_groups' without a 'footer' range and a 'bytes' size"
    parts = [*groups, footer]
    if any(_range_problem(p) for p in parts):
        return "has a row group that is not {offset, bytes, sha256}"
    if any(not _metric_span(p) for p in groups):
        return "has a row group without its first and last metric_id"
    position = 0
    for part in parts:
        if part["offset"] != position:
            return "has row group ranges that do not tile the file"
        position += part["bytes"]
    if position != entry["bytes"]:
        return "has row group ranges that do not tile the file"
    return None


def _metric_span(part: dict[str, Any]) -> bool:
    span = part.get("metrics")
    return isinstance(span, list) and len(span) == 2 and all(isinstance(m, str) for m in span)


def _open_regular(path: Path, size: int | None, limit: int, what: str) -> tuple[int, int]:
    """An open descriptor of a regular file and its size, checked against the manifest."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not block (regular files ignore it)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise DataIntegrityError(f"{what} is missing. {REPAIR}") from exc
    except (OSError, ValueError) as exc:  # a directory, no permission, a NUL byte in the name
        raise DataIntegrityError(f"{what} cannot be read ({exc}). {REPAIR}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataIntegrityError(
                f"{what} is not a regular file (a directory, pipe or device). {REPAIR}"
            )
        if size is not None and info.st_size != size:
            raise DataIntegrityError(
                f"{what} is corrupted or altered ({info.st_size:,} bytes, the manifest says "
                f"{size:,}). {REPAIR}"
            )
        if size is None and info.st_size > limit:
            raise DataIntegrityError(
                f"{what} has {info.st_size:,} bytes, more than any aipower file "
                f"({limit:,}). {REPAIR}"
            )
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size if size is None else size


def _read_exactly(fd: int, expected: int, what: str) -> bytes:
    chunks: list[bytes] = []
    remaining = expected + 1  # one byte more: a file that grew since fstat is caught
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    blob = b"".join(chunks)
    if len(blob) != expected:
        raise DataIntegrityError(
            f"{what} changed while it was read ({len(blob):,} bytes, expected "
            f"{expected:,}). {REPAIR}"
        )
    return blob


def read_regular(path: Path, size: int | None, limit: int, *, what: str) -> bytes:
    """The bytes of a regular file, refusing anything else (and a wrong size) before reading."""
    fd, expected = _open_regular(path, size, limit, what)
    try:
        return _read_exactly(fd, expected, what)
    except OSError as exc:
        raise DataIntegrityError(f"{what} cannot be read ({exc}). {REPAIR}") from exc
    finally:
        os.close(fd)


def read_ranges(
    path: Path, size: int, ranges: Sequence[tuple[int, int]], *, what: str
) -> list[bytes]:
    """The bytes at ``(offset, length)`` ranges of a regular file of exactly ``size`` bytes."""
    fd, _ = _open_regular(path, size, size, what)
    out = []
    try:
        for offset, length in ranges:
            os.lseek(fd, offset, os.SEEK_SET)  # not os.pread: Windows has none
            blob = b""
            while len(blob) < length:
                chunk = os.read(fd, length - len(blob))
                if not chunk:
                    raise DataIntegrityError(f"{what} changed while it was read. {REPAIR}")
                blob += chunk
            out.append(blob)
    except OSError as exc:
        raise DataIntegrityError(f"{what} cannot be read ({exc}). {REPAIR}") from exc
    finally:
        os.close(fd)
    return out


def type_problems(table: pa.Table, name: str) -> list[str]:
    """Columns whose Arrow type differs from the spec (dictionary-encoded strings allowed)."""
    import pyarrow as pa

    from aipower._core.arrow import arrow_schema
    from aipower._spec import TABLES

    problems = []
    for field in arrow_schema(TABLES[name]):
        actual = table.schema.field(field.name).type
        if pa.types.is_dictionary(actual):
            actual = actual.value_type
        if not actual.equals(field.type):
            problems.append(f"{field.name}: {actual}, expected {field.type}")
    return problems
