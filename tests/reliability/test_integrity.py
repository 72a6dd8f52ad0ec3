"""Damaged data files give ``DataIntegrityError`` (naming the file, saying "Reinstall"),
never a pyarrow error and never a wrong answer."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from manifest_tools import read_manifest as manifest
from manifest_tools import rehash, write_manifest

import aipower
from aipower._spec import TABLES
from aipower.cli import ExitCode
from aipower.cli import main as cli_main

REINSTALL = "Reinstall aipower to repair it"
#: a query touching each table (the first five are read by every indexed lookup)
QUERIES: dict[str, Callable[[], Any]] = {
    "sources": lambda: aipower.source("aiindex_2025"),
    "entities": lambda: aipower.get_share("patents", country="CN", year=2023),
    "metrics": lambda: aipower.metric("patents"),
    "concepts": lambda: aipower.get_share("patents", country="CN", year=2023),
    "observations": lambda: aipower.get_share("patents", country="CN", year=2023),
    "claims": lambda: aipower.claim("C1a"),
    "models": lambda: aipower.table("models"),
    "clusters": lambda: aipower.table("clusters", engine="pyarrow"),
    "accelerators": lambda: aipower.table("accelerators", engine="pyarrow"),
}


def flip_bit(path: Path, at: float = 0.5) -> None:
    blob = bytearray(path.read_bytes())
    blob[int(len(blob) * at)] ^= 0x10
    path.write_bytes(bytes(blob))


def group_of(data: Path, metric_id: str) -> dict[str, Any]:
    """The manifest's row group entry holding ``metric_id`` (the middle one of several)."""
    groups = manifest(data)["tables"]["observations"]["row_groups"]
    held = [g for g in groups if g["metrics"][0] <= metric_id <= g["metrics"][1]]
    return held[len(held) // 2]  # type: ignore[no-any-return]


def flip_in_group(data: Path, metric_id: str) -> None:
    """Flip a bit in the middle of the row group that holds ``metric_id``."""
    group = group_of(data, metric_id)
    path = data / "observations.parquet"
    flip_bit(path, (group["offset"] + group["bytes"] // 2) / path.stat().st_size)


def assert_integrity_error(call: Callable[[], Any], *names: str) -> str:
    """``call`` raises DataIntegrityError (twice: no half-loaded state) naming *names*."""
    for _ in range(2):
        with pytest.raises(aipower.DataIntegrityError) as info:
            call()
        assert not isinstance(info.value, pa.ArrowException)
        message = str(info.value)
        for name in names:
            assert name in message, f"{name!r} not in {message!r}"
        assert REINSTALL in message, message
        assert "pip install --force-reinstall --no-deps aipower" in message
    return message


# -- intact data ------------------------------------------------------------------------------
def test_verify_on_intact_data_returns_row_counts(data: Path, use_store: Any) -> None:
    use_store(data)
    counts = aipower.verify()
    m = manifest(data)
    assert list(counts) == list(TABLES)
    assert counts == {name: m["tables"][name]["rows"] for name in TABLES}
    assert all(n > 0 for n in counts.values())
    assert counts["observations"] == len(aipower.table("observations"))


def test_intact_copy_answers_like_the_package(data: Path, use_store: Any) -> None:
    use_store(data)
    share = aipower.get_share("patents", country="CN", year=2023)
    assert float(share) == 0.697
    assert share.locator.startswith("Chapter 1, Figure 1.2.3, p. 44")


def test_cli_validate_on_intact_data(data: Path, use_store: Any, capsys: Any) -> None:
    use_store(data)
    assert cli_main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = manifest(data)["tables"]
    assert out.splitlines() == [f"{n:14s} {rows[n]['rows']:>8,d} rows  ok" for n in TABLES]


def test_cli_validate_entry_point_on_shipped_data() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aipower", "validate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert len(proc.stdout.splitlines()) == len(TABLES)


# -- corrupted files --------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(TABLES))
def test_flipped_bit(data: Path, use_store: Any, name: str) -> None:
    path = data / f"{name}.parquet"
    if name == "observations":  # a lookup reads (and verifies) its metric's row group only
        flip_in_group(data, "patents_granted_share")
    else:
        flip_bit(path)
    use_store(data)
    message = assert_integrity_error(QUERIES[name], str(path))
    assert "corrupted or altered" in message


@pytest.mark.parametrize("name", list(TABLES))
def test_missing_file(data: Path, use_store: Any, name: str) -> None:
    path = data / f"{name}.parquet"
    path.unlink()
    use_store(data)
    message = assert_integrity_error(QUERIES[name], str(path))
    assert "is missing" in message


@pytest.mark.parametrize("keep", [0.5, 0.0, 0.999])
def test_truncated_observations(data: Path, use_store: Any, keep: float) -> None:
    path = data / "observations.parquet"
    blob = path.read_bytes()
    path.write_bytes(blob[: int(len(blob) * keep)])
    use_store(data)
    assert_integrity_error(QUERIES["observations"], str(path), "corrupted or altered")


def test_bit_flip_in_footer_magic(data: Path, use_store: Any) -> None:
    path = data / "observations.parquet"
    flip_bit(path, at=0.99999)
    use_store(data)
    assert_integrity_error(QUERIES["observations"], str(path))


def test_two_files_swapped(data: Path, use_store: Any) -> None:
    a, b = data / "metrics.parquet", data / "concepts.parquet"
    blob_a, blob_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(blob_b)
    b.write_bytes(blob_a)
    use_store(data)
    message = assert_integrity_error(QUERIES["metrics"], "metrics.parquet")
    assert "corrupted or altered" in message
    assert_integrity_error(lambda: aipower.table("concepts"), str(b))


def test_swapped_files_with_consistent_manifest(data: Path, use_store: Any) -> None:
    """Even if the manifest is rewritten to match, a file with another table's columns is
    refused (the column check behind the hash check)."""
    a, b = data / "metrics.parquet", data / "concepts.parquet"
    blob_a, blob_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(blob_b)
    b.write_bytes(blob_a)
    rehash(data, "metrics")
    rehash(data, "concepts")
    use_store(data)
    message = assert_integrity_error(QUERIES["metrics"], "'metrics'")
    assert "has columns ['concept', 'role', 'metric_id']" in message


def test_truncated_file_with_consistent_manifest(data: Path, use_store: Any) -> None:
    """A truncated file whose hash matches the manifest still gives DataIntegrityError, not
    pyarrow's ArrowInvalid."""
    path = data / "observations.parquet"
    path.write_bytes(path.read_bytes()[:1000])
    rehash(data, "observations")
    use_store(data)
    message = assert_integrity_error(QUERIES["observations"], "'observations'")
    assert "cannot be read" in message


def test_manifest_missing(data: Path, use_store: Any) -> None:
    (data / "manifest.json").unlink()
    use_store(data)
    message = assert_integrity_error(QUERIES["observations"], str(data / "manifest.json"))
    assert "is missing" in message
    assert_integrity_error(aipower.verify, "manifest.json")


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b'{"tables": {', b"\xff\xfe{}", b"\x00" * 64],
    ids=["garbage", "empty", "truncated", "not_utf8", "zeros"],
)
def test_manifest_not_json(data: Path, use_store: Any, content: bytes) -> None:
    (data / "manifest.json").write_bytes(content)
    use_store(data)
    message = assert_integrity_error(QUERIES["observations"], str(data / "manifest.json"))
    assert "is not valid JSON" in message


def test_manifest_without_a_table(data: Path, use_store: Any) -> None:
    m = manifest(data)
    del m["tables"]["claims"]
    write_manifest(data, m)
    use_store(data)
    assert_integrity_error(QUERIES["claims"], "manifest.json", "'claims'")
    assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697


def test_damage_in_another_row_group_is_caught_where_it_is_read(data: Path, use_store: Any) -> None:
    """A lookup verifies the row groups it reads; damage elsewhere in the file is refused by
    the queries that read it and by verify(), and never changes the lookup's answer."""
    groups = manifest(data)["tables"]["observations"]["row_groups"]
    assert len(groups) >= 2
    first = groups[0]["metrics"][0]
    assert group_of(data, first) is not group_of(data, "patents_granted_share")
    flip_in_group(data, first)
    path = data / "observations.parquet"
    use_store(data)
    assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
    message = assert_integrity_error(lambda: aipower.series(first, entity="US"), str(path))
    assert "corrupted or altered" in message
    assert_integrity_error(lambda: aipower.table("observations"), str(path))
    assert_integrity_error(aipower.verify, str(path))


def test_corruption_after_first_query_is_caught_by_verify(data: Path, use_store: Any) -> None:
    """verify() re-reads the files: damage after the store loaded is still reported."""
    use_store(data)
    assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
    flip_bit(data / "sources.parquet")
    assert_integrity_error(aipower.verify, str(data / "sources.parquet"))


@pytest.mark.parametrize("damage", ["flip_bit", "missing", "manifest_not_json"])
def test_cli_validate_on_corrupted_data(
    data: Path, use_store: Any, capsys: Any, damage: str
) -> None:
    target = data / ("manifest.json" if damage == "manifest_not_json" else "clusters.parquet")
    if damage == "flip_bit":
        flip_bit(target)
    elif damage == "missing":
        target.unlink()
    else:
        target.write_text("{oops", encoding="utf-8")
    use_store(data)
    assert cli_main(["validate"]) == ExitCode.INTEGRITY
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("aipower: data integrity error: ")
    assert str(target) in err
    assert REINSTALL in err
    assert "Traceback" not in err


def test_cli_validate_subprocess_on_corrupted_data(data: Path) -> None:
    """The real process: the integrity exit status, one message on stderr, no traceback."""
    flip_bit(data / "observations.parquet")
    code = (
        "import sys; from pathlib import Path; import aipower._core.store as s; "
        f"s.set_default(s.Store(Path({str(data)!r}))); "
        "from aipower.cli import entry; entry(['validate'])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == ExitCode.INTEGRITY
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert str(data / "observations.parquet") in proc.stderr
    assert REINSTALL in proc.stderr


# -- regressions (each test pins a bug that was fixed) ------------------------------------------
@pytest.mark.parametrize("content", ["[]", "null", '"x"'])
def test_manifest_json_but_not_an_object(data: Path, use_store: Any, content: str) -> None:
    (data / "manifest.json").write_text(content, encoding="utf-8")
    use_store(data)
    assert_integrity_error(QUERIES["observations"], "manifest.json")


@pytest.mark.parametrize("key", ["sha256", "file"])
def test_manifest_entry_missing_a_key(data: Path, use_store: Any, key: str) -> None:
    m = manifest(data)
    del m["tables"]["observations"][key]
    write_manifest(data, m)
    use_store(data)
    assert_integrity_error(QUERIES["observations"], "manifest.json", "observations")


@pytest.mark.parametrize("name", ["observations.parquet", "manifest.json"])
def test_data_path_is_a_directory(data: Path, use_store: Any, name: str) -> None:
    (data / name).unlink()
    (data / name).mkdir()
    use_store(data)
    assert_integrity_error(QUERIES["observations"], str(data / name))


def test_manifest_without_data_version(data: Path, use_store: Any) -> None:
    m = manifest(data)
    del m["data_version"]
    write_manifest(data, m)
    use_store(data)
    assert_integrity_error(lambda: aipower.DATA_VERSION, "manifest.json")


def test_right_columns_wrong_types_with_consistent_manifest(data: Path, use_store: Any) -> None:
    path = data / "metrics.parquet"
    table = pq.read_table(path)
    index = table.column_names.index("kind")
    table = table.set_column(index, "kind", pa.array([1] * table.num_rows))
    pq.write_table(table, path)
    rehash(data, "metrics")
    use_store(data)
    assert_integrity_error(QUERIES["observations"], "'metrics'")
