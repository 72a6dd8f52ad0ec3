"""Every default answer is pinned (per metric, as a digest): a refactor that changes any answer
fails here, naming the metrics. After an intended change of data or selection rule, regenerate
with ``python scripts/answers_digest.py --write`` and say why in CHANGELOG.md."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import aipower

ROOT = Path(__file__).resolve().parents[2]


def _script() -> object:
    spec = importlib.util.spec_from_file_location(
        "answers_digest", ROOT / "scripts" / "answers_digest.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_default_answer_is_unchanged() -> None:
    pinned = json.loads((ROOT / "tests" / "data" / "answers_digest.json").read_text("utf-8"))
    assert pinned["data_version"] == aipower.DATA_VERSION, (
        "the data version changed: regenerate with python scripts/answers_digest.py --write"
    )
    fresh = _script().digest()  # type: ignore[attr-defined]
    changed = sorted(m for m in fresh.keys() | pinned["metrics"].keys()
                     if fresh.get(m) != pinned["metrics"].get(m))  # fmt: skip
    assert not changed, (
        f"default answers changed for {len(changed)} metric(s): {changed[:20]}. If intended, "
        "regenerate with python scripts/answers_digest.py --write and say why in CHANGELOG.md"
    )
