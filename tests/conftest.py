"""Shared test setup: the whole suite runs offline.

aipower ships its data inside the package, so no test needs the network. The autouse fixture
below makes any attempt to open an internet socket fail loudly. Only this process is patched:
subprocesses (the wheel build and clean-install test) keep their own, unpatched sockets.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

NETWORK_BLOCKED = "network access in tests"
#: set by CI's lowest-versions leg (.ci/run), which installs other pyarrow/pandas than the pins
UNPINNED = os.environ.get("AIPOWER_UNPINNED_DEPS") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip byte-for-byte build comparisons when the Parquet writer is not the pinned one."""
    if not UNPINNED:
        return
    skip = pytest.mark.skip(
        reason="AIPOWER_UNPINNED_DEPS=1: Parquet bytes depend on the pinned pyarrow/pandas"
    )
    for item in items:
        if item.get_closest_marker("pinned_writer") is not None:
            item.add_marker(skip)


def _is_unix(sock: socket.socket) -> bool:
    return getattr(socket, "AF_UNIX", None) is not None and sock.family == socket.AF_UNIX


@pytest.fixture(scope="session", autouse=True)
def _block_network() -> Iterator[None]:
    """Session-wide, so that module-scoped fixtures (baseline builds) run offline too."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if _is_unix(self):
            return real_connect(self, address)
        raise RuntimeError(f"{NETWORK_BLOCKED}: connect to {address!r}")

    def connect_ex(self: socket.socket, address: Any) -> int:
        if _is_unix(self):
            return real_connect_ex(self, address)
        raise RuntimeError(f"{NETWORK_BLOCKED}: connect_ex to {address!r}")

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        raise RuntimeError(f"{NETWORK_BLOCKED}: create_connection to {address!r}")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> list[Any]:
        raise RuntimeError(f"{NETWORK_BLOCKED}: getaddrinfo for {host!r}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        mp.setattr(socket, "create_connection", create_connection)
        mp.setattr(socket, "getaddrinfo", getaddrinfo)
        yield


# -- store fixtures (owned with aipower._core.store) ----------------------------------------
@pytest.fixture
def use_store() -> Iterator[Any]:
    """``use_store(path=None)`` points the API at a fresh Store over ``path`` (the package
    data when None) through ``Store.using``; every store given is undone when the test ends."""
    import contextlib
    from pathlib import Path

    from aipower._core.store import Store

    with contextlib.ExitStack() as stack:

        def use(path: Path | None = None) -> Store:
            return stack.enter_context(Store.using(path))

        yield use
