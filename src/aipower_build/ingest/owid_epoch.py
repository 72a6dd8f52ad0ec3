"""Epoch AI's large-scale model counts as Our World in Data accumulates them.

One OWID grapher file (``owid/epoch_large_scale_systems_by_country``): the cumulative number
of large-scale AI systems per country since 2019, OWID's own running sum of Epoch's counts, so
its family (``owid_epoch``) is OWID's and its metric (``large_scale_models_cumulative``) is not
one of Epoch's. The latest year was still in progress when OWID published the file: its values
are ``incomplete``. The reading rules common to OWID files are in
:mod:`aipower_build.ingest.owid_grapher`.
"""

from __future__ import annotations

from aipower_build.ingest.base import IngestContext, IngestOutput, output
from aipower_build.ingest.owid_grapher import Column, OwidFile, files_of, owid_rows

FAMILY = "owid_epoch"

OWID_FILES: tuple[OwidFile, ...] = (
    OwidFile(
        folder="epoch_large_scale_systems_by_country",
        file="cumulative-number-of-large-scale-ai-systems-by-country.csv",
        source_id="owid_epoch_large_scale_systems_2026_04",
        columns=(
            Column(
                "Cumulative number of large-scale AI systems by country",
                "large_scale_models_cumulative",
            ),
        ),
        note="Epoch AI large-scale model counts accumulated by OWID since 2019",
        partial_last_year=2026,
    ),
)
FILES: tuple[str, ...] = files_of(OWID_FILES)


def ingest(ctx: IngestContext) -> IngestOutput:
    """Observations of OWID's cumulative large-scale model counts."""
    return output(owid_rows(ctx, OWID_FILES), FAMILY)
