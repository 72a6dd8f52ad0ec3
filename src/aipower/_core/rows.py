"""The rows of one metric, read lazily: only the row groups that hold it, each hash-verified.

The build writes the observations sorted by metric and entity in row groups of a fixed size
and records in ``manifest.json``, per row group, its byte range, SHA-256 and first and last
``metric_id``, and the same for the footer; the ranges tile the file. So a query about one
metric reads the footer and the one or two row groups that hold the metric (a few hundred
kilobytes however large the table), checks each against its hash, and hands pyarrow a file
object that serves only those verified bytes: any other read fails. A manifest without row
groups (an older build, a store over tables in memory) falls back to the whole table.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aipower._core.files import REPAIR, check_digest, read_ranges
from aipower.errors import DataIntegrityError
from aipower.results import Entity, Metric, Observation, Share, Source

if TYPE_CHECKING:
    import pyarrow as pa

#: key columns read dictionary-encoded when the whole table is read (cheap to index)
DICTIONARY_COLUMNS = ["entity_id", "source_id"]
#: string columns read dictionary-encoded from row groups: repeated notes, vintages and
#: statuses held once (a row group takes a third of the memory it takes decoded)
GROUP_DICTIONARY = [
    "metric_id", "entity_id", "source_id", "vintage", "status", "note", "derived_from",
    "read_in", "confirmation",
]  # fmt: skip

#: the columns an Observation is made from
ROW_COLUMNS = [
    "year", "date", "value", "source_id", "vintage", "locator", "status", "priority", "note",
    "derived_from", "read_in", "inputs", "confirmation",
]  # fmt: skip


def observations(
    part: dict[str, list[Any]],
    start: int,
    stop: int,
    metric: Metric,
    entity: Entity,
    sources: Mapping[str, Source],
) -> tuple[Observation, ...]:
    """The Observations of rows ``start:stop`` of decoded columns ``part`` (ROW_COLUMNS)."""
    cls = Share if metric.kind == "share" else Observation
    return tuple(
        cls(
            metric=metric,
            entity=entity,
            year=part["year"][i],
            date=part["date"][i] if isinstance(part["date"][i], dt.date) else None,
            value=part["value"][i],
            source=sources[part["source_id"][i]],
            vintage=part["vintage"][i],
            locator=part["locator"][i],
            status=part["status"][i],
            priority=part["priority"][i],
            note=part["note"][i],
            derived_from=part["derived_from"][i],
            read_in=sources.get(part["read_in"][i] or ""),
            inputs=tuple(part["inputs"][i] or ()),
            confirmation=part["confirmation"][i],
        )
        for i in range(start, stop)
    )


@dataclasses.dataclass(frozen=True)
class MetricRows:
    """The observations of one metric (contiguous, sorted by entity) and its entity runs."""

    table: pa.Table
    spans: dict[str, tuple[int, int]]
    #: decoded dictionaries, by the address of their buffers (kept alive by ``table``)
    _names: dict[tuple[int, int, int], list[Any]] = dataclasses.field(default_factory=dict)

    @property
    def entities(self) -> list[str]:
        return list(self.spans)

    def values(self, name: str) -> list[Any]:
        """Python values of column ``name`` in every row of the metric."""
        return self.columns([name], 0, self.table.num_rows)[name]

    def columns(self, names: list[str], start: int, stop: int) -> dict[str, list[Any]]:
        """Python values of columns ``names`` in rows ``start:stop`` of the metric."""
        part = self.table.slice(start, stop - start)
        out: dict[str, list[Any]] = {}
        for name in names:
            column = part.column(name)
            out[name] = (
                self._decode(column.chunks) if _is_dictionary(column.type) else column.to_pylist()
            )
        return out

    def _decode(self, chunks: list[Any]) -> list[Any]:
        out: list[Any] = []
        for chunk in chunks:
            words = chunk.dictionary
            offsets = words.buffers()[1]
            key = (offsets.address if offsets is not None else 0, words.offset, len(words))
            names = self._names.get(key)
            if names is None:
                names = self._names.setdefault(key, words.to_pylist())
            codes: list[Any] = chunk.indices.to_pylist()
            out += [None if i is None else names[i] for i in codes]  # None: a null
        return out


def _is_dictionary(kind: Any) -> bool:
    import pyarrow as pa

    return pa.types.is_dictionary(kind)  # type: ignore[no-any-return]


class VerifiedRanges(io.RawIOBase):
    """A read-only file object over the verified byte ranges of a file, and nothing else."""

    def __init__(self, size: int, parts: dict[int, bytes]) -> None:
        super().__init__()
        self._size, self._pos = size, 0
        self._starts = sorted(parts)
        self._parts = parts

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        self._pos = base + offset
        return self._pos

    def read(self, n: int = -1) -> bytes:
        stop = self._size if n < 0 else min(self._pos + n, self._size)
        i = bisect.bisect_right(self._starts, self._pos) - 1
        start = self._starts[i] if i >= 0 else -1
        blob = self._parts.get(start, b"")
        if not start <= self._pos or stop > start + len(blob):
            raise OSError(f"bytes {self._pos}-{stop} were not verified against the manifest")
        out = blob[self._pos - start : stop - start]
        self._pos = stop
        return out


def covering(groups: Sequence[dict[str, Any]], metric_id: str) -> list[int]:
    """Indexes of the row groups whose metric span includes ``metric_id``."""
    return [i for i, g in enumerate(groups) if g["metrics"][0] <= metric_id <= g["metrics"][1]]


class RowGroups:
    """The verified row groups of one observations file, read on demand and kept."""

    def __init__(self, path: Path, entry: dict[str, Any]) -> None:
        self.path, self.entry = path, entry
        self._meta: Any = None
        self._groups: dict[int, pa.Table] = {}

    def holding(self, metric_id: str) -> pa.Table:
        """The row groups that hold ``metric_id`` (read and verified the first time)."""
        import pyarrow as pa

        wanted = covering(self.entry["row_groups"], metric_id)
        missing = [i for i in wanted if i not in self._groups]
        if missing or self._meta is None:
            self._groups.update(read_groups(self, missing))
        if not wanted:
            return self._empty()
        return pa.concat_tables([self._groups[i] for i in wanted])

    def _empty(self) -> pa.Table:
        return self._meta.schema.to_arrow_schema().empty_table()  # type: ignore[no-any-return]


def read_groups(groups: RowGroups, wanted: list[int]) -> dict[int, pa.Table]:
    """Row groups ``wanted`` of ``groups``' file (and its footer, once), every byte verified."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path, entry = groups.path, groups.entry
    parts = [entry["row_groups"][i] for i in wanted]
    if groups._meta is None:
        parts.insert(0, entry["footer"])
    what = f"data file {path}"
    blobs = read_ranges(path, entry["bytes"], [(p["offset"], p["bytes"]) for p in parts], what=what)
    for part, blob in zip(parts, blobs, strict=True):
        check_digest(blob, part["sha256"], f"{what} (bytes {part['offset']:,}+{part['bytes']:,})")
    try:
        if groups._meta is None:
            meta = pq.read_metadata(pa.BufferReader(blobs[0]))
            if meta.num_row_groups != len(entry["row_groups"]):
                raise OSError("the footer and the manifest count different row groups")
            groups._meta = meta
        source = VerifiedRanges(
            entry["bytes"], {p["offset"]: b for p, b in zip(parts, blobs, strict=True)}
        )
        # no Arrow worker thread may call into Python (the file object's read): such calls
        # are what turns interpreter exit into an abort (apache/arrow#34314, #50482)
        reader = pq.ParquetFile(
            pa.PythonFile(source, mode="r"),
            metadata=groups._meta,
            read_dictionary=GROUP_DICTIONARY,
            pre_buffer=False,
        )
        return {i: reader.read_row_group(i, use_threads=False) for i in wanted}
    except (pa.ArrowException, OSError) as exc:
        raise DataIntegrityError(
            f"{what} (table 'observations') cannot be read ({exc}). {REPAIR}"
        ) from exc


def metric_rows(table: pa.Table, metric_id: str) -> MetricRows:
    """The rows of ``metric_id`` in ``table`` (sorted by metric, entity) and their runs.

    A binary search over the sorted column (Arrow's compute functions would convert the
    Python string to an Arrow scalar, and that conversion imports pandas).
    """
    column = table.column("metric_id")
    ids = _Values(column)
    start = bisect.bisect_left(ids, metric_id)
    stop = bisect.bisect_right(ids, metric_id, lo=start)
    found = MetricRows(table.slice(start, stop - start), {})
    for i, eid in enumerate(found.values("entity_id")):
        first, _ = found.spans.get(eid, (i, i))
        found.spans[eid] = (first, i + 1)
    return found


class _Values(Sequence[str]):
    """The values of an Arrow column as a sequence, each converted when indexed."""

    def __init__(self, column: Any) -> None:
        self._column = column

    def __len__(self) -> int:
        return len(self._column)

    def __getitem__(self, i: Any) -> Any:
        return self._column[i].as_py()
