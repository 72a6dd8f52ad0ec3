"""Issue 13.6: a data file that is not a regular file, or whose size is not the manifest's, is
refused before a byte is read: no hang on a FIFO, no 6 GiB read ahead of the hash check."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from manifest_tools import read_manifest, write_manifest

import aipower
import aipower._core.files as files_mod
import aipower._core.store as store_mod

SIX_GIB = 6 * 1024**3
LIMIT = 50_000_000


@pytest.fixture(autouse=True)
def _no_whole_file_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a hostile file whole (the old behaviour) fails the test instead of hanging on
    a FIFO or filling memory with a sparse file or a device."""
    real_bytes, real_text = Path.read_bytes, Path.read_text

    def guard(path: Path) -> None:
        if path.name.endswith((".parquet", ".json")) and (
            not path.is_file() or path.stat().st_size > LIMIT
        ):
            raise AssertionError(f"{path} read whole")

    def read_bytes(self: Path) -> bytes:
        guard(self)
        return real_bytes(self)

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        guard(self)
        return real_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)


def query() -> float:
    return float(aipower.get_share("patents", country="CN", year=2023))


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Bytes returned by every os.read the store makes."""
    seen: list[int] = []
    real = os.read

    def read(fd: int, n: int) -> bytes:
        if sum(seen) + min(n, 1 << 24) > LIMIT:  # a regression fails here, not by OOM
            raise AssertionError(f"read more than {LIMIT:,} bytes of a hostile file")
        blob = real(fd, n)
        seen.append(len(blob))
        return blob

    monkeypatch.setattr(store_mod.os, "read", read)
    return seen


def in_subprocess(data: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from pathlib import Path; import aipower._core.store as s; "
        f"s.set_default(s.Store(Path({str(data)!r}))); "
        "from aipower.cli import entry; entry(['get-share', 'patents', '--country', "
        "'CN', '--year', '2023'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_in_place_of_a_data_file(data: Path) -> None:
    path = data / "observations.parquet"
    path.unlink()
    os.mkfifo(path)
    proc = in_subprocess(data)  # a hang here would raise TimeoutExpired
    assert proc.returncode == 5  # ExitCode.INTEGRITY
    assert "is not a regular file" in proc.stderr
    assert str(path) in proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_in_place_of_the_manifest(data: Path) -> None:
    (data / "manifest.json").unlink()
    os.mkfifo(data / "manifest.json")
    proc = in_subprocess(data)
    assert proc.returncode == 5  # ExitCode.INTEGRITY
    assert "is not a regular file" in proc.stderr
    assert str(data / "manifest.json") in proc.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_link_to_an_endless_device(
    data: Path, use_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data / "metrics.parquet"
    path.unlink()
    path.symlink_to("/dev/zero")
    seen = count_reads(monkeypatch)
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match="is not a regular file"):
        aipower.metric("patents")
    assert sum(seen) < 1_000_000  # only the small files before it, never the device


@pytest.mark.parametrize("with_size", [True, False], ids=["manifest_size", "no_manifest_size"])
def test_huge_sparse_file_is_refused_unread(
    data: Path, use_store: Any, monkeypatch: pytest.MonkeyPatch, with_size: bool
) -> None:
    path = data / "observations.parquet"
    with path.open("r+b") as handle:
        handle.truncate(SIX_GIB)  # sparse: takes no disk space
    if not with_size:  # an older manifest without sizes: the cap applies
        m = read_manifest(data)
        for entry in m["tables"].values():
            del entry["bytes"]
            for key in ("row_groups", "footer"):  # older manifests had neither
                entry.pop(key, None)
        write_manifest(data, m)
    use_store(data)
    seen = count_reads(monkeypatch)
    with pytest.raises(aipower.DataIntegrityError) as info:
        query()
    message = str(info.value)
    assert str(path) in message
    assert "6,442,450,944 bytes" in message
    assert "corrupted or altered" in message if with_size else "more than any" in message
    assert sum(seen) < 1_000_000


def test_wrong_size_is_refused_before_hashing(
    data: Path, use_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data / "claims.parquet"
    path.write_bytes(path.read_bytes() + b"\0")
    hashed: list[int] = []
    real: Callable[..., Any] = files_mod.hashlib.sha256

    def sha256(blob: bytes = b"") -> Any:
        hashed.append(len(blob))
        return real(blob)

    monkeypatch.setattr(files_mod.hashlib, "sha256", sha256)
    use_store(data)
    with pytest.raises(aipower.DataIntegrityError, match="corrupted or altered"):
        aipower.claim("C1a")
    size = read_manifest(data)["tables"]["claims"]["bytes"]
    assert size + 1 not in hashed


def test_shipped_manifest_states_every_size() -> None:
    data = store_mod.package_data_dir()
    for name, entry in read_manifest(data)["tables"].items():
        assert entry["bytes"] == (data / entry["file"]).stat().st_size, name
