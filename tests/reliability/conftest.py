"""Fixtures shared by the reliability tests: a private copy of the shipped data directory and
a way to point the API at it (restored afterwards)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import aipower._core.store as store_mod


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the package data directory."""
    target = tmp_path / "data"
    shutil.copytree(store_mod.package_data_dir(), target)
    return target


@pytest.fixture
def use_store() -> Iterator[Callable[[Path], store_mod.Store]]:
    """Point the API at a fresh Store over a directory; restore the default afterwards."""
    previous = store_mod._DEFAULT

    def use(path: Path) -> store_mod.Store:
        store = store_mod.Store(path)
        store_mod.set_default(store)
        return store

    yield use
    store_mod.set_default(previous)
