"""Issue 13.9: ``_repr_html_`` escapes every value (from the data or the caller) and makes links
only of http(s) URLs; a ``javascript:`` URL is shown as text."""

from __future__ import annotations

import html
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import aipower
from aipower import _display

EVIL = '<img src=x onerror="alert(1)">'
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "http:",
]


def source() -> Any:
    return aipower.source("aiindex_2025")


def observation() -> Any:
    return aipower.get_share("patents", country="CN", year=2023)


def assert_no_raw(markup: str, needle: str = EVIL) -> None:
    assert needle not in markup
    assert "onerror=" not in markup.replace("onerror=&quot;", "")


@pytest.mark.parametrize("url", BAD_URLS)
def test_unsafe_url_is_not_a_link(url: str) -> None:
    s = attrs.evolve(source(), url=url)
    for markup in (s._repr_html_(), _display.source_link(s)):
        assert "<a " not in markup
        assert "href=" not in markup


def test_http_and_https_urls_are_links() -> None:
    for url in ("http://example.org/a?b=1&c=2", "HTTPS://example.org/"):
        s = attrs.evolve(source(), url=url)
        markup = _display.source_link(s)
        assert f'href="{html.escape(url)}"' in markup
        assert 'rel="noopener noreferrer"' in markup
        assert f'href="{html.escape(url)}"' in s._repr_html_()


def test_quote_in_a_url_cannot_close_the_attribute() -> None:
    s = attrs.evolve(source(), url='https://ok.example/"onmouseover="alert(1)')
    markup = _display.source_link(s)
    assert 'href="https://ok.example/&quot;onmouseover=&quot;alert(1)"' in markup
    assert '"onmouseover="' not in markup


def test_every_shipped_source_url_is_still_a_link() -> None:
    from aipower._core.store import default

    default().load_indexes()
    for s in default().sources.values():
        if s.url:
            assert _display.safe_url(s.url) == s.url, s.source_id


@pytest.mark.parametrize("field", ["title", "publisher", "vintage", "published", "license"])
def test_source_fields_are_escaped(field: str) -> None:
    s = attrs.evolve(source(), **{field: EVIL})
    assert_no_raw(s._repr_html_())
    assert_no_raw(_display.source_link(s))


@pytest.mark.parametrize("field", ["year", "locator", "status", "note"])
def test_observation_fields_are_escaped(field: str) -> None:
    o = attrs.evolve(observation(), **{field: EVIL})
    assert_no_raw(o._repr_html_())
    assert_no_raw(_display.observation_row(o))


def test_observation_date_string_is_escaped() -> None:
    class FakeDate:  # a date-like value whose text is markup
        def isoformat(self) -> str:
            return EVIL

    o = attrs.evolve(observation(), date=FakeDate())
    assert_no_raw(o._repr_html_())
    assert_no_raw(_display.observation_row(o))


@pytest.mark.parametrize("field", ["title", "definition", "basis", "unit", "kind", "metric_id"])
def test_metric_fields_are_escaped(field: str) -> None:
    m = attrs.evolve(aipower.metric("patents"), **{field: EVIL})
    assert_no_raw(_display.metric_html(m))


def test_check_result_year_is_escaped() -> None:
    r = aipower.check("patents", country="CN", year=2023, value=0.697)
    r = attrs.evolve(r, year=EVIL)
    assert_no_raw(_display.check_html(r))


def test_claim_fields_are_escaped() -> None:
    c = aipower.claim("C1a")
    c = attrs.evolve(c, statement=EVIL, stated_on=EVIL, explanation=EVIL)
    assert_no_raw(_display.claim_html(c))


@given(text=st.text(min_size=1, max_size=40))
def test_any_title_appears_only_escaped(text: str) -> None:
    s = attrs.evolve(source(), title=text, url=None)
    markup = _display.source_link(s)
    assert html.escape(text) in markup
    if "<" in text:
        assert text not in markup


@given(url=st.text(max_size=40))
def test_only_http_urls_are_linked(url: str) -> None:
    s = attrs.evolve(source(), url=url)
    markup = _display.source_link(s)
    if "<a " in markup:
        assert url.lower().startswith(("http://", "https://"))
