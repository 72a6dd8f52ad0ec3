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
import re
from decimal import Decimal

from aipower_build.ingest.base import IngestContext, IngestError, IngestOutput, observations_frame

FAMILY = "microsoft"

DIFFUSION_CSV = "microsoft/ai_diffusion_2026-05/AI_Diffusion_Q12026_Update.csv"
FILES: tuple[str, ...] = (DIFFUSION_CSV,)

SOURCE_ID = "microsoft_ai_diffusion_2026_05"
VINTAGE = "2026-05-06"
METRIC = "ai_diffusion"
ENCODING = "mac_roman"

#: column header -> (year, last day of the period)
PERIODS: dict[str, tuple[int, dt.date]] = {
    "H1 2025 AI Diffusion": (2025, dt.date(2025, 6, 30)),
    "H2 2025 AI Diffusion": (2025, dt.date(2025, 12, 31)),
    "Q1 2026 AI Diffusion": (2026, dt.date(2026, 3, 31)),
}
RESTATED = frozenset({"H1 2025 AI Diffusion", "H2 2025 AI Diffusion"})
_PERCENT = re.compile(r"([0-9]{1,3}\.[0-9]{1,2})%")

NOTE = (
    "Microsoft telemetry estimate (aggregated device and product usage, adjusted for device "
    "market share, internet penetration and population), not a survey"
)
RESTATED_NOTE = (
    "as restated in the producer's May 2026 file; the January 2026 report prints its own value "
    "(source microsoft_ai_diffusion_report_2025_h2)"
)


def ingest(ctx: IngestContext) -> IngestOutput:
    """One observation per economy and period of the diffusion CSV."""
    frame = ctx.read_csv(DIFFUSION_CSV, encoding=ENCODING)
    expected = ["Economy", *PERIODS]
    if list(frame.columns) != expected:
        raise IngestError(
            f"{DIFFUSION_CSV}: columns {list(frame.columns)} != expected {expected} "
            "(rule: the diffusion file layout is pinned)"
        )
    file_name = DIFFUSION_CSV.rsplit("/", 1)[1]
    seen: dict[str, str] = {}
    rows: list[dict[str, object]] = []
    for line, record in enumerate(frame.to_dict("records"), start=2):
        name = str(record["Economy"]).strip()
        entity = ctx.entity_id(name, file=DIFFUSION_CSV)
        if entity in seen:
            raise IngestError(
                f"{DIFFUSION_CSV}: line {line}: {name!r} maps to {entity}, already used by "
                f"{seen[entity]!r} (rule: one row per economy)"
            )
        seen[entity] = name
        for column, (year, end) in PERIODS.items():
            cell = str(record[column]).strip()
            match = _PERCENT.fullmatch(cell)
            if match is None:
                raise IngestError(
                    f"{DIFFUSION_CSV}: line {line}: {column}={cell!r} "
                    "(rule: a percent such as '16.40%')"
                )
            notes = [NOTE]
            if column in RESTATED:
                notes.append(RESTATED_NOTE)
            rows.append(
                {
                    "metric_id": METRIC,
                    "entity_id": entity,
                    "year": year,
                    "date": end,
                    "value": float(Decimal(match.group(1)) / 100),
                    "source_id": SOURCE_ID,
                    "vintage": VINTAGE,
                    "locator": f"{file_name}, line {line}, Economy={name}, column={column}",
                    "status": "verified",
                    "priority": 0,
                    "note": "; ".join(notes),
                    "derived_from": None,
                }
            )
    # latest period first within an economy: the build keeps this order until it sorts the
    # table, and the claims step reads the first row of a year as that year's value
    rows.sort(key=lambda r: (str(r["entity_id"]), -int(str(r["date"]).replace("-", ""))))
    return IngestOutput(observations=observations_frame(rows))
