"""User surfaces: layer 5 of 5.

Describe, cite, exports, DuckDB and the Datasette explorer. The CLI, plots and the package's
lazy public names (``cli.py``, ``plot.py``, ``__init__.py``) belong to this layer too but stay
at the top, as public modules; the CLI's commands, parser and output are here (``cli_*.py``).
"""
