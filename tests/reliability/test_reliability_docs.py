"""Issue 13.10: docs/reliability.md states the threat model and what verify()/validate() check,
and its promise/attack/test table names only tests that exist; the CLI command has the name of
the function it runs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import aipower
from aipower.cli import main as cli_main

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "reliability.md"
HERE = Path(__file__).parent
CITED = re.compile(r"`(test_[a-z0-9_]+\.py)::(test_[a-z0-9_]+)`")


def cited() -> list[tuple[str, str]]:
    return CITED.findall(DOC.read_text(encoding="utf-8"))


def functions_of(module: str) -> set[str]:
    tree = ast.parse((HERE / module).read_text(encoding="utf-8"))
    return {
        n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    }


def test_every_test_named_here_exists() -> None:
    pairs = cited()
    assert len(pairs) > 80
    missing = [
        f"{m}::{t}" for m, t in pairs if not (HERE / m).is_file() or t not in functions_of(m)
    ]
    assert missing == []


def test_every_reliability_module_is_listed() -> None:
    listed = {m for m, _ in cited()}
    modules = {p.name for p in HERE.glob("test_*.py")}
    assert modules - listed == set()
    # every test of the issue-13 modules is in the table
    for module in (
        "test_lowest_versions.py", "test_validate_messages.py", "test_duckdb_verified.py",
        "test_export_safety.py", "test_fork_safety.py", "test_hostile_files.py",
        "test_manifest_edges.py", "test_build_messages.py", "test_html_escaping.py",
        "test_reliability_docs.py",
    ):  # fmt: skip
        named = {t for m, t in cited() if m == module}
        assert functions_of(module) - named == set(), module


def test_threat_model_says_corruption_not_tampering() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "**What this detects: corruption.**" in text
    assert "**What it does not detect: tampering.**" in text
    assert "can rewrite `manifest.json` too" in text
    for doc in (aipower.verify.__doc__ or "", aipower.validate.__doc__ or ""):
        assert "DataValidationError" in doc
    assert "SHA-256" in (aipower.verify.__doc__ or "")
    import aipower._core.integrity as integrity

    assert "does not detect tampering" in (integrity.__doc__ or "")


def test_cli_verify_and_validate_are_the_same_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["verify"]) == 0
    verify_out = capsys.readouterr().out
    assert cli_main(["validate"]) == 0
    assert capsys.readouterr().out == verify_out
    counts = aipower.verify()
    assert verify_out.splitlines() == [f"{n:14s} {c:>8,d} rows  ok" for n, c in counts.items()]
