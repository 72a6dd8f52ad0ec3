"""Issue 13.5: a process forked while another thread holds the store's lock (say, during the
first load) can still query in the child: the locks are replaced after fork."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import aipower
import aipower._core.store as store_mod

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
CHILD_TIMEOUT = 60.0


@pytest.fixture(autouse=True)
def _restore_default() -> Iterator[None]:
    with store_mod.Store.using():
        yield


def run_in_child(work: Callable[[], Any], expected: Any) -> None:
    """Fork; the child runs ``work`` and exits 0 when it returns ``expected``. A child that
    hangs is killed after CHILD_TIMEOUT seconds and the test fails."""
    import warnings

    with warnings.catch_warnings():  # fork with threads: exactly the case under test
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            code = 0 if work() == expected else 3
        except BaseException:
            code = 4
        os._exit(code)
    deadline = time.monotonic() + CHILD_TIMEOUT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child hung on a lock held by a thread of the parent")


def hold(lock: Any) -> tuple[threading.Event, threading.Event]:
    """A thread that takes ``lock`` and keeps it until released."""
    taken, release = threading.Event(), threading.Event()

    def target() -> None:
        with lock:
            taken.set()
            release.wait(CHILD_TIMEOUT)

    threading.Thread(target=target, daemon=True).start()
    assert taken.wait(10)
    return taken, release


def test_fork_while_a_thread_holds_the_store_lock(data: Path) -> None:
    store = store_mod.Store(data)
    store_mod.set_default(store)
    _, release = hold(store._lock)  # as a thread in the middle of the first load would
    try:
        run_in_child(lambda: float(aipower.get_share("patents", country="CN", year=2023)), 0.697)
    finally:
        release.set()


def test_fork_while_a_thread_holds_the_default_lock() -> None:
    store_mod.set_default(None)
    _, release = hold(store_mod._DEFAULT_LOCK)
    try:
        run_in_child(lambda: float(aipower.get_share("patents", country="CN", year=2023)), 0.697)
    finally:
        release.set()


@pytest.mark.parametrize(
    ("module", "step"),
    [(store_mod.indexes, "entities_index"), (store_mod.rows, "read_groups")],
    ids=["index_building", "row_group_read"],
)
def test_fork_during_a_real_first_load(
    data: Path, monkeypatch: pytest.MonkeyPatch, module: Any, step: str
) -> None:
    """A thread is stopped inside the first load (index building, or reading one metric's
    row groups) when the process forks."""
    store = store_mod.Store(data)
    store_mod.set_default(store)
    inside, release = threading.Event(), threading.Event()
    real = getattr(module, step)

    def slow(*args: Any) -> Any:
        inside.set()
        release.wait(CHILD_TIMEOUT)
        return real(*args)

    monkeypatch.setattr(module, step, slow)
    loader = threading.Thread(
        target=lambda: store.pair_rows("patents_granted_share", "CHN"), daemon=True
    )
    loader.start()
    assert inside.wait(30)
    try:
        # the child has no loader thread: it must load by itself, with the real function
        def child() -> float:
            setattr(module, step, real)
            return float(aipower.get_share("patents", country="CN", year=2023))

        run_in_child(child, 0.697)
    finally:
        release.set()
        loader.join(30)
    assert float(aipower.get_share("patents", country="CN", year=2023)) == 0.697
