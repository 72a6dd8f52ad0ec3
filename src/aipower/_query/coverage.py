"""What aipower holds, by metric and source release: how current is each number?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aipower._core.store import default
from aipower._query.resolve import check_str as _check_str
from aipower._query.resolve import resolve_metric
from aipower.errors import UnknownSourceError, suggest

if TYPE_CHECKING:
    import pandas as pd


def coverage(metric: str | None = None, *, family: str | None = None) -> pd.DataFrame:
    """One row per (metric, source release): years covered, entity count and statuses.

    ``metric`` narrows to one metric (id or concept word); ``family`` to one source family,
    e.g. ``family="aiindex"`` lists every AI Index edition aipower holds for each metric, so a
    user can see at a glance which edition the latest number comes from. Sorted by metric,
    then newest release first. The frame is a copy.

    Example:
        >>> aipower.coverage("notable_models", family="aiindex")["source_id"].tolist()
        ['aiindex_2026', 'aiindex_2025', 'aiindex_2024']
    """
    store = default()
    store.load_indexes()
    metric_id = resolve_metric(store, metric).metric_id if metric is not None else None
    fam = _check_str(family, "family", optional=True)
    families = {s.family for s in store.sources.values()}
    if fam is not None and fam not in families:
        raise UnknownSourceError(
            f"unknown source family {fam!r}.{suggest(fam, families)} "
            "See the 'family' column of aipower.sources()."
        )

    def make() -> pd.DataFrame:
        import pandas as pd

        obs = store.shipped_table("observations").select(
            ["metric_id", "entity_id", "year", "source_id", "vintage", "status"]
        )
        frame = obs.to_pandas()
        sources = {s.source_id: s for s in store.sources.values()}
        frame["family"] = frame["source_id"].map(lambda s: sources[s].family)
        if metric_id is not None:
            frame = frame[frame["metric_id"] == metric_id]
        if fam is not None:
            frame = frame[frame["family"] == fam]
        rows = []
        keys = ["metric_id", "family", "source_id", "vintage"]
        for key, group in frame.groupby(keys, sort=True):
            m, f, s, v = (str(k) for k in key)
            years = sorted({int(y) for y in group["year"]})
            rows.append(
                {
                    "metric_id": m,
                    "concept": store.metrics[m].concept,
                    "family": f,
                    "source_id": s,
                    "vintage": v,
                    "source_title": sources[s].title,
                    "primary": sources[s].primary,
                    "first_year": years[0],
                    "last_year": years[-1],
                    "years": years,
                    "entities": int(group["entity_id"].nunique()),
                    "rows": len(group),
                    "statuses": ";".join(sorted(set(group["status"]))),
                }
            )
        columns = [
            "metric_id", "concept", "family", "source_id", "vintage", "source_title", "primary",
            "first_year", "last_year", "years", "entities", "rows", "statuses",
        ]  # fmt: skip
        out = pd.DataFrame(rows, columns=columns)
        out = out.sort_values(
            ["metric_id", "vintage", "source_id"], ascending=[True, False, True], kind="mergesort"
        ).reset_index(drop=True)
        return out

    frame: pd.DataFrame = store.cached(("coverage", metric_id, fam), make).copy(deep=True)
    return frame
