"""The data explorer: every shipped table in one SQLite database, browsable in Datasette.

``aipower serve`` (extra ``aipower[explorer]``) builds the database with `sqlite-utils`_ and
launches Datasette_ on localhost; ``aipower export DIR --format sqlite`` writes the same
database and its ``metadata.json``. The metadata comes from the one metadata spec
(:mod:`aipower._spec`): every table and column carries its description, the sources table gives
each source its licence and link, the observations table is faceted by metric, entity, year,
status and source, and each claim of the ledger that names a metric, entity and year has a
canned query showing the values it was checked against, with their locators.

.. _sqlite-utils: https://sqlite-utils.datasette.io/
.. _Datasette: https://datasette.io/
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from aipower._core.licenses import LICENSE_INFO
from aipower._spec import TABLES

DATABASE = "aipower"

#: SQLite column type per spec dtype (lists are stored as JSON text, dates as ISO text)
_SQL_TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": int,
    "date": str,
    "list[str]": str,
}

#: (table, column) -> (other table, its key): links Datasette renders as hyperlinks
FOREIGN_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("observations", "metric_id"): ("metrics", "metric_id"),
    ("observations", "entity_id"): ("entities", "entity_id"),
    ("observations", "source_id"): ("sources", "source_id"),
    ("metrics", "default_source_id"): ("sources", "source_id"),
    ("concepts", "metric_id"): ("metrics", "metric_id"),
    ("claims", "stated_by"): ("sources", "source_id"),
    ("models", "source_id"): ("sources", "source_id"),
    ("clusters", "source_id"): ("sources", "source_id"),
}

#: table -> columns offered as facets
FACETS: dict[str, list[str]] = {
    "observations": ["metric_id", "entity_id", "year", "status", "source_id"],
    "claims": ["verdict", "claim_kind", "stated_by"],
    "metrics": ["concept", "kind", "unit"],
    "sources": ["family", "kind", "license", "primary"],
    "entities": ["kind"],
}

_CLAIM_SQL = """select
  c.verdict, c.stated_printed as stated, o.value, m.unit,
  case when m.unit = 'fraction' then round(o.value * 100, 6) end as percent,
  o.source_id, s.title as source, o.vintage, o.locator, o.status, s.license, s.url
from claims c
join observations o
  on o.metric_id = c.metric_id and o.entity_id = c.entity_id and o.year = c.year
join metrics m on m.metric_id = o.metric_id
join sources s on s.source_id = o.source_id
where c.claim_id = '{claim_id}'
order by s."primary" desc, o.source_id, o.vintage desc, o.priority"""


def _cell(value: Any, dtype: str) -> Any:
    if value is None:
        return None
    if dtype == "list[str]":
        return json.dumps(list(value), ensure_ascii=False)
    if dtype == "date":
        return value.isoformat()
    if dtype == "bool":
        return int(bool(value))
    return value


def _rows(name: str, license: Sequence[str] | None) -> list[dict[str, Any]]:
    import aipower

    spec = TABLES[name]
    arrow = aipower.table(name, engine="pyarrow", license=license)  # type: ignore[arg-type]
    dtypes = {f.name: f.dtype for f in spec.fields}
    rows = [{k: _cell(v, dtypes[k]) for k, v in r.items()} for r in arrow.to_pylist()]
    if name == "sources":
        for r in rows:
            r["license_url"] = LICENSE_INFO.get(str(r["license"]), ("", None))[1]
    return rows


def build_database(path: str | os.PathLike[str], *, license: Sequence[str] | None = None) -> Path:
    """Write every shipped table into the SQLite file ``path`` (replaced atomically)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".aipower-", suffix=".db", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        db = sqlite_utils.Database(tmp)
        for name, spec in TABLES.items():
            columns: dict[str, Any] = {f.name: _SQL_TYPES[f.dtype] for f in spec.fields}
            if name == "sources":
                columns["license_url"] = str
            table = db.table(name)
            table.create(
                columns,
                pk=spec.primary_key[0] if len(spec.primary_key) == 1 else None,
                not_null={f.name for f in spec.fields if not f.nullable and f.dtype != "list[str]"},
                # declared at creation: adding them later makes sqlite-utils copy the table
                foreign_keys=[(c, *ref) for (t, c), ref in FOREIGN_KEYS.items() if t == name],
            )
            table.insert_all(_rows(name, license), batch_size=5000)
        db.table("observations").create_index(["metric_id", "entity_id", "year"])
        db.table("observations").create_index(["source_id"])
        db.close()
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def metadata() -> dict[str, Any]:
    """Datasette metadata: descriptions from the spec, licences, facets, canned queries."""
    import aipower

    tables: dict[str, Any] = {}
    for name, spec in TABLES.items():
        entry: dict[str, Any] = {
            "title": spec.title,
            "description": spec.description,
            "columns": {f.name: f.description for f in spec.fields},
        }
        if name == "sources":
            entry["columns"]["license_url"] = "Canonical URL of the licence."
        if name in FACETS:
            entry["facets"] = FACETS[name]
        tables[name] = entry
    tables["sources"]["description"] += (
        " Each source's licence governs the values read from it: see its license and "
        "license_url columns, and url for the document itself."
    )
    queries: dict[str, Any] = {}
    claims = aipower.table("claims", engine="pyarrow").to_pylist()
    for c in sorted(claims, key=lambda r: _natural(str(r["claim_id"]))):
        if not (c["metric_id"] and c["entity_id"] and c["year"] is not None):
            continue
        stated = f" (stated: {c['stated_printed']})" if c["stated_printed"] else ""
        queries[f"claim_{c['claim_id']}"] = {
            "title": f"{c['claim_id']}: {c['statement']}",
            "description": f"Verdict {c['verdict']}{stated}. {c['explanation']}",
            "sql": _CLAIM_SQL.format(claim_id=c["claim_id"]),
            "hide_sql": True,
        }
    return {
        "title": "aipower: sourced data on the AI competition between countries",
        "description": (
            f"aipower {aipower.__version__}, data version {aipower.DATA_VERSION}. Every value "
            "carries its source, vintage, locator and status."
        ),
        "license": "Per source (see the sources table); aipower's code: MIT",
        "license_url": "https://spdx.org/licenses/MIT.html",
        "databases": {DATABASE: {"tables": tables, "queries": queries}},
    }


def _natural(text: str) -> tuple[Any, ...]:
    from aipower._display import natural_key

    return natural_key(text)


def export_sqlite(
    directory: str | os.PathLike[str], *, license: Sequence[str] | None = None
) -> list[Path]:
    """Write ``aipower.db`` and Datasette's ``metadata.json`` into ``directory``."""
    if str(directory).strip() == "":
        raise ValueError("directory must not be empty")
    out = Path(directory)
    db = build_database(out / f"{DATABASE}.db", license=license)
    meta = out / "metadata.json"
    tmp = meta.with_name(f".{meta.name}.tmp")
    tmp.write_text(json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(meta)
    return [db, meta]


def datasette_args(directory: Path, *, port: int, open_browser: bool = False) -> list[str]:
    """The ``datasette serve`` arguments for an exported directory (localhost only)."""
    args = [
        "serve",
        str(directory / f"{DATABASE}.db"),
        "--metadata",
        str(directory / "metadata.json"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "facet_time_limit_ms",
        "2000",
    ]
    if open_browser:
        args.append("--open")
    return args


def serve(*, port: int = 8001, directory: str | None = None, open_browser: bool = False) -> int:
    """Build the database and run Datasette on http://127.0.0.1:PORT until interrupted.

    Datasette runs in this process (no child left behind when this one is stopped); its server
    shuts down cleanly on Ctrl-C or SIGTERM, and the temporary database is then removed.
    """
    from datasette.cli import cli

    with tempfile.TemporaryDirectory(prefix="aipower-serve-") as tmp:
        out = Path(directory) if directory else Path(tmp)
        export_sqlite(out)
        print(f"aipower: serving {out / (DATABASE + '.db')} on http://127.0.0.1:{port}/")
        sys.stdout.flush()
        # uvicorn shuts down gracefully on SIGTERM, then re-raises it to the handler it found:
        # make that handler end this function normally, so the temporary directory is removed
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            cli.main(
                args=datasette_args(out, port=port, open_browser=open_browser),
                prog_name="datasette",
                standalone_mode=False,
            )
        except (KeyboardInterrupt, _Stopped):
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0


class _Stopped(Exception):
    """SIGTERM arrived: stop serving."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped
