"""The ``aipower`` command line (also ``python -m aipower``).

Each outcome has its own exit status (see :class:`ExitCode`; ``aipower --help`` lists them):

====  ===========================================================================
0     ok; for ``check``: the number matches (or is the value rounded)
1     ``check``: the number differs from the primary (or is contradicted by it)
2     usage error: unknown metric, country, source, claim or licence; bad argument
3     no data: the question is valid but aipower holds no value for it
4     ``check``: unverified, only second-hand values to compare with
5     data integrity error: a shipped file is missing, altered or breaks its schema
6     file error: a file or directory could not be read or written (``OSError``)
7     an optional part is not installed (e.g. ``pip install 'aipower[plot]'``)
====  ===========================================================================

Errors go to stderr with the same suggestions as the API, phrased for the shell
("see `aipower metrics`"). Each command is one ``_cmd_*`` function registered with
``set_defaults(handler=...)`` in :func:`build_parser`.
"""

from __future__ import annotations

import argparse
import csv
import enum
import io
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from aipower._display import natural_key
from aipower.errors import (
    AipowerError,
    DataIntegrityError,
    NoDataError,
)


class ExitCode(enum.IntEnum):
    """Exit status of the ``aipower`` command, one per outcome."""

    OK = 0
    DIFFERS = 1
    USAGE = 2
    NO_DATA = 3
    UNVERIFIED = 4
    INTEGRITY = 5
    FILE_ERROR = 6
    MISSING_EXTRA = 7


#: kept for code that imported the old names
EXIT_OK, EXIT_USAGE, EXIT_NO_DATA = ExitCode.OK, ExitCode.USAGE, ExitCode.NO_DATA

#: exit status -> what it means (the --help epilog and the generated docs page use this table)
EXIT_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "ok (check: the number matches, or is the value rounded)",
    ExitCode.DIFFERS: "check: the number differs from the primary, or is contradicted by it",
    ExitCode.USAGE: "usage error (unknown metric, country, source, claim or licence; bad argument)",
    ExitCode.NO_DATA: "no data: a valid question aipower holds no value for",
    ExitCode.UNVERIFIED: "check: unverified (only second-hand values to compare with)",
    ExitCode.INTEGRITY: "data integrity error (a shipped file missing, altered or invalid)",
    ExitCode.FILE_ERROR: "file error (a file or directory could not be read or written)",
    ExitCode.MISSING_EXTRA: "an optional part is not installed (the message names the extra)",
}
_EXIT_HELP = "exit status: " + "; ".join(f"{int(c)} {m}" for c, m in EXIT_MEANINGS.items())

#: check verdict -> exit status
_VERDICT_EXIT: dict[str, ExitCode] = {
    "matches": ExitCode.OK,
    "rounded": ExitCode.OK,
    "differs": ExitCode.DIFFERS,
    "contradicted": ExitCode.DIFFERS,
    "unverified": ExitCode.UNVERIFIED,
}

# -- the API's messages, spoken in shell ----------------------------------------------------
#: (pattern, replacement) applied in order to every error message (a mapping table as data)
_SHELL_PHRASES: tuple[tuple[str, str], ...] = (
    (r"aipower\.(claims|metrics|sources|entities)\(\)", r"`aipower \1`"),
    (r"aipower\.get\(\)", "`aipower get`"),
    (r"aipower\.get\((['\"][^'\"]*['\"]), \.\.\.\)", r"`aipower get \1 ...`"),
    (r"the 'family' column of `aipower sources`", "the family column of `aipower sources`"),
    (r"\bunit='(\w+)'", r"--unit \1"),
    (r"\bentity=('[^']*')", r"--entity \1"),
    (r"\bcountry=('[^']*')", r"--country \1"),
    (r"\b(country|entity|source|vintage|year|value|unit)= ", r"--\1 "),
)


def shell_message(message: str) -> str:
    """Rewrite an API error message into the CLI's terms (``aipower.metrics()`` ->
    ```aipower metrics```, ``unit='percent'`` -> ``--unit percent``)."""
    for pattern, replacement in _SHELL_PHRASES:
        message = re.sub(pattern, replacement, message)
    return message


# -- value parsing: 69.7%, 2,600,000, 2.6M ---------------------------------------------------
#: suffix (casefolded) -> the ``unit=`` of aipower.check
_VALUE_SUFFIXES: dict[str, str] = {
    "%": "percent",
    "percent": "percent",
    "k": "thousand",
    "thousand": "thousand",
    "m": "million",
    "mn": "million",
    "million": "million",
    "b": "billion",
    "bn": "billion",
    "billion": "billion",
}
_UNIT_CHOICES = ("percent", "%", "fraction", "thousand", "million", "billion")
_NUMBER = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?\.\d+)"
    r"\s*(?P<suffix>%|[A-Za-z]+)?"
)


def parse_value(text: str) -> tuple[Decimal, str | None]:
    """``"69.7%"`` -> (69.7, "percent"); ``"2,600,000"`` -> (2600000, None);
    ``"2.6M"`` -> (2.6, "million"). The digits are kept exactly as written, so the rounding
    rules see the stated precision.

    >>> parse_value("2.6M")
    (Decimal('2.6'), 'million')
    """
    cleaned = text.strip().replace("\u202f", "").replace("\u00a0", "").replace("_", "")
    match = _NUMBER.fullmatch(cleaned)
    suffix = (match.group("suffix") or "").casefold() if match else ""
    if match is None or (suffix and suffix not in _VALUE_SUFFIXES):
        raise ValueError(
            f"--value {text!r} is not a number; write it like 69.7, 69.7%, 2,600,000, 2.6M "
            f"or 2.6e6 (suffixes: {', '.join(sorted(set(_VALUE_SUFFIXES)))})"
        )
    try:
        number = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"--value {text!r} is not a number") from None
    return number, _VALUE_SUFFIXES[suffix] if suffix else None


def _value_and_unit(value: str, unit: str | None) -> tuple[Decimal, str | None]:
    number, suffix_unit = parse_value(value)
    unit = "percent" if unit == "%" else unit
    if suffix_unit is not None and unit is not None and suffix_unit != unit:
        raise ValueError(
            f"--value {value!r} says {suffix_unit} but --unit says {unit}; give one of them"
        )
    return number, suffix_unit or unit


# -- output -----------------------------------------------------------------------------------
def _obs_dict(o: Any) -> dict[str, Any]:
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


def _emit_records(records: list[dict[str, Any]], fmt: str, out: io.TextIOBase | Any) -> None:
    if fmt == "json":
        out.write(json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    if not records:
        return
    if fmt == "csv":
        flat = [_flat(r) for r in records]
        writer = csv.DictWriter(out, fieldnames=list(flat[0]), lineterminator="\n")
        writer.writeheader()
        for r in flat:
            writer.writerow(
                {
                    k: (";".join(map(str, v)) if isinstance(v, list | tuple) else v)
                    for k, v in r.items()
                }
            )
        return
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


def _note_selection(attrs: Mapping[Any, Any], fmt: str, *, used: str, left_out: str) -> None:
    """Table output only: say on stderr which releases were used and which were left out, so
    that piped CSV/JSON stays clean."""
    if fmt != "table":
        return
    value = attrs.get(used)
    releases = ", ".join(value) if isinstance(value, list) else str(value)
    line = f"from {releases}"
    if attrs.get(left_out):
        line += f"; left out: {', '.join(attrs[left_out])} (select one with --source/--vintage)"
    print(line, file=sys.stderr)


def _frame_records(frame: Any) -> list[dict[str, Any]]:
    frame = frame.reset_index()
    records: list[dict[str, Any]] = frame.to_dict(orient="records")
    for r in records:
        for k, v in list(r.items()):
            if v is None or type(v).__name__ in ("NaTType", "NAType"):
                r[k] = None
            elif hasattr(v, "isoformat"):
                r[k] = v.date().isoformat() if hasattr(v, "date") else v.isoformat()
            elif hasattr(v, "tolist"):
                r[k] = v.tolist()
            elif v != v:  # NaN
                r[k] = None
    return records


def _print_observation(o: Any, fmt: str) -> None:
    if fmt != "table":
        _emit_records([_obs_dict(o)], fmt, sys.stdout)
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


def _one_line(text: str, width: int = 120) -> str:
    """The first sentence of ``text``, cut to ``width`` characters on a word boundary."""
    flat = " ".join(text.split())
    match = _SENTENCE_END.search(flat)
    first = flat[: match.start() + 1] if match else flat
    if len(first) <= width:
        return first
    return first[: width - 1].rsplit(" ", 1)[0].rstrip(",;:") + " …"


# -- completion (argcomplete, optional) -------------------------------------------------------
def _complete_from(table: Any, column: str) -> Callable[..., list[str]]:
    def complete(prefix: str, **_: Any) -> list[str]:
        import aipower

        values = aipower.table(table, engine="pyarrow").column(column).to_pylist()
        return sorted({str(v) for v in values if str(v).casefold().startswith(prefix.casefold())})

    return complete


def _completes(action: argparse.Action, complete: Callable[..., list[str]]) -> None:
    action.completer = complete  # type: ignore[attr-defined]


# -- parser -----------------------------------------------------------------------------------
def _add_entity_args(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    g = p.add_mutually_exclusive_group(required=required)
    g.add_argument("--country", help="country name, ISO2/ISO3 code or alias (e.g. CN, USA)")
    g.add_argument("--entity", help="any entity: country, aggregate, organisation, model")


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _add_metric(p: argparse.ArgumentParser) -> None:
    action = p.add_argument("metric", help="metric id or concept word (e.g. patents)")
    _completes(action, _complete_from("metrics", "metric_id"))


def build_parser() -> argparse.ArgumentParser:
    from aipower._version import __version__

    parser = argparse.ArgumentParser(
        prog="aipower",
        description="Sourced data on the AI competition between countries.",
        epilog=_EXIT_HELP,
    )
    parser.add_argument("--version", action="version", version=f"aipower {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    for name, help_text in (("get", "one value with its source"), ("get-share", "one share")):
        p = sub.add_parser(name, help=help_text, epilog=_EXIT_HELP)
        _add_metric(p)
        _add_entity_args(p)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--source", help="source id or family (default: the metric's default)")
        p.add_argument("--vintage")
        p.add_argument("--all", action="store_true", help="every source and vintage")
        _add_format(p)
        p.set_defaults(handler=_cmd_get)

    p = sub.add_parser("series", help="one entity over the years")
    _add_metric(p)
    _add_entity_args(p)
    p.add_argument("--source")
    p.add_argument("--vintage")
    _add_format(p)
    p.set_defaults(handler=_cmd_series)

    p = sub.add_parser("compare", help="all entities in one year")
    _add_metric(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--kind", help="entity kind, e.g. country")
    p.add_argument("--source")
    p.add_argument("--vintage")
    _add_format(p)
    p.set_defaults(handler=_cmd_compare)

    for name in ("metrics", "sources", "entities", "claims"):
        p = sub.add_parser(name, help=f"list {name}")
        _add_format(p)
        p.set_defaults(handler=_cmd_claims if name == "claims" else _cmd_list)

    p = sub.add_parser(
        "claim", help="one claim from the ledger: statement, verdict, explanation, evidence"
    )
    action = p.add_argument("claim_id", metavar="ID", help="claim id, e.g. C6a (any case)")
    _completes(action, _complete_from("claims", "claim_id"))
    _add_format(p)
    p.set_defaults(handler=_cmd_claim)

    p = sub.add_parser(
        "check",
        help="check a number against every source",
        epilog=_EXIT_HELP,
        description="Is this number right, and where is it from? --value accepts 69.7, 69.7%%, "
        "2,600,000, 2.6M (thousand k, million M/mn, billion B/bn) and 2.6e6.",
    )
    _add_metric(p)
    _add_entity_args(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--value", required=True, help="the number as written: 69.7%%, 2.6M, ...")
    p.add_argument("--unit", choices=_UNIT_CHOICES, help="how --value is written (%% = percent)")
    p.add_argument(
        "--source", help="judge against this source id or family only (default: every source)"
    )
    _add_format(p)
    p.set_defaults(handler=_cmd_check)

    p = sub.add_parser(
        "coverage", help="what aipower holds for a metric: years, entities, statuses per release"
    )
    action = p.add_argument("metric", nargs="?", help="metric id or concept word (default: all)")
    _completes(action, _complete_from("metrics", "metric_id"))
    p.add_argument("--family", help="only this source family, e.g. aiindex")
    _add_format(p)
    p.set_defaults(handler=_cmd_coverage)

    p = sub.add_parser("plot", help="draw a chart into a PNG/SVG/PDF file (needs aipower[plot])")
    plots = p.add_subparsers(dest="plot_kind", metavar="KIND", required=True)
    q = plots.add_parser("series", help="a metric over the years, one line per country")
    _add_metric(q)
    q.add_argument(
        "--country",
        action="append",
        dest="countries",
        metavar="COUNTRY",
        help="repeat for several (default: US and China)",
    )
    q.add_argument("--source")
    q.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. chart.png")
    q.set_defaults(handler=_cmd_plot)
    q = plots.add_parser("compare", help="the top entities in one year, as bars")
    _add_metric(q)
    q.add_argument("--year", type=int, required=True)
    q.add_argument("--top", type=int, default=15)
    q.add_argument("--kind", default="country", help="entity kind (default: country)")
    q.add_argument("--source")
    q.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. chart.png")
    q.set_defaults(handler=_cmd_plot)

    p = sub.add_parser(
        "verify",
        aliases=["validate"],
        help="aipower.verify(): check file sizes and hashes, then validate every table",
    )
    p.set_defaults(handler=_cmd_validate)
    p = sub.add_parser("info", help="versions and table sizes")
    _add_format(p)
    p.set_defaults(handler=_cmd_info)

    p = sub.add_parser(
        "describe",
        help="what a metric counts: definition, basis, unit, sources, coverage, caveats",
    )
    _add_metric(p)
    p.set_defaults(handler=_cmd_describe)

    p = sub.add_parser(
        "export",
        help="write every table as CSV, Parquet, a Frictionless data package or SQLite",
        description="Write every shipped table into DIR. 'datapackage' writes CSV files plus a "
        "datapackage.json (Table Schema, keys, licences) that passes `frictionless validate`; "
        "'sqlite' writes DIR/aipower.db plus the Datasette metadata (needs aipower[explorer]).",
    )
    p.add_argument("dir", metavar="DIR", help="directory to write into (created if missing)")
    p.add_argument("--format", choices=("csv", "parquet", "datapackage", "sqlite"), default="csv")
    p.add_argument(
        "--license",
        nargs="+",
        metavar="ID",
        help="keep only values whose source has one of these licence ids (e.g. CC-BY-4.0)",
    )
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser(
        "serve",
        help="browse every table in Datasette on localhost (needs aipower[explorer])",
        description="Build a SQLite database of the shipped tables with Datasette metadata "
        "(descriptions, licences, facets, a canned query per claim) and serve it on "
        "http://127.0.0.1:PORT.",
    )
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--dir", help="where to write aipower.db (default: a temporary directory)")
    p.add_argument("--open", action="store_true", help="open the page in a web browser")
    p.set_defaults(handler=_cmd_serve)

    p = sub.add_parser(
        "cite", help="cite aipower (with its data version) and the upstream sources it used"
    )
    p.add_argument("--metric", help="cite only the sources with observations of this metric")
    p.add_argument("--style", choices=("bibtex", "apa"), default="bibtex")
    p.set_defaults(handler=_cmd_cite)

    p = sub.add_parser(
        "completion",
        help="print the shell completion script (bash, zsh or fish; needs aipower[completion])",
        description='Enable completion, e.g. bash: eval "$(aipower completion bash)"; '
        "zsh: same in ~/.zshrc; fish: aipower completion fish | source",
    )
    p.add_argument("shell", choices=("bash", "zsh", "fish"))
    p.set_defaults(handler=_cmd_completion)
    _add_check_text(sub)
    return parser


# -- commands (one function each) ---------------------------------------------------------------
def _cmd_get(args: argparse.Namespace) -> int:
    import aipower

    kw = {"country": args.country, "entity": args.entity, "year": args.year}
    if args.all:
        rows = aipower.get_all(args.metric, **kw)
        _emit_records([_obs_dict(o) for o in rows], args.format, sys.stdout)
        return ExitCode.OK
    fn = aipower.get_share if args.command == "get-share" else aipower.get
    obs = fn(args.metric, source=args.source, vintage=args.vintage, **kw)
    _print_observation(obs, args.format)
    return ExitCode.OK


def _cmd_series(args: argparse.Namespace) -> int:
    import aipower

    frame = aipower.series(
        args.metric,
        country=args.country,
        entity=args.entity,
        source=args.source,
        vintage=args.vintage,
    )
    frame = frame.drop(columns=[c for c in ("date", "priority") if c in frame.columns])
    _emit_records(_frame_records(frame), args.format, sys.stdout)
    _note_selection(frame.attrs, args.format, used="releases", left_out="not_joined")
    return ExitCode.OK


def _cmd_compare(args: argparse.Namespace) -> int:
    import aipower

    frame = aipower.compare(
        args.metric, year=args.year, kind=args.kind, source=args.source, vintage=args.vintage
    )
    frame = frame.drop(columns=[c for c in ("date", "priority") if c in frame.columns])
    _emit_records(_frame_records(frame), args.format, sys.stdout)
    _note_selection(frame.attrs, args.format, used="release", left_out="passed_over")
    return ExitCode.OK


# -- check-text (issue 15): one self-contained block ----------------------------------------
_CHECK_TEXT_COLUMNS = [
    "start",
    "text",
    "verdict",
    "metric_id",
    "entity_id",
    "year",
    "source_id",
    "claim_ids",
    "why",
]


def _add_check_text(sub: Any) -> None:
    p = sub.add_parser(
        "check-text",
        help="find and check every figure in a text (a file, or - for stdin)",
        description="Find each figure in the text, resolve it to metric, entity and year, and "
        "check it against the primary sources. Exit 1 when a figure differs or is "
        "contradicted, 0 otherwise (unresolved figures are listed, not failures).",
    )
    p.add_argument("file", metavar="FILE", help="UTF-8 text file, or - to read stdin")
    _add_format(p)
    p.set_defaults(handler=_cmd_check_text)


def _cmd_check_text(args: argparse.Namespace) -> int:
    import aipower

    if args.file == "-":
        text = sys.stdin.read()
    else:
        with open(args.file, encoding="utf-8") as fh:
            text = fh.read()
    result = aipower.check_text(text)
    records = result.to_records()
    if args.format == "table":
        shown = [{c: r[c] for c in _CHECK_TEXT_COLUMNS} for r in records]
        _emit_records(shown, "table", sys.stdout)
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(result.verdicts.items()))
        print(f"{len(records)} figures ({counts or 'none'})", file=sys.stderr)
    else:
        _emit_records(records, args.format, sys.stdout)
    failed = any(f.verdict in ("differs", "contradicted") for f in result)
    return ExitCode.DIFFERS if failed else ExitCode.OK


_LIST_COLUMNS = {
    "metrics": ["metric_id", "concept", "kind", "unit", "title", "default_source_id"],
    "sources": ["source_id", "kind", "publisher", "title", "vintage", "license", "primary"],
    "entities": ["entity_id", "kind", "name", "iso2", "iso3"],
}


def _cmd_list(args: argparse.Namespace) -> int:
    import aipower

    frame = getattr(aipower, args.command)()
    if args.format == "table":
        frame = frame[_LIST_COLUMNS[args.command]]
    records = [{k: v for k, v in r.items() if k != "index"} for r in _frame_records(frame)]
    _emit_records(records, args.format, sys.stdout)
    return ExitCode.OK


def _cmd_claims(args: argparse.Namespace) -> int:
    import aipower

    records = [
        {k: v for k, v in r.items() if k != "index"} for r in _frame_records(aipower.claims())
    ]
    records.sort(key=lambda r: natural_key(str(r["claim_id"])))
    if args.format != "table":
        _emit_records(records, args.format, sys.stdout)
        return ExitCode.OK
    width = max(len(str(r["claim_id"])) for r in records)
    verdicts = max(len(str(r["verdict"])) for r in records)
    stated_width = max(len(str(r["stated_printed"] or "")) for r in records)
    for r in records:
        stated = r["stated_printed"] or ""
        print(
            f"{r['claim_id']:<{width}}  {r['verdict']:<{verdicts}}  {stated:<{stated_width}}  "
            f"[{r['stated_by']}]"
        )
        print(f"{'':<{width}}  {_one_line(str(r['statement']))}")
        print(f"{'':<{width}}  -> {_one_line(str(r['explanation']))}")
    return ExitCode.OK


def _cmd_claim(args: argparse.Namespace) -> int:
    import aipower

    c = aipower.claim(args.claim_id)
    record: dict[str, Any] = {
        "claim_id": c.claim_id,
        "verdict": c.verdict,
        "statement": c.statement,
        "stated_printed": c.stated_printed,
        "stated_value": c.stated_value,
        "stated_by": c.stated_by.source_id,
        "stated_on": c.stated_on,
        "attributed_to": c.attributed_to.source_id if c.attributed_to else None,
        "same_basis": c.same_basis,
        "explanation": c.explanation,
    }
    if args.format != "table":
        if args.format == "json":
            record["observations"] = [_obs_dict(o) for o in c.observations]
        _emit_records([record], args.format, sys.stdout)
        return ExitCode.OK
    lines = [
        f"{c.claim_id}: {c.verdict}",
        f"  statement    {c.statement}",
        f"  stated       {c.stated_printed or '(qualitative)'} by {c.stated_by.title} "
        f"[{c.stated_by.source_id}]" + (f", {c.stated_on}" if c.stated_on else ""),
        f"  explanation  {c.explanation}",
    ]
    from aipower._display import format_value

    for o in c.observations:
        lines.append(
            f"  evidence     {format_value(o.value, o.unit)} from {o.source_id} {o.vintage} "
            f"[{o.locator}, {o.status}]"
        )
    print("\n".join(lines))
    return ExitCode.OK


def _cmd_check(args: argparse.Namespace) -> int:
    import aipower

    value, unit = _value_and_unit(args.value, args.unit)
    result = aipower.check(
        args.metric,
        country=args.country,
        entity=args.entity,
        year=args.year,
        value=value,  # type: ignore[arg-type]  # a Decimal keeps the digits as written
        unit=unit,  # type: ignore[arg-type]
    )
    verdict, explanation, nearest = result.verdict, result.explanation, result.nearest
    if args.source is not None:
        verdict, explanation, nearest = _against_source(result, args.source)
    if args.format == "table":
        print(f"{verdict}: {explanation}")
    else:
        record = {
            "verdict": verdict,
            "explanation": explanation,
            "value": result.value,
            "nearest": _obs_dict(nearest),
        }
        _emit_records([record], args.format, sys.stdout)
    return _VERDICT_EXIT.get(verdict, ExitCode.DIFFERS)


def _against_source(result: Any, source: str) -> tuple[str, str, Any]:
    """The verdict of a check judged against one source id or family only."""
    from aipower._claims.check import describe_comparison
    from aipower._core.store import default
    from aipower._query.resolve import source_arg

    source_arg(default(), source)  # an unknown source: the API's error, with suggestions
    match = [
        c
        for c in result.comparisons
        if source in (c.observation.source_id, c.observation.source.family)
    ]
    if not match:
        held = sorted({c.observation.source_id for c in result.comparisons})
        raise NoDataError(
            f"no {result.metric_id} value from {source!r} for {result.entity_id} in "
            f"{result.year}; sources with one: {', '.join(held)}"
        )
    best = match[0]
    text = describe_comparison(best, result.value)
    return best.verdict, text, best.observation


def _cmd_coverage(args: argparse.Namespace) -> int:
    import aipower

    frame = aipower.coverage(args.metric, family=args.family)
    records = [{k: v for k, v in r.items() if k != "index"} for r in _frame_records(frame)]
    _emit_records(records, args.format, sys.stdout)
    return ExitCode.OK


def _cmd_plot(args: argparse.Namespace) -> int:
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError as exc:
        raise _MissingExtra("plot", "matplotlib") from exc
    import aipower.plot

    if args.plot_kind == "series":
        ax = aipower.plot.series(
            args.metric, countries=args.countries or ("USA", "CHN"), source=args.source
        )
    else:
        ax = aipower.plot.compare(
            args.metric, year=args.year, top=args.top, kind=args.kind, source=args.source
        )
    figure: Any = ax.figure
    figure.savefig(args.output, bbox_inches="tight", dpi=150)
    print(args.output)
    return ExitCode.OK


def _cmd_validate(args: argparse.Namespace) -> int:
    import aipower

    counts = aipower.verify()
    for name, n in counts.items():
        print(f"{name:14s} {n:>8,d} rows  ok")
    return ExitCode.OK


def _cmd_info(args: argparse.Namespace) -> int:
    import aipower
    from aipower._core.store import default

    manifest = default().manifest
    record = {
        "aipower": aipower.__version__,
        "data_version": manifest["data_version"],
        **{f"rows.{k}": v["rows"] for k, v in sorted(manifest["tables"].items())},
    }
    if args.format == "table":
        for k, v in record.items():
            print(f"{k:20s} {v}")
    else:
        _emit_records([record], args.format, sys.stdout)
    return ExitCode.OK


def _cmd_describe(args: argparse.Namespace) -> int:
    import aipower

    aipower.describe(args.metric)
    return ExitCode.OK


def _cmd_export(args: argparse.Namespace) -> int:
    import aipower

    if args.format == "sqlite":
        explorer = _explorer()
        written = explorer.export_sqlite(args.dir, license=args.license)
    else:
        written = aipower.export(args.dir, format=args.format, license=args.license)
    for path in written:
        print(path)
    return ExitCode.OK


def _cmd_serve(args: argparse.Namespace) -> int:
    explorer = _explorer()
    try:
        import datasette  # noqa: F401
    except ImportError as exc:
        raise _MissingExtra("explorer", "datasette") from exc
    return int(explorer.serve(port=args.port, directory=args.dir, open_browser=args.open))


def _cmd_cite(args: argparse.Namespace) -> int:
    import aipower

    sys.stdout.write(aipower.cite(args.metric, style=args.style))
    return ExitCode.OK


def _cmd_completion(args: argparse.Namespace) -> int:
    try:
        import argcomplete
    except ImportError as exc:
        raise _MissingExtra("completion", "argcomplete") from exc
    sys.stdout.write(argcomplete.shellcode(["aipower"], shell=args.shell))  # type: ignore[attr-defined]
    return ExitCode.OK


class _MissingExtra(Exception):
    def __init__(self, extra: str, package: str) -> None:
        super().__init__(f"this needs {package}: pip install 'aipower[{extra}]'")


def _explorer() -> Any:
    try:
        import aipower._surfaces.explorer as explorer
    except ImportError as exc:  # sqlite-utils or datasette missing
        raise _MissingExtra("explorer", exc.name or "sqlite-utils") from exc
    return explorer


def run(args: argparse.Namespace) -> int:
    """Dispatch to the command's ``_cmd_*`` function. A new command adds its parser block in
    :func:`build_parser` with ``p.set_defaults(handler=_cmd_new)`` and one ``_cmd_new``."""
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is not None:
        return handler(args)
    raise AssertionError(args.command)  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    if "_ARGCOMPLETE" in os.environ:  # only while the shell asks for completions
        try:
            import argcomplete

            argcomplete.autocomplete(parser)
        except ImportError:
            pass
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help()
        return ExitCode.OK
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or usage error (2)
        return int(exc.code or 0)
    if getattr(args, "handler", None) is None:  # a bare `aipower plot`
        parser.print_help()
        return ExitCode.OK
    try:
        return int(run(args))
    except NoDataError as exc:
        return _fail(ExitCode.NO_DATA, f"no data: {exc}")
    except DataIntegrityError as exc:
        return _fail(ExitCode.INTEGRITY, f"data integrity error: {exc}")
    except _MissingExtra as exc:
        return _fail(ExitCode.MISSING_EXTRA, f"error: {exc}")
    except (AipowerError, TypeError, ValueError) as exc:
        return _fail(ExitCode.USAGE, f"error: {exc}")
    except BrokenPipeError:  # e.g. `aipower metrics | head`
        return ExitCode.OK
    except OSError as exc:  # e.g. `aipower export` into a directory that cannot be written
        return _fail(ExitCode.FILE_ERROR, f"error: {exc}")


def entry() -> None:
    """The ``aipower`` command (console script and ``python -m aipower``): :func:`main`, then
    leave without interpreter teardown once pyarrow is loaded. pyarrow can abort a finished
    process at exit ("terminate called without an active exception", a C++ thread torn down
    late; cf. apache/arrow#34314), which would turn any outcome into exit -6."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # e.g. `aipower metrics | head`
        pass
    if "pyarrow" in sys.modules:
        os._exit(code)
    sys.exit(code)


def _fail(code: ExitCode, message: str) -> int:
    print(f"aipower: {shell_message(message)}", file=sys.stderr)
    return int(code)


if __name__ == "__main__":
    entry()
