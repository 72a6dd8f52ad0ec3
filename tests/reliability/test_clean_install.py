"""The wheel carries exactly the package and its data, and works in a fresh virtualenv.

Slow (a wheel build plus a ``pip install`` with dependencies from the package index), but part
of the default run: it is the only test that sees aipower as a user installs it. Network
blocking in tests/conftest.py does not reach these subprocesses.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from aipower._spec import TABLES

REPO = Path(__file__).resolve().parents[2]
PACKAGE_DATA = REPO / "src" / "aipower" / "data"

pytestmark = pytest.mark.slow


def run(cmd: list[str], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(REPO)],
        cwd=outdir,
        timeout=300,
    )
    wheels = sorted(outdir.glob("aipower-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def test_wheel_contains_every_data_file_and_py_typed(wheel: Path, names: list[str]) -> None:
    shipped = sorted(p.name for p in PACKAGE_DATA.iterdir() if p.is_file())
    assert "manifest.json" in shipped
    assert sum(n.endswith(".parquet") for n in shipped) == len(TABLES)
    in_wheel = sorted(
        n.removeprefix("aipower/data/") for n in names if n.startswith("aipower/data/")
    )
    assert in_wheel == shipped
    assert "aipower/py.typed" in names
    with zipfile.ZipFile(wheel) as zf:
        for name in shipped:
            assert zf.read(f"aipower/data/{name}") == (PACKAGE_DATA / name).read_bytes(), name
        manifest = json.loads(zf.read("aipower/data/manifest.json"))
        for entry in manifest["tables"].values():
            blob = zf.read(f"aipower/data/{entry['file']}")
            assert hashlib.sha256(blob).hexdigest() == entry["sha256"]


#: parser configuration shipped as a file, not data: the vocabulary of aipower.check_text
PACKAGE_CONFIG = {"aipower/_claims/text_vocabulary.csv"}


def test_wheel_contains_the_text_vocabulary(names: list[str]) -> None:
    assert sorted(PACKAGE_CONFIG & set(names)) == sorted(PACKAGE_CONFIG)


def test_wheel_contains_nothing_else(names: list[str]) -> None:
    top = sorted({n.split("/")[0] for n in names})
    assert [t for t in top if not t.endswith(".dist-info")] == ["aipower"]
    unwanted = [
        n
        for n in names
        if n.startswith(("aipower_build/", "tests/", "data/", "bench/", "docs/", "scripts/"))
        or "/.data-" in n
        or "__pycache__" in n
        or (n.endswith((".csv", ".pyc")) and n not in PACKAGE_CONFIG)
    ]
    assert unwanted == []
    modules = sorted(n for n in names if n.startswith("aipower/") and n.endswith(".py"))
    src = sorted(
        f"aipower/{p.relative_to(REPO / 'src' / 'aipower').as_posix()}"
        for p in (REPO / "src" / "aipower").rglob("*.py")
        if "__pycache__" not in p.parts
    )
    assert modules == src


def test_clean_install_in_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], cwd=tmp_path, timeout=600)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = run(
        [
            str(python),
            "-c",
            "import aipower; print(float(aipower.get_share('patents', country='CN', year=2023)))",
        ],
        cwd=elsewhere,
        timeout=120,
    )
    assert proc.stdout == "0.697\n"
    assert proc.stderr == ""

    where = run(
        [str(python), "-c", "import aipower; print(aipower.__file__)"], cwd=elsewhere, timeout=60
    )
    assert Path(where.stdout.strip()).is_relative_to(env_dir), "imported from outside the venv"
    assert not Path(where.stdout.strip()).is_relative_to(REPO)

    cli = env_dir / ("Scripts/aipower.exe" if os.name == "nt" else "bin/aipower")
    validated = run([str(cli), "validate"], cwd=elsewhere, timeout=120)
    assert len(validated.stdout.splitlines()) == len(TABLES)
    assert all(line.endswith("rows  ok") for line in validated.stdout.splitlines())

    no_build = subprocess.run(
        [str(python), "-c", "import aipower_build"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert no_build.returncode == 1
    assert "No module named 'aipower_build'" in no_build.stderr
