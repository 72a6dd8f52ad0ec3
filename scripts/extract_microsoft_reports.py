#!/usr/bin/env python3
"""Write ``data/observations/microsoft_diffusion_reports.csv`` from the two report PDFs.

The Microsoft AI Economy Institute prints every economy's AI diffusion in an appendix table of
its H2 2025 report (pages 14-17: H1 2025, H2 2025, change) and its Q1 2026 report (pages 17-20:
H1 2025, H2 2025, Q1 2026, change), and the world value in a summary table (H2 2025 report p. 2;
Q1 2026 report p. 5). This script reads them with ``pdftotext -layout`` (Debian package
``poppler-utils``) and writes one curated row per printed value, exactly as printed. The
"change" columns are not kept (they are differences of unrounded values).

Economy names are mapped with the build's resolver (``data/entities``) plus the spellings only
these PDFs use (``REPORT_NAMES``); an unknown name stops the script.

Usage (repository root, project venv)::

    python scripts/extract_microsoft_reports.py           # rewrite the CSV
    python scripts/extract_microsoft_reports.py --check   # exit 1 if the CSV is out of date
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from aipower_build.entities import NameResolver  # noqa: E402

SOURCES = REPO.parent / "shared" / "sources" / "microsoft" / "ai_diffusion_2026-05"
OUT = REPO / "data" / "observations" / "microsoft_diffusion_reports.csv"

#: spellings of the report PDFs that the CSV spells otherwise
REPORT_NAMES = {
    "Democratic Republic Of The Congo": "COD",
    "Slovak Republic": "SVK",
    "Czech Republic": "CZE",
    "Turkey": "TUR",
    "World": "WORLD",
}

PERIOD_END = {
    "H1 2025": (2025, "2025-06-30"),
    "H2 2025": (2025, "2025-12-31"),
    "Q1 2026": (2026, "2026-03-31"),
}


class Report:
    def __init__(
        self,
        pdf: str,
        source_id: str,
        periods: tuple[str, ...],
        pages: range,
        world_page: int,
        digits: int,
        table: str,
    ) -> None:
        self.pdf, self.source_id, self.periods = pdf, source_id, periods
        self.pages, self.world_page, self.digits, self.table = pages, world_page, digits, table


REPORTS = (
    Report(
        "Microsoft-AI-Diffusion-Report-2025-H2.pdf",
        "microsoft_ai_diffusion_report_2025_h2",
        ("H1 2025", "H2 2025"),
        range(14, 18),
        2,
        2,
        "Appendix table of AI diffusion by economy",
    ),
    Report(
        "Microsoft-AI-Diffusion-Report-2026-Q1.pdf",
        "microsoft_ai_diffusion_report_2026_q1",
        ("H1 2025", "H2 2025", "Q1 2026"),
        range(17, 21),
        5,
        1,
        "Appendix table of AI diffusion by economy",
    ),
)

NOTE = (
    "value as printed in the report's table, read with pdftotext -layout; Microsoft "
    "telemetry estimate, not a survey"
)
WORLD_NOTE = (
    "world value as printed in the report's summary table by region, read with "
    "pdftotext -layout; Microsoft telemetry estimate, not a survey"
)


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")


def rows_for(report: Report, resolver: NameResolver) -> list[dict[str, str]]:
    text = pages(SOURCES / report.pdf)
    pct = rf"(\d+\.\d{{{report.digits}}})%"
    line_re = re.compile(
        r"\s*(\S.*?\S)\s+" + r"\s+".join([pct] * len(report.periods)) + r"\s+(-?\d+\.\d+)%\s*"
    )
    out: list[dict[str, str]] = []

    def add(name: str, values: tuple[str, ...], page: int, locator: str, note: str) -> None:
        entity = REPORT_NAMES.get(name) or resolver(name, "microsoft/ai_diffusion_2026-05")
        if entity is None:
            raise SystemExit(f"{report.pdf} p. {page}: unmapped economy name {name!r}")
        for period, printed in zip(report.periods, values, strict=True):
            year, date = PERIOD_END[period]
            out.append(
                {
                    "metric_id": "ai_diffusion",
                    "entity_id": entity,
                    "year": str(year),
                    "date": date,
                    "printed": printed,
                    "printed_unit": "percent",
                    "source_id": report.source_id,
                    "vintage": "",
                    "locator": f"{locator}, row '{name}', column '{period}'",
                    "status": "verified",
                    "priority": "",
                    "note": note,
                    "derived_from": "",
                }
            )

    for page in report.pages:
        for line in text[page - 1].splitlines():
            match = line_re.fullmatch(line)
            if match:
                name, *values = match.groups()[: 1 + len(report.periods)]
                add(name, tuple(values), page, f"{report.table}, p. {page}", NOTE)
    world_re = re.compile(
        r"\s*World\s+"
        + r"\s+".join([r"(\d+\.\d+)%"] * len(report.periods))
        + r"\s+\+?-?\d+\.\d+\s*"
    )
    worlds = [
        m for line in text[report.world_page - 1].splitlines() if (m := world_re.fullmatch(line))
    ]
    if len(worlds) != 1:
        raise SystemExit(f"{report.pdf} p. {report.world_page}: {len(worlds)} World rows")
    add(
        "World",
        tuple(worlds[0].groups()),
        report.world_page,
        f"Table of AI diffusion by region, p. {report.world_page}",
        WORLD_NOTE,
    )
    if len(out) != 148 * len(report.periods):
        raise SystemExit(f"{report.pdf}: {len(out)} values, expected 148 x {len(report.periods)}")
    return out


def render() -> str:
    resolver = NameResolver.from_data(REPO / "data")
    rows = [r for report in REPORTS for r in rows_for(report, resolver)]
    # latest period first within an economy (the claims step reads a year's first row)
    rows.sort(key=lambda r: (r["source_id"], r["entity_id"], -int(r["date"].replace("-", ""))))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only compare with the CSV")
    args = ap.parse_args()
    text = render()
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date; rerun without --check", file=sys.stderr)
            return 1
        print(f"{OUT}: up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
