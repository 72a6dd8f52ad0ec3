"""Turn curated claims into the ``claims`` table, with verdicts computed by the rule code."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pandas as pd

from aipower._claims.check import evaluate
from aipower._claims.verdict import to_decimal
from aipower._core.store import Store
from aipower._display import format_value
from aipower._query.resolve import Query
from aipower._spec import AGREEING_VERDICTS, TABLES
from aipower.schemas import figure_key
from aipower_build.curated import SCALES, CuratedError, where

#: Entities that are not "named" competitors in a `leads` claim.
NOT_NAMED = frozenset({"REST_OF_WORLD", "UNKNOWN", "WORLD"})


def _opt(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


@attrs.frozen
class _Stated:
    """The number a claim states, as printed and as a value in the metric's unit."""

    printed: str | None
    unit: str
    dec: Decimal | None
    value: float | None


def _stated(at: str, row: pd.Series) -> _Stated:  # type: ignore[type-arg]
    printed = _opt(row["stated_printed"])
    unit = (_opt(row["stated_unit"]) or "").strip()
    if printed is None:
        return _Stated(None, unit, None, None)
    if unit not in SCALES:
        raise CuratedError(f"{at}: stated_unit {unit!r} not in {sorted(SCALES)}")
    dec = to_decimal(printed)
    return _Stated(printed, unit, dec, float(dec * SCALES[unit]))


def _same_basis(at: str, row: pd.Series) -> bool:  # type: ignore[type-arg]
    basis_text = (_opt(row.get("same_basis")) or "true").lower()
    if basis_text not in ("true", "false"):
        raise CuratedError(f"{at}: same_basis must be true or false (rule: boolean)")
    return basis_text == "true"


@attrs.frozen
class _Claim:
    """What a verdict needs from one curated claim row."""

    at: str
    kind: str
    metric_id: str
    entity_id: str
    year: int
    compare: str
    stated: _Stated
    same_basis: bool


def _value_verdict(claim: _Claim, store: Store) -> tuple[str, str]:
    if claim.stated.dec is None:
        raise CuratedError(f"{claim.at}: a value claim needs stated_printed")
    q = Query(store.metrics[claim.metric_id], claim.entity_id, claim.year, claim.compare, None)
    result = evaluate(store, q, claim.stated.dec, SCALES[claim.stated.unit])
    verdict, explanation = result.verdict, result.explanation
    if not claim.same_basis and verdict in AGREEING_VERDICTS:
        # the number agrees but the claim says it counts something else
        verdict = "differs"
        explanation += (
            " The number agrees, but the claim describes a different quantity "
            "(see the metric's basis and the context)."
        )
    return verdict, explanation


def _leads_verdict(
    claim: _Claim, cand: pd.DataFrame, mine: pd.DataFrame, unit: str
) -> tuple[str, str]:
    entity_id, compare = claim.entity_id, claim.compare
    locator = mine.iloc[0]["locator"]
    fig = figure_key(str(locator))
    same = cand["locator"].map(figure_key) == fig
    group = cand[same & ~cand["entity_id"].isin(NOT_NAMED)]
    top = group.sort_values("value", ascending=False, kind="mergesort").iloc[0]
    mine_value = float(mine.iloc[0]["value"])
    others = cand[same & cand["entity_id"].isin(NOT_NAMED)]
    bigger_unnamed = others[others["value"] > mine_value]["entity_id"].tolist()
    if top["entity_id"] == entity_id:
        verdict = "matches"
        explanation = (
            f"Among the named entities in {compare} ({locator}), {entity_id} has the "
            f"largest value ({format_value(mine_value, unit)})."
        )
        if bigger_unnamed:
            explanation += f" The residual group(s) {', '.join(bigger_unnamed)} are larger."
    else:
        verdict = "contradicted"
        explanation = (
            f"In {compare} ({locator}), {top['entity_id']} ({float(top['value']):.6g}) "
            f"is ahead of {entity_id} ({mine_value:.6g})."
        )
    if (group["status"] == "secondary").any() or mine.iloc[0]["status"] == "secondary":
        # as in check(): an order seen only second-hand cannot settle the claim
        explanation += (
            f" Unverified: the values compared were seen only second-hand, so the "
            f"'{verdict}' above rests on a copy, not on the primary."
        )
        verdict = "unverified"
    return verdict, explanation


def _verdict(
    claim: _Claim, obs: pd.DataFrame, store: Store, units: dict[str, str]
) -> tuple[str, str]:
    cand = obs[
        (obs["metric_id"] == claim.metric_id)
        & (obs["year"] == claim.year)
        & (obs["source_id"] == claim.compare)
        & (obs["priority"] == 0)
    ]
    mine = cand[cand["entity_id"] == claim.entity_id]
    if mine.empty:
        return "unverified", (
            f"{claim.compare} has no {claim.metric_id} value for {claim.entity_id} in "
            f"{claim.year} in aipower."
        )
    if claim.kind == "value":
        return _value_verdict(claim, store)
    return _leads_verdict(claim, cand, mine, units.get(claim.metric_id, ""))


def _claim_row(
    row: pd.Series,  # type: ignore[type-arg]
    at: str,
    obs: pd.DataFrame,
    store: Store,
    units: dict[str, str],
) -> dict[str, object]:
    kind = str(row["claim_kind"]).strip()
    metric_id = _opt(row["metric_id"])
    entity_id = _opt(row["entity_id"])
    year_text = _opt(row["year"])
    year = int(year_text) if year_text else None
    compare = _opt(row["compare_source_id"])
    stated = _stated(at, row)
    same_basis = _same_basis(at, row)
    verdict, explanation = "unverified", "No primary value has been located for this claim."
    if kind not in ("value", "leads", "unlocated"):
        raise CuratedError(f"{at}: claim_kind {kind!r} not in value/leads/unlocated")
    if kind != "unlocated":
        if metric_id is None or entity_id is None or year is None or compare is None:
            raise CuratedError(
                f"{at}: a {kind} claim needs metric_id, entity_id, year and compare_source_id"
            )
        claim = _Claim(at, kind, metric_id, entity_id, year, compare, stated, same_basis)
        verdict, explanation = _verdict(claim, obs, store, units)
    return {
        "claim_id": str(row["claim_id"]).strip(),
        "statement": str(row["statement"]).strip(),
        "claim_kind": kind,
        "stated_value": stated.value,
        "stated_printed": (f"{stated.printed} {stated.unit}".strip() if stated.printed else None),
        "stated_by": str(row["stated_by"]).strip(),
        "stated_on": _opt(row["stated_on"]),
        "attributed_to": _opt(row["attributed_to"]),
        "metric_id": metric_id,
        "entity_id": entity_id,
        "year": year,
        "compare_source_id": compare,
        "same_basis": same_basis,
        "verdict": verdict,
        "explanation": explanation,
        "context": _opt(row["context"]),
        "_file": row["_file"],
        "_row": row["_row"],
    }


def build_claims(
    claims: pd.DataFrame, obs: pd.DataFrame, metrics: pd.DataFrame, store: Store
) -> pd.DataFrame:
    """Compute verdicts and explanations for every curated claim.

    A value claim's verdict is :func:`aipower._claims.check.evaluate` (the code behind
    ``aipower.check``) on its stated number against ``compare_source_id``, over ``store``
    (the tables being built); a curated ``same_basis=false`` turns agreement into ``differs``.
    ``leads`` claims compare the named entities of one figure.
    """
    store.load_indexes()
    units = dict(zip(metrics["metric_id"], metrics["unit"], strict=True))
    rows = [_claim_row(row, where(claims, i), obs, store, units) for i, row in claims.iterrows()]
    frame = pd.DataFrame(
        rows,
        columns=[*TABLES["claims"].columns, "_file", "_row"],
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame
