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
("see `aipower metrics`"). This module is the public entry: :func:`entry` (the console
script), :func:`main`, :class:`ExitCode` and :func:`build_parser`. The commands live in the
surfaces layer: ``aipower/_surfaces/cli_parser.py`` (the parser; each command is one
``cmd_*`` function registered with ``set_defaults(handler=...)``), ``cli_query.py`` (get,
series, compare, listings), ``cli_claims.py`` (check, check-text, claims), ``cli_extras.py``
(plot, export, serve, completion), ``cli_output.py`` (table/CSV/JSON) and ``cli_common.py``
(exit codes, shell phrasing, value parsing).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from aipower._display import natural_key
from aipower._surfaces.cli_common import (
    EXIT_HELP,
    EXIT_MEANINGS,
    VERDICT_EXIT,
    ExitCode,
    MissingExtra,
    parse_value,
    shell_message,
)
from aipower._surfaces.cli_parser import build_parser
from aipower.errors import AipowerError, DataIntegrityError, NoDataError

__all__ = [
    "EXIT_HELP",
    "EXIT_MEANINGS",
    "EXIT_NO_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "ExitCode",
    "build_parser",
    "entry",
    "main",
    "natural_key",
    "parse_value",
    "run",
    "shell_message",
]

#: kept for code that imported the old names
EXIT_OK, EXIT_USAGE, EXIT_NO_DATA = ExitCode.OK, ExitCode.USAGE, ExitCode.NO_DATA
_VERDICT_EXIT = VERDICT_EXIT

#: (exception types, exit status, message prefix), first match wins: a mapping table as data.
#: BrokenPipeError (``aipower metrics | head``) is an OSError that ends quietly with 0.
_FAILURES: tuple[tuple[type[Exception] | tuple[type[Exception], ...], ExitCode, str], ...] = (
    (NoDataError, ExitCode.NO_DATA, "no data: "),
    (DataIntegrityError, ExitCode.INTEGRITY, "data integrity error: "),
    (MissingExtra, ExitCode.MISSING_EXTRA, "error: "),
    ((AipowerError, TypeError, ValueError), ExitCode.USAGE, "error: "),
    (OSError, ExitCode.FILE_ERROR, "error: "),
)
_HANDLED = (AipowerError, MissingExtra, TypeError, ValueError, OSError)


def run(args: argparse.Namespace) -> int:
    """Dispatch to the command's ``cmd_*`` function.

    Args:
        args: the parsed command line (its ``handler`` was set by :func:`build_parser`).

    Returns:
        The command's exit status.
    """
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is not None:
        return handler(args)
    raise AssertionError(args.command)  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status (errors go to stderr, never a traceback).

    Args:
        argv: the arguments after ``aipower`` (default: ``sys.argv[1:]``).

    Returns:
        The exit status (see :class:`ExitCode`).
    """
    parser = build_parser()
    _autocomplete(parser)
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
    except _HANDLED as exc:
        return _failure(exc)


def entry(argv: Sequence[str] | None = None) -> None:
    """The ``aipower`` command (console script and ``python -m aipower``).

    Runs :func:`main`, then leaves without interpreter teardown once pyarrow is loaded.
    pyarrow can abort a finished process at exit ("terminate called without an active
    exception", a C++ thread torn down late; cf. apache/arrow#34314), which would turn any
    outcome into exit -6. Programs that run a command in a child process should call this,
    not ``sys.exit(main(...))``.

    Args:
        argv: the arguments after ``aipower`` (default: ``sys.argv[1:]``).
    """
    code = main(argv)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # e.g. `aipower metrics | head`
        pass
    if "pyarrow" in sys.modules:
        os._exit(code)
    sys.exit(code)


def _autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request (argcomplete exits), only while it asks."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    try:
        import argcomplete
    except ImportError:
        return
    argcomplete.autocomplete(parser)


def _failure(exc: Exception) -> int:
    """The exit status of a handled error, after its message (in shell terms) on stderr."""
    if isinstance(exc, BrokenPipeError):
        return ExitCode.OK
    code, prefix = next((c, p) for types, c, p in _FAILURES if isinstance(exc, types))
    return _fail(code, f"{prefix}{exc}")


def _fail(code: ExitCode, message: str) -> int:
    print(f"aipower: {shell_message(message)}", file=sys.stderr)
    return int(code)


if __name__ == "__main__":
    entry()
