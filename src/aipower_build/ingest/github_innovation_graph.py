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

from aipower_build.ingest.base import IngestContext, IngestError, IngestOutput, output
from aipower_build.ingest.specs import INTEGER, CsvFile, Record, ValueColumn, WideFile, wide_rows

FAMILY = "github_innovation_graph"
FOLDER = "github/innovation_graph_2026-01"
SOURCE_ID = "github_innovation_graph_2026_01"

#: topics kept from topics.csv (the file has about 2,000 topics); each is its own metric
AI_TOPICS: tuple[str, ...] = (
    "ai",
    "artificial-intelligence",
    "deep-learning",
    "llm",
    "machine-learning",
    "pytorch",
)
NOTE = (
    "GitHub places a developer by the IP address seen most often in the quarter, so VPN use and "
    "GitHub's limited reach in China (where domestic code hosts are common) understate China; "
    "economies with fewer than 100 developers doing the activity are not published"
)
EU_NOTE = "European Union total computed by GitHub itself, not by aipower"


def topic_metric(topic: str) -> str:
    """``"machine-learning"`` -> ``"github_topic_pushers__machine_learning"``."""
    return "github_topic_pushers__" + topic.replace("-", "_")


def _count_file(column: str, metric_id: str) -> WideFile:
    """One ``<count>, iso2_code, year, quarter`` file: one metric, one value per quarter."""
    return WideFile(
        csv=CsvFile(
            f"{FOLDER}/{column}.csv",
            columns=(column, "iso2_code", "year", "quarter"),
            entity="iso2_code",
            key=("iso2_code", "year", "quarter"),
        ),
        source_id=SOURCE_ID,
        values=(ValueColumn(column, metric_id),),
        number=INTEGER,
        locator="{file}, line {line}, iso2_code={iso2_code}, year={year}, quarter={quarter}",
        note=NOTE,
        year="year",
        quarter="quarter",
        entity_notes={"EU27": EU_NOTE},
    )


def _topic_metric(record: Record) -> str:
    """The metric of an AI topic's row."""
    return topic_metric(record["topic"])


COUNT_FILES: tuple[WideFile, ...] = (
    _count_file("developers", "github_developers"),
    _count_file("repositories", "github_repositories"),
    _count_file("organizations", "github_organizations"),
    _count_file("git_pushes", "github_git_pushes"),
)
TOPICS = WideFile(
    csv=CsvFile(
        f"{FOLDER}/topics.csv",
        columns=("num_pushers", "topic", "iso2_code", "year", "quarter"),
        entity="iso2_code",
        key=("topic", "iso2_code", "year", "quarter"),
        only=("topic", frozenset(AI_TOPICS)),
    ),
    source_id=SOURCE_ID,
    values=(ValueColumn("num_pushers", ""),),
    number=INTEGER,
    locator="{file}, line {line}, topic={topic}, iso2_code={iso2_code}, year={year}, "
    "quarter={quarter}",
    note=NOTE,
    year="year",
    quarter="quarter",
    entity_notes={"EU27": EU_NOTE},
    metric_of=_topic_metric,
)
FILES: tuple[str, ...] = (*(f.csv.relpath for f in COUNT_FILES), TOPICS.csv.relpath)


def ingest(ctx: IngestContext) -> IngestOutput:
    """Quarterly counts per economy for the four count files and the AI topics."""
    rows = [row for spec in COUNT_FILES for row in wide_rows(ctx, spec)]
    topics = wide_rows(ctx, TOPICS)
    missing = sorted(set(map(topic_metric, AI_TOPICS)) - {str(r["metric_id"]) for r in topics})
    if missing:
        raise IngestError(f"{TOPICS.csv.relpath}: {missing} absent (rule: the AI topics exist)")
    return output(rows + topics, FOLDER)
