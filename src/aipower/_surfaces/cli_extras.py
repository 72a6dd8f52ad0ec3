"""The commands that write files or need an optional part: plot, export, serve, completion.

A missing optional part raises :class:`~aipower._surfaces.cli_common.MissingExtra` (exit 7),
whose message names the ``pip install 'aipower[...]'`` that adds it.
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType
from typing import Any

from aipower._surfaces.cli_common import ExitCode, MissingExtra


def cmd_plot(args: argparse.Namespace) -> int:
    """``aipower plot series|compare``: draw a chart into a file (needs ``aipower[plot]``).

    Args:
        args: the parsed command line.

    Returns:
        The exit status.

    Raises:
        MissingExtra: matplotlib is not installed.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
    except ImportError as exc:
        raise MissingExtra("plot", "matplotlib") from exc
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


def cmd_export(args: argparse.Namespace) -> int:
    """``aipower export DIR``: every table as CSV, Parquet, a data package or SQLite.

    Args:
        args: the parsed command line.

    Returns:
        The exit status.
    """
    import aipower

    if args.format == "sqlite":
        written = explorer().export_sqlite(args.dir, license=args.license)
    else:
        written = aipower.export(args.dir, format=args.format, license=args.license)
    for path in written:
        print(path)
    return ExitCode.OK


def cmd_serve(args: argparse.Namespace) -> int:
    """``aipower serve``: browse the tables in Datasette (needs ``aipower[explorer]``).

    Args:
        args: the parsed command line.

    Returns:
        Datasette's exit status.

    Raises:
        MissingExtra: datasette or sqlite-utils is not installed.
    """
    module = explorer()
    try:
        import datasette  # noqa: F401
    except ImportError as exc:
        raise MissingExtra("explorer", "datasette") from exc
    return int(module.serve(port=args.port, directory=args.dir, open_browser=args.open))


def cmd_completion(args: argparse.Namespace) -> int:
    """``aipower completion SHELL``: the completion script (needs ``aipower[completion]``).

    Args:
        args: the parsed command line.

    Returns:
        The exit status.

    Raises:
        MissingExtra: argcomplete is not installed.
    """
    try:
        import argcomplete
    except ImportError as exc:
        raise MissingExtra("completion", "argcomplete") from exc
    sys.stdout.write(argcomplete.shellcode(["aipower"], shell=args.shell))  # type: ignore[attr-defined]
    return ExitCode.OK


def explorer() -> ModuleType:
    """The explorer module, or a :class:`MissingExtra` naming the extra that adds it.

    Returns:
        :mod:`aipower._surfaces.explorer`.

    Raises:
        MissingExtra: sqlite-utils or datasette is not installed.
    """
    try:
        import aipower._surfaces.explorer as module
    except ImportError as exc:  # sqlite-utils or datasette missing
        raise MissingExtra("explorer", exc.name or "sqlite-utils") from exc
    return module
