"""aipower works without a network; the suite-wide block (tests/conftest.py) is really on."""

from __future__ import annotations

import ast
import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import aipower

BLOCKED = "network access in tests"
PACKAGE_DIR = Path(aipower.__file__).parent


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


def test_queries_work_with_the_block_on(use_store: Any) -> None:
    """A fresh store (nothing cached) answers every kind of query with the network blocked."""
    use_store()
    with pytest.raises(RuntimeError, match=BLOCKED):
        socket.create_connection(("example.com", 80))  # the block is on right now
    assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
    assert aipower.get("notable_models", country="US", year=2024).value == 40.0
    assert len(aipower.series("patents", country="CN")) > 0
    assert len(aipower.compare("patents", year=2023)) > 0
    assert aipower.claim("C1a").verdict == "matches"
    assert set(aipower.verify()) == _TABLES


_TABLES = {
    "sources",
    "entities",
    "metrics",
    "concepts",
    "observations",
    "claims",
    "models",
    "clusters",
    "accelerators",
}


# Audit events (PEP 578) that any attempt to reach another host raises, whichever library makes it.
_NETWORK_EVENTS = (
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "urllib.Request",
    "http.client.connect",
)
_AUDIT_PRELUDE = (
    "import json, sys\n"
    f"NET = {_NETWORK_EVENTS!r}\n"
    "seen = []\n"
    "sys.addaudithook(lambda event, args: seen.append([event, repr(args)[:200]])"
    " if event in NET else None)\n"
)


def _run_audited(body: str) -> list[list[str]]:
    code = _AUDIT_PRELUDE + body + "print(json.dumps(seen))\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    events: list[list[str]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return events


def test_subprocess_queries_make_no_network_calls() -> None:
    """Independent of the in-process block: a fresh process that queries, validates and exports
    raises no network audit event at all (connect, DNS lookup, urllib or http.client request)."""
    events = _run_audited(
        "import tempfile, aipower\n"
        "aipower.get_share('patents', country='CN', year=2023)\n"
        "aipower.series('patents', country='CN')\n"
        "aipower.compare('patents', year=2023)\n"
        "aipower.check('patents', country='CN', year=2023, value=69.7, unit='percent')\n"
        "aipower.claim('C1a')\n"
        "aipower.verify()\n"
        "with tempfile.TemporaryDirectory() as d:\n"
        "    aipower.export(d, format='datapackage')\n"
    )
    assert events == []


def test_network_audit_sees_a_real_attempt() -> None:
    """The audit above can fail: a DNS lookup in the same harness is recorded."""
    events = _run_audited(
        "import socket\ntry:\n    socket.getaddrinfo('localhost', 9)\nexcept OSError:\n    pass\n"
    )
    assert [event for event, _ in events] == ["socket.getaddrinfo"]


_HTTP_MODULES = {"urllib.request", "http", "http.client", "requests", "urllib3", "httpx", "aiohttp"}


def _imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_aipower_code_imports_no_http_client() -> None:
    """No module of the package (lazy imports included) imports an HTTP client or sockets."""
    offenders = {
        str(path.relative_to(PACKAGE_DIR)): sorted(found)
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (
            found := _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
            & (_HTTP_MODULES | {"socket", "ssl"})
        )
    }
    assert offenders == {}


def test_scalar_lookup_process_loads_no_http_client() -> None:
    """Regression (CI, stop 9): the old check ran ``verify()`` too, and pandera imports
    hypothesis when it is installed, whose older releases import ``urllib.request`` at module
    level. That is not network use, so only the pandas-free scalar path is held to this."""
    code = (
        "import sys, aipower\n"
        "aipower.get_share('patents', country='CN', year=2023)\n"
        "aipower.get('notable_models', country='US', year=2024)\n"
        f"print(','.join(sorted(m for m in {sorted(_HTTP_MODULES)!r} if m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
