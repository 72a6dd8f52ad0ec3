"""aipower.export: CSV, Parquet and a Frictionless data package generated from the spec."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import aipower
from aipower._core.licenses import LICENSE_INFO, LICENSE_USE
from aipower._spec import LICENSES, TABLES
from aipower._surfaces.export import CONTENT_TABLES, LIST_SEPARATOR, table_schema

frictionless = pytest.importorskip("frictionless", reason="frictionless is in the test extra")


def _errors(report: Any) -> list[str]:
    out = [f"{e.type}: {e.message}" for e in report.errors]
    for task in report.tasks:
        out += [f"{task.name}: {e.type}: {e.message}" for e in task.errors]
    return out


@pytest.fixture(scope="module")
def full_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("datapackage")
    aipower.export(out, format="datapackage")
    return out


@pytest.fixture(scope="module")
def cc_by_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("datapackage_ccby")
    aipower.export(out, format="datapackage", license="CC-BY-4.0")
    return out


def test_full_package_passes_frictionless_validate(full_package: Path) -> None:
    report = frictionless.validate(str(full_package / "datapackage.json"))
    assert report.valid, _errors(report)[:20]
    rows = {t.name: t.stats["rows"] for t in report.tasks}
    assert rows == {name: aipower.table(name).shape[0] for name in TABLES}  # type: ignore[arg-type]


def test_filtered_package_passes_frictionless_validate(cc_by_package: Path) -> None:
    report = frictionless.validate(str(cc_by_package / "datapackage.json"))
    assert report.valid, _errors(report)[:20]


def test_validation_catches_a_broken_foreign_key(tmp_path: Path, cc_by_package: Path) -> None:
    """The descriptor's foreign keys are real: an unknown metric id is reported."""
    for f in cc_by_package.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    lines = (tmp_path / "concepts.csv").read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",no_such_metric"
    (tmp_path / "concepts.csv").write_text("\n".join(lines) + "\n")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    for r in descriptor["resources"]:
        r.pop("hash")
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert any("foreign-key" in e for e in _errors(report))


def test_descriptor_is_generated_from_the_spec(full_package: Path) -> None:
    descriptor = json.loads((full_package / "datapackage.json").read_text())
    assert descriptor["version"] == aipower.DATA_VERSION
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert list(resources) == list(TABLES)
    for name, spec in TABLES.items():
        schema = resources[name]["schema"]
        assert schema == table_schema(spec)
        assert [f["name"] for f in schema["fields"]] == list(spec.columns)
        assert schema["primaryKey"] == list(spec.primary_key)
        refs = {fk["fields"]: fk["reference"] for fk in schema.get("foreignKeys", [])}
        for field in spec.fields:
            d = next(f for f in schema["fields"] if f["name"] == field.name)
            assert d["description"].startswith(field.description)
            if field.references:
                table, column = field.references.split(".")
                assert refs[field.name] == {"resource": table, "fields": column}
            if field.unit:
                assert d["unit"] == field.unit
            constraints = d.get("constraints", {})
            if field.isin:
                assert constraints["enum"] == list(field.isin)
            if field.unique:
                assert constraints["unique"] is True
            if field.ge is not None:
                assert constraints["minimum"] == field.ge
            if field.dtype == "list[str]":
                assert d["type"] == "string"
                assert f"'{LIST_SEPARATOR}'" in d["description"]
        assert resources[name]["hash"] == (
            "sha256:" + hashlib.sha256((full_package / f"{name}.csv").read_bytes()).hexdigest()
        )
    value = next(f for f in resources["observations"]["schema"]["fields"] if f["name"] == "value")
    assert "metrics.unit" in value["description"]
    unit = next(f for f in resources["metrics"]["schema"]["fields"] if f["name"] == "unit")
    assert "fraction" in unit["description"]


def test_licenses_and_sources(full_package: Path, cc_by_package: Path) -> None:
    full = json.loads((full_package / "datapackage.json").read_text())
    sources = aipower.sources().set_index("source_id")
    obs_sources = set(aipower.table("observations")["source_id"])
    listed = {s["source_id"]: s for s in full["sources"]}
    assert obs_sources <= set(listed)
    for sid, entry in listed.items():
        assert entry["license"] == sources.loc[sid, "license"]
        assert entry["title"] == sources.loc[sid, "title"]
    assert {lic["name"] for lic in full["licenses"]} == {s["license"] for s in full["sources"]}
    assert "CC-BY-ND-4.0" in {lic["name"] for lic in full["licenses"]}
    ccby = json.loads((cc_by_package / "datapackage.json").read_text())
    assert [lic["name"] for lic in ccby["licenses"]] == ["CC-BY-4.0"]
    assert ccby["licenses"][0]["path"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert {s["license"] for s in ccby["sources"]} == {"CC-BY-4.0"}
    for r in ccby["resources"]:
        if r["name"] in CONTENT_TABLES and r.get("licenses"):
            assert {lic["name"] for lic in r["licenses"]} == {"CC-BY-4.0"}


def test_license_filter_keeps_only_those_rows(cc_by_package: Path) -> None:
    licences = aipower.sources().set_index("source_id")["license"]
    with (cc_by_package / "observations.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    assert {licences[r["source_id"]] for r in rows} == {"CC-BY-4.0"}
    expected = aipower.table("observations", license="CC-BY-4.0")
    assert len(rows) == len(expected)
    # reference tables are exported whole, so every foreign key resolves
    with (cc_by_package / "sources.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(aipower.sources())


def test_csv_list_cells_are_joined(tmp_path: Path) -> None:
    aipower.export(tmp_path, format="csv")
    with (tmp_path / "entities.csv").open(encoding="utf-8") as fh:
        rows = {r["entity_id"]: r for r in csv.DictReader(fh)}
    entities = aipower.entities().set_index("entity_id")
    for eid in ("USA", "CHN"):
        assert rows[eid]["aliases"] == LIST_SEPARATOR.join(entities.loc[eid, "aliases"])
    assert not (tmp_path / "datapackage.json").exists()


def test_parquet_round_trips(tmp_path: Path) -> None:
    written = aipower.export(tmp_path, format="parquet", license=["CC-BY-4.0", "CC0-1.0"])
    assert len(written) == len(TABLES)
    models = pq.read_table(tmp_path / "models.parquet")
    assert models.equals(aipower.table("models", engine="pyarrow", license=["CC-BY-4.0"]))
    field = models.schema.field("training_compute_flop")
    assert field.metadata is not None
    assert field.metadata[b"unit"] == b"FLOP"


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"format": "xlsx"}, ValueError, "datapackage"),
        ({"license": "CC-BY"}, ValueError, "Did you mean 'CC-BY-4.0'"),
        ({"license": 4}, TypeError, "license"),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, Any], error: type, text: str) -> None:
    with pytest.raises(error, match=text):
        aipower.export(tmp_path, **kwargs)


def test_every_licence_id_has_a_title_url_entry_and_use() -> None:
    assert set(LICENSE_INFO) == set(LICENSES) == set(LICENSE_USE)
