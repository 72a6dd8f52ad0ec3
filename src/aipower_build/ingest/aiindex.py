"""AI Index (Stanford HAI) series read in Our World in Data's republication.

The AI Index reports themselves are curated by hand (``data/observations/aiindex_*.csv``); this
module reads the OWID grapher copies of three AI Index charts, each its own source with its
own vintage (``data/sources/cset_owid.csv`` and ``owid_robots.csv``). Metric decisions (see
``docs/sources/owid.md``):

* private investment in constant 2021 US$ (Quid via the AI Index 2025, OWID's CPI conversion)
  is its own metric, ``private_investment_quid_2021usd``;
* newly funded AI companies (AI Index 2024 via OWID) is the AI Index metric
  ``newly_funded_companies`` with the OWID source; industrial robot installations (IFR via the
  AI Index 2025, OWID copy) is the AI Index metric ``industrial_robot_installations``.

The reading rules common to OWID files are in :mod:`aipower_build.ingest.owid_grapher`.
"""

from __future__ import annotations

from aipower_build.ingest.base import IngestContext, IngestOutput, output
from aipower_build.ingest.owid_grapher import Column, OwidFile, files_of, owid_rows

FAMILY = "aiindex"

OWID_FILES: tuple[OwidFile, ...] = (
    OwidFile(
        folder="aiindex_private_investment_2025pkg",
        file="private-investment-in-artificial-intelligence.csv",
        source_id="owid_aiindex_private_investment_2025",
        columns=(
            Column("Global total private investment in AI", "private_investment_quid_2021usd"),
        ),
        note="AI Index 2025 (Quid) figure republished by OWID, converted by OWID to constant "
        "2021 US$ with the US CPI",
        # OWID labels the AI Index area "European Union and United Kingdom" as "Europe" here;
        # the folder-scoped resolver maps it to EU_UK (data/entities/country_names.csv)
        unit_check=("private-investment-in-artificial-intelligence.metadata.json", "2021"),
    ),
    OwidFile(
        folder="aiindex_newly_funded_ai_companies",
        file="newly-funded-artificial-intelligence-companies.csv",
        source_id="owid_aiindex_newly_funded_companies_2024",
        columns=(Column("Newly founded AI companies", "newly_funded_companies"),),
        note="AI Index 2024 (Quid) figure republished by OWID",
    ),
    OwidFile(
        folder="aiindex_industrial_robots_2025pkg",
        file="annual-industrial-robots-installed.csv",
        source_id="owid_aiindex_industrial_robots_2025",
        columns=(Column("Annual industrial robots installed", "industrial_robot_installations"),),
        note="International Federation of Robotics (World Robotics) figure as charted in the AI "
        "Index 2025 and republished by OWID, rounded to thousands; the chart keeps only the "
        "five largest markets",
        unit_check=("annual-industrial-robots-installed.metadata.json", "robots"),
    ),
)
FILES: tuple[str, ...] = files_of(OWID_FILES)


def ingest(ctx: IngestContext) -> IngestOutput:
    """Observations of the OWID copies of AI Index charts, one source per file."""
    return output(owid_rows(ctx, OWID_FILES), FAMILY)
