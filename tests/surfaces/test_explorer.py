"""The data explorer: ``aipower export --format sqlite`` and ``aipower serve`` (Datasette), the
latter driven in a real browser (Debian's chromium through Playwright, no browser download)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("sqlite_utils", reason="the explorer extra (in the test extra) has it")

import aipower
from aipower._spec import TABLES
from aipower._surfaces.explorer import FACETS, metadata
from aipower.cli import main

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "images" / "explorer.png"
LOCATOR_C2A = "Chapter 1, Figure 1.2.3, p. 44"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sqlite")
    assert main(["export", str(out), "--format", "sqlite"]) == 0
    return out


def test_sqlite_export_has_every_table_and_row(exported: Path) -> None:
    con = sqlite3.connect(exported / "aipower.db")
    for name in TABLES:
        (count,) = con.execute(f"select count(*) from {name}").fetchone()
        assert count == len(aipower.table(name, engine="pyarrow")), name
    row = con.execute(
        "select value, locator, status from observations where metric_id = "
        "'patents_granted_share' and entity_id = 'CHN' and year = 2023 "
        "and source_id = 'aiindex_2025'"
    ).fetchone()
    assert row[0] == 0.697
    assert row[1].startswith(LOCATOR_C2A)
    assert row[2] == "verified"
    aliases = con.execute("select aliases from entities where entity_id = 'CHN'").fetchone()[0]
    assert "China" in json.loads(aliases)
    lic = con.execute(
        "select license, license_url, url from sources where source_id = 'epoch_notable_2026_08'"
    ).fetchone()
    assert lic[:2] == ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert lic[2].startswith("https://")
    fks = {(r[3], r[2]) for r in con.execute("pragma foreign_key_list(observations)")}
    assert {("metric_id", "metrics"), ("entity_id", "entities"), ("source_id", "sources")} <= fks


def test_datasette_metadata_comes_from_the_spec(exported: Path) -> None:
    meta = json.loads((exported / "metadata.json").read_text(encoding="utf-8"))
    assert meta == json.loads(json.dumps(metadata()))
    tables = meta["databases"]["aipower"]["tables"]
    for name, spec in TABLES.items():
        assert tables[name]["description"].startswith(spec.description)
        for f in spec.fields:
            assert tables[name]["columns"][f.name] == f.description
    assert tables["observations"]["facets"] == FACETS["observations"]
    assert FACETS["observations"] == ["metric_id", "entity_id", "year", "status", "source_id"]
    queries = meta["databases"]["aipower"]["queries"]
    linked = aipower.claims().dropna(subset=["metric_id", "entity_id", "year"])
    assert set(queries) == {f"claim_{c}" for c in linked["claim_id"]}
    con = sqlite3.connect(exported / "aipower.db")
    cur = con.execute(queries["claim_C2a"]["sql"])
    columns = [d[0] for d in cur.description]
    first = dict(zip(columns, cur.fetchone(), strict=True))
    assert (first["value"], first["percent"], first["source_id"]) == (0.697, 69.7, "aiindex_2025")
    assert first["locator"].startswith(LOCATOR_C2A)


def test_export_sqlite_into_a_file_is_a_file_error(capsys: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", str(blocker / "sub"), "--format", "sqlite"]) == 6
    assert capsys.readouterr().err.startswith("aipower: error:")


# -- the real browser ---------------------------------------------------------------------------
CHROMIUM = os.environ.get("AIPOWER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:  # bind only: the suite blocks outgoing connections, not this
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``aipower serve`` as a user runs it, in its own process, until the module ends."""
    out = tmp_path_factory.mktemp("serve")
    log = out / "serve.log"
    port = _free_port()
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "aipower", "serve", "--port", str(port), "--dir", str(out)],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while "Uvicorn running on" not in log.read_text():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0  # Datasette shut down cleanly, in this one process
        assert "Traceback" not in log.read_text()


def test_explorer_in_a_browser(served: str) -> None:
    """Open observations, apply a facet, run a canned query, find the 69.7 % row and its
    locator, and save a screenshot (docs/images/explorer.png, kept as a CI artifact)."""
    assert Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does), or set "
        "AIPOWER_CHROMIUM"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{served}/aipower/observations")
            assert "69,093 rows" in page.title() or "rows" in page.title()
            status = page.locator(".facet-info").filter(has_text="status")
            status.locator("a", has_text="verified").first.click()
            page.wait_for_url("**status=verified**")
            assert "status = verified" in page.inner_text("body").replace('"', "")

            page.goto(f"{served}/aipower/claim_C2a")
            body = page.inner_text("body")
            assert "C2a: China held 69.7% of AI patents in 2023." in body
            rows = page.locator("table.rows-and-columns tbody tr")
            first = rows.first.inner_text()
            assert "0.697" in first
            assert "69.7" in first
            assert "aiindex_2025" in first
            assert LOCATOR_C2A in " ".join(first.split())
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            # the page without its footer (which shows the query time): same data, same image
            page.locator("section.content").screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000


@pytest.mark.parametrize("module", ["datasette", "sqlite_utils"])
def test_serve_without_the_extra_names_it(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    monkeypatch.delitem(sys.modules, "aipower._surfaces.explorer", raising=False)
    assert main(["serve", "--port", "1"]) == 7
    err = capsys.readouterr().err
    assert "pip install 'aipower[explorer]'" in err
    assert "Traceback" not in err
