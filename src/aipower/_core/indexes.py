"""The dictionary indexes the store builds from the small tables (sources, metrics, entities).

Metric objects are made on first access (:class:`LazyMetrics`): with many metrics (the
benchmark's 100x data has 21,600) building them all would be most of a first lookup.
The small tables are read with their repeated text columns dictionary-encoded
(:data:`SMALL_DICTIONARY`): each text is held once, and a Metric's row is decoded only when
the Metric is first built (a sixth of the memory and time of reading the metrics table
decoded, at 100x).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from aipower.results import Entity, Metric, Source

if TYPE_CHECKING:
    import pyarrow as pa


#: text columns read dictionary-encoded from the small tables: the metrics table is the one
#: that grows with the data (entities and sources are too small for it to pay at 1x)
SMALL_DICTIONARY: dict[str, list[str]] = {
    "metrics": ["concept", "kind", "unit", "title", "definition", "basis", "default_source_id"],
}


def normalise(name: str) -> str:
    """Case-, accent- and whitespace-insensitive key for a name (the build uses it too)."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("\u2019", "'").split())


class LazyMetrics(Mapping[str, Metric]):
    """``metric_id -> Metric`` over the metrics table, each Metric built when first asked for."""

    def __init__(self, table: pa.Table, sources: Mapping[str, Source]) -> None:
        self._table, self._sources = table, sources
        ids: list[Any] = table.column("metric_id").to_pylist()
        self._row = {mid: i for i, mid in enumerate(ids)}
        self._made: dict[str, Metric] = {}
        self._all = False
        self._lock = threading.Lock()

    def _make(self, row: dict[str, Any]) -> Metric:
        return Metric(**row, default_source=self._sources.get(row["default_source_id"]))

    def __getitem__(self, metric_id: str) -> Metric:
        made = self._made.get(metric_id)
        if made is None:
            i = self._row[metric_id]  # KeyError for an unknown id, as a dict
            made = self._make(self._table.slice(i, 1).to_pylist()[0])
            made = self._made.setdefault(metric_id, made)
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._row

    def values(self) -> Any:
        """Every Metric (built in one batch the first time)."""
        if not self._all:
            with self._lock:
                for row in self._table.to_pylist():
                    self._made.setdefault(row["metric_id"], self._make(row))
                self._all = True
        return [self[mid] for mid in self._row]

    def items(self) -> Any:
        """``(metric_id, Metric)`` pairs, in table order."""
        return list(zip(self._row, self.values(), strict=True))


def sources_index(table: pa.Table) -> dict[str, Source]:
    return {r["source_id"]: Source(**r) for r in table.to_pylist()}


def metric_names(
    metrics: Mapping[str, Metric], concepts: dict[tuple[str, str], str]
) -> dict[str, str]:
    """Casefolded metric ids and concept words -> their spelling (ids win)."""
    names: dict[str, str] = {}
    for mid in metrics:
        names.setdefault(mid.casefold(), mid)
    for concept, _role in concepts:
        names.setdefault(concept.casefold(), concept)
    return names


def entities_index(table: pa.Table) -> tuple[dict[str, Entity], dict[str, str]]:
    """Entities by id, and normalised names -> id (ids, then codes, names, aliases win)."""
    entities: dict[str, Entity] = {}
    for r in table.to_pylist():
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
    names: dict[str, str] = {}
    keys: tuple[Callable[[Entity], list[str]], ...] = (
        lambda e: [e.entity_id],
        lambda e: [c for c in (e.iso3, e.iso2) if c],
        lambda e: [e.name],
        lambda e: list(e.aliases),
    )
    for key in keys:
        for e in entities.values():
            for text in key(e):
                names.setdefault(normalise(text), e.entity_id)
    return entities, names
