"""Compact HTML for notebooks: status and verdict badges, source links, locators, licences.

The result classes render themselves with ``_repr_html_``; this module holds the richer
renderers for :class:`~aipower.Metric`, :class:`~aipower.Claim` and
:class:`~aipower.CheckResult` (each class's ``_repr_html_`` can delegate here) plus the small
pieces they share. Plain Python and :mod:`html` only.

Every value from the data or from the caller goes through :func:`html.escape` (quotes
included, so attribute values cannot be closed early), and only ``http``/``https`` URLs become
links: a ``javascript:`` or ``data:`` URL in a source row is shown as escaped text.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from aipower._spec import STATUS_CODES, VERDICT_CODES

if TYPE_CHECKING:
    from aipower.results import CheckResult, Claim, Metric, Observation, Source

STATUS_COLOURS: dict[str, str] = {c.id: c.colour for c in STATUS_CODES}
VERDICT_COLOURS: dict[str, str] = {c.id: c.colour for c in VERDICT_CODES}
_BOX = "font-family:sans-serif;line-height:1.45;max-width:56em"
_MUTED = "color:#57606a"


#: URL schemes rendered as links; anything else is shown as text
SAFE_SCHEMES = ("http", "https")


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL without control characters, else None."""
    from urllib.parse import urlsplit

    if not url:
        return None
    text = str(url)
    if any(ord(ch) < 0x21 or ch == "\x7f" for ch in text):  # browsers strip these: "java\tscript:"
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.casefold() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return text


def link(url: str | None, text: str) -> str:
    """Escaped ``text``, linked to ``url`` only when :func:`safe_url` accepts it."""
    label = html.escape(str(text))
    href = safe_url(url)
    if href is None:
        return label
    return f'<a href="{html.escape(href)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def badge(text: str, colour: str) -> str:
    """A small coloured label."""
    return (
        f'<span style="background:{colour};color:white;border-radius:4px;padding:0 5px;'
        f'font-size:0.85em">{html.escape(str(text))}</span>'
    )


def status_badge(status: str) -> str:
    return badge(status, STATUS_COLOURS.get(status, "#57606a"))


def verdict_badge(verdict: str) -> str:
    return badge(verdict, VERDICT_COLOURS.get(verdict, "#57606a"))


def source_link(source: Source) -> str:
    """Title linked to the URL (when known), id, vintage and licence, on one line."""
    title = link(source.url, source.title)
    kind = "primary" if source.primary else "secondary"
    return (
        f"{title} <span style='{_MUTED}'>&middot; <code>{html.escape(source.source_id)}</code>"
        f" &middot; vintage {html.escape(str(source.vintage))} &middot; {kind} &middot; "
        f"<code>{html.escape(source.license)}</code></span>"
    )


def format_value(value: float, unit: str, *, digits: int = 6) -> str:
    """A value with its unit, fractions as percentages, to ``digits`` significant digits.

    The one formatter of values for people: reprs and HTML use ``digits=4``, verdict
    explanations the default 6 (enough to show why two numbers differ).

    >>> format_value(0.697, "fraction"), format_value(43539.0, "publications")
    ('69.7%', '43,539 publications')
    >>> format_value(0.22604, "fraction", digits=4), format_value(2.5e25, "FLOP")
    ('22.6%', '2.5e+25 FLOP')
    """
    if unit == "fraction":
        return f"{value * 100:.{digits}g}%"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,} {unit}"
    return f"{value:,.{digits}g} {unit}"


def observation_html(o: Observation) -> str:
    """The HTML card of one observation (its ``_repr_html_``)."""
    when = o.date.isoformat() if o.date else str(o.year)
    outside = (
        f"<br><small><b>Outside the default series:</b> {html.escape(o.outside_series)}</small>"
        if o.outside_series
        else ""
    )
    return (
        '<div style="font-family:sans-serif;line-height:1.4">'
        f"<b>{html.escape(o.metric.title)}</b> &middot; {html.escape(o.entity.name)} "
        f"&middot; {html.escape(when)}<br>"
        f'<span style="font-size:1.4em">'
        f"{html.escape(format_value(o.value, o.unit, digits=4))}</span> "
        f"{status_badge(o.status)}<br>"
        f"{source_link(o.source)}<br>"
        + (
            f"<small>read in a copy:</small> {source_link(o.read_in)}<br>"
            if o.read_in is not None
            else ""
        )
        + f"<small>{html.escape(o.locator)}</small>{outside}</div>"
    )


def observation_row(o: Observation) -> str:
    """One ``<tr>``: value with unit, status badge, source, locator."""
    when = o.date.isoformat() if o.date else str(o.year)
    return (
        f"<tr><td style='text-align:right;white-space:nowrap'>"
        f"<b>{html.escape(format_value(o.value, o.unit, digits=4))}</b>"
        f"</td><td>{status_badge(o.status)}</td><td>{html.escape(when)}</td>"
        f"<td>{source_link(o.source)}<br><small>{html.escape(o.locator)}</small></td></tr>"
    )


def observations_table(observations: tuple[Observation, ...] | list[Observation]) -> str:
    if not observations:
        return ""
    rows = "".join(observation_row(o) for o in observations)
    return f'<table style="font-size:0.9em;margin-top:4px">{rows}</table>'


def metric_html(m: Metric, default_source: Source | None = None) -> str:
    """Title, id, kind and unit, definition, counting basis and default source with licence."""
    unit = "fraction in [0, 1] (shown as %)" if m.unit == "fraction" else m.unit
    default = (
        source_link(default_source)
        if default_source is not None
        else f"<code>{html.escape(m.default_source_id)}</code>"
    )
    return (
        f'<div style="{_BOX}"><b>{html.escape(m.title)}</b> <code>{html.escape(m.metric_id)}'
        f"</code> <span style='{_MUTED}'>&middot; {html.escape(m.kind)} &middot; unit: "
        f"{html.escape(unit)}</span><br>{html.escape(m.definition)}<br>"
        f"<i>Basis:</i> {html.escape(m.basis)}<br><i>Default source:</i> {default}</div>"
    )


def claim_html(c: Claim) -> str:
    """Statement, who stated it (linked, with licence), verdict badge, explanation, evidence."""
    attributed = f" citing {source_link(c.attributed_to)}" if c.attributed_to is not None else ""
    stated = html.escape(c.stated_printed) if c.stated_printed else "&ndash;"
    when = f" on {html.escape(c.stated_on)}" if c.stated_on else ""
    return (
        f'<div style="{_BOX}"><b>{html.escape(c.claim_id)}</b> {verdict_badge(c.verdict)} '
        f"{html.escape(c.statement)}<br><span style='{_MUTED}'>stated</span> <b>{stated}</b> "
        f"<span style='{_MUTED}'>by</span> {source_link(c.stated_by)}{when}{attributed}<br>"
        f"{html.escape(c.explanation)}{observations_table(c.observations)}</div>"
    )


def check_html(r: CheckResult) -> str:
    """Verdict badge, the checked number with its unit, explanation and the nearest value."""
    return (
        f'<div style="{_BOX}">{verdict_badge(r.verdict)} <b>'
        f"{html.escape(format_value(r.value, r.nearest.unit, digits=4))}</b> "
        f"<span style='{_MUTED}'>checked for {html.escape(r.metric_id)} "
        f"{html.escape(r.entity_id)} {html.escape(str(r.year))}</span><br>"
        f"{html.escape(r.explanation)}"
        f"{observations_table([c.observation for c in r.comparisons])}</div>"
    )


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key putting ``C2`` before ``C10``: digit runs compare as numbers.

    >>> sorted(["C10", "C2", "C1a"], key=natural_key)
    ['C1a', 'C2', 'C10']
    """
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))
