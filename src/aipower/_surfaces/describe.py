"""``aipower.describe``: what a metric counts, how, where its numbers come from, and caveats."""

from __future__ import annotations

import sys
import textwrap
from collections import Counter
from typing import IO

from aipower._core.licenses import LICENSE_USE
from aipower._core.store import Store, default
from aipower._query.select import RULE
from aipower._spec import STATUS_CODES
from aipower.results import Metric, Observation

_WIDTH = 100

#: What each status means, in one line (the data model's definitions).
STATUS_MEANINGS: dict[str, str] = {c.id: c.meaning for c in STATUS_CODES}


class Description(str):
    """The text of :func:`describe`: a ``str`` whose ``repr`` is one line.

    So a notebook or REPL does not show the printed text a second time.
    """

    metric_id: str

    def __new__(cls, text: str, metric_id: str = "") -> Description:
        obj = super().__new__(cls, text)
        obj.metric_id = metric_id
        return obj

    def __repr__(self) -> str:
        return f"<Description of {self.metric_id!r}: {self.count(chr(10)) + 1} lines>"


def _wrap(label: str, text: str, indent: int = 14) -> list[str]:
    head = f"  {label:<{indent - 2}}"
    return textwrap.wrap(
        text, width=_WIDTH, initial_indent=head, subsequent_indent=" " * indent
    ) or [head.rstrip()]


def _bullet(text: str) -> list[str]:
    return textwrap.wrap(text, width=_WIDTH, initial_indent="  - ", subsequent_indent="    ")


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"


def _span(years: list[int]) -> str:
    if not years:
        return "none"
    return f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def _rows(store: Store, metric_id: str) -> list[Observation]:
    """Every observation of the metric (all entities, sources, vintages, priorities)."""
    return [o for eid in store.entities_with(metric_id) for o in store.pair_rows(metric_id, eid)]


def describe_text(metric: str) -> Description:
    """The text :func:`describe` prints, without printing it."""
    from aipower._query.resolve import resolve_metric

    store = default()
    m = resolve_metric(store, metric, "value")
    rows = _rows(store, m.metric_id)
    default_src = store.sources.get(m.default_source_id)
    family = default_src.family if default_src else m.default_source_id
    per_source = Counter(o.source_id for o in rows)
    lines = _header_lines(store, m, family)
    lines.append("")
    lines += _source_lines(store, per_source, family)
    lines.append("")
    lines += _coverage_lines(store, rows)
    lines.append("Caveats:")
    caveats = _row_caveats(rows) + _metric_caveats(store, m, per_source)
    if not caveats:
        caveats.append("none recorded.")
    for c in caveats:
        lines += _bullet(c)
    return Description("\n".join(lines), m.metric_id)


def _header_lines(store: Store, m: Metric, family: str) -> list[str]:
    """Title, concept, kind, unit, definition, basis and default source."""
    lines = [f"{m.title} ({m.metric_id})"]
    roles = {r: mid for (c, r), mid in store.concepts.items() if c == m.concept}
    if roles:
        parts = [
            f"{'get_share()' if r == 'share' else 'get()/series()/compare()'} -> {mid}"
            for r, mid in sorted(roles.items(), reverse=True)
        ]
        lines += _wrap("concept", f"'{m.concept}': {'; '.join(parts)}")
    else:
        lines += _wrap("concept", f"'{m.concept}'")
    unit = m.unit + (" (a fraction in [0, 1]; .percent gives %)" if m.kind == "share" else "")
    lines += _wrap("kind", m.kind)
    lines += _wrap("unit", unit)
    lines += _wrap("definition", m.definition)
    lines += _wrap("basis", m.basis)
    lines += _wrap("default", f"{m.default_source_id} (family {family}). {RULE}")
    return lines


def _source_lines(store: Store, per_source: Counter[str], family: str) -> list[str]:
    """One line per source of the rows, most rows first."""
    lines = ["Sources (vintage, licence, rows):"]
    for sid in sorted(per_source, key=lambda s: (-per_source[s], s)):
        src = store.sources[sid]
        tag = " [default family]" if src.family == family else ""
        kind = "primary" if src.primary else "secondary"
        lines += textwrap.wrap(
            f"{sid}: {src.title} - {src.publisher}; vintage {src.vintage}, {src.license}, "
            f"{kind}; {_n(per_source[sid], 'row')}{tag}",
            width=_WIDTH,
            initial_indent="  ",
            subsequent_indent="      ",
        )
    if not per_source:
        lines.append("  (no observations)")
    return lines


def _coverage_lines(store: Store, rows: list[Observation]) -> list[str]:
    """Entities x years, the year span, the rows and the entities by kind."""
    years = sorted({o.year for o in rows})
    entities = sorted({o.entity_id for o in rows})
    kinds = Counter(store.entities[e].kind if e in store.entities else "unknown" for e in entities)
    kind_text = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
    return textwrap.wrap(
        f"Coverage: {_n(len(entities), 'entity', 'entities')} x {_n(len(years), 'year')} "
        f"({_span(years)}), {_n(len(rows), 'row')}"
        + (f"; entities by kind: {kind_text}" if kind_text else ""),
        width=_WIDTH,
        subsequent_indent="  ",
    )


def _row_caveats(rows: list[Observation]) -> list[str]:
    """Caveats the rows carry: vintages, statuses, alternatives, derived values, copies."""
    caveats: list[str] = []
    vintages = sorted({o.vintage for o in rows})
    if len(vintages) > 1:
        caveats.append(
            f"{len(vintages)} vintages present ({', '.join(vintages)}): the default answer "
            "follows the rule above; series() shows the release of each row and never splices "
            "two releases of a dataset; the others via source=, vintage= or get_all()."
        )
    elif vintages:
        caveats.append(f"one vintage present ({vintages[0]}).")
    statuses = Counter(o.status for o in rows)
    if statuses:
        caveats.append(
            "statuses: "
            + "; ".join(
                f"{s} {c:,} ({STATUS_MEANINGS.get(s, s)})" for s, c in statuses.most_common()
            )
            + "."
        )
    return caveats + _reading_caveats(rows)


def _reading_caveats(rows: list[Observation]) -> list[str]:
    """Alternative readings, derived values and values read in a copy."""
    caveats: list[str] = []
    alternatives = sum(1 for o in rows if o.priority > 0)
    if alternatives:
        caveats.append(
            f"{alternatives:,} alternative readings (priority > 0) of the same source are "
            "returned only by get_all() or source=/vintage=."
        )
    derived = sum(1 for o in rows if o.derived_from)
    if derived:
        caveats.append(
            f"{derived:,} values are derived; the rule is in derived_from and the keys of the "
            "rows counted are listed by aipower.derivation(observation)."
        )
    copies = Counter(o.read_in.source_id for o in rows if o.read_in is not None)
    if copies:
        caveats.append(
            f"{sum(copies.values()):,} values were read not in their source but in a copy "
            "(read_in): " + ", ".join(f"{c} ({n:,})" for c, n in sorted(copies.items())) + "."
        )
    return caveats


def _metric_caveats(store: Store, m: Metric, per_source: Counter[str]) -> list[str]:
    """Sibling metrics of the concept and the licences of the sources."""
    caveats: list[str] = []
    siblings = sorted(
        o.metric_id
        for o in store.metrics.values()
        if o.concept == m.concept and o.metric_id != m.metric_id
    )
    if siblings:
        shown = ", ".join(siblings[:8]) + (
            f" and {len(siblings) - 8} more" if len(siblings) > 8 else ""
        )
        caveats.append(
            f"other metrics of concept '{m.concept}' count differently (see their basis): {shown}."
        )
    licenses = sorted({store.sources[str(s)].license for s in per_source})
    for lic in licenses:
        caveats.append(f"licence {lic}: {LICENSE_USE.get(lic, 'see the source')}.")
    return caveats


def describe(metric: str, *, file: IO[str] | None = None, echo: bool = True) -> Description:
    """Print (and return) what a metric is, where its numbers come from, and its caveats.

    The text gives the definition, counting basis, unit, sources with licences, coverage
    (entities x years, year span) and caveats (vintages present, statuses, alternative
    readings, related metrics that count differently).

    Args:
        metric: A metric id or concept word (``"patents"``).
        file: Where to print (default ``sys.stdout``).
        echo: ``False`` returns the text without printing it.

    Returns:
        The text, a ``str`` (its ``repr`` is one line so a notebook does not show it twice).

    Example:
        >>> text = aipower.describe("patents", echo=False)
        >>> print(text.splitlines()[0])
        AI patents granted (CSET, by filing office) (cset_patents_granted)
        >>> text
        <Description of 'cset_patents_granted': ... lines>

    Raises:
        UnknownMetricError: with the closest matches.
    """
    text = describe_text(metric)
    if echo:
        print(text, file=file if file is not None else sys.stdout)
    return text
