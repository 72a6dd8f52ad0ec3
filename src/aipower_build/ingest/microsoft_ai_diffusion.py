"""Microsoft AI Economy Institute: AI diffusion (share of working-age people using generative AI).

One raw file: ``AI_Diffusion_Q12026_Update.csv`` (producer's repository, May 2026), one row per
economy with three period columns, each a percent string (``16.40%``). Decisions (see
``docs/sources/microsoft.md``):

* one metric, ``ai_diffusion`` (a fraction of the working-age population);
* sub-year periods use ``year`` + ``date`` like Epoch's monthly ECI rows: the date is the last
  day of the period (H1 2025 -> 2025-06-30, H2 2025 -> 2025-12-31, Q1 2026 -> 2026-03-31), so
  an annual query returns the latest period of that year and ``series(..., by="date")`` lists
  every period;
* the file is Mac OS Roman, not UTF-8 (``Türkiye`` is the byte 0x9F); it is decoded as such and
  any other non-ASCII byte would show up as an unmapped name;
* every value is first-hand (the producer's own file), status ``verified``; the H1 and H2 2025
  columns are the producer's May-2026 restatement, and the values the H2 2025 and Q1 2026
  report PDFs print are curated separately (``data/observations/microsoft_diffusion_reports.csv``)
  so the two readings sit side by side.
"""

from __future__ import annotations

import datetime as dt

from aipower_build.ingest.base import IngestContext, IngestOutput, output
from aipower_build.ingest.specs import PERCENT, CsvFile, ValueColumn, WideFile, wide_rows

FAMILY = "microsoft_ai_diffusion"

RESTATED_NOTE = (
    "as restated in the producer's May 2026 file; the January 2026 report prints its own value "
    "(source microsoft_ai_diffusion_report_2025_h2)"
)

#: the whole source: one wide file, three period columns of percents
DIFFUSION = WideFile(
    csv=CsvFile(
        "microsoft/ai_diffusion_2026-05/AI_Diffusion_Q12026_Update.csv",
        columns=("Economy", "H1 2025 AI Diffusion", "H2 2025 AI Diffusion", "Q1 2026 AI Diffusion"),
        entity="Economy",
        key=("Economy",),
        encoding="mac_roman",
    ),
    source_id="microsoft_ai_diffusion_2026_05",
    values=(
        ValueColumn(
            "H1 2025 AI Diffusion",
            "ai_diffusion",
            year=2025,
            date=dt.date(2025, 6, 30),
            note=RESTATED_NOTE,
        ),
        ValueColumn(
            "H2 2025 AI Diffusion",
            "ai_diffusion",
            year=2025,
            date=dt.date(2025, 12, 31),
            note=RESTATED_NOTE,
        ),
        ValueColumn("Q1 2026 AI Diffusion", "ai_diffusion", year=2026, date=dt.date(2026, 3, 31)),
    ),
    number=PERCENT,
    locator="{file}, line {line}, Economy={Economy}, column={column}",
    note="Microsoft telemetry estimate (aggregated device and product usage, adjusted for device "
    "market share, internet penetration and population), not a survey",
)
DIFFUSION_CSV = DIFFUSION.csv.relpath
FILES: tuple[str, ...] = (DIFFUSION_CSV,)


def ingest(ctx: IngestContext) -> IngestOutput:
    """One observation per economy and period of the diffusion CSV."""
    return output(wide_rows(ctx, DIFFUSION), FAMILY)
