"""The Frictionless side of :func:`aipower.export`: Table Schemas and ``datapackage.json``.

Every Table Schema is generated from :mod:`aipower._spec` (the one metadata spec), so the
descriptor cannot drift from the data: types, descriptions, required / unique / enum /
minimum / maximum / pattern constraints, primary keys, foreign keys (from
``Field.references``) and units (a ``unit`` field property, since Table Schema has none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aipower._core.licenses import license_column, license_title, license_url
from aipower._spec import TABLES, Field, TableSpec

if TYPE_CHECKING:
    import pyarrow as pa

    from aipower._core.store import Store

#: Separator of list cells (aliases, members, organisations, ...) in CSV.
LIST_SEPARATOR = ";"

#: Tables whose rows carry upstream values and are filtered by ``license=`` (from the spec:
#: each names its source in :attr:`~aipower._spec.TableSpec.license_column`).
CONTENT_TABLES: tuple[str, ...] = tuple(n for n, t in TABLES.items() if t.carries_values)

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
    out: dict[str, Any] = {
        "name": f.name,
        "type": _TS_TYPES[f.dtype],
        "description": _description(table, f),
    }
    if f.dtype == "date":
        out["format"] = "default"
    if f.unit:
        out["unit"] = f.unit
    constraints = _constraints(f)
    if constraints:
        out["constraints"] = constraints
    return out


def _description(table: str, f: Field) -> str:
    """The shipped description, plus what depends on another table or on CSV."""
    description = f.description
    extra = _EXTRA_DESCRIPTIONS.get((table, f.name))
    if extra:
        description = f"{description} {extra}"
    if f.dtype == "list[str]":
        description += (
            f" A list: exported as one string with items joined by '{LIST_SEPARATOR}' "
            "(empty when the list is empty)."
        )
    return description


def _constraints(f: Field) -> dict[str, Any]:
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
    return constraints


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


def _used_sources(store: Store, tables: dict[str, pa.Table]) -> dict[str, set[str]]:
    """source_id -> names of the content tables with rows read from that source."""
    used: dict[str, set[str]] = {}
    for name in CONTENT_TABLES:
        column = license_column(name)
        assert column is not None  # a content table names its source
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
