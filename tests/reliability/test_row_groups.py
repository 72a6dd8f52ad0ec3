"""Issue 14: a lookup reads and verifies only the row groups of its metric, and what it reads
is exactly what the whole table holds; the per-row-group hashes in the manifest are checked."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from manifest_tools import read_manifest, write_manifest

import aipower
import aipower._core.store as store_mod
from aipower._core.rows import VerifiedRanges


def test_every_metric_read_by_row_groups_equals_the_whole_table(data: Path) -> None:
    lazy, whole = store_mod.Store(data), store_mod.Store(data)
    table = whole.arrow("observations")
    ids = table.column("metric_id").to_pylist()
    for metric_id in dict.fromkeys(ids):
        start, stop = ids.index(metric_id), len(ids) - ids[::-1].index(metric_id)
        got = lazy.metric_rows(metric_id)
        assert got.table.to_pylist() == table.slice(start, stop - start).to_pylist(), metric_id
        assert got.entities == list(
            dict.fromkeys(table.slice(start, stop - start)["entity_id"].to_pylist())
        )
    assert "observations" not in lazy._arrow  # never needed the whole table


def test_a_lookup_reads_only_its_row_groups(data: Path, use_store: Any, monkeypatch: Any) -> None:
    path = data / "observations.parquet"
    groups = read_manifest(data)["tables"]["observations"]["row_groups"]
    assert len(groups) >= 3, "the shipped observations have several row groups"
    read: list[int] = []
    real = store_mod.rows.read_ranges

    def spy(at: Path, size: int, ranges: list[tuple[int, int]], **kw: Any) -> Any:
        read.extend(n for _, n in ranges)
        return real(at, size, ranges, **kw)

    monkeypatch.setattr(store_mod.rows, "read_ranges", spy)
    store = use_store(data)
    assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
    assert 0 < sum(read) < path.stat().st_size / 2
    assert "observations" not in store._arrow
    before = sum(read)
    aipower.get("patents_granted_share", country="US", year=2023)  # same group: read once
    assert sum(read) == before


def test_verified_ranges_refuse_unverified_bytes() -> None:
    f = VerifiedRanges(100, {0: b"abcd", 90: b"0123456789"})
    assert f.read(4) == b"abcd"
    f.seek(-10, 2)
    assert f.read() == b"0123456789"
    f.seek(2)
    with pytest.raises(OSError, match="not verified"):
        f.read(10)  # runs past the first range
    f.seek(50)
    with pytest.raises(OSError, match="not verified"):
        f.read(1)


def _break(entry: dict[str, Any], how: str) -> None:
    groups = entry["row_groups"]
    if how == "gap":
        groups[1]["offset"] += 1
    elif how == "short":
        entry["footer"]["bytes"] -= 1
    elif how == "no_footer":
        del entry["footer"]
    elif how == "bad_span":
        groups[0]["metrics"] = ["only one"]
    elif how == "bad_hash":
        groups[0]["sha256"] = 7


@pytest.mark.parametrize("how", ["gap", "short", "no_footer", "bad_span", "bad_hash"])
def test_malformed_row_group_entries_are_refused(data: Path, use_store: Any, how: str) -> None:
    m = read_manifest(data)
    _break(m["tables"]["observations"], how)
    write_manifest(data, m)
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match="malformed: table entry 'observations'"):
        aipower.get_share("patents", country="CN", year=2023)


def test_row_group_hash_mismatch_names_the_bytes(data: Path, use_store: Any) -> None:
    m = read_manifest(data)
    entry = m["tables"]["observations"]
    target = next(
        g
        for g in entry["row_groups"]
        if g["metrics"][0] <= "patents_granted_share" <= g["metrics"][1]
    )
    target["sha256"] = "0" * 64
    write_manifest(data, m)
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match="corrupted or altered") as info:
        aipower.get_share("patents", country="CN", year=2023)
    assert f"bytes {target['offset']:,}+{target['bytes']:,}" in str(info.value)


def test_footer_and_manifest_disagree_on_the_row_groups(data: Path, use_store: Any) -> None:
    """A manifest consistent with itself but listing fewer row groups than the footer."""
    m = read_manifest(data)
    entry = m["tables"]["observations"]
    merged = copy.deepcopy(entry["row_groups"][:2])
    import hashlib

    blob = (data / "observations.parquet").read_bytes()
    a, b = merged[0], merged[1]
    a["bytes"] += b["bytes"]
    a["sha256"] = hashlib.sha256(blob[a["offset"] : a["offset"] + a["bytes"]]).hexdigest()
    a["metrics"] = [a["metrics"][0], b["metrics"][1]]
    entry["row_groups"] = [a, *entry["row_groups"][2:]]
    write_manifest(data, m)
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match="cannot be read"):
        aipower.get_share("patents", country="CN", year=2023)


def test_written_row_groups_tile_the_file(data: Path) -> None:
    entry = read_manifest(data)["tables"]["observations"]
    parts = [*entry["row_groups"], entry["footer"]]
    assert [p["offset"] for p in parts] == [
        0,
        *(sum(p["bytes"] for p in parts[: i + 1]) for i in range(len(parts) - 1)),
    ]
    assert sum(p["bytes"] for p in parts) == entry["bytes"]
    meta = pq.read_metadata(data / "observations.parquet")
    assert meta.num_row_groups == len(entry["row_groups"])


def test_store_using_points_the_api_at_a_directory_and_restores_it(data: Path) -> None:
    before = store_mod.default()
    m = read_manifest(data)
    m["data_version"] = "using-test"
    write_manifest(data, m)
    with store_mod.Store.using(data) as store:
        assert store_mod.default() is store
        assert aipower.get_share("patents", country="CN", year=2023).value == 0.697
        assert store.data_version == "using-test"
        with store_mod.Store.using(before) as inner:  # nested, and given a Store
            assert inner is before
            assert store_mod.default() is before
        assert store_mod.default() is store
    assert store_mod.default() is before
    with pytest.raises(ZeroDivisionError), store_mod.Store.using(data):
        1 / 0  # noqa: B018 - an error inside the block
    assert store_mod.default() is before
