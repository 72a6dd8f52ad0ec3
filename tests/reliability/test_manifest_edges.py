"""Issue 13.7: any malformed manifest is a DataIntegrityError (CLI exit 5, one message), never a
RecursionError, a ValueError about NUL bytes, or a usage error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from manifest_tools import read_manifest, write_manifest

import aipower
import aipower._core.store as store_mod
from aipower.cli import main as cli_main

FIXTURE = [HealthCheck.function_scoped_fixture]  # `data` is copied once and only read
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_deeply_nested_manifest(data: Path, use_store: Any) -> None:
    (data / "manifest.json").write_text("[" * 200_000, encoding="utf-8")
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match="is not valid JSON"):
        aipower.get_share("patents", country="CN", year=2023)


def test_nul_byte_in_file_name(
    data: Path, use_store: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    m = read_manifest(data)
    m["tables"]["observations"]["file"] = "observations\x00.parquet"
    write_manifest(data, m)
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match="NUL byte"):
        aipower.get_share("patents", country="CN", year=2023)
    assert cli_main(["validate"]) == 5  # ExitCode.INTEGRITY: a data problem, not usage (2)
    err = capsys.readouterr().err
    assert err.startswith("aipower: data integrity error: ")
    assert "embedded null" not in err


@pytest.mark.parametrize("size", [-1, "396112", 1.5, True, None])
def test_bad_size_field(data: Path, use_store: Any, size: object) -> None:
    m = read_manifest(data)
    if size is None:
        del m["tables"]["observations"]["bytes"]  # an older manifest without sizes still loads
        for key in ("row_groups", "footer"):  # (older manifests had no row groups either)
            m["tables"]["observations"].pop(key)
    else:
        m["tables"]["observations"]["bytes"] = size
    write_manifest(data, m)
    use_store(data)
    if size is None:
        assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
    else:
        with pytest.raises(aipower.DataIntegrityError, match="'bytes' size"):
            aipower.get_share("patents", country="CN", year=2023)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=JSON)
def test_any_json_manifest_is_data_integrity_error_or_works(data: Path, content: object) -> None:
    (data / "manifest.json").write_text(json.dumps(content), encoding="utf-8")
    store = store_mod.Store(data)
    try:
        store.load_indexes()
    except aipower.DataIntegrityError:
        return
    raise AssertionError(f"manifest {content!r} was accepted")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=0, max_size=12))
def test_any_file_name_is_data_integrity_error_or_works(data: Path, name: str) -> None:
    m = read_manifest(data)
    m["tables"]["sources"]["file"] = name
    write_manifest(data, m)
    store = store_mod.Store(data)
    try:
        store.arrow("sources")
    except aipower.DataIntegrityError:
        return
    assert name == "sources.parquet"
