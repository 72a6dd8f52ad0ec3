"""Issue 13.4: exports are atomic and safe. An interrupted export (kill -9, a full disk, a
file-size limit) leaves the previous export whole; errors name the file; a symlinked target
is refused, not written through; an empty path is refused; a stale datapackage.json goes."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import aipower
import aipower._surfaces.export as export_mod
from aipower._spec import TABLES
from aipower.cli import main as cli_main

CSV_NAMES = sorted(f"{name}.csv" for name in TABLES)


def tree(root: Path) -> dict[str, str]:
    """name -> SHA-256 of every entry directly in root (hidden temporaries included)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
        for p in sorted(root.iterdir())
    }


@pytest.fixture(scope="module")
def good_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good") / "out"
    aipower.export(out, format="datapackage")
    return out


@pytest.fixture
def out(tmp_path: Path, good_export: Path) -> Path:
    """A copy of a complete, valid data-package export to export over."""
    target = tmp_path / "out"
    target.mkdir()
    for p in good_export.iterdir():
        (target / p.name).write_bytes(p.read_bytes())
    return target


def test_failure_midway_leaves_previous_export_whole(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree(out)
    real = export_mod._write_csv
    calls = []

    def failing(arrow: object, spec: object, path: Path) -> None:
        calls.append(path)
        if len(calls) == 5:
            real(arrow, spec, path)  # type: ignore[arg-type]
            with path.open("r+b") as handle:
                handle.truncate(100)  # half-written, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(arrow, spec, path)  # type: ignore[arg-type]

    monkeypatch.setattr(export_mod, "_write_csv", failing)
    with pytest.raises(OSError, match="No space left on device") as info:
        aipower.export(out, format="datapackage")
    assert calls[4].name in str(info.value)  # the error names the file
    assert "previous files there are unchanged" in str(info.value)
    assert tree(out) == before  # nothing replaced, no temporary directory left


def test_file_size_limit_in_a_real_process(out: Path) -> None:
    """``ulimit -f``: the export fails with EFBIG naming a file; the old export stays whole."""
    before = tree(out)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    code = f"from aipower.cli import entry; entry(['export', {str(out)!r}])"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, preexec_fn=limit
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "File too large" in proc.stderr
    assert ".csv" in proc.stderr
    assert tree(out) == before


def test_kill_9_during_export_leaves_previous_export_whole(out: Path) -> None:
    """The process dies (SIGKILL) after writing half of observations.csv: every visible file is
    still the complete previous one (a hidden temporary directory may remain)."""
    before = tree(out)
    code = (
        "import os, signal, aipower._surfaces.export as e\n"
        "real = e._write_csv\n"
        "def dying(arrow, spec, path):\n"
        "    real(arrow, spec, path)\n"
        "    if path.name == 'observations.csv':\n"
        "        with open(path, 'r+b') as f: f.truncate(os.path.getsize(path) // 2)\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "e._write_csv = dying\n"
        f"import aipower; aipower.export({str(out)!r})\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    after = tree(out)
    leftovers = [name for name in after if name not in before]
    assert all(name.startswith(".aipower-export-") for name in leftovers), leftovers
    assert {k: v for k, v in after.items() if k in before} == before


def test_symlinked_target_is_refused_not_written_through(out: Path, tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    (out / "sources.csv").unlink()
    (out / "sources.csv").symlink_to(victim)
    with pytest.raises(FileExistsError, match=r"sources\.csv: it is a symbolic link"):
        aipower.export(out)
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert (out / "sources.csv").is_symlink()


def test_directory_in_place_of_a_target_is_refused(out: Path) -> None:
    (out / "claims.csv").unlink()
    (out / "claims.csv").mkdir()
    with pytest.raises(IsADirectoryError, match=r"claims\.csv"):
        aipower.export(out)


@pytest.mark.parametrize("path", ["", "   "])
def test_empty_path_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="path is empty"):
        aipower.export(path)
    assert list(tmp_path.iterdir()) == []


def test_cli_export_empty_path_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli_main(["export", ""]) != 0
    assert "path is empty" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_csv_export_over_datapackage_removes_stale_descriptor(out: Path) -> None:
    assert (out / "datapackage.json").is_file()
    written = aipower.export(out, format="csv", license="CC-BY-4.0")
    assert not (out / "datapackage.json").exists()
    assert sorted(p.name for p in written) == CSV_NAMES
    assert sorted(p.name for p in out.iterdir()) == CSV_NAMES


def test_datapackage_re_export_descriptor_matches_files(out: Path) -> None:
    aipower.export(out, format="csv", license="CC-BY-4.0")
    written = aipower.export(out, format="datapackage")
    assert written[-1].name == "datapackage.json"
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for resource_ in descriptor["resources"]:
        blob = (out / resource_["path"]).read_bytes()
        assert resource_["hash"] == f"sha256:{hashlib.sha256(blob).hexdigest()}"


def test_parquet_export_keeps_csv_descriptor(out: Path) -> None:
    """A Parquet export does not touch the CSV files, so their descriptor stays valid."""
    aipower.export(out, format="parquet")
    assert (out / "datapackage.json").is_file()
    assert (out / "observations.parquet").is_file()


def test_export_returns_final_paths_and_leaves_no_temporaries(tmp_path: Path) -> None:
    written = aipower.export(tmp_path / "new" / "dir")
    assert [p.parent for p in written] == [tmp_path / "new" / "dir"] * len(TABLES)
    assert sorted(os.listdir(tmp_path / "new" / "dir")) == CSV_NAMES
