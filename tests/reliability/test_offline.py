"""aipower works without a network; the suite-wide block (tests/conftest.py) is really on."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

import pytest

import aipower
import aipower._store as store_mod

BLOCKED = "network access in tests"


def test_block_is_active() -> None:
    with pytest.raises(RuntimeError, match=BLOCKED):
        socket.create_connection(("pypi.org", 443), timeout=1)
    with pytest.raises(RuntimeError, match=BLOCKED):
        socket.getaddrinfo("pypi.org", 443)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(RuntimeError, match=BLOCKED):
            sock.connect(("127.0.0.1", 9))
        with pytest.raises(RuntimeError, match=BLOCKED):
            sock.connect_ex(("127.0.0.1", 9))
    if socket.has_ipv6:
        with (
            socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock6,
            pytest.raises(RuntimeError, match=BLOCKED),
        ):
            sock6.connect(("::1", 9))
    with pytest.raises(RuntimeError, match=BLOCKED):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no AF_UNIX sockets")
def test_unix_sockets_still_work() -> None:
    left, right = socket.socketpair(socket.AF_UNIX)
    with left, right:
        left.sendall(b"ping")
        assert right.recv(4) == b"ping"


def test_queries_work_with_the_block_on() -> None:
    """A fresh store (nothing cached) answers every kind of query with the network blocked."""
    previous = store_mod._DEFAULT
    store_mod.set_default(store_mod.Store())
    try:
        with pytest.raises(RuntimeError, match=BLOCKED):
            socket.create_connection(("example.com", 80))  # the block is on right now
        assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
        assert aipower.get("notable_models", country="US", year=2024).value == 40.0
        assert len(aipower.series("patents", country="CN")) > 0
        assert len(aipower.compare("patents", year=2023)) > 0
        assert aipower.claim("C1a").verdict == "matches"
        assert set(aipower.verify()) == _TABLES
    finally:
        store_mod.set_default(previous)


_TABLES = {
    "sources",
    "entities",
    "metrics",
    "concepts",
    "observations",
    "claims",
    "models",
    "clusters",
}


def test_subprocess_without_network_modules() -> None:
    """Independent of the in-process block: querying never imports an HTTP client (pyarrow
    itself imports ``socket`` and ``ssl``, so those are not listed)."""
    code = (
        "import sys, aipower\n"
        "aipower.get_share('patents', country='CN', year=2023)\n"
        "aipower.series('patents', country='CN')\n"
        "aipower.verify()\n"
        "bad = sorted(m for m in ('urllib.request', 'http.client', 'requests', 'urllib3',"
        " 'httpx', 'aiohttp') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
