"""The pre-commit hooks run the suite's own static checks, offline, with the venv's tools."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML comes with the docs tools of the test extra")

REPO = Path(__file__).resolve().parents[1]


def test_hooks_are_local_and_name_real_tests() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]  # nothing is downloaded
    hooks = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "mypy", "static-tests"}
    for hook in hooks.values():
        assert hook["language"] == "system"
        assert hook["entry"].startswith("python -m ")
    tests = [a for a in shlex.split(hooks["static-tests"]["entry"]) if a.startswith("tests/")]
    assert "tests/test_static.py" in tests
    for path in tests:
        assert (REPO / path).is_file(), path
