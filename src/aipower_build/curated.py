"""Read the hand-curated inputs in ``data/`` into frames shaped like the shipped tables.

Every frame keeps two bookkeeping columns, ``_file`` and ``_row`` (the CSV line number), so
that a broken rule can be reported as ``data/observations/x.csv, line 12: <rule>``.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from aipower._spec import OBSERVATIONS, STATUSES, TABLES
from aipower_build.entities import _rel, read_curated_csv

SCALES: dict[str, Decimal] = {
    "": Decimal(1),
    "percent": Decimal("0.01"),
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
}


@attrs.frozen
class InputColumns:
    """The columns of a curated folder ``data/<table>/``, derived from the table's spec.

    A curated file has the shipped table's columns (:data:`aipower._spec.TABLES`) except those
    the build computes, plus the input-only columns it computes them from; ``optional`` columns
    may be left out of a file (they read as empty).
    """

    table: str
    optional: tuple[str, ...] = ()
    #: table columns the build computes (not in the curated file)
    computed: tuple[str, ...] = ()
    #: input-only columns, the inputs of the computed ones (required unless optional)
    inputs: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """Columns every file of the folder must have."""
        skip = {*self.optional, *self.computed}
        own = (c for c in self.inputs if c not in self.optional)
        return (*(c for c in TABLES[self.table].columns if c not in skip), *own)


#: folder -> its columns: everything not said here comes from the table spec
INPUTS: dict[str, InputColumns] = {
    "sources": InputColumns("sources", optional=("how_read", "family")),
    "metrics": InputColumns("metrics"),
    "concepts": InputColumns("concepts"),
    "observations": InputColumns(
        "observations",
        optional=("date", "vintage", "priority", "note", "derived_from", "read_in", "confirmation"),
        computed=("value", "inputs"),
        inputs=("printed", "printed_unit"),
    ),
    "claims": InputColumns(
        "claims",
        optional=(
            "stated_printed",
            "stated_unit",
            "stated_on",
            "attributed_to",
            "metric_id",
            "entity_id",
            "year",
            "compare_source_id",
            "context",
            "same_basis",
        ),
        computed=("stated_value", "verdict", "explanation"),
        inputs=("stated_unit",),
    ),
}
#: folder -> (required columns, optional columns), as the readers use them
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    kind: (spec.required, spec.optional) for kind, spec in INPUTS.items()
}


class CuratedError(Exception):
    """A curated file breaks a rule; the message names the file, line and rule."""


def where(frame: pd.DataFrame, index: Any) -> str:
    """``file, line N`` for a row of a frame that carries ``_file``/``_row``."""
    try:
        row = frame.loc[index]
        return f"{row['_file']}, line {row['_row']}"
    except (KeyError, TypeError):
        return f"row {index}"


def read_folder(folder: Path, kind: str) -> pd.DataFrame:
    """Read and check the columns of every CSV in ``data/<kind>/``."""
    required, optional = COLUMNS[kind]
    frames = []
    for path in sorted(folder.glob("*.csv")):
        rel = _rel(path)
        try:
            frame = read_curated_csv(path)
        except UnicodeDecodeError as exc:
            raise CuratedError(
                f"{rel}: malformed CSV: not UTF-8 ({exc}) (rule: parseable CSV)"
            ) from exc
        except (pd.errors.ParserError, ValueError) as exc:
            raise CuratedError(f"{rel}: {_csv_problem(path, exc)} (rule: parseable CSV)") from exc
        missing = [c for c in required if c not in frame.columns]
        unknown = [c for c in frame.columns if c not in required + optional]
        if missing:
            raise CuratedError(f"{rel}, line 1: missing column(s) {missing} (rule: {kind} columns)")
        if unknown:
            raise CuratedError(
                f"{rel}, line 1: unknown column(s) {unknown} (rule: {kind} columns are "
                f"{list(required + optional)})"
            )
        for col in optional:
            if col not in frame.columns:
                frame[col] = ""
        frame = frame[list(required + optional)].copy()
        frame["_file"] = _rel(path)
        frame["_row"] = range(2, len(frame) + 2)
        frames.append(frame)
    if not frames:
        cols = [*list(required + optional), "_file", "_row"]
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return pd.concat(frames, ignore_index=True)


def _csv_problem(path: Path, exc: Exception) -> str:
    """Say where a CSV breaks, with a 1-based line number (pandas counts rows from 0)."""
    import csv

    start = 1
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            width = None
            while True:
                start = reader.line_num + 1  # a quoted field may span lines: report its start
                row = next(reader, None)
                if row is None:
                    break
                if width is None:
                    width = len(row)
                elif len(row) != width:
                    return (
                        f"line {start}: malformed CSV ({len(row)} fields where the header has "
                        f"{width})"
                    )
    except csv.Error as err:
        return f"line {start}: malformed CSV ({err})"
    return f"malformed CSV ({exc})"


def parse_printed(printed: str, unit: str, *, at: str) -> float:
    """Exact ``printed × scale`` using decimal arithmetic (69.70 percent -> 0.697)."""
    if unit not in SCALES:
        raise CuratedError(
            f"{at}: printed_unit {unit!r} is not one of {sorted(SCALES)} (rule: known scale)"
        )
    text = printed.replace(",", "").strip()
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CuratedError(
            f"{at}: printed value {printed!r} is not a number (rule: printed is numeric)"
        ) from exc
    if not number.is_finite():
        raise CuratedError(
            f"{at}: printed value {printed!r} is not finite (rule: printed is numeric)"
        )
    return float(number * SCALES[unit])


def _none_if_empty(value: str) -> str | None:
    return value if value.strip() else None


def sources(data_dir: Path) -> pd.DataFrame:
    """The curated source rows (``data/sources/*.csv``), ``primary`` as bool, blanks as None."""
    frame = read_folder(data_dir / "sources", "sources")
    out = frame.copy()
    primary: list[bool] = []
    for i, row in frame.iterrows():
        flag = str(row["primary"]).strip().lower()
        if flag not in ("true", "false"):
            at = where(frame, i)
            raise CuratedError(f"{at}: primary must be true or false, got {row['primary']!r}")
        primary.append(flag == "true")
    out["primary"] = pd.Series(primary, index=frame.index, dtype=bool)
    out["family"] = [
        str(f).strip() or str(s) for f, s in zip(frame["family"], frame["source_id"], strict=True)
    ]
    for col in ("url", "how_read", "published", "vintage"):
        out[col] = out[col].map(_none_if_empty).astype(object)
    return out


def metrics(data_dir: Path) -> pd.DataFrame:
    """The curated metric definitions (``data/metrics/*.csv``)."""
    return read_folder(data_dir / "metrics", "metrics")


def concepts(data_dir: Path) -> pd.DataFrame:
    """The curated concept roles (``data/concepts/*.csv``)."""
    return read_folder(data_dir / "concepts", "concepts")


def check_read_in(
    read_in: str | None,
    source_id: str,
    status: str,
    sources: Collection[str],
    *,
    at: str,
) -> None:
    """The rules of ``read_in``: a known copy, not the source itself, never under ``verified``."""
    if read_in is None:
        return
    if read_in not in sources:
        raise CuratedError(
            f"{at}: unknown read_in {read_in!r} (rule: the copy read is a source of its own in "
            "data/sources, with url, title, date and how_read)"
        )
    if read_in == source_id:
        raise CuratedError(
            f"{at}: read_in names source_id itself (rule: leave read_in empty when the source "
            "itself was read)"
        )
    if status == "verified":
        raise CuratedError(
            f"{at}: status verified but the value was read in a copy ({read_in}) (rule: a "
            "verified value is read in its source itself; a value read in a copy is secondary)"
        )


def observations(data_dir: Path, source_vintages: dict[str, str | None]) -> pd.DataFrame:
    """Curated observations with ``value`` computed from ``printed`` and ``printed_unit``."""
    frame = read_folder(data_dir / "observations", "observations")
    rows: list[dict[str, object]] = []
    for i, row in frame.iterrows():
        at = where(frame, i)
        try:
            year = int(str(row["year"]).strip())
        except ValueError as exc:
            raise CuratedError(f"{at}: year {row['year']!r} is not an integer") from exc
        status = str(row["status"]).strip()
        if status not in STATUSES:
            raise CuratedError(
                f"{at}: status {status!r} is not one of {list(STATUSES)} (rule: known status)"
            )
        source_id = str(row["source_id"]).strip()
        if source_id not in source_vintages:
            raise CuratedError(f"{at}: unknown source_id {source_id!r} (rule: sources exist)")
        vintage = str(row["vintage"]).strip() or (source_vintages[source_id] or "")
        if not vintage:
            raise CuratedError(
                f"{at}: no vintage (rule: an observation has a vintage; set it on the row or on "
                f"source {source_id!r})"
            )
        priority_text = str(row["priority"]).strip() or "0"
        try:
            priority = int(priority_text)
        except ValueError as exc:
            raise CuratedError(f"{at}: priority {priority_text!r} is not an integer") from exc
        if not str(row["locator"]).strip():
            raise CuratedError(f"{at}: empty locator (rule: every value has a locator)")
        read_in = _none_if_empty(str(row["read_in"]).strip())
        check_read_in(read_in, source_id, status, source_vintages, at=at)
        confirmation = _none_if_empty(str(row["confirmation"]).strip())
        if status == "inferred" and confirmation is None:
            raise CuratedError(
                f"{at}: inferred row without a confirmation (rule: an inferred value, e.g. a "
                "chart label paired with a name by position, is kept only when the text, "
                "another figure or another source confirms it; say which in the confirmation "
                "column, or drop the row and list it in docs/research/not_found.md)"
            )
        rows.append(
            {
                "metric_id": str(row["metric_id"]).strip(),
                "entity_id": str(row["entity_id"]).strip(),
                "year": year,
                "date": _none_if_empty(str(row["date"])),
                "value": parse_printed(
                    str(row["printed"]), str(row["printed_unit"]).strip(), at=at
                ),
                "source_id": source_id,
                "vintage": vintage,
                "locator": str(row["locator"]).strip(),
                "status": status,
                "priority": priority,
                "note": _none_if_empty(str(row["note"])),
                "derived_from": _none_if_empty(str(row["derived_from"])),
                "inputs": [],
                "read_in": read_in,
                "confirmation": confirmation,
                "_file": row["_file"],
                "_row": row["_row"],
            }
        )
    return pd.DataFrame(rows, columns=[*OBSERVATIONS.columns, "_file", "_row"])


def claims(data_dir: Path) -> pd.DataFrame:
    """The curated claims (``data/claims/*.csv``), before their verdicts are computed."""
    return read_folder(data_dir / "claims", "claims")
