"""Notebook display: _repr_html_ of the result objects and the renderers in aipower._display."""

from __future__ import annotations

import pytest

import aipower
from aipower import _display
from aipower._core.store import default


@pytest.fixture(scope="module")
def share() -> aipower.Share:
    return aipower.get_share("patents", country="CN", year=2023)


def test_observation_and_share_html(share: aipower.Share) -> None:
    html = share._repr_html_()
    assert "69.7%" in html  # value with unit (shares as %)
    assert "verified" in html
    assert "background:" in html
    assert 'href="https://' in html  # source link
    assert "Figure 1.2.3" in html  # locator
    assert "CC-BY-ND-4.0" in html  # licence
    obs = aipower.get("notable_models", country="US", year=2024)
    assert "40 models" in obs._repr_html_()


def test_source_and_metric_html(share: aipower.Share) -> None:
    assert "CC-BY-ND-4.0" in share.source._repr_html_()
    html = share.metric._repr_html_()
    assert share.metric.metric_id in html
    assert "fraction" in html


def test_claim_and_check_html() -> None:
    claims = aipower.claims()
    cid = claims.loc[claims["verdict"] == "differs", "claim_id"].iloc[0]
    claim = aipower.claim(cid)
    assert "differs" in claim._repr_html_()
    result = aipower.check("patents", country="CN", year=2023, value=70, unit="percent")
    assert "rounded" in result._repr_html_()


def test_richer_renderers() -> None:
    store = default()
    claims = aipower.claims()
    cid = claims.loc[claims["verdict"] == "differs", "claim_id"].iloc[0]
    claim = aipower.claim(cid)
    html = _display.claim_html(claim)
    assert _display.VERDICT_COLOURS["differs"] in html  # verdict badge
    assert claim.stated_by.license in html
    assert "<table" in html or not claim.observations
    result = aipower.check("patents", country="CN", year=2023, value=70, unit="percent")
    html = _display.check_html(result)
    assert _display.VERDICT_COLOURS["rounded"] in html
    assert "70%" in html
    assert "Figure 1.2.3" in html
    metric = aipower.metric("patents_granted_share")
    html = _display.metric_html(metric, store.sources[metric.default_source_id])
    assert "fraction in [0, 1]" in html
    assert "CC-BY-ND-4.0" in html
    assert "<script" not in html


def test_html_is_escaped() -> None:
    assert "&lt;b&gt;" in _display.badge("<b>", "#000")
    assert _display.format_value(0.697, "fraction") == "69.7%"
    assert _display.format_value(2_788_000.0, "GPU-hours") == "2,788,000 GPU-hours"
