"""Epoch AI benchmarking hub: the best Capabilities Index of US and Chinese models by month.

Reads ``../shared/sources/epoch/benchmarked_models_2026-08/benchmarked_models.csv`` and derives
``eci_best`` for USA and CHN at every month end (a running maximum over released model
versions) and ``eci_gap_us_china``; the month of the file's latest release is ``incomplete``.
Rules are stated in ``docs/sources/epoch.md`` and on every row; the source and its vintage are
curated in ``data/sources/epoch.csv``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from aipower_build.ingest.base import (
    IngestContext,
    IngestError,
    IngestOutput,
    Source,
    observation,
    output,
)
from aipower_build.ingest.epoch_common import (
    CHN,
    PAIR_US_CHINA,
    USA,
    clean_text,
    file_label,
    map_countries,
    month_end,
    parse_date,
    parse_float,
    records,
    require,
)

FAMILY = "epoch_benchmarks"
SOURCE_ID = "epoch_benchmarked_2026_08"
BENCHMARKED_2026 = "epoch/benchmarked_models_2026-08/benchmarked_models.csv"
FILES: tuple[str, ...] = (BENCHMARKED_2026,)

BM_MODEL = "Model"
BM_VERSION_ID = "id_model_version"
BM_COUNTRY = "Country (of organization)"
BM_RELEASE = "Version release date"
BM_ECI = "eci"
BENCH_REQUIRED = (BM_MODEL, BM_VERSION_ID, BM_COUNTRY, BM_RELEASE, BM_ECI)


@attrs.frozen
class Scored:
    """One benchmarked model version with an ECI and a release date."""

    released: dt.date
    eci: Decimal
    version_id: str
    countries: tuple[str, ...]


def read_benchmarked(ctx: IngestContext) -> tuple[list[Scored], dt.date]:
    """Scored model versions and the latest release date of any row in the file."""
    relpath = BENCHMARKED_2026
    frame = ctx.read_csv(relpath)
    require(frame, BENCH_REQUIRED, relpath)
    scored: list[Scored] = []
    latest: dt.date | None = None
    for rec in records(frame):
        key = clean_text(rec[BM_VERSION_ID])
        released = parse_date(rec[BM_RELEASE], file=relpath, key=key, column=BM_RELEASE)
        if released is not None:
            latest = released if latest is None else max(latest, released)
        text = rec[BM_ECI].strip()
        if released is None or not text:
            continue
        parse_float(text, file=relpath, key=key, column=BM_ECI)  # validates the text
        countries = tuple(map_countries(ctx, rec[BM_COUNTRY], file=relpath))
        scored.append(Scored(released, Decimal(text), key, countries))
    if latest is None:
        raise IngestError(f"{relpath}: no Version release date (rule: dated rows)")
    return scored, latest


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(month_end(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _running_best(
    scored: list[Scored], ent: str, last_month: dt.date
) -> tuple[dict[dt.date, Scored], dict[dt.date, list[str]]]:
    """Best version of ``ent`` by each month end, and every version tied at that best eci."""
    pool = sorted(
        (s for s in scored if ent in s.countries),
        key=lambda s: (s.released, -s.eci, s.version_id),
    )
    if not pool:
        raise IngestError(f"{BENCHMARKED_2026}: no scored model for {ent}")
    series: dict[dt.date, Scored] = {}
    ties: dict[dt.date, list[str]] = {}
    current = pool[0]
    level: list[str] = []
    j = 0
    for me in _months(pool[0].released, last_month):
        while j < len(pool) and pool[j].released <= me:
            if not level or pool[j].eci > current.eci:
                current = pool[j]
                level = [pool[j].version_id]
            elif pool[j].eci == current.eci:
                level.append(pool[j].version_id)
            j += 1
        series[me] = current
        ties[me] = sorted(set(level))
    return series, ties


RULE = (
    "Running maximum of eci over rows of {file} whose Country (of organization) resolves "
    "to {ent} (a model of several countries counts for each) and whose Version release "
    "date is on or before the month end; rows without eci or release date are ignored."
)


def eci_observations(
    scored: list[Scored], latest: dt.date, source: Source
) -> list[dict[str, object]]:
    """``eci_best`` (USA, CHN) and ``eci_gap_us_china`` by month end."""
    label = file_label(BENCHMARKED_2026)
    last_month = month_end(latest.year, latest.month)
    partial = (
        f"Month not complete in this snapshot: the file's latest Version release date is "
        f"{latest.isoformat()}."
    )
    best = {ent: _running_best(scored, ent, last_month) for ent in (USA, CHN)}

    def base(ent: str, me: dt.date) -> dict[str, Any]:
        return {
            "entity_id": ent,
            "year": me.year,
            "date": me,
            "status": "incomplete" if me == last_month else "derived",
            "note": partial if me == last_month else None,
        }

    rows: list[dict[str, object]] = []
    for ent, (series, ties) in best.items():
        for me, s in series.items():
            rows.append(
                observation(
                    source,
                    **base(ent, me),
                    metric_id="eci_best",
                    value=float(s.eci),
                    locator=f"{label}, id_model_version = {s.version_id} (best {ent} model "
                    f"released by {me.isoformat()})",
                    derived_from=RULE.format(file=label, ent=ent),
                    inputs=ties[me],
                )
            )
    (us_series, us_ties), (cn_series, cn_ties) = best[USA], best[CHN]
    for me in sorted(set(us_series) & set(cn_series)):
        us, cn = us_series[me], cn_series[me]
        rows.append(
            observation(
                source,
                **base(PAIR_US_CHINA, me),
                metric_id="eci_gap_us_china",
                value=float(us.eci - cn.eci),
                locator=f"{label}, id_model_version = {us.version_id} (USA) and "
                f"{cn.version_id} (CHN), best released by {me.isoformat()}",
                derived_from="eci_best for USA minus eci_best for CHN at the same month end; "
                + RULE.format(file=label, ent="USA or CHN"),
                inputs=[f"{USA}: {v}" for v in us_ties[me]] + [f"{CHN}: {v}" for v in cn_ties[me]],
            )
        )
    return rows


def ingest(ctx: IngestContext) -> IngestOutput:
    """The best-ECI series of USA and CHN and their gap."""
    scored, latest = read_benchmarked(ctx)
    return output(eci_observations(scored, latest, ctx.source(SOURCE_ID)), FAMILY)
