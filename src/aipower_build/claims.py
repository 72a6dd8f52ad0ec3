"""Turn curated claims into the ``claims`` table, with verdicts computed by the rule code."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from aipower._claims.check import evaluate
from aipower._claims.verdict import to_decimal
from aipower._core.store import Store
from aipower._display import format_value
from aipower._query.resolve import Query
from aipower._spec import TABLES
from aipower.schemas import figure_key
from aipower_build.curated import SCALES, CuratedError, where

#: Entities that are not "named" competitors in a `leads` claim.
NOT_NAMED = frozenset({"REST_OF_WORLD", "UNKNOWN", "WORLD"})


def _opt(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


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
    rows: list[dict[str, object]] = []
    for i, row in claims.iterrows():
        at = where(claims, i)
        kind = str(row["claim_kind"]).strip()
        metric_id = _opt(row["metric_id"])
        entity_id = _opt(row["entity_id"])
        year_text = _opt(row["year"])
        year = int(year_text) if year_text else None
        compare = _opt(row["compare_source_id"])
        stated_printed = _opt(row["stated_printed"])
        stated_unit = (_opt(row["stated_unit"]) or "").strip()
        stated_value: float | None = None
        stated_dec: Decimal | None = None
        if stated_printed is not None:
            if stated_unit not in SCALES:
                raise CuratedError(f"{at}: stated_unit {stated_unit!r} not in {sorted(SCALES)}")
            stated_dec = to_decimal(stated_printed)
            stated_value = float(stated_dec * SCALES[stated_unit])
        basis_text = (_opt(row.get("same_basis")) or "true").lower()
        if basis_text not in ("true", "false"):
            raise CuratedError(f"{at}: same_basis must be true or false (rule: boolean)")
        same_basis = basis_text == "true"
        verdict, explanation = "unverified", "No primary value has been located for this claim."
        if kind not in ("value", "leads", "unlocated"):
            raise CuratedError(f"{at}: claim_kind {kind!r} not in value/leads/unlocated")
        if kind != "unlocated":
            if metric_id is None or entity_id is None or year is None or compare is None:
                raise CuratedError(
                    f"{at}: a {kind} claim needs metric_id, entity_id, year and compare_source_id"
                )
            cand = obs[
                (obs["metric_id"] == metric_id)
                & (obs["year"] == year)
                & (obs["source_id"] == compare)
                & (obs["priority"] == 0)
            ]
            mine = cand[cand["entity_id"] == entity_id]
            if mine.empty:
                verdict = "unverified"
                explanation = (
                    f"{compare} has no {metric_id} value for {entity_id} in {year} in aipower."
                )
            elif kind == "value":
                if stated_dec is None:
                    raise CuratedError(f"{at}: a value claim needs stated_printed")
                q = Query(store.metrics[metric_id], entity_id, year, compare, None)
                result = evaluate(store, q, stated_dec, SCALES[stated_unit])
                verdict, explanation = result.verdict, result.explanation
                if not same_basis and verdict in ("matches", "rounded"):
                    # the number agrees but the claim says it counts something else
                    verdict = "differs"
                    explanation += (
                        " The number agrees, but the claim describes a different quantity "
                        "(see the metric's basis and the context)."
                    )
            else:  # leads
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
                        f"largest value ({format_value(mine_value, units.get(metric_id, ''))})."
                    )
                    if bigger_unnamed:
                        explanation += (
                            f" The residual group(s) {', '.join(bigger_unnamed)} are larger."
                        )
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
        rows.append(
            {
                "claim_id": str(row["claim_id"]).strip(),
                "statement": str(row["statement"]).strip(),
                "claim_kind": kind,
                "stated_value": stated_value,
                "stated_printed": (
                    f"{stated_printed} {stated_unit}".strip() if stated_printed else None
                ),
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
        )
    frame = pd.DataFrame(
        rows,
        columns=[*TABLES["claims"].columns, "_file", "_row"],
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame
