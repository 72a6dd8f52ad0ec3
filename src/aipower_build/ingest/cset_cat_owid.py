"""OWID's republications of CSET CAT series, as spec entries (read by ``cset_cat``).

Not an ingest module (no ``FAMILY``): these files belong to family ``cset_cat``, whose module
(:mod:`aipower_build.ingest.cset_cat`) reads them with
:func:`aipower_build.ingest.owid_grapher.owid_rows`. Each file is its own source with its own
vintage (``data/sources/cset_owid.csv``). Metric decisions (see ``docs/sources/owid.md``):

* an OWID copy of a CSET series on the same basis is the same metric as the raw CSET one
  (``cset_articles``, ``cset_patent_applications``, ``cset_patents_granted__<field>``): only
  the source and vintage differ, so revisions between releases show up side by side; a
  different basis gets its own metric (constant 2021 US$ investment
  ``cset_investment_estimated_2021usd``, applications per million people).
"""

from __future__ import annotations

from aipower_build.ingest.owid_grapher import Column, OwidFile
from aipower_build.ingest.specs import field_slug

GRANTED_FIELDS: tuple[str, ...] = (
    "Banking and finance",
    "Industry and manufacturing",
    "Energy management",
    "Physical sciences and engineering",
    "Security",
    "Life sciences",
    "Transportation",
    "Business",
    "Telecommunications",
    "Personal devices and computing",
)

CSET_NOTE = "CSET Country Activity Tracker data republished by OWID (OWID import of {date})"
CSET_TOTAL_NOTE = (
    "total computed by OWID by adding up its country values; with whole counting an article "
    "with authors in several countries is counted once for each of them"
)
CSET_TOTAL_NOTE_ADDITIVE = "total computed by OWID by adding up its country values"
PROJECTED_NOTE = (
    "OWID/CSET projection for a year not yet complete (column 'All (projected)'), not a count"
)


#: OWID's republications of CAT series (rules in :mod:`aipower_build.ingest.owid_grapher`)
OWID_FILES: tuple[OwidFile, ...] = (
    OwidFile(
        folder="cset_publications_2025pkg",
        file="annual-scholarly-publications-on-artificial-intelligence.csv",
        source_id="owid_cset_publications_2025_04",
        columns=(Column("Number of articles - Field: All", "cset_articles"),),
        note=CSET_NOTE.format(date="2025-04-18"),
        total_note=CSET_TOTAL_NOTE,
        unit_check=(
            "annual-scholarly-publications-on-artificial-intelligence.metadata.json",
            "articles",
        ),
    ),
    OwidFile(
        folder="cset_publications_2025-10vintage",
        file="annual-scholarly-publications-on-artificial-intelligence.csv",
        source_id="owid_cset_publications_2025_10",
        columns=(Column("All", "cset_articles"),),
        note=CSET_NOTE.format(date="2025-10-22, probable"),
        total_note=CSET_TOTAL_NOTE,
    ),
    OwidFile(
        folder="cset_patents_applications_2025-10vintage",
        file="artificial-intelligence-patents-submitted.csv",
        source_id="owid_cset_patent_applications_2025_10",
        columns=(Column("All", "cset_patent_applications"),),
        note=CSET_NOTE.format(date="2025-10-22, probable"),
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
    OwidFile(
        folder="cset_patents_applications_per_million_2025-04vintage",
        file="artificial-intelligence-patents-submitted-per-million.csv",
        source_id="owid_cset_patent_applications_per_million_2025_04",
        columns=(
            Column(
                "Patent applications per 1 million people - Field: All",
                "cset_patent_applications_per_million",
            ),
        ),
        note="CSET application counts divided by OWID population estimates, computed by OWID "
        "(OWID import of 2025-04-18)",
        total_note="world value computed by OWID from its summed country counts and population",
    ),
    OwidFile(
        folder="cset_granted_patents_by_industry_2024-07vintage",
        file="artificial-intelligence-granted-patents-by-industry.csv",
        source_id="owid_cset_patents_granted_by_industry_2024_07",
        columns=tuple(
            Column(
                f"Patent applications granted - Field: {field}",
                f"cset_patents_granted__{field_slug(field)}",
            )
            for field in GRANTED_FIELDS
        ),
        note=CSET_NOTE.format(date="2024-07-16, probable"),
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
    OwidFile(
        folder="cset_private_investment_2025-04vintage",
        file="private-investment-in-artificial-intelligence-cset.csv",
        source_id="owid_cset_private_investment_2025_04",
        columns=(Column("Estimated investment - Field: All", "cset_investment_estimated_2021usd"),),
        note=CSET_NOTE.format(date="2025-04-18")
        + "; OWID converted CSET's nominal US$ to constant 2021 US$ with the US CPI",
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
    OwidFile(
        folder="cset_private_investment_2025-10vintage",
        file="private-investment-in-artificial-intelligence-cset.csv",
        source_id="owid_cset_private_investment_2025_10",
        columns=(
            Column("All", "cset_investment_estimated_2021usd"),
            Column(
                "All (projected) (Projected)",
                "cset_investment_estimated_2021usd",
                status="incomplete",
                note=PROJECTED_NOTE,
            ),
        ),
        note=CSET_NOTE.format(date="2025-10-22, probable")
        + "; OWID converted CSET's nominal US$ to constant 2021 US$ with the US CPI",
        total_note=CSET_TOTAL_NOTE_ADDITIVE,
    ),
)
