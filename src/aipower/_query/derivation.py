"""``aipower.derivation``: the structured inputs of a derived value.

A derived observation (a count of Epoch models, a sum of cluster capacities, a running best
ECI score, the best accelerator of a year, the best Arena model of a snapshot) carries the rule in
``derived_from`` and the keys of the rows it was computed from in ``inputs``. :func:`derivation`
returns both as a typed object and, where the rows are shipped (the ``models``, ``clusters`` and
``accelerators`` tables), looks them up, so a user can list and recount them.

Example:
    >>> import aipower
    >>> obs = aipower.get("notable_models", country="CN", year=2023,
    ...                   source="epoch_notable_2026_08")
    >>> d = aipower.derivation(obs)
    >>> d.table, len(d.inputs) == obs.value
    ('models', True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from aipower.results import Observation

if TYPE_CHECKING:
    import pandas as pd

#: Shipped tables whose rows can be the inputs of a derived value, with their key column.
INPUT_TABLES: dict[str, str] = {
    "models": "model_id",
    "clusters": "cluster_id",
    "accelerators": "accelerator_id",
}

#: Sources whose derived values rest on rows of a raw file aipower does not ship: what the keys are.
RAW_KEYS: dict[str, str] = {
    "epoch_benchmarked_2026_08": "id_model_version",
    "lmarena_leaderboard_2025": "model name (key of category 'full' in the snapshot file)",
}

InputTable = Literal["models", "clusters", "accelerators"]


def _bare(key: str) -> str:
    """The key without its side prefix (``"USA: h100-sxm5"`` -> ``"h100-sxm5"``)."""
    side, sep, rest = key.partition(": ")
    return rest if sep and side.isupper() else key


@attrs.frozen
class Derivation:
    """How a derived value was computed: the rule, the input keys and where they live.

    ``table`` is ``"models"``, ``"clusters"`` or ``"accelerators"`` when the keys are ids in that
    shipped table (rows of the same ``source_id``); ``None`` when they are row keys of the raw
    file named in the locator (Epoch's ``id_model_version`` for ECI scores, LMArena's model names
    for Arena ratings; aipower ships neither file).
    A key of the form ``"USA: gpt-4-0314"`` belongs to one side of a two-sided rule (a gap).
    """

    metric_id: str
    entity_id: str
    year: int
    source_id: str
    vintage: str
    value: float
    locator: str
    rule: str | None
    inputs: tuple[str, ...]
    table: InputTable | None
    key: str

    def sides(self) -> dict[str, tuple[str, ...]]:
        """Inputs grouped by the entity prefix (``{"": inputs}`` when keys have none)."""
        out: dict[str, list[str]] = {}
        for k in self.inputs:
            side, sep, rest = k.partition(": ")
            if sep and side.isupper():
                out.setdefault(side, []).append(rest)
            else:
                out.setdefault("", []).append(k)
        return {s: tuple(v) for s, v in out.items()}

    def rows(self) -> pd.DataFrame:
        """The input rows from the shipped ``models``/``clusters``/``accelerators`` table.

        Rows come in input order; side prefixes (``"USA: "``) are dropped, the table's own
        columns (e.g. ``designer_country``) say which side a row is on.

        Raises:
            ValueError: the inputs are raw-file keys (``table`` is None); the error says which
                file and column hold them.
        """
        if self.table is None:
            raise ValueError(
                f"the inputs of {self.metric_id} {self.entity_id} {self.year} are row keys "
                f"({self.key}) of the raw file named in its locator, which aipower does not "
                "ship; list the keys with .inputs"
            )
        from aipower._query.api import table

        frame = table(self.table)
        col = INPUT_TABLES[self.table]
        keys = [_bare(k) for k in self.inputs]
        mine = frame[(frame["source_id"] == self.source_id) & frame[col].isin(keys)]
        if self.table == "models":
            # one Epoch release has several files (notable, all, ...): keep the file counted
            datasets = [d for d in mine["dataset"].unique() if f"{d}_ai_models.csv" in self.locator]
            mine = mine[mine["dataset"].isin(datasets)]
        order = {k: i for i, k in enumerate(keys)}
        out: pd.DataFrame = mine.sort_values(col, key=lambda s: s.map(order))
        return out.reset_index(drop=True)


def _input_table(source_id: str) -> InputTable | None:
    from aipower._core.store import default

    def has(name: str) -> bool:
        ids = default().shipped_table(name).column("source_id").unique().to_pylist()
        return source_id in ids

    def find() -> InputTable | None:
        for name in INPUT_TABLES:
            if has(name):
                return cast("InputTable", name)
        return None

    return default().cached(("derivation_table", source_id), find)


def derivation(observation: Any) -> Derivation:
    """The rule and structured input keys of a derived observation.

    Args:
        observation: an :class:`~aipower.Observation` (e.g. from :func:`aipower.get`).

    Raises:
        TypeError: not an Observation.
        ValueError: the observation was read, not derived (it has no inputs); the message says
            where its value comes from instead.
    """
    if not isinstance(observation, Observation):
        raise TypeError(
            f"derivation() takes an Observation (from aipower.get/get_all), not "
            f"{type(observation).__name__}"
        )
    o = observation
    if o.derived_from is None and not o.inputs:
        raise ValueError(
            f"{o.metric_id} {o.entity_id} {o.year} from {o.source_id} is not derived from "
            f"listed rows (status {o.status}); its value is read at: {o.locator}"
        )
    tab = _input_table(o.source_id)
    if tab is not None:
        key = INPUT_TABLES[tab]
    else:
        key = RAW_KEYS.get(o.source_id, "raw row key (see locator)")
    return Derivation(
        metric_id=o.metric_id,
        entity_id=o.entity_id,
        year=o.year,
        source_id=o.source_id,
        vintage=o.vintage,
        value=o.value,
        locator=o.locator,
        rule=o.derived_from,
        inputs=o.inputs,
        table=tab,
        key=key,
    )
