"""Claims added with the 2026 evidence sources (Microsoft, Epoch ML hardware, LMArena)."""

from __future__ import annotations

import aipower

NEW = {
    "C11": "unverified",
    "C12": "unverified",
    "R5a": "differs",
    "R5b": "rounded",
    "R5c": "matches",
    "R5d": "matches",
    "R6": "unverified",
}


def test_verdicts_of_the_new_claims() -> None:
    claims = aipower.claims().set_index("claim_id")
    assert {cid: claims.loc[cid, "verdict"] for cid in NEW} == NEW


def test_uae_slip_in_the_ai_index_text_is_visible() -> None:
    claim = aipower.claim("R5a")
    assert claim.stated_value == 0.54
    assert "64%" in claim.explanation
    readings = aipower.get_all("ai_diffusion", country="AE", year=2025)
    ai_index = sorted(
        (o.priority, o.value)
        for o in readings
        if o.source_id == "aiindex_2026" and o.date.month == 12
    )
    assert ai_index == [(0, 0.64), (1, 0.54)]


def test_matching_new_claims_rest_on_first_hand_values() -> None:
    claims = aipower.claims().set_index("claim_id")
    for cid, verdict in NEW.items():
        if verdict != "matches":
            continue
        row = claims.loc[cid]
        obs = aipower.get(
            row["metric_id"],
            country=row["entity_id"],
            year=int(row["year"]),
            source=row["compare_source_id"],
        )
        assert obs.status == "verified"
        assert aipower.source(row["compare_source_id"]).primary
