"""Static checks run as part of the suite, so CI enforces them: mypy --strict and ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_mypy_strict_is_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", [("check",), ("format", "--check")])
def test_ruff_is_clean(command: tuple[str, ...]) -> None:
    result = _run("ruff", *command, "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr
