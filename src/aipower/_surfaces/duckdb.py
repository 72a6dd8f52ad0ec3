"""``aipower.duckdb()``: every shipped table as a DuckDB view, for SQL over the data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aipower._spec import TABLES

if TYPE_CHECKING:
    import duckdb as _duckdb

_INSTALL = "aipower.duckdb() needs DuckDB: pip install 'aipower[duckdb]'"


def duckdb(*, license: Sequence[str] | str | None = None) -> _duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection with every shipped table as a view.

    The views (``sources``, ``entities``, ``metrics``, ``concepts``, ``observations``,
    ``claims``, ``models``, ``clusters``) are the very Arrow tables the query API uses, after
    each file's SHA-256 has been checked against the manifest: DuckDB scans them in memory
    (no copy) and never reads a path, so a file changed or swapped after that check, or
    characters such as ``*`` or ``[`` in the install path, cannot change what SQL sees.
    Nothing is fetched. ``license=`` keeps only rows whose source has one of the given
    licence ids, like :func:`aipower.table`. Close the connection when done (or use it as a
    context manager).

    Example:
        >>> con = aipower.duckdb()
        >>> sql = "select count(*) from sources where license = 'CC-BY-4.0'"
        >>> n = int((aipower.sources()["license"] == "CC-BY-4.0").sum())
        >>> con.execute(sql).fetchone() == (n,)
        True
        >>> con.close()

    Raises:
        ImportError: DuckDB is not installed (``pip install 'aipower[duckdb]'``).
    """
    try:
        import duckdb as ddb
    except ImportError as exc:
        raise ImportError(_INSTALL) from exc
    from aipower._core.licenses import license_arg
    from aipower._query.api import table

    licenses = license_arg(license)
    # verified (hash, columns, types) and filtered exactly like aipower.table(..., license=)
    arrows = {name: table(name, engine="pyarrow", license=licenses) for name in TABLES}  # type: ignore[arg-type]
    con = ddb.connect(":memory:")
    try:
        for name, arrow in arrows.items():
            con.register(name, arrow)
    except Exception:
        con.close()
        raise
    return con
