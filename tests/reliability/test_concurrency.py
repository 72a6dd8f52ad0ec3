"""64 threads doing their first lookup at the same instant load the data once and agree."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import aipower
import aipower._core.store as store_mod

N_THREADS = 64


@pytest.fixture(autouse=True)
def _restore_default_and_switch_interval() -> Iterator[None]:
    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
    with store_mod.Store.using():
        yield
    sys.setswitchinterval(previous_interval)


def run_at_once(work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in N_THREADS threads released together by a barrier."""
    barrier = threading.Barrier(N_THREADS)
    results: list[Any] = [None] * N_THREADS
    errors: list[BaseException] = []

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[i] = work(i)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(N_THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert errors == [], f"{len(errors)} thread(s) failed, first: {errors[0]!r}"
    return results


def _answer(obs: Any) -> tuple[Any, ...]:
    return (obs.metric_id, obs.entity_id, obs.year, obs.value, obs.source_id, obs.locator)


def test_first_lookup_from_64_threads_loads_once() -> None:
    store = store_mod.Store()
    store_mod.set_default(store)
    assert store.load_count == 0

    results = run_at_once(lambda i: aipower.get_share("patents", country="CN", year=2023))

    assert store.load_count == 1
    assert {_answer(r) for r in results} == {
        ("patents_granted_share", "CHN", 2023, 0.697, "aiindex_2025", results[0].locator)
    }
    assert all(r is results[0] for r in results)  # one cached Observation, not 64 copies


def test_mixed_first_queries_from_64_threads() -> None:
    """Different first queries at once: each kind of answer is the same in every thread and
    equal to the answer of a single-threaded store."""
    calls: list[Callable[[], Any]] = [
        lambda: _answer(aipower.get_share("patents", country="CN", year=2023)),
        lambda: _answer(aipower.get("notable_models", country="US", year=2024)),
        lambda: [_answer(o) for o in aipower.get_all("patents", country="US", year=2023)],
        lambda: aipower.series("patents", country="CN").to_dict(),
        lambda: aipower.compare("patents", year=2023).to_dict(),
        lambda: (
            aipower.check("patents", country="CN", year=2023, value=69.7, unit="percent").verdict
        ),
        lambda: aipower.claim("C1a").verdict,
        lambda: len(aipower.table("observations", engine="pyarrow")),
    ]
    store = store_mod.Store()
    store_mod.set_default(store)
    results = run_at_once(lambda i: calls[i % len(calls)]())
    assert store.load_count == 1

    reference = store_mod.Store()
    store_mod.set_default(reference)
    expected = [call() for call in calls]
    for i, result in enumerate(results):
        assert result == expected[i % len(calls)], f"thread {i} (query {i % len(calls)})"


def test_default_store_created_once_under_contention() -> None:
    store_mod.set_default(None)
    stores = run_at_once(lambda i: store_mod.default())
    assert all(s is stores[0] for s in stores)
    results = run_at_once(lambda i: float(aipower.get_share("patents", country="CN", year=2023)))
    assert set(results) == {0.697}
    assert stores[0].load_count == 1
