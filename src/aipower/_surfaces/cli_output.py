"""How the ``aipower`` commands print: a table, CSV or JSON on stdout, notes on stderr.

Records are plain dicts. :func:`selection_records` builds them from a pandas-free
:class:`~aipower._query.api.Selection` (what ``series`` and ``compare`` print, so those two
commands never import pandas); :func:`frame_records` from a DataFrame (the listings).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aipower._query.api import Selection
    from aipower.results import Observation

#: columns of a ``series``/``compare`` frame (``aipower._query.frames.SERIES_COLUMNS``) that
#: the CLI does not print
NOT_PRINTED = ("priority", "date")


def obs_dict(o: Observation) -> dict[str, Any]:
    """One observation as a flat record, provenance included.

    Args:
        o: the observation.

    Returns:
        metric, entity, period, value, unit, source, vintage, licence, locator, status, note.
    """
    return {
        "metric_id": o.metric_id,
        "entity_id": o.entity_id,
        "entity": o.entity.name,
        "year": o.year,
        "date": o.date.isoformat() if o.date else None,
        "value": o.value,
        "unit": o.unit,
        "source_id": o.source_id,
        "source": o.source.title,
        "vintage": o.vintage,
        "license": o.license,
        "locator": o.locator,
        "status": o.status,
        "note": o.note,
    }


def _flat(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts become ``outer.inner`` columns (for CSV)."""
    out: dict[str, Any] = {}
    for k, v in record.items():
        if isinstance(v, Mapping):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def emit_records(records: list[dict[str, Any]], fmt: str, out: Any) -> None:
    """Write records as an aligned table, CSV (nested dicts flattened) or JSON.

    Args:
        records: the rows, all with the same keys.
        fmt: ``table``, ``csv`` or ``json``.
        out: a text stream (``sys.stdout``).
    """
    if fmt == "json":
        out.write(json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n")
    elif not records:
        return
    elif fmt == "csv":
        _emit_csv(records, out)
    else:
        _emit_table(records, out)


def _emit_csv(records: list[dict[str, Any]], out: Any) -> None:
    flat = [_flat(r) for r in records]
    writer = csv.DictWriter(out, fieldnames=list(flat[0]), lineterminator="\n")
    writer.writeheader()
    for r in flat:
        writer.writerow(
            {k: (";".join(map(str, v)) if isinstance(v, list | tuple) else v) for k, v in r.items()}
        )


def _emit_table(records: list[dict[str, Any]], out: Any) -> None:
    columns = list(records[0])
    cells = [[_cell(r.get(c)) for c in columns] for r in records]
    widths = [min(48, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    for row in cells:
        out.write(
            "  ".join(v[:w].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if v != v else f"{v:.6g}"
    if isinstance(v, list | tuple):
        return ";".join(str(x) for x in v)
    return str(v)


def note_selection(attrs: Mapping[Any, Any], fmt: str, *, used: str, left_out: str) -> None:
    """Say on stderr which releases were used and which were left out (table output only).

    Piped CSV and JSON stay clean.

    Args:
        attrs: the selection notes (``frame.attrs`` of series/compare).
        fmt: the output format.
        used: the key of the releases used (``releases`` or ``release``).
        left_out: the key of the releases left out (``not_joined`` or ``passed_over``).
    """
    if fmt != "table":
        return
    value = attrs.get(used)
    releases = ", ".join(value) if isinstance(value, list) else str(value)
    line = f"from {releases}"
    if attrs.get(left_out):
        line += f"; left out: {', '.join(attrs[left_out])} (select one with --source/--vintage)"
    print(line, file=sys.stderr)


def frame_records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame's rows (index included) as records of plain Python values.

    Missing values (None, NaN, NaT, NA) become None, timestamps ISO dates, arrays lists.

    Args:
        frame: a pandas DataFrame.

    Returns:
        One dict per row.
    """
    frame = frame.reset_index()
    records: list[dict[str, Any]] = frame.to_dict(orient="records")
    for r in records:
        for k, v in list(r.items()):
            r[k] = _plain(v)
    return records


def _plain(v: Any) -> Any:
    if v is None or type(v).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(v, "isoformat"):
        return v.date().isoformat() if hasattr(v, "date") else v.isoformat()
    if hasattr(v, "tolist"):
        return v.tolist()
    if v != v:  # NaN
        return None
    return v


def selection_records(selection: Selection) -> list[dict[str, Any]]:
    """The rows of a ``series``/``compare`` selection as the CLI prints them, without pandas.

    The same records as :func:`frame_records` of the DataFrame that ``aipower.series`` /
    ``aipower.compare`` build from the selection, without its ``priority`` and ``date``
    columns: the index (``year`` or ``entity``) first, then ``value``, for ``compare``
    ``name`` and ``entity_kind``, then the frame's other columns except :data:`NOT_PRINTED`.

    Args:
        selection: what ``series_rows`` or ``compare_rows`` returned.

    Returns:
        One dict per row, in the selection's order.
    """
    from aipower._query.frames import SERIES_COLUMNS

    rest = [c for c in SERIES_COLUMNS[1:] if c not in NOT_PRINTED]
    by_entity = selection.index == "entity"
    records = []
    for o in selection.rows:
        record: dict[str, Any] = {"entity": o.entity_id} if by_entity else {"year": o.year}
        record["value"] = o.value
        if by_entity:
            record["name"] = o.entity.name
            record["entity_kind"] = o.entity.kind
        for column in rest:
            record[column] = getattr(o, column)
        records.append({k: _plain(v) for k, v in record.items()})
    return records


def print_observation(o: Observation, fmt: str) -> None:
    """Print one answer: a short provenance block (table) or one record (CSV/JSON).

    Args:
        o: the observation (a :class:`~aipower.results.Share` prints in percent).
        fmt: the output format.
    """
    if fmt != "table":
        emit_records([obs_dict(o)], fmt, sys.stdout)
        return
    from aipower._display import format_value
    from aipower.results import Share

    value = f"{o.percent:g} %" if isinstance(o, Share) else format_value(o.value, o.unit)
    when = o.date.isoformat() if o.date else str(o.year)
    lines = [
        f"{o.metric.title}: {o.entity.name} ({o.entity_id}), {when}",
        f"  value    {value}",
        f"  source   {o.source.title} [{o.source_id}, vintage {o.vintage}, {o.license}]",
        f"  locator  {o.locator}",
        f"  status   {o.status}",
    ]
    if o.note:
        lines.append(f"  note     {o.note}")
    print("\n".join(lines))


#: a sentence ends at a full stop before a capital, except after abbreviations (p. 44, Fig. 2)
_SENTENCE_END = re.compile(r"(?<!\bp)(?<!\bpp)(?<!\bFig)(?<!\be\.g)(?<!\bi\.e)\.\s+(?=[A-Z])")


def one_line(text: str, width: int = 120) -> str:
    """The first sentence of ``text``, cut to ``width`` characters on a word boundary.

    Args:
        text: any prose.
        width: the longest line allowed.

    Returns:
        One line, ending in `` …`` when cut.
    """
    flat = " ".join(text.split())
    match = _SENTENCE_END.search(flat)
    first = flat[: match.start() + 1] if match else flat
    if len(first) <= width:
        return first
    return first[: width - 1].rsplit(" ", 1)[0].rstrip(",;:") + " …"
