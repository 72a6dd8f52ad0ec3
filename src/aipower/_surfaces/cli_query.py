"""The query commands: ``get``, ``get-share``, ``series``, ``compare`` and the listings.

Each ``cmd_*`` function takes the parsed arguments, prints, and returns its exit status.
``series`` and ``compare`` print from the pandas-free selections (``series_rows``,
``compare_rows``) that the API's DataFrames are built from, so they answer without importing
pandas; their output is the same as printing those DataFrames.
"""

from __future__ import annotations

import argparse
import sys

from aipower._surfaces.cli_common import ExitCode
from aipower._surfaces.cli_output import (
    emit_records,
    frame_records,
    note_selection,
    obs_dict,
    print_observation,
    selection_records,
)


def cmd_get(args: argparse.Namespace) -> int:
    """``aipower get`` / ``get-share``: one value with its source (``--all``: every reading).

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    kw = {"country": args.country, "entity": args.entity, "year": args.year}
    if args.all:
        rows = aipower.get_all(args.metric, **kw)
        emit_records([obs_dict(o) for o in rows], args.format, sys.stdout)
        return ExitCode.OK
    fn = aipower.get_share if args.command == "get-share" else aipower.get
    obs = fn(args.metric, source=args.source, vintage=args.vintage, **kw)
    print_observation(obs, args.format)
    return ExitCode.OK


def cmd_series(args: argparse.Namespace) -> int:
    """``aipower series``: one entity over the years, the releases used on stderr.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    from aipower._query.api import series_rows

    selection = series_rows(
        args.metric,
        country=args.country,
        entity=args.entity,
        source=args.source,
        vintage=args.vintage,
    )
    emit_records(selection_records(selection), args.format, sys.stdout)
    note_selection(selection.notes, args.format, used="releases", left_out="not_joined")
    return ExitCode.OK


def cmd_compare(args: argparse.Namespace) -> int:
    """``aipower compare``: every entity in one year, the release used on stderr.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    from aipower._query.api import compare_rows

    selection = compare_rows(
        args.metric, year=args.year, kind=args.kind, source=args.source, vintage=args.vintage
    )
    emit_records(selection_records(selection), args.format, sys.stdout)
    note_selection(selection.notes, args.format, used="release", left_out="passed_over")
    return ExitCode.OK


#: listing -> the columns its table shows (CSV and JSON show every column)
LIST_COLUMNS = {
    "metrics": ["metric_id", "concept", "kind", "unit", "title", "default_source_id"],
    "sources": ["source_id", "kind", "publisher", "title", "vintage", "license", "primary"],
    "entities": ["entity_id", "kind", "name", "iso2", "iso3"],
}


def cmd_list(args: argparse.Namespace) -> int:
    """``aipower metrics`` / ``sources`` / ``entities``: one of the reference tables.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    frame = getattr(aipower, args.command)()
    if args.format == "table":
        frame = frame[LIST_COLUMNS[args.command]]
    records = [{k: v for k, v in r.items() if k != "index"} for r in frame_records(frame)]
    emit_records(records, args.format, sys.stdout)
    return ExitCode.OK


def cmd_coverage(args: argparse.Namespace) -> int:
    """``aipower coverage``: years, entities and statuses per release.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    frame = aipower.coverage(args.metric, family=args.family)
    records = [{k: v for k, v in r.items() if k != "index"} for r in frame_records(frame)]
    emit_records(records, args.format, sys.stdout)
    return ExitCode.OK


def cmd_validate(args: argparse.Namespace) -> int:
    """``aipower verify`` (``validate``): file sizes, hashes and schemas of every table.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    counts = aipower.verify()
    for name, n in counts.items():
        print(f"{name:14s} {n:>8,d} rows  ok")
    return ExitCode.OK


def cmd_info(args: argparse.Namespace) -> int:
    """``aipower info``: the package and data versions and the table sizes.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
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
        emit_records([record], args.format, sys.stdout)
    return ExitCode.OK


def cmd_describe(args: argparse.Namespace) -> int:
    """``aipower describe``: what a metric counts.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    aipower.describe(args.metric)
    return ExitCode.OK


def cmd_cite(args: argparse.Namespace) -> int:
    """``aipower cite``: BibTeX or APA for aipower and the sources it used.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    sys.stdout.write(aipower.cite(args.metric, style=args.style))
    return ExitCode.OK
