"""The lazily loaded, lock-guarded store behind the query API (after pycountry's ``db.py``).

Nothing is read at import time. The first query reads the small tables it needs (sources,
metrics, concepts, entities) with pyarrow (never pandas), each checked against the SHA-256 of
``manifest.json``, and builds dictionary indexes, under a lock so that concurrent first
queries load once. Observations are read per metric: only the row groups that hold the
metric, each verified against its own hash (:mod:`aipower._core.rows`), so the first lookup
costs the same however large the table. Rows are turned into
:class:`~aipower.results.Observation` objects only for the (metric, entity) pairs a query
touches, and cached. The whole table is read (and its whole-file hash checked) only by what
needs all of it: ``table()``, exports, coverage, validation.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from aipower._core import indexes, rows
from aipower._core.files import (
    MAX_MANIFEST_BYTES,
    MAX_UNSIZED_BYTES,
    REPAIR,
    check_digest,
    manifest_problem,
    read_regular,
    type_problems,
)
from aipower._core.indexes import normalise
from aipower._spec import TABLES
from aipower.errors import DataIntegrityError
from aipower.results import Entity, Metric, Observation, Source

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["REPAIR", "Store", "default", "normalise", "package_data_dir", "set_default"]
T = TypeVar("T")


def package_data_dir() -> Path:
    """The data directory inside the installed package."""
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
        self.metrics: Mapping[str, Metric] = {}
        self.concepts: dict[tuple[str, str], str] = {}
        self.entities: dict[str, Entity] = {}
        self.entity_names: dict[str, str] = {}
        self.metric_names: dict[str, str] = {}
        self._metric_rows: dict[str, rows.MetricRows] = {}
        self._row_groups: rows.RowGroups | None = None
        self._pair_rows: dict[tuple[str, str], tuple[Observation, ...]] = {}
        self._loaded_pairs: set[str] = set()
        self._cache: dict[Any, Any] = {}

    @classmethod
    def from_tables(cls, tables: dict[str, pa.Table], data_version: str = "unreleased") -> Store:
        """A store over tables held in memory (the build checks claims with it).

        ``tables`` are shaped like the shipped ones; the observations must be sorted by
        metric and entity, as the build writes them. Nothing is read from disk.
        """
        store = cls(data_dir=Path("<in-memory>"))
        store._manifest = {"data_version": data_version, "tables": {}}
        store._arrow.update(tables)
        return store

    @classmethod
    @contextlib.contextmanager
    def using(cls, data: Store | Path | str | None = None) -> Iterator[Store]:
        """Point the API at another data directory (or store) inside a ``with`` block.

        ``with Store.using(path) as store:`` answers every query from ``path`` (a fresh store
        when ``data`` is None) and restores the previous default on leaving, also on errors.
        """
        store = data if isinstance(data, Store) else cls(None if data is None else Path(data))
        global _DEFAULT
        with _DEFAULT_LOCK:
            previous, _DEFAULT = _DEFAULT, store
        try:
            yield store
        finally:
            with _DEFAULT_LOCK:
                _DEFAULT = previous

    # -- files ---------------------------------------------------------------------------
    @property
    def manifest(self) -> dict[str, Any]:
        """The parsed, shape-checked ``manifest.json`` (read once)."""
        if self._manifest is None:
            with self._lock:
                if self._manifest is None:
                    self._manifest = self._load_manifest()
        return self._manifest

    def _load_manifest(self) -> dict[str, Any]:
        path = self.data_dir / "manifest.json"
        blob = read_regular(path, None, MAX_MANIFEST_BYTES, what=str(path))
        try:
            manifest = json.loads(blob.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            # RecursionError: deeply nested JSON such as "[" * 200000
            raise DataIntegrityError(f"{path} is not valid JSON. {REPAIR}") from exc
        problem = manifest_problem(manifest)
        if problem is not None:
            raise DataIntegrityError(f"{path} is malformed: {problem}. {REPAIR}")
        return manifest  # type: ignore[no-any-return]

    @property
    def data_version(self) -> str:
        """The data version the manifest states."""
        return str(self.manifest["data_version"])

    def _entry(self, name: str) -> dict[str, Any]:
        entry = self.manifest["tables"].get(name)
        if entry is None:
            raise DataIntegrityError(
                f"{self.data_dir / 'manifest.json'} lists no table {name!r}. {REPAIR}"
            )
        return entry  # type: ignore[no-any-return]

    def verify_file(self, name: str) -> bytes:
        """Read a table's file and check its size and SHA-256 against the manifest."""
        entry = self._entry(name)
        path = self.data_dir / entry["file"]
        what = f"data file {path}"
        blob = read_regular(path, entry.get("bytes"), MAX_UNSIZED_BYTES, what=what)
        check_digest(blob, entry["sha256"], what)
        return blob

    def arrow(self, name: str) -> pa.Table:
        """The whole Arrow table (verified on first read). Callers must not mutate it."""
        table = self._arrow.get(name)
        if table is None:
            with self._lock:
                table = self._arrow.get(name)
                if table is None:
                    table = self._read(name)
                    self._arrow[name] = table
        return table

    def shipped_table(self, name: str) -> pa.Table:
        """The whole table with the shipped schema (dictionary-encoded key columns decoded)."""
        key = ("shipped_table", name)
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

        blob = self.verify_file(name)
        try:
            # ParquetFile.read, unlike pq.read_table, does not import pandas; one thread, so
            # no Arrow worker releases the Python-owned buffer (see rows.read_groups)
            table = _parquet_table(blob, name)
        except (pa.ArrowException, OSError) as exc:  # pragma: no cover - hash check comes first
            raise DataIntegrityError(
                f"data file {self._path(name)} (table {name!r}) cannot be read. {REPAIR}"
            ) from exc
        self._check_shape(table, name)
        return table

    def _check_shape(self, table: pa.Table, name: str) -> None:
        expected = list(TABLES[name].columns)
        if table.column_names != expected:
            raise DataIntegrityError(
                f"data file {self._path(name)} has columns {table.column_names}, expected "
                f"{expected} (table {name!r}). {REPAIR}"
            )
        wrong = type_problems(table, name)
        if wrong:
            raise DataIntegrityError(
                f"data file {self._path(name)} (table {name!r}) has wrong column types "
                f"({'; '.join(wrong)}). {REPAIR}"
            )

    def _path(self, name: str) -> Path:
        entry = self.manifest["tables"].get(name, {})
        return self.data_dir / str(entry.get("file", f"{name}.parquet"))

    # -- indexes -------------------------------------------------------------------------
    def load_indexes(self) -> None:
        """Build the indexes of sources, metrics, concepts and entities (once, thread-safe)."""
        if not self._indexes_ready:
            with self._lock:
                if not self._indexes_ready:
                    self._build_indexes()
                    self.load_count += 1
                    self._indexes_ready = True

    def _build_indexes(self) -> None:
        self.sources = indexes.sources_index(self.arrow("sources"))
        self.metrics = indexes.LazyMetrics(self.arrow("metrics"), self.sources)
        self.concepts = {
            (r["concept"], r["role"]): r["metric_id"] for r in self.arrow("concepts").to_pylist()
        }
        self.metric_names = indexes.metric_names(self.metrics, self.concepts)
        self.entities, self.entity_names = indexes.entities_index(self.arrow("entities"))

    # -- rows ----------------------------------------------------------------------------
    def metric_rows(self, metric_id: str) -> rows.MetricRows:
        """The observations of one metric and the row span of each entity (read once)."""
        found = self._metric_rows.get(metric_id)
        if found is None:
            with self._lock:
                found = self._metric_rows.get(metric_id)
                if found is None:
                    found = rows.metric_rows(self._rows_holding(metric_id), metric_id)
                    self._metric_rows[metric_id] = found
        return found

    def _rows_holding(self, metric_id: str) -> pa.Table:
        """A table holding every row of ``metric_id``: its row groups, or the whole table."""
        entry = self.manifest["tables"].get("observations", {})
        if "observations" in self._arrow or "row_groups" not in entry:
            return self.arrow("observations")
        if self._row_groups is None:
            self._row_groups = rows.RowGroups(self._path("observations"), entry)
        table = self._row_groups.holding(metric_id)
        self._check_shape(table, "observations")
        return table

    def pair_rows(self, metric_id: str, entity_id: str) -> tuple[Observation, ...]:
        """Every observation of one metric for one entity, in build order."""
        self.load_indexes()
        key = (metric_id, entity_id)
        found = self._pair_rows.get(key)
        if found is not None:
            return found
        part = self.metric_rows(metric_id)
        span = part.spans.get(entity_id)
        if span is None:
            return ()
        with self._lock:
            found = self._pair_rows.get(key)
            if found is None:
                found = self._materialise(part, metric_id, entity_id, *span)
                self._pair_rows[key] = found
        return found

    def _materialise(
        self, rows_: rows.MetricRows, metric_id: str, entity_id: str, start: int, stop: int
    ) -> tuple[Observation, ...]:
        part = rows_.columns(rows.ROW_COLUMNS, start, stop)
        return rows.observations(
            part, 0, stop - start, self.metrics[metric_id], self.entities[entity_id], self.sources
        )

    def load_pairs(self, metric_id: str) -> None:
        """Materialise every (metric, entity) pair of ``metric_id`` in one pass.

        A cross-section touches every pair: each column is decoded once for the whole metric
        instead of once per pair.
        """
        self.load_indexes()
        if metric_id in self._loaded_pairs:
            return
        part = self.metric_rows(metric_id)
        with self._lock:
            if metric_id in self._loaded_pairs:
                return
            cols = part.columns(rows.ROW_COLUMNS, 0, part.table.num_rows)
            metric = self.metrics[metric_id]
            for eid, (start, stop) in part.spans.items():
                if (metric_id, eid) not in self._pair_rows:
                    self._pair_rows[metric_id, eid] = rows.observations(
                        cols, start, stop, metric, self.entities[eid], self.sources
                    )
            self._loaded_pairs.add(metric_id)

    def release_entity_counts(self, metric_id: str) -> dict[tuple[str, str, str, int], int]:
        """Entities per (family, source_id, vintage, year) among the rows of one metric.

        Read from the Arrow columns of the metric's rows, without building Observations.
        """
        self.load_indexes()
        part = self.metric_rows(metric_id)
        seen: dict[tuple[str, str, str, int], set[str]] = {}
        eid: Any
        sid: Any
        vin: Any
        year: Any
        for eid, sid, vin, year in zip(
            part.values("entity_id"),
            part.values("source_id"),
            part.values("vintage"),
            part.values("year"),
            strict=True,
        ):
            seen.setdefault((self.sources[sid].family, sid, vin, year), set()).add(eid)
        return {k: len(v) for k, v in seen.items()}

    def entities_with(self, metric_id: str) -> list[str]:
        """The entities with at least one observation of ``metric_id``, in table order."""
        self.load_indexes()
        return self.metric_rows(metric_id).entities

    def cached(self, key: Any, make: Callable[[], T]) -> T:
        """Memoise a pure function of the (immutable) shipped data."""
        hit = self._cache.get(key, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[no-any-return]
        # make() runs outside any except block, so its errors carry no KeyError context
        value = make()
        self._cache[key] = value
        return value


_MISSING = object()


def _parquet_table(blob: bytes, name: str) -> pa.Table:
    """The table in ``blob`` (verified), its repeated text columns dictionary-encoded."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = rows.DICTIONARY_COLUMNS if name == "observations" else indexes.SMALL_DICTIONARY.get(name)
    try:
        reader = pq.ParquetFile(pa.BufferReader(blob), read_dictionary=keys, pre_buffer=False)
    except KeyError:  # a column is missing: read it plain, and _check_shape says which
        reader = pq.ParquetFile(pa.BufferReader(blob), pre_buffer=False)
    return reader.read(use_threads=False)


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
