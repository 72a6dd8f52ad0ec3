"""``aipower.duckdb()``: every shipped table as a DuckDB view, for SQL over the data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aipower._spec import TABLES

if TYPE_CHECKING:
    import duckdb as _duckdb

_INSTALL = "aipower.duckdb() needs DuckDB: pip install 'aipower[duckdb]'"
_LICENSE_COLUMN: dict[str, str] = {"claims": "stated_by"}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb(*, license: Sequence[str] | str | None = None) -> _duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection with every shipped table as a view.

    The views (``sources``, ``entities``, ``metrics``, ``concepts``, ``observations``,
    ``claims``, ``models``, ``clusters``) read the Parquet files inside the package, after
    their SHA-256 has been checked against the manifest. Nothing is copied and nothing is
    fetched. ``license=`` keeps only rows whose source has one of the given licence ids, like
    :func:`aipower.table`. Close the connection when done (or use it as a context manager).

    Example:
        >>> con = aipower.duckdb()  # doctest: +SKIP
        >>> sql = "select entity_id, value from observations where year = 2023"
        >>> con.sql(sql).df()  # doctest: +SKIP

    Raises:
        ImportError: DuckDB is not installed (``pip install 'aipower[duckdb]'``).
    """
    try:
        import duckdb as ddb
    except ImportError as exc:
        raise ImportError(_INSTALL) from exc
    from aipower._licenses import check_license_arg
    from aipower._store import default

    licenses = check_license_arg(license)
    store = default()
    store.ensure()
    keep: list[str] = []
    if licenses is not None:
        keep = sorted(s.source_id for s in store.sources.values() if s.license in licenses)
    con = ddb.connect(":memory:")
    try:
        for name, spec in TABLES.items():
            store.verify_file(name)  # the hash check the query API does on first read
            path = store.data_dir / store.manifest["tables"][name]["file"]
            sql = f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_quote(str(path))})"
            # the same rule as aipower.table(..., license=): source_id, or the claimant
            column = "source_id" if "source_id" in spec.columns else _LICENSE_COLUMN.get(name)
            if licenses is not None and column is not None:
                values = ", ".join(_quote(k) for k in keep) or "NULL"
                sql += f" WHERE {column} IN ({values})"
            con.execute(sql)
    except Exception:
        con.close()
        raise
    return con
