"""Child: one first query in a fresh process, or a baseline read; prints the peak RSS.

Usage: ``first_query.py aipower METRIC COUNTRY YEAR`` or
``first_query.py read_table|parquetfile PATH``.
"""

from __future__ import annotations

import sys

from _peak import peak_bytes


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "aipower":
        import aipower

        aipower.get_share(argv[1], country=argv[2], year=int(argv[3]))
    elif mode == "read_table":
        import pyarrow.parquet as pq

        pq.read_table(argv[1])
    elif mode == "parquetfile":
        import pyarrow.parquet as pq

        pq.ParquetFile(argv[1]).read()
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(peak_bytes())


if __name__ == "__main__":
    main(sys.argv[1:])
