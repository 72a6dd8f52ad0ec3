"""Typed, frozen result objects: provenance is first-class.

Example:
    >>> import aipower
    >>> s = aipower.get_share("patents", country="CN", year=2023)   # doctest: +SKIP
    >>> s.percent, s.status, s.source.title                           # doctest: +SKIP
    (69.7, 'verified', 'Artificial Intelligence Index Report 2025')
"""

from __future__ import annotations

import datetime as dt
import html

import attrs


@attrs.frozen(repr=False)
class Source:
    """A document or dataset release that values are read from.

    Example:
        >>> Source("aiindex_2025", "aiindex", "report", "Stanford HAI", "AI Index 2025", None,
        ...        "2025-04", "2025-04", "CC-BY-ND-4.0", True, "Stanford HAI (2025) ...", None)
        Source('aiindex_2025', 'AI Index 2025', vintage='2025-04', license='CC-BY-ND-4.0')
    """

    source_id: str
    family: str
    kind: str
    publisher: str
    title: str
    url: str | None
    published: str | None
    vintage: str | None
    license: str
    primary: bool
    citation: str
    how_read: str | None

    def __repr__(self) -> str:
        return (
            f"Source({self.source_id!r}, {self.title!r}, vintage={self.vintage!r}, "
            f"license={self.license!r})"
        )

    def _repr_html_(self) -> str:
        from aipower._display import link as _link

        link = _link(self.url, self.title)  # only http(s) URLs become links
        kind = "primary" if self.primary else "secondary"
        dates = html.escape(self.published or "date not established")
        if self.vintage and self.vintage != self.published:
            dates += f" &middot; vintage {html.escape(self.vintage)}"
        return (
            f"<div><b>{link}</b> &middot; {html.escape(self.publisher)} "
            f"&middot; {dates} &middot; {kind} &middot; "
            f"<code>{html.escape(self.license)}</code></div>"
        )


@attrs.frozen(repr=False)
class Metric:
    """What is counted, how, and in which unit.

    Example:
        >>> Metric("notable_models", "notable_models", "count", "models", "Notable AI models",
        ...        "...", "...", "aiindex_2025")
        Metric('notable_models', kind='count', unit='models')
    """

    metric_id: str
    concept: str
    kind: str
    unit: str
    title: str
    definition: str
    basis: str
    default_source_id: str

    def __repr__(self) -> str:
        return f"Metric({self.metric_id!r}, kind={self.kind!r}, unit={self.unit!r})"

    def _repr_html_(self) -> str:
        from aipower._display import metric_html
        from aipower._store import default

        return metric_html(self, default().sources.get(self.default_source_id))


@attrs.frozen(repr=False)
class Entity:
    """A country, aggregate, organisation, model, sector or pair."""

    entity_id: str
    kind: str
    name: str
    iso2: str | None
    iso3: str | None
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    definition: str | None

    def __repr__(self) -> str:
        return f"Entity({self.entity_id!r}, {self.name!r}, kind={self.kind!r})"


_STATUS_COLOURS = {
    "verified": "#1a7f37",
    "inferred": "#9a6700",
    "derived": "#0969da",
    "incomplete": "#bc4c00",
    "secondary": "#cf222e",
}


def _format_value(value: float, unit: str) -> str:
    if unit == "fraction":
        return f"{value:.2%}"
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,} {unit}"
    return f"{value:,.6g} {unit}"


@attrs.frozen(repr=False)
class Observation:
    """One value of a metric for an entity and period, with where it came from.

    ``float(obs)`` gives the value in the metric's canonical unit (shares are fractions).

    Example:
        >>> obs = aipower.get("notable_models", country="US", year=2024)  # doctest: +SKIP
        >>> obs.value, obs.unit, obs.locator                              # doctest: +SKIP
        (40.0, 'models', 'Chapter 1, Figure 1.3.1, p. 46')
    """

    metric: Metric
    entity: Entity
    year: int
    date: dt.date | None
    value: float
    source: Source
    vintage: str
    locator: str
    status: str
    priority: int
    note: str | None
    derived_from: str | None

    @property
    def metric_id(self) -> str:
        return self.metric.metric_id

    @property
    def entity_id(self) -> str:
        return self.entity.entity_id

    @property
    def source_id(self) -> str:
        return self.source.source_id

    @property
    def unit(self) -> str:
        return self.metric.unit

    @property
    def license(self) -> str:
        return self.source.license

    def __float__(self) -> float:
        return self.value

    def __repr__(self) -> str:
        when = self.date.isoformat() if self.date else str(self.year)
        return (
            f"{type(self).__name__}({self.metric_id} {self.entity_id} {when} = "
            f"{_format_value(self.value, self.unit)}; {self.source_id} {self.vintage}, "
            f"{self.locator!r}, {self.status})"
        )

    def _repr_html_(self) -> str:
        colour = _STATUS_COLOURS.get(self.status, "#57606a")
        when = self.date.isoformat() if self.date else str(self.year)
        return (
            '<div style="font-family:sans-serif;line-height:1.4">'
            f"<b>{html.escape(self.metric.title)}</b> &middot; {html.escape(self.entity.name)} "
            f"&middot; {html.escape(when)}<br>"
            f'<span style="font-size:1.4em">{html.escape(_format_value(self.value, self.unit))}'
            f"</span> "
            f'<span style="background:{colour};color:white;border-radius:4px;padding:0 4px">'
            f"{html.escape(self.status)}</span><br>"
            f"{self.source._repr_html_()}"
            f"<small>{html.escape(self.locator)}</small></div>"
        )


@attrs.frozen(repr=False)
class Share(Observation):
    """An :class:`Observation` of a share metric; ``percent`` gives it in percent.

    Example:
        >>> s = aipower.get_share("patents", country="CN", year=2023)  # doctest: +SKIP
        >>> float(s), s.percent                                          # doctest: +SKIP
        (0.697, 69.7)
    """

    @property
    def percent(self) -> float:
        return round(self.value * 100, 10)
