"""The lazily loaded, lock-guarded store behind the query API (after pycountry's ``db.py``).

Nothing is read at import time. The first query reads the Parquet files it needs with pyarrow
(never pandas), checks each file's SHA-256 against ``manifest.json``, and builds dictionary
indexes, under a lock so that concurrent first queries load once. Rows of the observations
table are turned into :class:`~aipower.results.Observation` objects only for the
(metric, entity) pairs a query touches, and cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from aipower._spec import TABLES
from aipower.errors import DataIntegrityError
from aipower.results import Entity, Metric, Observation, Share, Source

if TYPE_CHECKING:
    import pyarrow as pa

T = TypeVar("T")
REPAIR = "Reinstall aipower to repair it: pip install --force-reinstall --no-deps aipower"
#: the largest data file read when the manifest states no size (older manifests)
MAX_UNSIZED_BYTES = 256 * 1024 * 1024
#: the largest manifest.json read (the shipped one is a few kB)
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


def normalise(name: str) -> str:
    """Case-, accent- and whitespace-insensitive key for a name (the build uses it too)."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("\u2019", "'").split())


def package_data_dir() -> Path:
    from importlib.resources import files

    return Path(str(files("aipower") / "data"))


class Store:
    """All shipped tables of one data directory, loaded on first use."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir if data_dir is not None else package_data_dir()
        self._lock = threading.RLock()
        _STORES.add(self)
        self._manifest: dict[str, Any] | None = None
        self._arrow: dict[str, pa.Table] = {}
        self._indexes_ready = False
        self.load_count = 0
        # filled by _build_indexes
        self.sources: dict[str, Source] = {}
        self.metrics: dict[str, Metric] = {}
        self.concepts: dict[tuple[str, str], str] = {}
        self.entities: dict[str, Entity] = {}
        self.entity_names: dict[str, str] = {}
        self.metric_names: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], tuple[int, int]] = {}
        self._pair_rows: dict[tuple[str, str], tuple[Observation, ...]] = {}
        self._by_metric: dict[str, list[str]] = {}
        self._cache: dict[Any, Any] = {}

    @classmethod
    def from_tables(cls, tables: dict[str, pa.Table], data_version: str = "unreleased") -> Store:
        """A store over tables held in memory (the build checks claims with it).

        ``tables`` are shaped like the shipped ones; the observations must be sorted by
        metric and entity, as the build writes them. Nothing is read from disk.
        """
        import pyarrow.compute as pc

        store = cls(data_dir=Path("<in-memory>"))
        store._manifest = {"data_version": data_version, "tables": {}}
        for name, table in tables.items():
            if name == "observations":
                for col in ("metric_id", "entity_id", "source_id"):
                    i = table.schema.get_field_index(col)
                    table = table.set_column(i, col, pc.dictionary_encode(table.column(col)))
            store._arrow[name] = table
        return store

    # -- files ---------------------------------------------------------------------------
    @property
    def manifest(self) -> dict[str, Any]:
        if self._manifest is None:
            with self._lock:
                if self._manifest is None:
                    self._manifest = self._load_manifest()
        return self._manifest

    def _load_manifest(self) -> dict[str, Any]:
        path = self.data_dir / "manifest.json"
        blob = _read_regular(path, None, MAX_MANIFEST_BYTES, what=str(path))
        try:
            manifest = json.loads(blob.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            # RecursionError: deeply nested JSON such as "[" * 200000
            raise DataIntegrityError(f"{path} is not valid JSON. {REPAIR}") from exc
        problem = _manifest_problem(manifest)
        if problem is not None:
            raise DataIntegrityError(f"{path} is malformed: {problem}. {REPAIR}")
        return manifest  # type: ignore[no-any-return]

    @property
    def data_version(self) -> str:
        return str(self.manifest["data_version"])

    def verify_file(self, name: str) -> bytes:
        """Read a table's file and check its SHA-256 against the manifest."""
        entry = self.manifest["tables"].get(name)
        if entry is None:
            raise DataIntegrityError(
                f"{self.data_dir / 'manifest.json'} lists no table {name!r}. {REPAIR}"
            )
        path = self.data_dir / entry["file"]
        size = entry.get("bytes")
        blob = _read_regular(path, size, MAX_UNSIZED_BYTES, what=f"data file {path}")
        digest = hashlib.sha256(blob).hexdigest()
        if digest != entry["sha256"]:
            raise DataIntegrityError(
                f"data file {path} is corrupted or altered (SHA-256 {digest[:12]}..., "
                f"manifest says {entry['sha256'][:12]}...). {REPAIR}"
            )
        return bytes(blob)

    def arrow(self, name: str) -> pa.Table:
        """The Arrow table (verified on first read). Callers must not mutate it."""
        table = self._arrow.get(name)
        if table is None:
            with self._lock:
                table = self._arrow.get(name)
                if table is None:
                    table = self._read(name)
                    self._arrow[name] = table
        return table

    def plain(self, name: str) -> pa.Table:
        """The table with the shipped schema (dictionary-encoded key columns decoded)."""
        key = ("plain", name)
        table = self._cache.get(key)
        if table is None:
            from aipower._core.arrow import arrow_schema

            raw = self.arrow(name)
            schema = arrow_schema(TABLES[name])
            table = raw if raw.schema.equals(schema) else raw.cast(schema)
            self._cache[key] = table
        return table

    def _read(self, name: str) -> pa.Table:
        import pyarrow as pa
        import pyarrow.parquet as pq

        blob = self.verify_file(name)
        try:
            # ParquetFile.read, unlike pq.read_table, does not import pandas. Key columns of
            # the observations stay dictionary-encoded: cheap to index, decoded on output.
            keys = ["metric_id", "entity_id", "source_id"] if name == "observations" else None
            table = pq.ParquetFile(pa.BufferReader(blob), read_dictionary=keys).read()
        except (pa.ArrowException, OSError) as exc:  # pragma: no cover - hash check comes first
            raise DataIntegrityError(
                f"data file {self._path(name)} (table {name!r}) cannot be read. {REPAIR}"
            ) from exc
        expected = list(TABLES[name].columns)
        if table.column_names != expected:
            raise DataIntegrityError(
                f"data file {self._path(name)} has columns {table.column_names}, expected "
                f"{expected} (table {name!r}). "
                f"{REPAIR}"
            )
        wrong = _type_problems(table, name)
        if wrong:
            raise DataIntegrityError(
                f"data file {self._path(name)} (table {name!r}) has wrong column types "
                f"({'; '.join(wrong)}). "
                f"{REPAIR}"
            )
        return table

    def _path(self, name: str) -> Path:
        entry = self.manifest["tables"].get(name, {})
        return self.data_dir / str(entry.get("file", f"{name}.parquet"))

    # -- indexes -------------------------------------------------------------------------
    def ensure(self) -> None:
        if not self._indexes_ready:
            with self._lock:
                if not self._indexes_ready:
                    self._build_indexes()
                    self.load_count += 1
                    self._indexes_ready = True

    def _build_indexes(self) -> None:

        src = self.arrow("sources").to_pylist()
        self.sources = {r["source_id"]: Source(**r) for r in src}
        met = self.arrow("metrics").to_pylist()
        self.metrics = {
            r["metric_id"]: Metric(**r, default_source=self.sources.get(r["default_source_id"]))
            for r in met
        }
        self.concepts = {
            (r["concept"], r["role"]): r["metric_id"] for r in self.arrow("concepts").to_pylist()
        }
        metric_names: dict[str, str] = {}
        for m in self.metrics.values():
            metric_names.setdefault(m.metric_id.casefold(), m.metric_id)
        for concept, _role in self.concepts:
            metric_names.setdefault(concept.casefold(), concept)
        self.metric_names = metric_names
        entities: dict[str, Entity] = {}
        names: dict[str, str] = {}
        for r in self.arrow("entities").to_pylist():
            e = Entity(
                entity_id=r["entity_id"],
                kind=r["kind"],
                name=r["name"],
                iso2=r["iso2"],
                iso3=r["iso3"],
                aliases=tuple(r["aliases"] or ()),
                members=tuple(r["members"] or ()),
                definition=r["definition"],
            )
            entities[e.entity_id] = e
        # ids and codes first, then names, then aliases: earlier keys win
        for e in entities.values():
            names.setdefault(normalise(e.entity_id), e.entity_id)
        for e in entities.values():
            for code in (e.iso3, e.iso2):
                if code:
                    names.setdefault(normalise(code), e.entity_id)
        for e in entities.values():
            names.setdefault(normalise(e.name), e.entity_id)
        for e in entities.values():
            for alias in e.aliases:
                names.setdefault(normalise(alias), e.entity_id)
        self.entities = entities
        self.entity_names = names

        pairs, by_metric = _pair_spans(self.arrow("observations"))
        self._pairs = pairs
        self._by_metric = by_metric

    # -- rows ----------------------------------------------------------------------------
    def pair_rows(self, metric_id: str, entity_id: str) -> tuple[Observation, ...]:
        """Every observation of one metric for one entity, in build order."""
        self.ensure()
        key = (metric_id, entity_id)
        rows = self._pair_rows.get(key)
        if rows is not None:
            return rows
        span = self._pairs.get(key)
        if span is None:
            return ()
        with self._lock:
            rows = self._pair_rows.get(key)
            if rows is None:
                rows = self._materialise(metric_id, entity_id, *span)
                self._pair_rows[key] = rows
        return rows

    def _materialise(
        self, metric_id: str, entity_id: str, start: int, stop: int
    ) -> tuple[Observation, ...]:
        table = self.arrow("observations").slice(start, stop - start)
        # plain columns convert fast; the dictionary-encoded source_id is decoded through its
        # codes (converting dictionary columns element by element is ~30x slower)
        part = table.select(_ROW_COLUMNS).to_pydict()
        part["source_id"] = _decoded(table.column("source_id"))
        metric = self.metrics[metric_id]
        entity = self.entities[entity_id]
        cls = Share if metric.kind == "share" else Observation
        out = []
        for i in range(stop - start):
            date = part["date"][i]
            out.append(
                cls(
                    metric=metric,
                    entity=entity,
                    year=part["year"][i],
                    date=date if isinstance(date, dt.date) else None,
                    value=part["value"][i],
                    source=self.sources[part["source_id"][i]],
                    vintage=part["vintage"][i],
                    locator=part["locator"][i],
                    status=part["status"][i],
                    priority=part["priority"][i],
                    note=part["note"][i],
                    derived_from=part["derived_from"][i],
                    read_in=self.sources.get(part["read_in"][i] or ""),
                    inputs=tuple(part["inputs"][i] or ()),
                    confirmation=part["confirmation"][i],
                )
            )
        return tuple(out)

    def release_entity_counts(self, metric_id: str) -> dict[tuple[str, str, str, int], int]:
        """Entities per (family, source_id, vintage, year) among the rows of one metric.

        Read from the Arrow columns of the metric's rows (contiguous: the table is sorted by
        metric), without building Observation objects.
        """
        self.ensure()
        spans = [self._pairs[(metric_id, e)] for e in self._by_metric.get(metric_id, ())]
        if not spans:
            return {}
        start, stop = min(a for a, _ in spans), max(b for _, b in spans)
        table = self.arrow("observations").slice(start, stop - start)
        cols = {c: _decoded(table.column(c)) for c in ("entity_id", "source_id")}
        vintages: list[Any] = table.column("vintage").to_pylist()
        years: list[Any] = table.column("year").to_pylist()
        seen: dict[tuple[str, str, str, int], set[str]] = {}
        for eid, sid, vin, year in zip(
            cols["entity_id"], cols["source_id"], vintages, years, strict=True
        ):
            key = (self.sources[sid].family, sid, vin, year)
            seen.setdefault(key, set()).add(eid)
        return {k: len(v) for k, v in seen.items()}

    def entities_with(self, metric_id: str) -> list[str]:
        self.ensure()
        return list(self._by_metric.get(metric_id, ()))

    def cached(self, key: Any, make: Callable[[], T]) -> T:
        """Memoise a pure function of the (immutable) shipped data."""
        hit = self._cache.get(key, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[no-any-return]
        # make() runs outside any except block, so its errors carry no KeyError context
        value = make()
        self._cache[key] = value
        return value


def _decoded(column: Any) -> list[Any]:
    """A (possibly dictionary-encoded) string column as a list, decoded through its codes."""
    import pyarrow as pa

    out: list[Any] = []
    for chunk in column.chunks:
        if isinstance(chunk, pa.DictionaryArray):
            names: list[Any] = chunk.dictionary.to_pylist()
            codes: list[Any] = chunk.indices.to_pylist()
            out += [names[i] for i in codes]
        else:
            out += chunk.to_pylist()
    return out


def _manifest_problem(manifest: object) -> str | None:
    """What is wrong with a parsed manifest, or None."""
    if not isinstance(manifest, dict):
        return f"expected a JSON object, got {type(manifest).__name__}"
    if not isinstance(manifest.get("data_version"), str):
        return "no 'data_version' string"
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        return "no 'tables' object"
    for name, entry in tables.items():
        if not isinstance(entry, dict):
            return f"table entry {name!r} is not an object"
        for key in ("file", "sha256"):
            if not isinstance(entry.get(key), str):
                return f"table entry {name!r} has no {key!r} string"
        if "/" in entry["file"] or "\\" in entry["file"] or entry["file"].startswith("."):
            return f"table entry {name!r} names a file outside the data directory"
        if "\x00" in entry["file"] or not entry["file"]:
            return f"table entry {name!r} has an empty file name or one with a NUL byte"
        size = entry.get("bytes")
        if size is not None and (type(size) is not int or size < 0):
            return f"table entry {name!r} has a 'bytes' size that is not a whole number >= 0"
    return None


def _read_regular(path: Path, size: int | None, limit: int, *, what: str) -> bytes:
    """The bytes of a regular file, refusing anything else before reading.

    A FIFO, socket or device in place of a data file would block or never end; a file whose
    size differs from the manifest's (or, with no stated size, exceeds ``limit``) is refused
    before it is read, so a huge sparse file cannot exhaust memory ahead of the hash check.
    """
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not block (regular files ignore it)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise DataIntegrityError(f"{what} is missing. {REPAIR}") from exc
    except (OSError, ValueError) as exc:  # a directory, no permission, a NUL byte in the name
        raise DataIntegrityError(f"{what} cannot be read ({exc}). {REPAIR}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataIntegrityError(
                f"{what} is not a regular file (a directory, pipe or device). {REPAIR}"
            )
        if size is not None and info.st_size != size:
            raise DataIntegrityError(
                f"{what} is corrupted or altered ({info.st_size:,} bytes, the manifest says "
                f"{size:,}). {REPAIR}"
            )
        if size is None and info.st_size > limit:
            raise DataIntegrityError(
                f"{what} has {info.st_size:,} bytes, more than any aipower file "
                f"({limit:,}). {REPAIR}"
            )
        expected = info.st_size if size is None else size
        chunks: list[bytes] = []
        remaining = expected + 1  # one byte more: a file that grew since fstat is caught
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise DataIntegrityError(f"{what} cannot be read ({exc}). {REPAIR}") from exc
    finally:
        os.close(fd)
    blob = b"".join(chunks)
    if len(blob) != expected:
        raise DataIntegrityError(
            f"{what} changed while it was read ({len(blob):,} bytes, expected "
            f"{expected:,}). {REPAIR}"
        )
    return blob


def _type_problems(table: pa.Table, name: str) -> list[str]:
    """Columns whose Arrow type differs from the spec (dictionary-encoded strings allowed)."""
    import pyarrow as pa

    from aipower._core.arrow import arrow_schema

    problems = []
    for field in arrow_schema(TABLES[name]):
        actual = table.schema.field(field.name).type
        if pa.types.is_dictionary(actual):
            actual = actual.value_type
        if not actual.equals(field.type):
            problems.append(f"{field.name}: {actual}, expected {field.type}")
    return problems


_MISSING = object()
_ROW_COLUMNS = [
    "year", "date", "value", "vintage", "locator", "status", "priority", "note", "derived_from",
    "read_in", "inputs", "confirmation",
]  # fmt: skip
_FORMATS: dict[int, Literal["b", "h", "i", "q"]] = {1: "b", 2: "h", 4: "i", 8: "q"}


def _pair_spans(
    obs: pa.Table,
) -> tuple[dict[tuple[str, str], tuple[int, int]], dict[str, list[str]]]:
    """Row spans of each (metric_id, entity_id) run in the sorted observations table.

    Works on the dictionary codes, through zero-copy memoryviews, so the cost grows with the
    number of pairs, not rows, in Python (pyarrow does the per-row work). Nothing here imports
    pandas (``pa.array`` of Python objects would).
    """
    import pyarrow.compute as pc

    pairs: dict[tuple[str, str], tuple[int, int]] = {}
    by_metric: dict[str, list[str]] = {}
    offset = 0
    last: tuple[str, str] | None = None
    mcol, ecol = obs.column("metric_id"), obs.column("entity_id")
    if mcol.num_chunks != ecol.num_chunks:  # pragma: no cover - same row groups
        mcol, ecol = mcol.unify_dictionaries(), ecol.unify_dictionaries()
    chunks: list[tuple[Any, Any]] = list(zip(mcol.chunks, ecol.chunks, strict=True))
    for mchunk, echunk in chunks:  # DictionaryArray chunks
        n = len(mchunk)
        if n == 0:
            continue
        mi, ei = mchunk.indices, echunk.indices
        changed = pc.or_(
            pc.not_equal(mi.slice(1), mi.slice(0, n - 1)),
            pc.not_equal(ei.slice(1), ei.slice(0, n - 1)),
        )
        starts = [0, *(i + 1 for i in pc.indices_nonzero(changed).to_pylist())]
        mview = memoryview(mi.buffers()[1]).cast(_FORMATS[mi.type.bit_width // 8])
        eview = memoryview(ei.buffers()[1]).cast(_FORMATS[ei.type.bit_width // 8])
        mdict, edict = mchunk.dictionary.to_pylist(), echunk.dictionary.to_pylist()
        ends = [*starts[1:], n]
        for start, end in zip(starts, ends, strict=True):
            key = (mdict[mview[mi.offset + start]], edict[eview[ei.offset + start]])
            if key == last:  # a run continues across a chunk boundary
                first, _ = pairs[key]
                pairs[key] = (first, offset + end)
            else:
                pairs[key] = (offset + start, offset + end)
                by_metric.setdefault(key[0], []).append(key[1])
            last = key
        offset += n
    return pairs, by_metric


_DEFAULT: Store | None = None
_DEFAULT_LOCK = threading.Lock()
#: every live Store, so that a forked child can replace their locks
_STORES: weakref.WeakSet[Store] = weakref.WeakSet()


def _reset_locks_after_fork() -> None:
    """In a forked child, give every lock a fresh, unlocked successor.

    ``fork`` copies only the calling thread: a lock another thread held at that moment (say,
    during the first load) would stay locked forever in the child. The store's state is safe to
    keep, since each step publishes its result only when complete (``_indexes_ready`` is set
    last), so the child simply redoes whatever was in flight.
    """
    global _DEFAULT_LOCK
    _DEFAULT_LOCK = threading.Lock()
    for store in list(_STORES):
        store._lock = threading.RLock()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_reset_locks_after_fork)


def default() -> Store:
    """The store over the data shipped inside the package."""
    global _DEFAULT
    store = _DEFAULT
    if store is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Store()
            store = _DEFAULT
    return store


def set_default(store: Store | None) -> None:
    """Point the API at another store (tests, or a user's own extended build)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        _DEFAULT = store
