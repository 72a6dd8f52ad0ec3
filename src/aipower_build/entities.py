"""Build the ``entities`` table and the name -> entity id resolver used by ingest.

Countries come from ISO 3166-1 via pycountry (build-time only), plus curated aliases;
aggregates and other entities are curated in ``data/entities/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs
import pandas as pd
import pycountry

from aipower._core.store import normalise  # one matching rule for the build and the API

#: ISO-like codes pycountry does not carry but the sources use.
EXTRA_COUNTRIES: dict[str, tuple[str, str]] = {
    # entity_id: (iso2, name)
    "XKX": ("XK", "Kosovo"),
}


def read_curated_csv(path: Path) -> pd.DataFrame:
    """Read a curated CSV as strings with empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])


def country_name(country: object) -> str:
    """Return pycountry's common name where it has one (``Taiwan``), else its name."""
    common = getattr(country, "common_name", None)
    return str(common) if common else str(country.name)  # type: ignore[attr-defined]


@attrs.define
class NameResolver:
    """Maps any spelling (ISO2, ISO3, name, alias; any case) to an entity id."""

    table: dict[str, str] = attrs.field(factory=dict)
    #: spellings that mean different entities in different source folders:
    #: normalised name -> [(folder prefix, entity id)]
    scoped: dict[str, list[tuple[str, str]]] = attrs.field(factory=dict)

    def add(self, name: str, entity_id: str) -> None:
        """Map the spelling ``name`` to ``entity_id`` unless it is mapped already."""
        key = normalise(name)
        if key:
            self.table.setdefault(key, entity_id)

    def __call__(self, name: str, file: str | None = None) -> str | None:
        """The entity id of ``name`` as spelt in ``file`` (folder-scoped spellings first)."""
        key = normalise(name)
        if file is not None and key in self.scoped:
            for prefix, eid in self.scoped[key]:
                if file.startswith(prefix):
                    return eid
        return self.table.get(key)

    @classmethod
    def from_data(cls, data_dir: Path) -> NameResolver:
        """Resolver over pycountry + ``data/entities`` (curated spellings win)."""
        resolver = cls()
        ent = data_dir / "entities"
        # curated first: setdefault keeps the first mapping
        for names in sorted(ent.glob("country_names*.csv")):
            resolver._add_names(read_curated_csv(names))
        aliases = ent / "country_aliases.csv"
        if aliases.exists():
            for row in read_curated_csv(aliases).itertuples():
                resolver.add(str(row.alias), str(row.entity_id))
        for path in sorted(ent.glob("aggregates*.csv")) + sorted(ent.glob("others*.csv")):
            for row in read_curated_csv(path).itertuples():
                resolver.add(str(row.entity_id), str(row.entity_id))
                resolver.add(str(row.name), str(row.entity_id))
                for alias in _split(str(getattr(row, "aliases", ""))):
                    resolver.add(alias, str(row.entity_id))
        for iso3, value in _iso_spellings():
            resolver.add(value, iso3)
        return resolver

    def _add_names(self, frame: pd.DataFrame) -> None:
        """A ``country_names`` file: a name spelt for several entities is scoped by folder."""
        counts = frame.groupby(frame["name"].map(normalise))["entity_id"].nunique()
        for row in frame.itertuples():
            key = normalise(str(row.name))
            if counts.get(key, 1) > 1:
                for prefix in _split(str(row.seen_in)):
                    self.scoped.setdefault(key, []).append((prefix, str(row.entity_id)))
            else:
                self.add(str(row.name), str(row.entity_id))


def _iso_spellings() -> Iterable[tuple[str, str]]:
    """(iso3, spelling) for every code and name pycountry (and EXTRA_COUNTRIES) knows."""
    for country in pycountry.countries:
        for field in ("alpha_3", "alpha_2", "name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value:
                yield str(country.alpha_3), str(value)
    for eid, (iso2, name) in EXTRA_COUNTRIES.items():
        for value in (eid, iso2, name):
            yield eid, value


def _rel(path: Path) -> str:
    """``data/...`` form of a curated path, for messages."""
    parts = path.resolve().parts
    if "data" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("data") :])
    return str(path)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def iter_countries() -> Iterable[tuple[str, str, str]]:
    """(iso3, iso2, name) for every ISO 3166-1 country plus :data:`EXTRA_COUNTRIES`."""
    for country in pycountry.countries:
        yield str(country.alpha_3), str(country.alpha_2), country_name(country)
    for eid, (iso2, name) in EXTRA_COUNTRIES.items():
        yield eid, iso2, name


@attrs.define
class _Aliases:
    """Aliases by entity; refuses an alias that would name two entities."""

    by_entity: dict[str, list[str]] = attrs.field(factory=dict)
    owner: dict[str, str] = attrs.field(factory=dict)

    def add(self, eid: str, alias: str, where: str) -> None:
        """Record ``alias`` for ``eid`` (``where`` names file and line for the error)."""
        key = normalise(alias)
        if not key:
            return
        owner = self.owner.get(key)
        if owner is not None and owner != eid:
            raise ValueError(
                f"{where}: alias {alias!r} maps to both {owner} and {eid} "
                "(rule: an alias names one entity)"
            )
        self.owner[key] = eid
        if alias not in self.by_entity.setdefault(eid, []):
            self.by_entity[eid].append(alias)


def _lines(path: Path) -> Iterable[tuple[str, int, pd.Series]]:  # type: ignore[type-arg]
    """(``data/...csv, line N``, N, row) for every row of a curated CSV (header is line 1)."""
    frame = read_curated_csv(path)
    for i, row in frame.iterrows():
        line = int(str(i)) + 2
        yield f"{_rel(path)}, line {line}", line, row


def _country_rows(ent: Path) -> list[dict[str, object]]:
    """One row per ISO country, with the curated definitions of ``country_definitions*.csv``."""
    rows: list[dict[str, object]] = [
        {
            "entity_id": iso3,
            "kind": "country",
            "name": name,
            "iso2": iso2,
            "iso3": iso3,
            "members": [],
            "definition": None,
            "defined_by": None,
            "country": None,
        }
        for iso3, iso2, name in iter_countries()
    ]
    # definitions of countries whose mapping from a source's names needs saying
    by_id = {str(r["entity_id"]): r for r in rows}
    for path in sorted(ent.glob("country_definitions*.csv")):
        for where, _, row in _lines(path):
            eid = str(row["entity_id"]).strip()
            if eid not in by_id:
                raise ValueError(
                    f"{where}: {eid!r} is not an ISO 3166 country "
                    "(rule: country_definitions.csv defines countries; aggregates go in "
                    "aggregates.csv)"
                )
            by_id[eid]["definition"] = str(row["definition"]).strip() or None
            by_id[eid]["defined_by"] = str(row.get("defined_by", "")).strip() or None
    return rows


def _curated_rows(ent: Path, aliases: _Aliases) -> list[dict[str, object]]:
    """Rows of the curated aggregates and other entities (their aliases recorded)."""
    rows: list[dict[str, object]] = []
    for pattern, default_kind in (("aggregates*.csv", "aggregate"), ("others*.csv", None)):
        for path in sorted(ent.glob(pattern)):
            for where, line, row in _lines(path):
                eid = str(row["entity_id"]).strip()
                for alias in _split(str(row.get("aliases", ""))):
                    aliases.add(eid, alias, where)
                rows.append(
                    {
                        "entity_id": eid,
                        "kind": str(row.get("kind", "") or default_kind or "").strip(),
                        "name": str(row["name"]).strip(),
                        "iso2": None,
                        "iso3": None,
                        "members": _split(str(row.get("members", ""))),
                        "definition": str(row.get("definition", "")).strip() or None,
                        "defined_by": str(row.get("defined_by", "")).strip() or None,
                        "country": str(row.get("country", "")).strip() or None,
                        "_file": str(path),
                        "_row": line,
                    }
                )
    return rows


def build_entities(data_dir: Path) -> pd.DataFrame:
    """The ``entities`` table: ISO countries + curated aggregates and other entities."""
    ent = data_dir / "entities"
    aliases = _Aliases()
    rows = _country_rows(ent)
    country_ids = {str(r["entity_id"]) for r in rows}
    path = ent / "country_aliases.csv"
    if path.exists():
        for where, _, row in _lines(path):
            aliases.add(str(row["entity_id"]), str(row["alias"]), where)
    for path in sorted(ent.glob("country_names*.csv")):
        for where, _, row in _lines(path):
            if str(row["entity_id"]) in country_ids:
                aliases.add(str(row["entity_id"]), str(row["name"]), where)
    rows += _curated_rows(ent, aliases)
    frame = pd.DataFrame(rows)
    frame["aliases"] = [sorted(aliases.by_entity.get(str(e), [])) for e in frame["entity_id"]]
    for col in ("iso2", "iso3", "definition", "defined_by", "country"):
        frame[col] = frame[col].astype(object)
    return frame
