"""``aipower.export``: the shipped tables as CSV, Parquet or a Frictionless data package.

The Table Schema of every exported table is generated from :mod:`aipower._spec` (the one
metadata spec) by :mod:`aipower._surfaces.datapackage`, so the descriptor cannot drift from
the data.

Licences: the tables that carry upstream values (observations, models, clusters, claims) are
filtered by ``license=`` exactly like :func:`aipower.table`; the reference tables (sources,
entities, metrics, concepts) are aipower's own bibliographic and definitional metadata and are
exported whole, so that every foreign key resolves. The package's ``licenses`` are the licences
of the sources of the exported values, and ``sources`` lists each of those sources with its
licence and vintage.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from aipower._core.licenses import license_arg
from aipower._spec import TABLES, TableSpec
from aipower._surfaces.datapackage import (
    CONTENT_TABLES,
    LIST_SEPARATOR,
    datapackage_descriptor,
    field_descriptor,
    table_schema,
)
from aipower.errors import suggest

if TYPE_CHECKING:
    import pyarrow as pa


__all__ = [
    "CONTENT_TABLES",
    "FORMATS",
    "LIST_SEPARATOR",
    "ExportFormat",
    "export",
    "export_tables",
    "field_descriptor",
    "table_schema",
]

ExportFormat = Literal["csv", "parquet", "datapackage"]
FORMATS: tuple[str, ...] = ("csv", "parquet", "datapackage")


def export_tables(license: Sequence[str] | str | None = None) -> dict[str, pa.Table]:
    """Every shipped table as Arrow, content tables filtered by licence (see module doc)."""
    from aipower._query.api import table

    licenses = license_arg(license)
    out: dict[str, pa.Table] = {}
    for name in TABLES:
        lic = licenses if name in CONTENT_TABLES else None
        out[name] = table(name, engine="pyarrow", license=lic)  # type: ignore[arg-type]
    return out


def _csv_ready(arrow: pa.Table, spec: TableSpec) -> pa.Table:
    """List columns joined into strings; everything else as is."""
    import pyarrow.compute as pc

    for f in spec.fields:
        if f.dtype == "list[str]":
            i = arrow.column_names.index(f.name)
            joined: Any = pc.binary_join(arrow.column(f.name), LIST_SEPARATOR)
            arrow = arrow.set_column(i, f.name, joined)
    return arrow


def _write_csv(arrow: pa.Table, spec: TableSpec, path: Path) -> None:
    import pyarrow.csv as pacsv

    # rows end in "\n": pyarrow's default line end (its `eol` keyword appeared only in
    # pyarrow 26, so passing it would break the allowed older versions)
    options = pacsv.WriteOptions(quoting_style="needed")
    pacsv.write_csv(_csv_ready(arrow, spec), str(path), write_options=options)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export(
    path: str | Path,
    *,
    format: ExportFormat = "csv",
    license: Sequence[str] | str | None = None,
) -> list[Path]:
    """Write every shipped table to the directory ``path`` and return the files written.

    Args:
        path: Directory to write into (created if missing; existing files of the same names
            are replaced, each only once all new files are complete).
        format: ``"csv"`` (one CSV per table), ``"parquet"`` (one Parquet file per table, with
            the spec's descriptions as field metadata) or ``"datapackage"`` (CSV files plus a
            Frictionless ``datapackage.json`` generated from the metadata spec, which passes
            ``frictionless validate``).
        license: Keep only values whose source has one of these licence ids, e.g.
            ``"CC-BY-4.0"`` or ``["CC-BY-4.0", "CC0-1.0"]``. Applies to observations, models,
            clusters and claims; sources, entities, metrics and concepts are exported whole.

    Returns:
        The paths written, ``datapackage.json`` last for the data package.

    In CSV, list cells (aliases, members, organisations, ...) are joined with ``;``, dates are
    ISO 8601, booleans ``true``/``false`` and missing values empty.

    Example:
        >>> import tempfile
        >>> out = tempfile.mkdtemp()
        >>> written = aipower.export(out, format="datapackage", license="CC-BY-4.0")
        >>> names = [p.name for p in written]
        >>> names[0], names[4], names[-1]
        ('sources.csv', 'observations.csv', 'datapackage.json')

    Every file is first written into a hidden temporary directory inside ``path`` and renamed
    into place only when all are complete, so an interrupted export (a crash, a full disk, a
    file-size limit) leaves the previous files whole. A CSV export removes a
    ``datapackage.json`` left by an earlier data-package export (its hashes would no longer
    match).

    Raises:
        ValueError: an empty path, an unknown format or licence id (with the closest match).
        TypeError: an argument of the wrong type.
        FileExistsError: a file to be replaced is a symbolic link (never written through).
        OSError: a file cannot be written; the message names it.
    """
    if not isinstance(path, str | Path):
        raise TypeError(f"path must be a str or a pathlib.Path, not {type(path).__name__}")
    if format not in FORMATS:
        raise ValueError(
            f"format must be one of {', '.join(map(repr, FORMATS))}, not {format!r}."
            f"{suggest(str(format), FORMATS)}"
        )
    if not str(path).strip():
        raise ValueError(
            "path is empty: give the directory to write into, e.g. aipower.export('out') "
            "(use '.' for the working directory)"
        )
    licenses = license_arg(license)
    tables = export_tables(licenses)
    out_dir = Path(path)
    names = [f"{name}.{'parquet' if format == 'parquet' else 'csv'}" for name in tables]
    if format == "datapackage":
        names.append(DESCRIPTOR)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        _refuse_unsafe_target(out_dir / name)
    # every file is written into a temporary sibling directory first and renamed into place
    # only when all are complete: a crash, a full disk or a file-size limit leaves the previous
    # export whole (plus, at worst, a hidden .aipower-export-* directory), never a short file
    tmp = Path(tempfile.mkdtemp(prefix=".aipower-export-", dir=out_dir))
    try:
        written = _write_all(tmp, tables, format, licenses)
        stale = out_dir / DESCRIPTOR
        if format != "parquet" and stale.is_file() and not stale.is_symlink():
            # a CSV/datapackage export replaces the CSV files an old descriptor describes:
            # remove it first, so that no datapackage.json ever names hashes of other files
            _name_errors(stale, stale.unlink)
        finals = []
        for part in written:
            final = out_dir / part.name
            _name_errors(final, lambda p=part, f=final: p.replace(f))
            finals.append(final)
        _fsync_dir(out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finals


DESCRIPTOR = "datapackage.json"


def _refuse_unsafe_target(target: Path) -> None:
    """Never write through a symbolic link, nor over a directory, in the target folder."""
    if target.is_symlink():
        raise FileExistsError(
            f"refusing to export over {target}: it is a symbolic link (writing would change "
            "the file it points to); remove it or export into another directory"
        )
    if target.exists() and not target.is_file():
        raise IsADirectoryError(f"refusing to export over {target}: it is not a regular file")


def _name_errors(target: Path, action: Any) -> Any:
    """Run ``action``; an OSError (full disk, size limit, permission) names ``target``."""
    import pyarrow as pa

    try:
        return action()
    except (OSError, pa.ArrowException) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OSError(
            getattr(exc, "errno", None) or 0,
            f"cannot write {target} ({reason}); the previous files there are unchanged",
        ) from exc


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a directory
        _fsync(path)


def _write_all(
    tmp: Path, tables: dict[str, pa.Table], format: str, licenses: list[str] | None
) -> list[Path]:
    """Write every file of the export into ``tmp``; return them (datapackage.json last)."""
    written: list[Path] = []
    if format == "parquet":
        import pyarrow.parquet as pq

        for name, arrow in tables.items():
            target = tmp / f"{name}.parquet"
            _name_errors(target, lambda a=arrow, t=target: pq.write_table(a, t, compression="zstd"))
            written.append(target)
    else:
        hashes: dict[str, str] = {}
        for name, arrow in tables.items():
            target = tmp / f"{name}.csv"
            _name_errors(target, lambda a=arrow, n=name, t=target: _write_csv(a, TABLES[n], t))
            hashes[name] = _sha256(target)
            written.append(target)
        if format == "datapackage":
            descriptor = datapackage_descriptor(tables, license=licenses, hashes=hashes)
            target = tmp / DESCRIPTOR
            text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
            _name_errors(target, lambda t=target: t.write_text(text, encoding="utf-8"))
            written.append(target)
    for target in written:
        _name_errors(target, lambda t=target: _fsync(t))
    return written
