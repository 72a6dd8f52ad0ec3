"""The claims ledger: who stated which number, and how it compares with the primary.

The verdicts are computed at build time by :func:`aipower._claims.check.evaluate`, the code behind
:func:`aipower.check`, against each claim's ``compare_source_id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aipower._core.store import default
from aipower._query.api import table
from aipower.errors import NoDataError, UnknownClaimError, suggest
from aipower.results import Claim, Observation

__all__ = ["Claim", "claim", "claims"]

if TYPE_CHECKING:
    import pandas as pd


def claims() -> pd.DataFrame:
    """Every claim with its verdict (a copy)."""
    frame: pd.DataFrame = table("claims")
    return frame


def claim(claim_id: str) -> Claim:
    """One claim, with its linked observations resolved to full :class:`Observation` objects."""
    if not isinstance(claim_id, str):
        raise TypeError(f"claim_id must be a str, not {type(claim_id).__name__}")
    store = default()
    store.load_indexes()

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
        from aipower._query.api import get_all

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
        metric_id=row["metric_id"],  # type: ignore[arg-type]
        entity_id=row["entity_id"],  # type: ignore[arg-type]
        year=row["year"],  # type: ignore[arg-type]
        compare_source_id=row["compare_source_id"],  # type: ignore[arg-type]
    )
