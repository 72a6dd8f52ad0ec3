"""``aipower.export``: the shipped tables as CSV, Parquet or a Frictionless data package.

The Table Schema of every exported table is generated from :mod:`aipower._spec` (the one
metadata spec), so the descriptor cannot drift from the data: types, descriptions, required /
unique / enum / minimum / maximum / pattern constraints, primary keys, foreign keys (from
``Field.references``) and units (a ``unit`` field property, since Table Schema has none).

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

from aipower._core.licenses import check_license_arg as _check_license_arg
from aipower._core.licenses import license_title, license_url
from aipower._spec import TABLES, Field, TableSpec
from aipower.errors import suggest

if TYPE_CHECKING:
    import pyarrow as pa

    from aipower._core.store import Store

ExportFormat = Literal["csv", "parquet", "datapackage"]
FORMATS: tuple[str, ...] = ("csv", "parquet", "datapackage")

#: Separator of list cells (aliases, members, organisations, ...) in CSV.
LIST_SEPARATOR = ";"

#: Tables whose rows carry upstream values and are filtered by ``license=``.
CONTENT_TABLES: tuple[str, ...] = ("observations", "models", "clusters", "accelerators", "claims")

_TS_TYPES: dict[str, str] = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date",
    "list[str]": "string",
}

#: Extra words for fields whose meaning depends on another table.
_EXTRA_DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("observations", "value"): (
        "The unit is the `unit` of the row's metric in the metrics table (metric_id -> "
        "metrics.unit); shares are fractions in [0, 1], money is in USD."
    ),
    ("metrics", "unit"): (
        "Every observation of this metric is in this unit: 'fraction' for shares (0.697 = "
        "69.7 %), 'USD' or 'USD (2021 prices)' for money, a counted noun for counts."
    ),
    ("sources", "license"): "Values read from this source keep this licence.",
}


def _pattern(regex: str) -> str:
    """A spec regex (Python ``re.search`` semantics) as a Table Schema pattern (full match)."""
    if regex.startswith("^") and regex.endswith("$") and not regex.endswith("\\$"):
        return regex[1:-1]
    return rf"[\s\S]*(?:{regex})[\s\S]*"


def field_descriptor(table: str, f: Field) -> dict[str, Any]:
    """The Table Schema descriptor of one spec field."""
    description = f.description
    extra = _EXTRA_DESCRIPTIONS.get((table, f.name))
    if extra:
        description = f"{description} {extra}"
    if f.dtype == "list[str]":
        description += (
            f" A list: exported as one string with items joined by '{LIST_SEPARATOR}' "
            "(empty when the list is empty)."
        )
    out: dict[str, Any] = {
        "name": f.name,
        "type": _TS_TYPES[f.dtype],
        "description": description,
    }
    if f.dtype == "date":
        out["format"] = "default"
    if f.unit:
        out["unit"] = f.unit
    constraints: dict[str, Any] = {}
    if not f.nullable and f.dtype != "list[str]":
        constraints["required"] = True
    if f.unique:
        constraints["unique"] = True
    if f.isin is not None:
        constraints["enum"] = list(f.isin)
    for key, bound in (("minimum", f.ge), ("maximum", f.le)):
        if bound is not None:
            constraints[key] = int(bound) if f.dtype == "int" else bound
    if f.pattern is not None and f.dtype == "str":
        constraints["pattern"] = _pattern(f.pattern)
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(spec: TableSpec) -> dict[str, Any]:
    """Frictionless Table Schema of a shipped table, generated from the spec."""
    schema: dict[str, Any] = {
        "fields": [field_descriptor(spec.name, f) for f in spec.fields],
        "missingValues": [""],
        "primaryKey": list(spec.primary_key),
    }
    fks = []
    for f in spec.fields:
        if f.references:
            resource, column = f.references.split(".", 1)
            fks.append({"fields": f.name, "reference": {"resource": resource, "fields": column}})
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _license_entry(license_id: str) -> dict[str, str]:
    entry = {"name": license_id, "title": license_title(license_id)}
    url = license_url(license_id)
    if url:
        entry["path"] = url
    return entry


def export_tables(license: Sequence[str] | str | None = None) -> dict[str, pa.Table]:
    """Every shipped table as Arrow, content tables filtered by licence (see module doc)."""
    from aipower._query.api import table

    licenses = _check_license_arg(license)
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


def _used_sources(store: Store, tables: dict[str, pa.Table]) -> dict[str, set[str]]:
    """source_id -> names of the content tables with rows read from that source."""
    used: dict[str, set[str]] = {}
    for name in CONTENT_TABLES:
        column = "stated_by" if name == "claims" else "source_id"
        for sid in set(tables[name].column(column).to_pylist()):
            used.setdefault(str(sid), set()).add(name)
    return used


def _source_entry(store: Store, source_id: str) -> dict[str, Any]:
    s = store.sources[source_id]
    entry: dict[str, Any] = {"title": s.title, "source_id": s.source_id}
    if s.url:
        entry["path"] = s.url
    entry.update(
        {
            "publisher": s.publisher,
            "kind": s.kind,
            "vintage": s.vintage,
            "license": s.license,
            "primary": s.primary,
        }
    )
    return entry


def datapackage_descriptor(
    tables: dict[str, pa.Table], *, license: list[str] | None = None, hashes: dict[str, str]
) -> dict[str, Any]:
    """The ``datapackage.json`` of an export (resources are ``<table>.csv``)."""
    import aipower
    from aipower._core.store import default

    store = default()
    store.load_indexes()
    used = _used_sources(store, tables)
    resources = []
    for name, spec in TABLES.items():
        resource: dict[str, Any] = {
            "name": name,
            "path": f"{name}.csv",
            "title": spec.title,
            "description": spec.description,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": f"sha256:{hashes[name]}",
            "schema": table_schema(spec),
        }
        if name in CONTENT_TABLES:
            ids = sorted(sid for sid, names in used.items() if name in names)
            lics = sorted({store.sources[sid].license for sid in ids})
            resource["licenses"] = [_license_entry(x) for x in lics]
            resource["sources"] = [_source_entry(store, sid) for sid in ids]
        else:
            resource["description"] += (
                " Reference metadata composed by aipower; exported whole so that every "
                "foreign key resolves."
            )
        resources.append(resource)
    package_licenses = sorted({store.sources[sid].license for sid in used})
    data_version = str(store.manifest["data_version"])
    filtered = f" Rows kept: sources licensed {', '.join(license)}." if license else ""
    return {
        "profile": "tabular-data-package",
        "name": "aipower",
        "title": "aipower: sourced data on the AI competition between countries",
        "description": (
            "Every value carries its source, locator (figure/page or file and row), vintage and "
            "status. Shares are fractions in [0, 1]; the unit of each metric is in the metrics "
            "table. Each value keeps the licence of its source (see `sources` and `licenses`); "
            f"aipower's code is MIT-licensed, its data is not.{filtered}"
        ),
        "version": data_version,
        "keywords": ["ai", "china", "united-states", "ai-index", "epoch-ai", "cset"],
        "contributors": [{"title": "aipower contributors", "role": "author"}],
        "licenses": [_license_entry(x) for x in package_licenses],
        "sources": [_source_entry(store, sid) for sid in sorted(used)],
        "aipower": {
            "package_version": aipower.__version__,
            "data_version": data_version,
            "license_filter": license,
            "list_separator": LIST_SEPARATOR,
        },
        "resources": resources,
    }


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
        >>> aipower.export("out", format="datapackage", license="CC-BY-4.0")  # doctest: +SKIP
        [PosixPath('out/sources.csv'), ..., PosixPath('out/datapackage.json')]

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
    licenses = _check_license_arg(license)
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
            _name_errors(final, lambda p=part, f=final: os.replace(p, f))
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
