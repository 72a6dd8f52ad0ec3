"""Build pipeline for aipower's shipped tables (not part of the wheel).

Data flows one way::

    ../shared/sources (pinned raw files) --ingest/-->  \
                                                        +--> validate --> Parquet + manifest
    data/ (hand-curated CSV)             --curated-->  /

(validation uses aipower.schemas; Parquet and manifest.json go to src/aipower/data).

Run ``python -m aipower_build`` from the repository root.
"""
