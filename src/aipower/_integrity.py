"""On-demand checks of the shipped data: file hashes and the pandera schemas."""

from __future__ import annotations

from aipower._spec import TABLES
from aipower._store import default


def verify() -> dict[str, int]:
    """Check every shipped file against the manifest's SHA-256, then validate every table.

    Returns the row count per table. Raises :class:`aipower.DataIntegrityError` for a missing
    or altered file and :class:`pandera.errors.SchemaErrors` for a table that breaks a rule.
    """
    store = default()
    for name in TABLES:
        store.verify_file(name)
    return validate()


def validate() -> dict[str, int]:
    """Validate every shipped table with :mod:`aipower.schemas` (per-table and cross-table
    rules). Returns the row count per table; raises pandera's ``SchemaErrors`` on failure."""
    import aipower.schemas as schemas
    from aipower._arrow import arrow_to_frame

    store = default()
    frames = {name: arrow_to_frame(store.plain(name), name) for name in TABLES}
    schemas.validate_tables(frames, lazy=True)
    return {name: len(frame) for name, frame in frames.items()}
