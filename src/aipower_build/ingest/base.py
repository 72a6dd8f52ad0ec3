"""The template every ingest module follows: checked raw files, file specs, one row builder.

An ingest module (``src/aipower_build/ingest/<family>.py``) declares, at module level:

``FAMILY``
    the ``family`` value, in ``data/sources/*.csv``, of every source the module's rows cite;
    the module file is named after it (``tests/build/test_ingest_naming.py`` checks both).
``FILES``
    tuple of raw file paths, relative to ``../shared/sources``, that it reads. Each must be
    listed in ``data/raw_lock.csv`` with its SHA-256; :meth:`IngestContext.read_csv` refuses a
    file whose hash differs from the lock.
``ingest(ctx: IngestContext) -> IngestOutput``
    reads its files through ``ctx``, maps names to entity ids with ``ctx.entity_id`` and returns
    plain pandas frames whose columns are those of the shipped tables (:data:`OBSERVATION_COLUMNS`).

A source whose files are tables of numbers is mostly a spec entry (:mod:`.specs`: a
``CsvFile`` with pinned header, entity column, unique key and encoding, and a ``WideFile`` with
value columns, number format and locator template); only the source's own rules are code.
Every observation row is made by :func:`observation`, which takes the vintage from the curated
source row (``data/sources/*.csv``, via :meth:`IngestContext.source`): a vintage is stated once.

Sources and metric definitions live in ``data/sources/<file>.csv`` and
``data/metrics/<file>.csv`` (curated, reviewed like code), not in the module.
The build validates everything the modules return with ``aipower.schemas``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from aipower._spec import TABLES

#: Columns of the frames an ingest module returns (extra columns are an error).
OBSERVATION_COLUMNS: tuple[str, ...] = (
    "metric_id",
    "entity_id",
    "year",
    "date",
    "value",
    "source_id",
    "vintage",
    "locator",
    "status",
    "priority",
    "note",
    "derived_from",
    "inputs",  # list[str]: keys of the rows a derived value is computed from
    "read_in",  # source_id of the copy read (curated rows only; None for raw files)
    "confirmation",  # what confirms an inferred value (curated rows only)
)

#: the curated folder a default context reads source vintages from
DATA_DIR = Path(__file__).resolve().parents[3] / "data"


class IngestError(Exception):
    """A raw file or its content breaks a rule; the message names file, row and rule."""


@attrs.frozen
class IngestOutput:
    """What one ingest module hands to the build."""

    observations: pd.DataFrame
    #: optional extra tables, keyed by table name (``"models"``, ``"clusters"``)
    tables: dict[str, pd.DataFrame] = attrs.field(factory=dict)


def curated_vintages(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """``source_id -> vintage`` of every curated source row (``data/sources/*.csv``)."""
    out: dict[str, str] = {}
    for path in sorted((data_dir / "sources").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        out.update(zip(frame["source_id"], frame["vintage"], strict=True))
    return out


@attrs.frozen
class Source:
    """A curated source row as the ingest sees it: its id and the vintage it states."""

    source_id: str
    vintage: str


@attrs.define
class IngestContext:
    """Gives ingest modules checked access to the pinned raw files and the entity map."""

    sources_root: Path
    lock: dict[str, str]
    #: called as ``resolve_name(name, file)``; ``file`` lets one spelling mean different
    #: entities in different source folders (e.g. "Europe" in CSET vs OWID files)
    resolve_name: Callable[[str, str], str | None]
    #: relative paths read so far, with their SHA-256 (goes into the manifest)
    inputs: dict[str, str] = attrs.field(factory=dict)
    #: ``source_id -> vintage`` from the curated source rows: the one place a vintage is stated
    vintages: Mapping[str, str] = attrs.field(factory=curated_vintages)

    def read_bytes(self, relpath: str) -> bytes:
        """Read a raw file after checking its SHA-256 against ``data/raw_lock.csv``."""
        if relpath not in self.lock:
            raise IngestError(
                f"{relpath}: not listed in data/raw_lock.csv (rule: every raw input is pinned)"
            )
        path = self.sources_root / relpath
        if not path.is_file():
            raise IngestError(
                f"{relpath}: missing under {self.sources_root} (rule: pinned raw file must exist)"
            )
        blob = path.read_bytes()
        digest = hashlib.sha256(blob).hexdigest()
        if digest != self.lock[relpath]:
            raise IngestError(
                f"{relpath}: SHA-256 {digest} differs from the lock {self.lock[relpath]} "
                "(rule: raw files must match data/raw_lock.csv; a new vintage needs a new folder "
                "and a new lock line)"
            )
        self.inputs[relpath] = digest
        return blob

    def read_csv(self, relpath: str, **kwargs: object) -> pd.DataFrame:
        """Read a pinned CSV as strings (no NA guessing: Namibia's ``NA`` stays ``NA``)."""
        blob = self.read_bytes(relpath)
        try:
            options: dict[str, Any] = {"dtype": str, "keep_default_na": False, "na_values": []}
            options.update(kwargs)
            frame: pd.DataFrame = pd.read_csv(io.BytesIO(blob), **options)
            return frame
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            raise IngestError(f"{relpath}: malformed CSV ({exc}) (rule: parseable CSV)") from exc

    def entity_id(self, name: str, *, file: str) -> str:
        """Map a name as spelt in a raw file to an entity id, or raise naming the file."""
        eid = self.resolve_name(name, file)
        if eid is None:
            raise IngestError(
                f"{file}: entity name {name!r} is not mapped (rule: add it to "
                "data/entities/country_names.csv or data/entities/aggregates.csv)"
            )
        return eid

    def source(self, source_id: str) -> Source:
        """The curated source row ``source_id`` (its vintage), or raise naming the fix."""
        vintage = self.vintages.get(source_id)
        if not vintage:
            raise IngestError(
                f"source {source_id!r} has no curated row with a vintage (rule: add it to "
                "data/sources/<file>.csv before an ingest module cites it)"
            )
        return Source(source_id, vintage)


def observation(
    source: Source,
    *,
    metric_id: str,
    entity_id: str,
    year: int,
    value: float,
    locator: str,
    status: str,
    date: dt.date | None = None,
    priority: int = 0,
    note: str | None = None,
    derived_from: str | None = None,
    inputs: Iterable[str] = (),
) -> dict[str, object]:
    """One observation row: the only place an ingest module spells the row's columns."""
    return {
        "metric_id": metric_id,
        "entity_id": entity_id,
        "year": year,
        "date": date,
        "value": value,
        "source_id": source.source_id,
        "vintage": source.vintage,
        "locator": locator,
        "status": status,
        "priority": priority,
        "note": note,
        "derived_from": derived_from,
        "inputs": list(inputs),
    }


def observations_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Build an observations frame with exactly :data:`OBSERVATION_COLUMNS`, filling defaults."""
    frame = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
    frame["priority"] = frame["priority"].fillna(0).astype("int64")
    frame["inputs"] = [list(v) if isinstance(v, (list, tuple)) else [] for v in frame["inputs"]]
    for col in ("read_in", "confirmation"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def _key_part(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def sort_and_check(rows: list[dict[str, object]], what: str) -> list[dict[str, object]]:
    """Rows sorted by the observations key (``aipower._spec``); refuse two rows on one key."""
    fields = TABLES["observations"].primary_key

    def key(row: dict[str, object]) -> tuple[Any, ...]:
        return tuple(_key_part(row[f]) for f in fields)

    ordered = sorted(rows, key=key)
    for before, after in itertools.pairwise(ordered):
        if key(before) == key(after):
            raise IngestError(
                f"{what}: two rows for {key(after)}: {before['locator']!r} and "
                f"{after['locator']!r} (rule: two raw names must not map to one entity)"
            )
    return ordered


def output(rows: list[dict[str, object]], what: str, **tables: pd.DataFrame) -> IngestOutput:
    """The module's result: rows checked and sorted by :func:`sort_and_check`, extra tables."""
    return IngestOutput(observations=observations_frame(sort_and_check(rows, what)), tables=tables)
