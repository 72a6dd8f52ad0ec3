"""The claims ledger: who stated which number, and how it compares with the primary."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from aipower._query import table
from aipower._store import default
from aipower.errors import NoDataError, UnknownClaimError, suggest
from aipower.results import Observation, Source

if TYPE_CHECKING:
    import pandas as pd


@attrs.frozen(repr=False)
class Claim:
    """A quantitative claim, the observations it was checked against, and the verdict.

    Example:
        >>> c = aipower.claim("C6")          # doctest: +SKIP
        >>> c.verdict, c.stated_value        # doctest: +SKIP
        ('differs', 2600000.0)
    """

    claim_id: str
    statement: str
    claim_kind: str
    stated_value: float | None
    stated_printed: str | None
    stated_by: Source
    stated_on: str | None
    attributed_to: Source | None
    observations: tuple[Observation, ...]
    same_basis: bool
    verdict: str
    explanation: str
    context: str | None

    def __repr__(self) -> str:
        return f"Claim({self.claim_id!r}, verdict={self.verdict!r}, stated={self.stated_printed!r})"

    def _repr_html_(self) -> str:
        from aipower._display import claim_html

        return claim_html(self)


def claims() -> pd.DataFrame:
    """Every claim with its verdict (a copy)."""
    frame: pd.DataFrame = table("claims")
    return frame


def claim(claim_id: str) -> Claim:
    """One claim, with its linked observations resolved to full :class:`Observation` objects."""
    if not isinstance(claim_id, str):
        raise TypeError(f"claim_id must be a str, not {type(claim_id).__name__}")
    store = default()
    store.ensure()

    def make() -> dict[str, dict[str, object]]:
        return {r["claim_id"]: r for r in store.arrow("claims").to_pylist()}

    rows = store.cached(("claims-by-id",), make)
    key = claim_id.strip()
    folded = {k.casefold(): r for k, r in rows.items()}  # ids are unique ignoring case
    row = rows.get(key) or folded.get(key.casefold())
    if row is None:
        raise UnknownClaimError(
            f"unknown claim {claim_id!r}.{suggest(claim_id, rows)} See aipower.claims()."
        )
    linked: tuple[Observation, ...] = ()
    if row["metric_id"] and row["entity_id"] and row["year"] is not None:
        from aipower._query import get_all

        try:
            linked = tuple(
                get_all(
                    str(row["metric_id"]), entity=str(row["entity_id"]), year=int(str(row["year"]))
                )
            )
        except NoDataError:
            linked = ()
    attributed = row["attributed_to"]
    return Claim(
        claim_id=str(row["claim_id"]),
        statement=str(row["statement"]),
        claim_kind=str(row["claim_kind"]),
        stated_value=row["stated_value"],  # type: ignore[arg-type]
        stated_printed=row["stated_printed"],  # type: ignore[arg-type]
        stated_by=store.sources[str(row["stated_by"])],
        stated_on=row["stated_on"],  # type: ignore[arg-type]
        attributed_to=store.sources[str(attributed)] if attributed else None,
        observations=linked,
        same_basis=bool(row["same_basis"]),
        verdict=str(row["verdict"]),
        explanation=str(row["explanation"]),
        context=row["context"],  # type: ignore[arg-type]
    )
