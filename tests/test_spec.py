"""The metadata spec is the one list: fields defined once, tables built from them, and every
artefact generated from it (``Literal`` types, pandera models, Arrow schemas, Table Schemas,
the data dictionary, the licence rule) agrees with it."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import typing
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pytest

import aipower
from aipower import schemas
from aipower._core.arrow import arrow_schema
from aipower._core.licenses import license_column
from aipower._spec import FIELDS, STATUS_CODES, TABLES, VERDICT_CODES, TableSpec, literals, render
from aipower._surfaces.datapackage import CONTENT_TABLES, table_schema

REPO = Path(__file__).resolve().parents[1]
COLUMNS = [(t.name, f.name) for t in TABLES.values() for f in t.fields]


# -- generated artefacts ----------------------------------------------------------------------
def test_committed_literals_module_is_what_the_spec_generates() -> None:
    committed = Path(literals.__file__).read_text(encoding="utf-8")
    assert committed == render.literals_source(), "run python -m aipower._spec.render"


def test_render_check_command_reports_a_current_file() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aipower._spec.render", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "literals.py is current"


def test_render_check_fails_on_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "literals.py"
    stale.write_text(render.literals_source().replace('    "accelerators",\n', ""), "utf-8")
    monkeypatch.setattr(render, "TARGET", stale)
    assert render.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().out
    assert render.main([]) == 0
    assert stale.read_text(encoding="utf-8") == render.literals_source()


def test_literal_types_equal_the_spec() -> None:
    assert typing.get_args(aipower._spec.TableName) == tuple(TABLES)
    assert typing.get_args(aipower._spec.Status) == tuple(c.id for c in STATUS_CODES)
    assert typing.get_args(aipower._spec.Verdict) == tuple(c.id for c in VERDICT_CODES)


# -- fields are defined once --------------------------------------------------------------------
@pytest.mark.parametrize(("table", "column"), COLUMNS)
def test_every_column_is_a_field_of_the_spec(table: str, column: str) -> None:
    f = TABLES[table].field(column)
    assert f.field_id in FIELDS, f"{table}.{column} is not built with _spec.fields.column()"
    d = FIELDS[f.field_id]
    assert (f.name, f.dtype, f.unit) == (d.column, d.dtype, d.unit)
    assert f.definition == d.definition
    if d.isin is not None:
        assert f.isin == d.isin


def test_every_field_is_used_and_no_table_uses_one_twice() -> None:
    used = defaultdict(list)
    for t in TABLES.values():
        ids = [f.field_id for f in t.fields]
        assert len(ids) == len(set(ids)), t.name
        for i in ids:
            used[i].append(t.name)
    assert set(used) == set(FIELDS)


def test_a_shared_column_name_with_two_meanings_is_two_fields() -> None:
    """Regression: clusters.status (Epoch's operational status) read as an observation status."""
    assert TABLES["observations"].field("status").field_id == "status"
    assert TABLES["clusters"].field("status").field_id == "cluster_status"
    assert FIELDS["status"].isin == tuple(c.id for c in STATUS_CODES)
    assert FIELDS["cluster_status"].isin is None
    by_column = defaultdict(set)
    for d in FIELDS.values():
        by_column[d.column].add(d.definition)
    for column, definitions in by_column.items():
        ids = [d.id for d in FIELDS.values() if d.column == column]
        assert len(definitions) == len(ids), f"fields {ids} share column {column!r} and meaning"


def test_vintage_is_one_field_across_tables() -> None:
    """Regression: ``vintage`` had four unrelated descriptions; it is now one field."""
    vintages = [t.field("vintage") for t in TABLES.values() if "vintage" in t.columns]
    assert len(vintages) == 5
    assert {f.field_id for f in vintages} == {"vintage"}
    assert {f.pattern for f in vintages} == {FIELDS["vintage"].pattern}


# -- everything generated from the spec agrees with it -----------------------------------------
@pytest.mark.parametrize("spec", TABLES.values(), ids=list(TABLES))
def test_pandera_arrow_and_table_schema_follow_the_spec(spec: TableSpec) -> None:
    model = schemas.TABLE_MODELS[spec.name].to_schema()
    assert list(model.columns) == list(spec.columns)
    for f in spec.fields:
        assert model.columns[f.name].nullable == f.nullable
        assert model.columns[f.name].unique == f.unique
    arrow = arrow_schema(spec)
    assert arrow.names == list(spec.columns)
    for f in spec.fields:
        assert arrow.field(f.name).metadata[b"description"] == f.description.encode()
    assert [d["name"] for d in table_schema(spec)["fields"]] == list(spec.columns)


@pytest.mark.parametrize("spec", TABLES.values(), ids=list(TABLES))
def test_shipped_parquet_has_the_spec_schema(spec: TableSpec) -> None:
    """No data change: the shipped tables carry exactly the spec's names, types and notes."""
    from aipower._core.store import default

    shipped = default().arrow(spec.name).schema
    expected = arrow_schema(spec)
    assert shipped.names == expected.names
    for f in expected:
        got = shipped.field(f.name)
        assert got.type == f.type or (pa.types.is_dictionary(got.type)), f.name
        assert (got.metadata or {}).get(b"description") == f.metadata[b"description"], f.name


def test_schemas_models_are_one_per_table() -> None:
    assert list(schemas.TABLE_MODELS) == list(TABLES)
    for name, model in schemas.TABLE_MODELS.items():
        assert getattr(schemas, "".join(p.capitalize() for p in name.split("_"))) is model
        assert name in schemas.__all__ or model.__name__ in schemas.__all__


# -- the licence rule is written once ---------------------------------------------------------
def test_content_tables_are_the_tables_whose_licence_column_names_a_source() -> None:
    assert set(CONTENT_TABLES) == {
        "observations",
        "claims",
        "models",
        "clusters",
        "accelerators",
    }
    assert license_column("sources") == "source_id"
    assert license_column("claims") == "stated_by"
    for name in ("entities", "metrics", "concepts"):
        assert license_column(name) is None


@pytest.mark.parametrize("name", list(TABLES))
def test_table_license_filter_follows_the_spec_rule(name: str) -> None:
    """aipower.table(license=) keeps exactly the rows whose licence column's source has it."""
    licence = "CC-BY-4.0"
    full = aipower.table(name, engine="pyarrow")
    kept = aipower.table(name, engine="pyarrow", license=licence)
    column = license_column(name)
    if column is None:
        assert kept.num_rows == full.num_rows
        return
    allowed = {s.source_id for s in aipower.sources().itertuples() if s.license == licence}
    expected = sum(1 for sid in full.column(column).to_pylist() if sid in allowed)
    assert kept.num_rows == expected
    assert set(kept.column(column).to_pylist()) <= allowed


# -- the API reference points at real objects -------------------------------------------------
def test_every_api_reference_path_imports() -> None:
    """Regression: ``:::`` paths of docs/api.md named the modules before the layer move."""
    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    paths = re.findall(r"^:::\s+([\w.]+)\s*$", text, flags=re.M)
    assert len(paths) > 25
    missing = []
    for path in paths:
        module, _, attr = path.rpartition(".")
        try:
            if not hasattr(importlib.import_module(module), attr):
                missing.append(path)
        except ImportError:
            missing.append(path)
    assert not missing, missing


def test_data_dictionary_lists_every_field_once() -> None:
    import importlib.util

    loader = importlib.util.spec_from_file_location(
        "aipower_docs_gen_pages_spec", REPO / "docs" / "gen_pages.py"
    )
    assert loader is not None
    assert loader.loader is not None
    gen = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(gen)
    text = gen.data_dictionary()
    glossary = text[text.index("## Fields") :]
    for d in FIELDS.values():
        assert glossary.count(f"| `{d.id}` | `{d.column}` |") == 1, d.id


def test_explorer_links_are_references_of_the_spec() -> None:
    pytest.importorskip("sqlite_utils", reason="the explorer extra")
    from aipower._surfaces.explorer import FOREIGN_KEYS

    for (table, column), target in FOREIGN_KEYS.items():
        assert TABLES[table].field(column).references == ".".join(target), (table, column)
