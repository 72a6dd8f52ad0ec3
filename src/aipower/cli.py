"""The ``aipower`` command line (also ``python -m aipower``).

Exit codes: 0 ok, 1 no data / failed check / integrity error / file error, 2 usage error
(unknown metric, country, source or licence, bad argument). Errors go to stderr with the same
suggestions as the API.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from aipower.errors import (
    AipowerError,
    DataIntegrityError,
    NoDataError,
)

EXIT_OK, EXIT_NO_DATA, EXIT_USAGE = 0, 1, 2


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


def _emit_records(records: list[dict[str, Any]], fmt: str, out: io.TextIOBase | Any) -> None:
    if fmt == "json":
        out.write(json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    if not records:
        return
    columns = list(records[0])
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow(
                {
                    k: (";".join(map(str, v)) if isinstance(v, list | tuple) else v)
                    for k, v in r.items()
                }
            )
        return
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
        return f"{v:.6g}"
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
            if hasattr(v, "isoformat"):
                r[k] = v.isoformat()
            elif hasattr(v, "tolist"):
                r[k] = v.tolist()
            elif v != v:  # NaN
                r[k] = None
    return records


def _print_observation(o: Any, fmt: str) -> None:
    if fmt != "table":
        _emit_records([_obs_dict(o)], fmt, sys.stdout)
        return
    from aipower.results import Share

    value = f"{o.percent:g} %" if isinstance(o, Share) else f"{o.value:,.6g} {o.unit}"
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


def _add_entity_args(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--country", help="country name, ISO2/ISO3 code or alias (e.g. CN, USA)")
    g.add_argument("--entity", help="any entity: country, aggregate, organisation, model")


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


def build_parser() -> argparse.ArgumentParser:
    from aipower._version import __version__

    parser = argparse.ArgumentParser(
        prog="aipower",
        description="Sourced data on the AI competition between countries.",
        epilog="Exit codes: 0 ok, 1 no data, failed check or file error, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"aipower {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, help_text in (("get", "one value with its source"), ("get-share", "one share")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("metric", help="metric id or concept word (e.g. patents)")
        _add_entity_args(p)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--source", help="source id or family (default: the metric's default)")
        p.add_argument("--vintage")
        p.add_argument("--all", action="store_true", help="every source and vintage")
        _add_format(p)

    p = sub.add_parser("series", help="one entity over the years")
    p.add_argument("metric")
    _add_entity_args(p)
    p.add_argument("--source")
    p.add_argument("--vintage")
    _add_format(p)

    p = sub.add_parser("compare", help="all entities in one year")
    p.add_argument("metric")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--kind", help="entity kind, e.g. country")
    p.add_argument("--source")
    p.add_argument("--vintage")
    _add_format(p)

    for name in ("metrics", "sources", "entities", "claims"):
        p = sub.add_parser(name, help=f"list {name}")
        _add_format(p)

    p = sub.add_parser("check", help="check a number against every source")
    p.add_argument("metric")
    _add_entity_args(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--value", type=float, required=True)
    p.add_argument("--unit", choices=("percent", "fraction", "thousand", "million", "billion"))
    _add_format(p)

    sub.add_parser(
        "verify",
        aliases=["validate"],
        help="aipower.verify(): check file sizes and hashes, then validate every table",
    )
    p = sub.add_parser("info", help="versions and table sizes")
    _add_format(p)

    p = sub.add_parser(
        "describe",
        help="what a metric counts: definition, basis, unit, sources, coverage, caveats",
    )
    p.add_argument("metric", help="metric id or concept word (e.g. patents)")

    p = sub.add_parser(
        "export",
        help="write every table as CSV, Parquet or a Frictionless data package",
        description="Write every shipped table into DIR. 'datapackage' writes CSV files plus a "
        "datapackage.json (Table Schema, keys, licences) that passes `frictionless validate`.",
    )
    p.add_argument("dir", metavar="DIR", help="directory to write into (created if missing)")
    p.add_argument("--format", choices=("csv", "parquet", "datapackage"), default="csv")
    p.add_argument(
        "--license",
        nargs="+",
        metavar="ID",
        help="keep only values whose source has one of these licence ids (e.g. CC-BY-4.0)",
    )

    p = sub.add_parser(
        "cite", help="cite aipower (with its data version) and the upstream sources it used"
    )
    p.add_argument("--metric", help="cite only the sources with observations of this metric")
    p.add_argument("--style", choices=("bibtex", "apa"), default="bibtex")
    return parser


_LIST_COLUMNS = {
    "metrics": ["metric_id", "concept", "kind", "unit", "title", "default_source_id"],
    "sources": ["source_id", "kind", "publisher", "title", "vintage", "license", "primary"],
    "entities": ["entity_id", "kind", "name", "iso2", "iso3"],
    "claims": [
        "claim_id",
        "verdict",
        "stated_printed",
        "stated_by",
        "metric_id",
        "entity_id",
        "year",
    ],
}


def run(args: argparse.Namespace) -> int:
    import aipower

    fmt = getattr(args, "format", "table")
    cmd = args.command
    if cmd in ("get", "get-share"):
        kw = {"country": args.country, "entity": args.entity, "year": args.year}
        if args.all:
            rows = aipower.get_all(args.metric, **kw)
            _emit_records(
                [_obs_dict(o) for o in rows], "table" if fmt == "table" else fmt, sys.stdout
            )
            return EXIT_OK
        fn = aipower.get_share if cmd == "get-share" else aipower.get
        obs = fn(args.metric, source=args.source, vintage=args.vintage, **kw)
        _print_observation(obs, fmt)
        return EXIT_OK
    if cmd == "series":
        frame = aipower.series(
            args.metric,
            country=args.country,
            entity=args.entity,
            source=args.source,
            vintage=args.vintage,
        )
        _emit_records(_frame_records(frame.drop(columns=["date", "priority"])), fmt, sys.stdout)
        _note_selection(frame.attrs, fmt, used="releases", left_out="not_joined")
        return EXIT_OK
    if cmd == "compare":
        frame = aipower.compare(
            args.metric, year=args.year, kind=args.kind, source=args.source, vintage=args.vintage
        )
        _emit_records(_frame_records(frame.drop(columns=["date", "priority"])), fmt, sys.stdout)
        _note_selection(frame.attrs, fmt, used="release", left_out="passed_over")
        return EXIT_OK
    if cmd in _LIST_COLUMNS:
        frame = getattr(aipower, cmd)()
        if fmt == "table":
            frame = frame[_LIST_COLUMNS[cmd]]
        _emit_records(
            [{k: v for k, v in r.items() if k != "index"} for r in _frame_records(frame)],
            fmt,
            sys.stdout,
        )
        return EXIT_OK
    if cmd == "check":
        result = aipower.check(
            args.metric,
            country=args.country,
            entity=args.entity,
            year=args.year,
            value=args.value,
            unit=args.unit,
        )
        if fmt == "table":
            print(f"{result.verdict}: {result.explanation}")
        else:
            record = {
                "verdict": result.verdict,
                "explanation": result.explanation,
                "value": result.value,
                "nearest": _obs_dict(result.nearest),
            }
            _emit_records([record], fmt, sys.stdout)
        return EXIT_OK if result.verdict in ("matches", "rounded") else EXIT_NO_DATA
    if cmd in ("verify", "validate"):
        counts = aipower.verify()
        for name, n in counts.items():
            print(f"{name:14s} {n:>8,d} rows  ok")
        return EXIT_OK
    if cmd == "info":
        from aipower._store import default

        manifest = default().manifest
        record = {
            "aipower": aipower.__version__,
            "data_version": manifest["data_version"],
            **{f"rows.{k}": v["rows"] for k, v in sorted(manifest["tables"].items())},
        }
        if fmt == "table":
            for k, v in record.items():
                print(f"{k:20s} {v}")
        else:
            _emit_records([record], fmt, sys.stdout)
        return EXIT_OK
    if cmd == "describe":
        aipower.describe(args.metric)
        return EXIT_OK
    if cmd == "export":
        written = aipower.export(args.dir, format=args.format, license=args.license)
        for path in written:
            print(path)
        return EXIT_OK
    if cmd == "cite":
        sys.stdout.write(aipower.cite(args.metric, style=args.style))
        return EXIT_OK
    raise AssertionError(cmd)  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or usage error (2)
        return int(exc.code or 0)
    try:
        return run(args)
    except NoDataError as exc:
        print(f"aipower: no data: {exc}", file=sys.stderr)
        return EXIT_NO_DATA
    except DataIntegrityError as exc:
        print(f"aipower: data integrity error: {exc}", file=sys.stderr)
        return EXIT_NO_DATA
    except (AipowerError, TypeError, ValueError) as exc:
        print(f"aipower: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `aipower metrics | head`
        return EXIT_OK
    except OSError as exc:  # e.g. `aipower export` into a directory that cannot be written
        print(f"aipower: error: {exc}", file=sys.stderr)
        return EXIT_NO_DATA


if __name__ == "__main__":
    sys.exit(main())
