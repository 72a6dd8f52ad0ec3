"""The store: layer 2 of 5.

Reads the shipped Parquet lazily, holds the Arrow and pandera plumbing, the licence rules and
the integrity checks. Imports only the types layer (``_spec``, ``errors``, ``results``,
``_display``).
"""
