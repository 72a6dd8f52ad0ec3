"""The ``aipower`` argument parser: one sub-parser per command, each naming its handler.

A new command adds its parser block to :func:`build_parser` with
``p.set_defaults(handler=cmd_new)`` and one ``cmd_new`` function in a ``cli_*`` module.
Completion (argcomplete, optional) reads metric and claim ids from the shipped tables, only
while the shell asks for completions.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from aipower._surfaces.cli_claims import cmd_check, cmd_check_text, cmd_claim, cmd_claims
from aipower._surfaces.cli_common import EXIT_HELP, UNIT_CHOICES
from aipower._surfaces.cli_extras import cmd_completion, cmd_export, cmd_plot, cmd_serve
from aipower._surfaces.cli_query import (
    cmd_cite,
    cmd_compare,
    cmd_coverage,
    cmd_describe,
    cmd_get,
    cmd_info,
    cmd_list,
    cmd_series,
    cmd_validate,
)


# -- completion (argcomplete, optional) -------------------------------------------------------
def _complete_from(table: Any, column: str) -> Callable[..., list[str]]:
    def complete(prefix: str, **_: Any) -> list[str]:
        import aipower

        values = aipower.table(table, engine="pyarrow").column(column).to_pylist()
        return sorted({str(v) for v in values if str(v).casefold().startswith(prefix.casefold())})

    return complete


def _completes(action: argparse.Action, complete: Callable[..., list[str]]) -> None:
    action.completer = complete  # type: ignore[attr-defined]


# -- shared arguments -------------------------------------------------------------------------
def _add_entity_args(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    g = p.add_mutually_exclusive_group(required=required)
    g.add_argument("--country", help="country name, ISO2/ISO3 code or alias (e.g. CN, USA)")
    g.add_argument("--entity", help="any entity: country, aggregate, organisation, model")


def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _add_metric(p: argparse.ArgumentParser) -> None:
    action = p.add_argument("metric", help="metric id or concept word (e.g. patents)")
    _completes(action, _complete_from("metrics", "metric_id"))


# -- the parser ---------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The ``aipower`` argument parser; each sub-parser sets its ``handler``.

    Returns:
        The parser (the generated docs page prints its help).
    """
    from aipower._version import __version__

    parser = argparse.ArgumentParser(
        prog="aipower",
        description="Sourced data on the AI competition between countries.",
        epilog=EXIT_HELP,
    )
    parser.add_argument("--version", action="version", version=f"aipower {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_query_commands(sub)
    _add_check(sub)
    _add_coverage_and_plot(sub)
    _add_file_commands(sub)
    _add_check_text(sub)
    return parser


def _add_query_commands(sub: Any) -> None:
    """get, get-share, series, compare, the listings, claim."""
    for name, help_text in (("get", "one value with its source"), ("get-share", "one share")):
        p = sub.add_parser(name, help=help_text, epilog=EXIT_HELP)
        _add_metric(p)
        _add_entity_args(p)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--source", help="source id or family (default: the metric's default)")
        p.add_argument("--vintage")
        p.add_argument("--all", action="store_true", help="every source and vintage")
        _add_format(p)
        p.set_defaults(handler=cmd_get)

    p = sub.add_parser("series", help="one entity over the years")
    _add_metric(p)
    _add_entity_args(p)
    p.add_argument("--source")
    p.add_argument("--vintage")
    _add_format(p)
    p.set_defaults(handler=cmd_series)

    p = sub.add_parser("compare", help="all entities in one year")
    _add_metric(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument(
        "--kind",
        default="country",
        help="entity kind (default: country, as in aipower.compare); 'all' for every kind",
    )
    p.add_argument("--source")
    p.add_argument("--vintage")
    _add_format(p)
    p.set_defaults(handler=cmd_compare)

    for name in ("metrics", "sources", "entities", "claims"):
        p = sub.add_parser(name, help=f"list {name}")
        _add_format(p)
        p.set_defaults(handler=cmd_claims if name == "claims" else cmd_list)

    p = sub.add_parser(
        "claim", help="one claim from the ledger: statement, verdict, explanation, evidence"
    )
    action = p.add_argument("claim_id", metavar="ID", help="claim id, e.g. C6a (any case)")
    _completes(action, _complete_from("claims", "claim_id"))
    _add_format(p)
    p.set_defaults(handler=cmd_claim)


def _add_check(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="check a number against every source",
        epilog=EXIT_HELP,
        description="Is this number right, and where is it from? --value accepts 69.7, 69.7%%, "
        "2,600,000, 2.6M (thousand k, million M/mn, billion B/bn) and 2.6e6.",
    )
    _add_metric(p)
    _add_entity_args(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--value", required=True, help="the number as written: 69.7%%, 2.6M, ...")
    p.add_argument("--unit", choices=UNIT_CHOICES, help="how --value is written (%% = percent)")
    p.add_argument(
        "--source", help="judge against this source id or family only (default: every source)"
    )
    _add_format(p)
    p.set_defaults(handler=cmd_check)


def _add_coverage_and_plot(sub: Any) -> None:
    p = sub.add_parser(
        "coverage", help="what aipower holds for a metric: years, entities, statuses per release"
    )
    action = p.add_argument("metric", nargs="?", help="metric id or concept word (default: all)")
    _completes(action, _complete_from("metrics", "metric_id"))
    p.add_argument("--family", help="only this source family, e.g. aiindex")
    _add_format(p)
    p.set_defaults(handler=cmd_coverage)

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
    q.set_defaults(handler=cmd_plot)
    q = plots.add_parser("compare", help="the top entities in one year, as bars")
    _add_metric(q)
    q.add_argument("--year", type=int, required=True)
    q.add_argument("--top", type=int, default=15)
    q.add_argument("--kind", default="country", help="entity kind (default: country)")
    q.add_argument("--source")
    q.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. chart.png")
    q.set_defaults(handler=cmd_plot)


def _add_file_commands(sub: Any) -> None:
    """verify, info, describe, export, serve, cite, completion."""
    p = sub.add_parser(
        "verify",
        aliases=["validate"],
        help="aipower.verify(): check file sizes and hashes, then validate every table",
    )
    p.set_defaults(handler=cmd_validate)
    p = sub.add_parser("info", help="versions and table sizes")
    _add_format(p)
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser(
        "describe",
        help="what a metric counts: definition, basis, unit, sources, coverage, caveats",
    )
    _add_metric(p)
    p.set_defaults(handler=cmd_describe)

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
    p.set_defaults(handler=cmd_export)

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
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser(
        "cite", help="cite aipower (with its data version) and the upstream sources it used"
    )
    p.add_argument("--metric", help="cite only the sources with observations of this metric")
    p.add_argument("--style", choices=("bibtex", "apa"), default="bibtex")
    p.set_defaults(handler=cmd_cite)

    p = sub.add_parser(
        "completion",
        help="print the shell completion script (bash, zsh or fish; needs aipower[completion])",
        description='Enable completion, e.g. bash: eval "$(aipower completion bash)"; '
        "zsh: same in ~/.zshrc; fish: aipower completion fish | source",
    )
    p.add_argument("shell", choices=("bash", "zsh", "fish"))
    p.set_defaults(handler=cmd_completion)


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
    p.set_defaults(handler=cmd_check_text)
