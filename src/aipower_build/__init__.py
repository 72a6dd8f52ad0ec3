"""Build pipeline for aipower's shipped tables (not part of the wheel).

Data flows one way::

    ../shared/sources (pinned raw files)  --ingest/-->  \
                                                         +--> validate (aipower.schemas) --> write Parquet + manifest
    data/ (hand-curated CSV)              --curated-->  /

Run ``python -m aipower_build`` from the repository root.
"""
