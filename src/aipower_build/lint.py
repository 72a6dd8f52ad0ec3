"""Checks of the curated inputs' form, run before anything is parsed with pandas.

pandas is forgiving in ways that hide mistakes: a row with one field too many shifts every
cell (and the message then blames the wrong column), a file cut down to its header yields no
rows without complaint, a NUL byte survives into the shipped text. These checks read every
curated CSV with :mod:`csv` and refuse, with ``file, line N: what (rule: ...)``:

* a path ending in ``.csv`` that is not a regular file (a folder named ``old.csv``);
* an empty file, a header without rows, a row with more or fewer fields than the header;
* a NUL byte anywhere;
* a text cell that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return; numbers such as ``-61`` or ``+0.5`` are fine);
* a date-like cell (``YYYY-MM-DD`` or ``YYYY-MM``) that is not a real calendar date;
* a missing ``raw_lock.csv`` or ``DATA_VERSION``, or a ``DATA_VERSION`` that is not exactly one
  line ``YEAR.MINOR.PATCH``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

#: first characters that make a spreadsheet evaluate a cell (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: columns whose cells are dates or year-months when they look like one
DATE_COLUMNS = frozenset({"date", "stated_on", "published", "vintage", "first_operational"})
DATA_VERSION_PATTERN = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YM = re.compile(r"^(\d{4})-(\d{2})$")


class LintError(Exception):
    """A curated input breaks a rule of form; the message names the file, line and rule."""


def _rel(path: Path, data_dir: Path) -> str:
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:  # pragma: no cover - every checked path is under data_dir
        return str(path)


def _is_number(text: str) -> bool:
    try:
        return Decimal(text.replace(",", "").strip()).is_finite()
    except InvalidOperation:
        return False


def _date_problem(text: str) -> str | None:
    m = _YMD.match(text)
    if m:
        try:
            dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            return f"{text!r} is not a calendar date ({exc})"
        return None
    m = _YM.match(text)
    if m and not 1 <= int(m[2]) <= 12:
        return f"{text!r} has no month {m[2]}"
    return None


def check_csv(path: Path, data_dir: Path) -> None:
    """Refuse a curated CSV whose form is broken (see the module docstring)."""
    rel = _rel(path, data_dir)
    if not path.is_file():
        raise LintError(f"{rel}: not a regular file (rule: a curated input is a CSV file)")
    text = path.read_bytes().decode("utf-8", errors="replace")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise LintError(f"{rel}, line {line}: NUL byte (rule: no control characters in text)")
    if not text.strip():
        raise LintError(f"{rel}: empty file (rule: a curated file has a header and rows)")
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
        rows = 0
        start = reader.line_num + 1
        for row in reader:
            if row and len(row) != len(header):
                raise LintError(
                    f"{rel}, line {start}: malformed CSV ({len(row)} fields where the header "
                    f"has {len(header)}) (rule: parseable CSV, every row has the header's fields)"
                )
            if row:
                rows += 1
                _check_cells(rel, start, header, row)
            start = reader.line_num + 1
    except csv.Error as exc:  # malformed quoting: the parser reports it with its line
        raise LintError(
            f"{rel}, line {start}: malformed CSV ({exc}) (rule: parseable CSV)"
        ) from exc
    if rows == 0:
        raise LintError(
            f"{rel}, line 2: a header but no rows (rule: a curated file has rows; delete the "
            "file instead of emptying it)"
        )


def _check_cells(rel: str, line: int, header: list[str], row: list[str]) -> None:
    for column, cell in zip(header, row, strict=True):
        if cell.startswith(FORMULA_STARTS) and not _is_number(cell):
            raise LintError(
                f"{rel}, line {line}: column {column!r} value {cell[:30]!r} begins with "
                f"{cell[0]!r} (rule: no text cell begins with = + - @, tab or CR, which "
                "spreadsheets run as a formula)"
            )
        if column in DATE_COLUMNS and cell:
            problem = _date_problem(cell.strip())
            if problem:
                raise LintError(
                    f"{rel}, line {line}: column {column!r} value {problem} (rule: dates are "
                    "real calendar dates, YYYY-MM-DD or YYYY-MM)"
                )


def check_data_version(data_dir: Path) -> str:
    """The one-line ``DATA_VERSION``, or a LintError saying what is wrong with it."""
    path = data_dir / "DATA_VERSION"
    rel = _rel(path, data_dir)
    if not path.is_file():
        raise LintError(
            f"{rel}: missing or not a file (rule: the data version is one line YEAR.MINOR.PATCH)"
        )
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    if len(lines) != 1 or not DATA_VERSION_PATTERN.match(lines[0].strip()):
        shown = lines[:3]
        raise LintError(
            f"{rel}, line 1: {len(lines)} line(s) {shown!r} (rule: the data version is exactly "
            "one line YEAR.MINOR.PATCH, e.g. 2026.12.0)"
        )
    return lines[0].strip()


def check_inputs(data_dir: Path) -> None:
    """Run every check over ``data_dir``; raise :class:`LintError` at the first problem."""
    lock = data_dir / "raw_lock.csv"
    if not lock.exists():
        raise LintError(
            f"{_rel(lock, data_dir)}: missing (rule: every raw input is pinned in "
            "data/raw_lock.csv with its SHA-256)"
        )
    check_data_version(data_dir)
    for path in sorted(data_dir.rglob("*.csv")):
        check_csv(path, data_dir)


def check_table_cells(name: str, frame: Any) -> None:
    """Apply the formula rule to every text cell of an assembled table.

    Ingested values are included (model names, organisations, notes), so that no CSV export
    starts a cell with a formula.
    """
    for column in frame.columns:
        if column in ("_file", "_row") or frame[column].dtype != object:
            continue
        for index, value in frame[column].items():
            cells = value if isinstance(value, list | tuple) else (value,)
            for cell in cells:
                if (
                    isinstance(cell, str)
                    and cell.startswith(FORMULA_STARTS)
                    and not _is_number(cell)
                ):
                    row = frame.loc[index]
                    place = f"{row.get('_file', f'table {name}')}, line {row.get('_row', index)}"
                    raise LintError(
                        f"{place}: table {name!r} column {column!r} value {cell[:30]!r} begins "
                        f"with {cell[0]!r} (rule: no text cell begins with = + - @, tab or CR, "
                        "which spreadsheets run as a formula)"
                    )
