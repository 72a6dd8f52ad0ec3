"""GitHub Innovation Graph: developer activity by economy and quarter (2020 Q1 - 2025 Q3).

Raw files (``../shared/sources/github/innovation_graph_2026-01``, CC0): ``developers.csv``,
``repositories.csv``, ``organizations.csv``, ``git_pushes.csv`` (``<count>, iso2_code, year,
quarter``) and ``topics.csv`` (``num_pushers, topic, iso2_code, year, quarter``). Decisions (see
``docs/sources/github.md``):

* one metric per file (``github_developers``, ``github_repositories``, ``github_organizations``,
  ``github_git_pushes``) and one per AI-related topic (``github_topic_pushers__<topic>``):
  pushers of different topics overlap, so topics are never added up;
* a quarter is stored as ``year`` + ``date`` = last day of the quarter, like the other sub-year
  series; an annual query returns the year's latest quarter;
* economies are ISO 3166-1 alpha-2 codes resolved through ``ctx.entity_id`` (an unknown code
  fails the build; ``NA`` is Namibia, read as text); ``EU`` is GitHub's own European Union total
  (``EU27``), not a sum aipower computed;
* an economy-quarter is published only when at least 100 developers did the activity, so a
  missing value means "fewer than 100 or not published", never zero;
* every value is the producer's own figure, status ``verified``. Location comes from IP
  addresses, so VPN use and the weak reach of GitHub in China bias China's figures down; the
  note on every row says so. ``economy_collaborators.csv`` (pairs of economies) is pinned but not
  ingested: aipower has no entity for an ordered pair of economies.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

from aipower_build.ingest.base import IngestContext, IngestError, IngestOutput, observations_frame

FAMILY = "github"
FOLDER = "github/innovation_graph_2026-01"
SOURCE_ID = "github_innovation_graph_2026_01"
VINTAGE = "2026-01-27"


@attrs.frozen
class CountFile:
    """One per-economy count file and its metric."""

    file: str
    column: str
    metric_id: str

    @property
    def relpath(self) -> str:
        return f"{FOLDER}/{self.file}"


COUNT_FILES: tuple[CountFile, ...] = (
    CountFile("developers.csv", "developers", "github_developers"),
    CountFile("repositories.csv", "repositories", "github_repositories"),
    CountFile("organizations.csv", "organizations", "github_organizations"),
    CountFile("git_pushes.csv", "git_pushes", "github_git_pushes"),
)
TOPICS_FILE = f"{FOLDER}/topics.csv"
#: topics kept from topics.csv (the file has about 2,000 topics); each is its own metric
AI_TOPICS: tuple[str, ...] = (
    "ai",
    "artificial-intelligence",
    "deep-learning",
    "llm",
    "machine-learning",
    "pytorch",
)
FILES: tuple[str, ...] = (*(f.relpath for f in COUNT_FILES), TOPICS_FILE)

NOTE = (
    "GitHub places a developer by the IP address seen most often in the quarter, so VPN use and "
    "GitHub's limited reach in China (where domestic code hosts are common) understate China; "
    "economies with fewer than 100 developers doing the activity are not published"
)
EU_NOTE = "European Union total computed by GitHub itself, not by aipower"
_INT = re.compile(r"[0-9]+")
_YEAR = re.compile(r"20[0-9]{2}")


def topic_metric(topic: str) -> str:
    """``"machine-learning"`` -> ``"github_topic_pushers__machine_learning"``."""
    return "github_topic_pushers__" + topic.replace("-", "_")


def quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _period(relpath: str, line: int, year_text: str, quarter_text: str) -> tuple[int, dt.date]:
    if not _YEAR.fullmatch(year_text) or quarter_text not in ("1", "2", "3", "4"):
        raise IngestError(
            f"{relpath}: line {line}: year={year_text!r}, quarter={quarter_text!r} "
            "(rule: a 20xx year and a quarter 1-4)"
        )
    year = int(year_text)
    return year, quarter_end(year, int(quarter_text))


def _count(relpath: str, line: int, column: str, text: str) -> float:
    if not _INT.fullmatch(text):
        raise IngestError(
            f"{relpath}: line {line}: {column}={text!r} (rule: a non-negative integer)"
        )
    return float(int(text))


def _row(
    ctx: IngestContext,
    relpath: str,
    metric_id: str,
    record: dict[str, str],
    line: int,
    value: float,
    where: str,
) -> dict[str, object]:
    code = record["iso2_code"].strip()
    entity = ctx.entity_id(code, file=relpath)
    year, end = _period(relpath, line, record["year"].strip(), record["quarter"].strip())
    return {
        "metric_id": metric_id,
        "entity_id": entity,
        "year": year,
        "date": end,
        "value": value,
        "source_id": SOURCE_ID,
        "vintage": VINTAGE,
        "locator": f"{relpath.rsplit('/', 1)[1]}, line {line}, {where}iso2_code={code}, "
        f"year={year}, quarter={record['quarter'].strip()}",
        "status": "verified",
        "priority": 0,
        "note": f"{NOTE}; {EU_NOTE}" if entity == "EU27" else NOTE,
        "derived_from": None,
    }


def _check_columns(relpath: str, got: list[str], expected: list[str]) -> None:
    if got != expected:
        raise IngestError(
            f"{relpath}: columns {got} != expected {expected} (rule: Innovation Graph layout)"
        )


def ingest(ctx: IngestContext) -> IngestOutput:
    """Quarterly counts per economy for the four count files and the AI topics."""
    rows: list[dict[str, object]] = []
    for spec in COUNT_FILES:
        frame = ctx.read_csv(spec.relpath)
        _check_columns(
            spec.relpath, list(frame.columns), [spec.column, "iso2_code", "year", "quarter"]
        )
        for line, raw in enumerate(frame.to_dict("records"), start=2):
            record = {str(k): str(v) for k, v in raw.items()}
            value = _count(spec.relpath, line, spec.column, str(record[spec.column]).strip())
            rows.append(_row(ctx, spec.relpath, spec.metric_id, record, line, value, ""))
    frame = ctx.read_csv(TOPICS_FILE)
    _check_columns(
        TOPICS_FILE, list(frame.columns), ["num_pushers", "topic", "iso2_code", "year", "quarter"]
    )
    topics = set(frame["topic"])
    missing = [t for t in AI_TOPICS if t not in topics]
    if missing:
        raise IngestError(f"{TOPICS_FILE}: topics {missing} absent (rule: the AI topics exist)")
    for line, raw in enumerate(frame.to_dict("records"), start=2):
        record = {str(k): str(v) for k, v in raw.items()}
        topic = record["topic"].strip()
        if topic not in AI_TOPICS:
            continue
        value = _count(TOPICS_FILE, line, "num_pushers", str(record["num_pushers"]).strip())
        rows.append(
            _row(ctx, TOPICS_FILE, topic_metric(topic), record, line, value, f"topic={topic}, ")
        )
    # latest quarter first within a metric and economy (the claims step reads a year's first row)
    rows.sort(
        key=lambda r: (
            str(r["metric_id"]),
            str(r["entity_id"]),
            -int(str(r["date"]).replace("-", "")),
        )
    )
    keys = [(r["metric_id"], r["entity_id"], r["date"]) for r in rows]
    if len(set(keys)) != len(keys):
        raise IngestError(f"{FOLDER}: duplicate economy-quarter rows (rule: one value per key)")
    return IngestOutput(observations=observations_frame(rows))
