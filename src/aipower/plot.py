"""Quick, honest plots of aipower metrics (needs the ``plot`` extra: matplotlib).

Every plot is titled with the metric, labels its value axis with the unit (shares in %), and
carries a caption line naming the source titles, vintages and licences of the plotted values.
Points that were not read in the primary source (status ``secondary``, ``incomplete``,
``inferred``, ``derived``) are drawn hollow, so a reader sees which numbers are weaker.

Example:
    >>> import aipower.plot
    >>> ax = aipower.plot.series("publications", countries=["US", "CN"])  # doctest: +SKIP
    >>> ax.figure.savefig("publications.png", bbox_inches="tight")      # doctest: +SKIP

``matplotlib`` is imported when a function is called, never by ``import aipower``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from aipower._query.api import EntityKind

__all__ = ["compare", "series"]

_INSTALL = "aipower.plot needs matplotlib: pip install 'aipower[plot]'"

#: Fixed colours, so the two main rivals look the same in every plot.
COLOURS: dict[str, str] = {"USA": "#1f5fa8", "CHN": "#c8102e"}
_OTHER_COLOURS = ("#6b8e23", "#8c564b", "#9467bd", "#e69f00", "#17becf", "#7f7f7f", "#bcbd22")
_GREY = "#9aa3ad"
_CAPTION_WIDTH = 120


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_INSTALL) from exc
    return plt


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    plt = _pyplot()
    _fig, new_ax = plt.subplots(figsize=size)
    result: Axes = new_ax
    return result


def _scale(unit: str, kind: str, values: Sequence[float]) -> tuple[float, str]:
    """Factor to divide values by, and the axis label (shares in %; large money in billions)."""
    if kind == "share" or unit == "fraction":
        return 0.01, "share (%)"
    biggest = max((abs(v) for v in values), default=0.0)
    if unit.startswith("USD"):
        for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if biggest >= factor:
                return factor, f"{word} {unit}"
    return 1.0, unit


def _tick_formatter(factor: float) -> Any:
    from matplotlib.ticker import FuncFormatter

    def fmt(x: float, _pos: int) -> str:
        if factor == 0.01:
            return f"{x:g}%"
        if abs(x) >= 1e6:
            return f"{x / 1e6:,.4g}M"
        return f"{x:,.10g}"

    return FuncFormatter(fmt)


def _bar_label(y: float, factor: float) -> str:
    if factor == 0.01:
        return f"{y:.3g}%"
    if abs(y) >= 1000:
        return f"{y:,.0f}"
    return f"{y:.4g}"


def _caption(frames: Sequence[Any], extra: str = "") -> str:
    """Caption naming every source (title, publisher, vintage, licence) of the plotted rows."""
    from aipower._core.store import default

    store = default()
    used = sorted(
        {
            (str(s), str(v))
            for f in frames
            for s, v in zip(f["source_id"], f["vintage"], strict=True)
        }
    )
    parts = []
    for sid, vintage in used:
        s = store.sources[sid]
        parts.append(f"{s.title} ({s.publisher}; {sid}, vintage {vintage}; licence {s.license})")
    text = (
        ("Sources: " if len(parts) > 1 else "Source: ")
        + "; ".join(parts)
        + "."
        + (f" {extra}" if extra else "")
    )
    return "\n".join(textwrap.wrap(text, width=_CAPTION_WIDTH))


def _add_caption(ax: Axes, text: str, offset_points: float) -> None:
    ax.annotate(
        text,
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -offset_points),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=7,
        color="#444444",
        annotation_clip=False,
    )


def _colour(entity_id: str, i: int) -> str:
    return COLOURS.get(entity_id, _OTHER_COLOURS[i % len(_OTHER_COLOURS)])


def series(
    metric: str,
    countries: Sequence[str] = ("USA", "CHN"),
    *,
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Line chart of ``metric`` over the years, one line per country (or entity).

    Each year is chosen like :func:`aipower.series` (default source family, newest vintage);
    hollow markers flag values not read in the primary source.

    Args:
        metric: Metric id or concept word.
        countries: Countries or other entities: names, ISO codes or aliases.
        source: Restrict to one source id or family.
        ax: Axes to draw on (a new figure when ``None``).

    Returns:
        The matplotlib Axes.

    Example:
        >>> aipower.plot.series("publications_share", countries=["US", "CN"])  # doctest: +SKIP
    """
    import aipower

    if isinstance(countries, str):
        countries = [countries]
    countries = list(countries)
    if not countries:
        raise ValueError(
            "countries is empty: pass at least one country, e.g. countries=['US', 'CN']"
        )
    frames = [aipower.series(metric, country=c, source=source) for c in countries]
    m = aipower.metric(str(frames[0].attrs.get("metric", metric)))
    values = [float(v) for f in frames for v in f["value"]]
    factor, label = _scale(m.unit, m.kind, values)
    ax = _new_axes(ax, (8.0, 4.5))
    weak = False
    from aipower._core.store import default

    store = default()
    for i, frame in enumerate(frames):
        eid = str(frame["entity_id"].iloc[0])
        name = store.entities[eid].name
        colour = _colour(eid, i)
        years = [int(y) for y in frame.index]
        ys = [float(v) / factor for v in frame["value"]]
        ax.plot(years, ys, color=colour, linewidth=2, label=name, zorder=2)
        for year, y, status in zip(years, ys, frame["status"], strict=True):
            hollow = status != "verified"
            weak = weak or hollow
            ax.plot(
                [year],
                [y],
                marker="o",
                markersize=5,
                color=colour,
                markerfacecolor="white" if hollow else colour,
                zorder=3,
            )
    ax.set_title(m.title, loc="left", fontsize=12, fontweight="bold")
    ax.set_ylabel(label)
    ax.yaxis.set_major_formatter(_tick_formatter(factor))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if min(values, default=0.0) >= 0:
        ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False)
    extra = "Hollow markers: not read in the primary source (secondary, incomplete, ...)."
    _add_caption(ax, _caption(frames, extra if weak else ""), 22)
    return ax


def compare(
    metric: str,
    *,
    year: int,
    top: int = 15,
    kind: EntityKind | None = "country",
    source: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bar chart of the ``top`` entities for ``metric`` in ``year``, largest first.

    The United States and China are coloured (blue, red); other entities are grey. Values not
    read in the primary source are hatched.

    Args:
        metric: Metric id or concept word.
        year: The year to compare.
        top: How many entities to show.
        kind: Entity kind to keep (default ``"country"``; ``None`` keeps aggregates too).
        source: Restrict to one source id or family.
        ax: Axes to draw on (a new figure when ``None``).

    Returns:
        The matplotlib Axes.

    Example:
        >>> aipower.plot.compare("publications", year=2023, top=10)  # doctest: +SKIP
    """
    import aipower

    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive int, not {top!r}")
    frame = aipower.compare(metric, year=year, kind=kind, source=source).head(top)
    m = aipower.metric(str(frame.attrs.get("metric", metric)))
    values = [float(v) for v in frame["value"]]
    factor, label = _scale(m.unit, m.kind, values)
    ax = _new_axes(ax, (8.0, max(3.0, 0.32 * len(frame) + 1.4)))
    names = [str(n) for n in frame["name"]][::-1]
    ys = [v / factor for v in values][::-1]
    ids = [str(e) for e in frame.index][::-1]
    statuses = [str(s) for s in frame["status"]][::-1]
    colours = [COLOURS.get(e, _GREY) for e in ids]
    bars = ax.barh(names, ys, color=colours, zorder=2)
    weak = False
    for bar, status in zip(bars, statuses, strict=True):
        if status != "verified":
            weak = True
            bar.set_hatch("///")
            bar.set_edgecolor("white")
    for bar, y in zip(bars, ys, strict=True):
        text = _bar_label(y, factor)
        ax.annotate(
            text,
            xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_title(f"{m.title}, {year}", loc="left", fontsize=12, fontweight="bold")
    ax.set_xlabel(label)
    ax.xaxis.set_major_formatter(_tick_formatter(factor))
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    extra = "Hatched bars: not read in the primary source (secondary, incomplete, derived, ...)."
    _add_caption(ax, _caption([frame], extra if weak else ""), 34)
    return ax


#: ``aipower.plot`` is resolved lazily through aipower's ``_LAZY`` table, which looks the name
#: up in the module it imports: this module therefore names itself.
