"""The shortcuts of issue 14 give exactly the answers of the long way round.

* the warm path of ``get``/``get_share`` (a dictionary keyed on the raw arguments) answers
  only an exact ``int`` year and never turns a wrong type into an answer;
* ``select.answer_at`` (one year of one entity, for ``compare``) is the plan's answer;
* the restatements of a metric are counted only when two releases compete for a period, and
  the answers are those of a policy that counted them up front;
* frames built in one step (index given, text columns typed once) equal frames built the
  old way (``DataFrame`` of lists, then ``set_index``), dtypes and array types included.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aipower
from aipower._core import store as _store
from aipower._query import frames, scalar
from aipower._query.select import Policy, answer_at, plan, restatements


@functools.cache
def _pairs() -> list[tuple[str, str]]:
    obs = aipower.table("observations", engine="pyarrow").select(["metric_id", "entity_id"])
    cols = obs.to_pydict()
    return sorted(set(zip(cols["metric_id"], cols["entity_id"], strict=True)))


@contextmanager
def _fresh_store() -> Iterator[_store.Store]:
    original = _store.default()
    fresh = _store.Store(original.data_dir)
    _store.set_default(fresh)
    try:
        yield fresh
    finally:
        _store.set_default(original)


# -- the warm path ----------------------------------------------------------------------------
def test_warm_get_still_refuses_a_float_year_equal_to_a_remembered_int() -> None:
    first = aipower.get("notable_models", country="US", year=2024)
    assert aipower.get("notable_models", country="US", year=2024) is first  # remembered
    with pytest.raises(TypeError, match="year must be an int"):
        aipower.get("notable_models", country="US", year=2024.0)  # type: ignore[arg-type]
    share = aipower.get_share("patents", country="CN", year=2023)
    assert aipower.get_share("patents", country="CN", year=2023) is share
    with pytest.raises(TypeError, match="year must be an int"):
        aipower.get_share("patents", country="CN", year=2023.0)  # type: ignore[arg-type]


def test_warm_get_answers_a_numpy_year_like_its_int() -> None:
    import numpy as np

    want = aipower.get("notable_models", country="US", year=2024)
    assert aipower.get("notable_models", country="US", year=np.int64(2024)) == want  # type: ignore[arg-type]


def test_warm_path_belongs_to_its_store() -> None:
    # a remembered answer of one store is not served once another store is the default
    first = aipower.get("notable_models", country="US", year=2024)
    with _fresh_store():
        again = aipower.get("notable_models", country="US", year=2024)
    assert again == first
    assert again is not first  # answered by the fresh store, not remembered from the other


# -- one year of one entity -------------------------------------------------------------------
def test_answer_at_is_the_plan_answer_for_every_key() -> None:
    # every (metric, entity) pair of the shipped data, every year it has and one it has not
    store = _store.default()
    for metric_id, entity_id in _pairs():
        rows = list(store.pair_rows(metric_id, entity_id))
        pol = scalar.policy(store, store.metrics[metric_id])
        answers = plan(rows, pol).answers
        for year in [*sorted({o.year for o in rows}), 1900]:
            assert answer_at(rows, pol, year) == answers.get(year), (metric_id, entity_id, year)


def test_compare_on_a_fresh_store_is_compare_after_every_plan() -> None:
    # compare answers each entity by answer_at when no plan is cached, else from the plan
    keys = [("notable_models", 2024), ("cset_patents_granted", 2020), ("publications", 2019)]
    with _fresh_store():
        fresh = [frames.compare_rows(m, year=y, kind="all").rows for m, y in keys]
    with _fresh_store():
        for m, _ in keys:
            for e in _store.default().entities_with(m):
                aipower.series(m, entity=e)  # caches every entity's plan
        planned = [frames.compare_rows(m, year=y, kind="all").rows for m, y in keys]
    assert fresh == planned


# -- restatements counted on demand ------------------------------------------------------------
def _years_with_competing_releases(store: _store.Store, metric_id: str, entity_id: str) -> int:
    releases: dict[int, set[tuple[str, str]]] = {}
    for o in store.pair_rows(metric_id, entity_id):
        releases.setdefault(o.year, set()).add((o.source_id, o.vintage))
    return sum(len(r) > 1 for r in releases.values())


def _counting(store: _store.Store, calls: list[str]) -> None:
    real = store.release_entity_counts

    def counted(metric_id: str) -> dict[tuple[str, str, str, int], int]:
        calls.append(metric_id)
        return real(metric_id)

    store.release_entity_counts = counted  # type: ignore[method-assign]


def test_restatements_are_counted_only_when_two_releases_compete() -> None:
    store = _store.default()
    single = next(p for p in _pairs() if _years_with_competing_releases(store, *p) == 0)
    competing = next(
        p for p in _pairs() if p[0] != single[0] and _years_with_competing_releases(store, *p) > 0
    )
    with _fresh_store() as fresh:
        calls: list[str] = []
        _counting(fresh, calls)
        aipower.series(single[0], entity=single[1])
        assert calls == []
        aipower.series(competing[0], entity=competing[1])
        assert calls == [competing[0]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_lazy_restatements_give_the_eager_answers(data: st.DataObject) -> None:
    metric_id, entity_id = data.draw(st.sampled_from(_pairs()))
    store = _store.default()
    metric = store.metrics[metric_id]
    lazy = scalar.policy(store, metric)
    eager = Policy(lazy.default_family, restatements(store.release_entity_counts(metric_id)))
    rows = list(store.pair_rows(metric_id, entity_id))
    assert plan(rows, lazy).answers == plan(rows, eager).answers


# -- frames in one step ---------------------------------------------------------------------
def _old_frame(rows: tuple[Any, ...], index: str, extra: dict[str, list[Any]]) -> pd.DataFrame:
    """The frame as it was built before issue 14: a dict of lists, then ``set_index``."""
    columns = [index, *frames.SERIES_COLUMNS]
    if index == "date":
        columns = ["date", "year", *[c for c in frames.SERIES_COLUMNS if c != "date"]]
    data: dict[str, list[Any]] = {c: [] for c in columns}
    for o in rows:
        for c in columns:
            data[c].append(o.entity_id if c == "entity" else getattr(o, c))
    if index != "date" and all(d is None for d in data["date"]):
        del data["date"]
    frame = pd.DataFrame(data).set_index(index)
    for i, (name, values) in enumerate(extra.items(), start=1):
        frame.insert(i, name, values)
    return frame


def _assert_same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(new, old, check_dtype=True, check_index_type=True)
    assert [type(new[c].array) for c in new] == [type(old[c].array) for c in old]
    assert type(new.index) is type(old.index)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_series_frame_equals_the_frame_built_row_by_row(data: st.DataObject) -> None:
    metric_id, entity_id = data.draw(st.sampled_from(_pairs()))
    for by in ("year", "date"):
        try:
            sel = frames.series_rows(metric_id, entity=entity_id, by=by)  # type: ignore[arg-type]
        except aipower.NoDataError:
            continue
        _assert_same(frames._frame(sel.rows, sel.index, {}), _old_frame(sel.rows, sel.index, {}))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_compare_frame_equals_the_frame_built_row_by_row(data: st.DataObject) -> None:
    metric_id, entity_id = data.draw(st.sampled_from(_pairs()))
    year = aipower.get_all(metric_id, entity=entity_id, year=_a_year(metric_id, entity_id))[0].year
    sel = frames.compare_rows(metric_id, year=year, kind="all")
    extra = {
        "name": [o.entity.name for o in sel.rows],
        "entity_kind": [o.entity.kind for o in sel.rows],
    }
    _assert_same(frames._frame(sel.rows, "entity", extra), _old_frame(sel.rows, "entity", extra))


def _a_year(metric_id: str, entity_id: str) -> int:
    return min(o.year for o in _store.default().pair_rows(metric_id, entity_id))


def test_load_pairs_gives_every_pair_the_rows_pair_rows_gives() -> None:
    """Store.load_pairs (one pass per metric, for compare) equals pair_rows pair by pair."""
    metrics = sorted({m for m, _e in _pairs()})
    one_pass, per_pair = (
        _store.Store(_store.default().data_dir),
        _store.Store(_store.default().data_dir),
    )
    for mid in metrics:
        one_pass.load_pairs(mid)
        entities = one_pass.entities_with(mid)
        assert set(one_pass._pair_rows) >= {(mid, e) for e in entities}
        for eid in entities:
            assert one_pass.pair_rows(mid, eid) == per_pair.pair_rows(mid, eid), (mid, eid)


def test_metrics_read_dictionary_encoded_give_the_shipped_metrics() -> None:
    """The metrics table's text columns are read dictionary-encoded; each Metric is unchanged."""
    import pyarrow as pa

    store = _store.Store(_store.default().data_dir)
    store.load_indexes()
    raw = store.arrow("metrics")
    assert pa.types.is_dictionary(raw.schema.field("definition").type)
    shipped = store.shipped_table("metrics").to_pylist()
    assert [store.metrics[r["metric_id"]].definition for r in shipped] == [
        r["definition"] for r in shipped
    ]
    assert [m.title for m in store.metrics.values()] == [r["title"] for r in shipped]
