"""``aipower.check``, the verdict rules (``aipower._claims.verdict``) and the claims ledger."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aipower
from aipower._claims.verdict import compare_value, stated_quantum, to_decimal
from aipower._spec import VERDICTS

SCALES = {
    "": Decimal(1),
    "percent": Decimal("0.01"),
    "fraction": Decimal(1),
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
}
#: groups that are not "named" competitors in a `leads` claim
RESIDUAL = {"REST_OF_WORLD", "UNKNOWN", "WORLD"}


def mentions(text: str, value: float) -> bool:
    """Does ``text`` give ``value`` in one of the usual renderings?"""
    forms = {
        f"{value:.6g}",
        f"{value:.4g}",
        f"{value:,.0f}",
        f"{value:.0f}",
        f"{value / 1e6:g} million",
        f"{value / 1e6:g}M",
    }
    return any(f in text for f in forms)


# -- aipower.check ---------------------------------------------------------------------------------
def test_check_deepseek_2_6_million_differs() -> None:
    r = aipower.check("training_gpu_hours", entity="DeepSeek-V3", year=2024, value=2.6e6)
    assert r.verdict == "differs"
    assert r.nearest.source_id == "deepseek_v3_report"
    assert r.nearest.value == 2_788_000
    assert r.value == 2_600_000
    assert mentions(r.explanation, 2.788e6), r.explanation
    assert mentions(r.explanation, 2.664e6), r.explanation  # the pre-training stage
    assert "pretraining" in r.explanation or "pre-training" in r.explanation
    related = {c.observation.metric_id: c for c in r.related}
    assert related["training_gpu_hours_pretraining"].observation.value == 2_664_000


def test_check_deepseek_in_millions() -> None:
    r = aipower.check(
        "training_gpu_hours", entity="DeepSeek-V3", year=2024, value=2.788, unit="million"
    )
    assert r.verdict == "matches"
    assert r.value == 2_788_000
    assert aipower.check(
        "training_gpu_hours", entity="DeepSeek-V3", year=2024, value=2.8, unit="million"
    ).verdict == ("rounded")


@pytest.mark.parametrize(
    ("value", "unit", "verdict"),
    [
        (69.7, "percent", "matches"),
        (70, "percent", "rounded"),
        (0.697, "fraction", "matches"),
        (0.7, "fraction", "rounded"),
        (69, "percent", "differs"),
        (69.6, "percent", "differs"),
        (14.16, "percent", "differs"),  # the US share, not China's
    ],
)
def test_check_china_patent_share(value: float, unit: str, verdict: str) -> None:
    r = aipower.check("patents", country="CN", year=2023, value=value, unit=unit)  # type: ignore[arg-type]
    assert r.verdict == verdict
    assert r.metric_id == "patents_granted_share"
    assert r.entity_id == "CHN"
    assert r.value == float(to_decimal(value) * SCALES[unit])
    if verdict != "differs":
        assert r.nearest.source_id == "aiindex_2025"


def test_check_result_is_frozen_and_lists_every_observation() -> None:
    r = aipower.check("patents", country="CN", year=2023, value=69.7, unit="percent")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.verdict = "differs"  # type: ignore[misc]
    everything = aipower.get_all("patents_granted_share", country="CN", year=2023)
    assert len(r.comparisons) == len(everything)
    assert {c.observation.source_id for c in r.comparisons} == {o.source_id for o in everything}
    assert r.nearest.status == "verified"


@pytest.mark.parametrize("metric", ["patents_granted_share", "citations_share", "optimism"])
def test_percent_number_without_unit_on_a_share_is_refused(metric: str) -> None:
    with pytest.raises(ValueError, match="unit") as info:
        aipower.check(metric, country="CN", year=2023 if metric != "optimism" else 2024, value=69.7)
    assert "percent" in str(info.value)


def test_percent_unit_on_a_count_is_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        aipower.check("notable_models", country="US", year=2024, value=40, unit="percent")


def test_check_without_data_raises_nodataerror() -> None:
    with pytest.raises(aipower.NoDataError) as info:
        aipower.check("patents_granted_share", country="CN", year=1990, value=0.5)
    assert "2023" in str(info.value)
    with pytest.raises(aipower.NoDataError):
        aipower.check("training_gpu_hours", entity="DeepSeek-V3", year=2020, value=1)


def test_check_counts() -> None:
    assert aipower.check("notable_models", country="US", year=2024, value=40).verdict == "matches"
    assert aipower.check("notable_models", country="US", year=2024, value=41).verdict == "differs"
    r = aipower.check("newly_funded_companies", country="US", year=2024, value=1073)
    assert r.verdict == "matches"
    assert r.nearest.priority == 0


# -- verdict rules, unit level ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stated", "primary", "unit", "verdict"),
    [
        ("69.7", 0.697, "percent", "matches"),
        ("69.70", 0.697, "percent", "matches"),  # trailing zero: same number
        ("69.700", 0.697, "percent", "matches"),
        ("0.697", 0.697, "fraction", "matches"),
        ("70", 0.697, "percent", "rounded"),
        ("70.0", 0.697, "percent", "rounded"),  # precision = last non-zero digit (documented)
        ("69", 0.697, "percent", "differs"),
        ("13", 0.1303, "percent", "rounded"),
        ("13.0", 0.1303, "percent", "rounded"),
        ("13.03", 0.1303, "percent", "matches"),
        ("13.1", 0.1303, "percent", "differs"),
        ("22.6", 0.226, "percent", "matches"),
        ("17.3", 17.27, "", "rounded"),
        ("17.2", 17.27, "", "differs"),
        ("2.6", 2_788_000.0, "million", "differs"),
        ("2.60", 2_788_000.0, "million", "differs"),
        ("2.6", 2_664_000.0, "million", "differs"),  # pre-training rounds to 2.7
        ("2.7", 2_664_000.0, "million", "rounded"),
        ("2.788", 2_788_000.0, "million", "matches"),
        ("2.8", 2_788_000.0, "million", "rounded"),
        ("3", 2_788_000.0, "million", "rounded"),
        ("2,788", 2_788_000.0, "thousand", "matches"),
        ("2788000", 2_788_000.0, "", "matches"),
        ("2800000", 2_788_000.0, "", "rounded"),
        ("2600000", 2_788_000.0, "", "differs"),
        ("109.08", 109_080_000_000.0, "billion", "matches"),
        ("109.1", 109_080_000_000.0, "billion", "rounded"),
        ("109", 109_080_000_000.0, "billion", "rounded"),
        ("110", 109_080_000_000.0, "billion", "rounded"),  # last non-zero digit is the ten
        ("108", 109_080_000_000.0, "billion", "differs"),
        ("1,143", 1073.0, "", "differs"),
        ("1,073", 1073.0, "", "matches"),
        ("0.13", 0.125, "", "rounded"),  # half up
        ("0.12", 0.125, "", "differs"),
        ("3", 2.5, "", "rounded"),
        ("0", 0.0, "", "matches"),
        ("123456789012345", 123456789012345.0, "", "matches"),
        ("1.2346E+14", 123456789012345.0, "", "rounded"),
        ("1.2345E+14", 123456789012345.0, "", "differs"),
    ],
)
def test_compare_value(stated: str, primary: float, unit: str, verdict: str) -> None:
    assert compare_value(to_decimal(stated), primary, scale=SCALES[unit]) == verdict


def test_stated_quantum() -> None:
    assert stated_quantum(Decimal("69.7")) == Decimal("0.1")
    assert stated_quantum(Decimal("70")) == Decimal("10")
    assert stated_quantum(Decimal("2.60")) == Decimal("0.1")
    assert stated_quantum(Decimal("2788000")) == Decimal("1000")


def test_to_decimal_keeps_what_was_written() -> None:
    assert to_decimal(2.6e6) == Decimal(2_600_000)
    assert to_decimal(69.7) == Decimal("69.7")
    assert to_decimal("1,143") == Decimal(1143)
    assert to_decimal(0.1) == Decimal("0.1")  # not the binary expansion


FINITE = st.floats(
    min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False, allow_subnormal=False
)


@settings(max_examples=400, deadline=None, database=None)
@given(x=FINITE)
def test_a_value_always_matches_itself(x: float) -> None:
    assert compare_value(to_decimal(x), x) == "matches"


@settings(max_examples=300, deadline=None, database=None)
@given(x=FINITE, unit=st.sampled_from(["percent", "thousand", "million", "billion"]))
def test_a_value_matches_itself_in_any_unit(x: float, unit: str) -> None:
    stated = to_decimal(x)
    primary = float(stated * SCALES[unit])
    assert compare_value(stated, primary, scale=SCALES[unit]) == "matches"


NONZERO = st.floats(
    min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False, allow_subnormal=False
).filter(lambda v: v != 0)


@settings(max_examples=500, deadline=None, database=None)
@given(
    x=NONZERO, digits=st.integers(min_value=1, max_value=17), unit=st.sampled_from(sorted(SCALES))
)
def test_rounding_a_primary_never_differs(x: float, digits: int, unit: str) -> None:
    """Round a primary (written in ``unit``) half-up to any number of significant digits:
    the verdict is matches or rounded, never differs."""
    scale = SCALES[unit]
    primary_in_unit = Decimal(repr(x)) / scale
    quantum = Decimal(1).scaleb(primary_in_unit.adjusted() - digits + 1)
    stated = (primary_in_unit / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum
    assert stated != 0
    assert compare_value(stated, x, scale=scale) in ("matches", "rounded")


@settings(max_examples=300, deadline=None, database=None)
@given(
    mantissa=st.integers(min_value=1, max_value=99_999).filter(lambda m: m % 10 != 0),
    exponent=st.integers(min_value=-6, max_value=9),
    step=st.sampled_from([-3, -2, -1, 1, 2, 3]),
    fraction=st.floats(min_value=-0.49, max_value=0.49),
)
def test_a_primary_a_quantum_or_more_away_differs(
    mantissa: int, exponent: int, step: int, fraction: float
) -> None:
    """A stated m x 10^e against a primary that rounds (at 10^e) to another mantissa."""
    stated = Decimal(mantissa).scaleb(exponent)
    assert stated_quantum(stated) == Decimal(1).scaleb(exponent)
    primary = float((Decimal(mantissa + step) + Decimal(repr(fraction))).scaleb(exponent))
    assert compare_value(stated, primary) == "differs"


# -- the claims ledger -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def claims_rows() -> list[dict[str, object]]:
    return aipower.claims().to_dict(orient="records")


def test_claims_have_every_seed_claim(claims_rows: list[dict[str, object]]) -> None:
    ids = [str(r["claim_id"]) for r in claims_rows]
    assert len(ids) == len(set(ids))
    for n in range(1, 11):
        assert any(re.fullmatch(rf"C{n}[a-z]?", i) for i in ids), f"no claim C{n}"


def test_claim_verdicts_are_known(claims_rows: list[dict[str, object]]) -> None:
    assert {r["verdict"] for r in claims_rows} <= set(VERDICTS)
    by_id = {r["claim_id"]: r for r in claims_rows}
    assert by_id["C7"]["verdict"] == "unverified"
    assert by_id["C2a"]["verdict"] == "matches"
    assert by_id["C1d"]["verdict"] == "rounded"


def _stated(printed: str) -> tuple[Decimal, Decimal]:
    """``"2.6 million"`` -> (Decimal('2.6'), Decimal(1000000))."""
    number, _, unit = printed.partition(" ")
    return to_decimal(number), SCALES[unit.strip()]


def _value_claims() -> list[object]:
    frame = aipower.claims()
    rows = frame[(frame["claim_kind"] == "value")].to_dict(orient="records")
    return [pytest.param(r, id=str(r["claim_id"])) for r in rows]


@pytest.mark.parametrize("row", _value_claims())
def test_value_claim_verdict_is_what_check_returns(row: dict[str, object]) -> None:
    # the ledger and check() are one code path: the stated number, checked against the
    # claim's compared source, gets the ledger's verdict (same_basis=false aside)
    stated, scale = _stated(str(row["stated_printed"]))
    assert row["stated_value"] == float(stated * scale)
    unit = str(row["stated_printed"]).partition(" ")[2].strip() or None
    try:
        result = aipower.check(
            str(row["metric_id"]),
            entity=str(row["entity_id"]),
            year=int(row["year"]),  # type: ignore[call-overload]
            value=stated,
            unit=unit,  # type: ignore[arg-type]
            source=str(row["compare_source_id"]),
        )
    except aipower.NoDataError:
        assert row["verdict"] == "unverified"
        return
    expected = result.verdict
    if not row["same_basis"] and expected in ("matches", "rounded"):
        expected = "differs"  # same number, different quantity
    assert row["verdict"] == expected
    assert result.explanation in str(row["explanation"])


def _leads_claims() -> list[object]:
    frame = aipower.claims()
    rows = frame[frame["claim_kind"] == "leads"].to_dict(orient="records")
    return [pytest.param(r, id=str(r["claim_id"])) for r in rows]


@pytest.mark.parametrize("row", _leads_claims())
def test_leads_claim_verdict_recomputes(row: dict[str, object]) -> None:
    frame = aipower.compare(
        str(row["metric_id"]),
        year=int(row["year"]),  # type: ignore[call-overload]
        source=str(row["compare_source_id"]),
        kind="all",
    )
    named = frame[~frame.index.isin(RESIDUAL)]
    top = named["value"].idxmax()
    expected = "matches" if top == row["entity_id"] else "contradicted"
    if (named["status"] == "secondary").any():
        expected = "unverified"  # an order seen only second-hand settles nothing
    assert row["verdict"] == expected


def test_unlocated_claims_are_unverified(claims_rows: list[dict[str, object]]) -> None:
    unlocated = [r for r in claims_rows if r["claim_kind"] == "unlocated"]
    assert unlocated
    assert all(r["verdict"] == "unverified" for r in unlocated)


def test_claims_decided_by_secondary_values_are_unverified(
    claims_rows: list[dict[str, object]],
) -> None:
    offenders = []
    for r in claims_rows:
        if r["claim_kind"] != "value" or not r["compare_source_id"]:
            continue
        try:
            obs = aipower.get(
                str(r["metric_id"]),
                entity=str(r["entity_id"]),
                year=int(r["year"]),  # type: ignore[call-overload]
                source=str(r["compare_source_id"]),
            )
        except aipower.NoDataError:
            continue
        if obs.status == "secondary" and r["verdict"] != "unverified":
            offenders.append((r["claim_id"], r["verdict"]))
    assert offenders == []


def _deepseek_claim_id() -> str:
    frame = aipower.claims()
    hit = frame[
        (frame["metric_id"] == "training_gpu_hours")
        & (frame["entity_id"] == "DEEPSEEK_V3")
        & (frame["stated_value"] == 2_600_000)
        & (frame["stated_by"] == "ft_mittr_state_of_ai_2025")
    ]
    assert len(hit) == 1
    return str(hit["claim_id"].iloc[0])


def test_deepseek_claim_links_the_report() -> None:
    claim_id = _deepseek_claim_id()
    assert claim_id.startswith("C6")
    c = aipower.claim(claim_id)
    assert isinstance(c, aipower.Claim)
    assert c.verdict == "differs"
    assert c.stated_value == 2_600_000
    assert c.stated_by.source_id == "ft_mittr_state_of_ai_2025"
    report = [o for o in c.observations if o.source_id == "deepseek_v3_report"]
    assert len(report) == 1
    assert report[0].value == 2.788e6
    assert report[0].status == "verified"
    assert mentions(c.explanation, 2.788e6), c.explanation
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        c.verdict = "matches"  # type: ignore[misc]


def test_claim_lookup_strips_and_suggests() -> None:
    assert aipower.claim(" C2a ").claim_id == "C2a"
    with pytest.raises(aipower.AipowerError, match="C2a"):
        aipower.claim("C2x")
