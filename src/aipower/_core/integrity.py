"""On-demand checks of the shipped data: file hashes and the pandera schemas.

* :func:`verify` re-reads every shipped file and checks its size and SHA-256 against
  ``manifest.json``, then runs :func:`validate`. The CLI's ``aipower verify`` (alias
  ``aipower validate``) runs it.
* :func:`validate` checks the loaded tables against the rules in :mod:`aipower.schemas`
  (types, ranges, patterns, keys, references, share sums) without re-reading the files.

The SHA-256 manifest detects corruption (a truncated download, a flipped bit, a file swapped
for another); it does not detect tampering by someone who can also rewrite ``manifest.json``.
See ``docs/reliability.md``.
"""

from __future__ import annotations

from typing import Any

from aipower._core.store import REPAIR, default
from aipower._spec import TABLES
from aipower.errors import DataValidationError

#: failing rule groups and rows shown per group in a DataValidationError message
_MAX_GROUPS, _MAX_ROWS = 10, 5


def verify() -> dict[str, int]:
    """Check every shipped file's size and SHA-256, then validate every table.

    Every file is re-read whole and compared with the manifest, then :func:`validate` runs.
    Returns the row count per table. Raises :class:`aipower.DataIntegrityError` for a
    missing, altered or unreadable file and :class:`aipower.DataValidationError` (a subclass)
    for a table that breaks a schema rule.
    """
    store = default()
    for name in TABLES:
        store.verify_file(name)
    return validate()


def validate() -> dict[str, int]:
    """Validate every shipped table with :mod:`aipower.schemas`.

    Per-table and cross-table rules. Returns the row count per table.

    Raises :class:`aipower.DataValidationError` naming the table, column, rule and rows of
    each failure (pandera's ``SchemaErrors`` is its ``__cause__``, with the full
    ``failure_cases``).
    """
    import pandera.errors

    import aipower.schemas as schemas
    from aipower._core.arrow import arrow_to_frame

    store = default()
    frames = {name: arrow_to_frame(store.shipped_table(name), name) for name in TABLES}
    try:
        schemas.validate_tables(frames, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise DataValidationError(_explain(exc, store.data_dir), exc.failure_cases) from exc
    return {name: len(frame) for name, frame in frames.items()}


def _table_of(schema: Any) -> str:
    """The shipped table a pandera schema belongs to (``Observations`` -> observations)."""
    label = str(getattr(schema, "name", None) or type(schema).__name__).casefold()
    return next((n for n in sorted(TABLES, key=len, reverse=True) if label.startswith(n)), label)


def _is_index(value: Any) -> bool:
    return value is not None and value == value and str(value).lstrip("-").isdigit()


def _explain(exc: Any, data_dir: Any) -> str:
    """``table 'x', column 'y', rule 'z': rows 3, 9 (values ...)`` lines, grouped."""
    table = _table_of(exc.schema)
    cases = exc.failure_cases
    lines = [
        f"table {table!r} in {data_dir} breaks {len(cases)} schema check(s) (aipower.schemas):"
    ]
    spec = TABLES.get(table)
    shown = [*spec.primary_key, "value"] if spec is not None else []
    groups = list(cases.groupby("check", dropna=False, sort=False))
    for check, group in groups[:_MAX_GROUPS]:
        rows = list(dict.fromkeys(int(i) for i in group["index"].tolist() if _is_index(i)))
        columns = list(dict.fromkeys(c for c in group["column"].tolist() if c == c and c))
        where = "the table as a whole"
        if rows:
            where = f"rows {', '.join(map(str, rows[:_MAX_ROWS]))}"
            if len(rows) > _MAX_ROWS:
                where += f" and {len(rows) - _MAX_ROWS} more"
        if len(columns) == 1:
            values = ", ".join(repr(v) for v in group["failure_case"].tolist()[:_MAX_ROWS])
            lines.append(f"  column {columns[0]!r}, rule {str(check)!r}: {where} (values {values})")
            continue
        # a rule over whole rows: pandera reports every column; show the first row's key
        first = group[group["index"] == rows[0]] if rows else group.iloc[:0]
        cells = dict(zip(first["column"].tolist(), first["failure_case"].tolist(), strict=True))
        key = ", ".join(f"{c}={cells[c]!r}" for c in shown if c in cells)
        lines.append(
            f"  rule {str(check)!r} (on whole rows): {where}"
            + (f"; row {rows[0]}: {key}" if key else "")
        )
    if len(groups) > _MAX_GROUPS:
        lines.append(f"  ... and {len(groups) - _MAX_GROUPS} more rule(s)")
    lines.append(f"Rows are 0-based positions in aipower.table({table!r}). {REPAIR}")
    return "\n".join(lines)
