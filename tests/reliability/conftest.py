"""Fixtures shared by the reliability tests: a private copy of the shipped data directory
(``use_store``, which points the API at it, is in ``tests/conftest.py``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import aipower._core.store as store_mod


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the package data directory."""
    target = tmp_path / "data"
    shutil.copytree(store_mod.package_data_dir(), target)
    return target
