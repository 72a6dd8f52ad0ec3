"""One naming rule: an ingest module is named after the ``sources.family`` its rows cite.

``src/aipower_build/ingest/<family>.py`` declares ``FAMILY = "<family>"``, a value of the
``family`` column of ``data/sources/*.csv``, and every source its rows (and extra tables) cite
belongs to that family. Modules without ``FAMILY`` are the template and shared helpers; they
have no ``ingest`` and the build does not run them. The raw folders of a family's own files sit
under the family's first word (``epoch_ai_models`` -> ``epoch/``), except republications read
in another publisher's copy (``owid/``) and cross-reads for a country lookup.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import aipower_build.ingest as pkg
from aipower_build import build as build_mod
from aipower_build.entities import NameResolver
from aipower_build.ingest.base import IngestContext, IngestOutput

DATA = Path(__file__).resolve().parents[2] / "data"


def _families() -> dict[str, str]:
    """``source_id -> family`` over every curated source file that has the column."""
    out: dict[str, str] = {}
    for path in sorted((DATA / "sources").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "family" in frame.columns:
            out.update(zip(frame["source_id"], frame["family"], strict=True))
    return out


FAMILY_OF = _families()
MODULES = build_mod.ingest_modules()


@pytest.fixture(scope="module")
def outputs() -> dict[str, IngestOutput]:
    ctx = IngestContext(
        sources_root=build_mod.SOURCES_ROOT,
        lock=build_mod.read_lock(DATA),
        resolve_name=NameResolver.from_data(DATA),
    )
    return {module.FAMILY: module.ingest(ctx) for module in MODULES}


def test_every_module_is_named_after_a_sources_family() -> None:
    families = set(FAMILY_OF.values())
    for module in MODULES:
        assert module.__name__.rsplit(".", 1)[1] == module.FAMILY, module.__name__
        assert module.FAMILY in families, f"{module.FAMILY} is no sources.family value"


def test_rows_cite_only_sources_of_the_module_family(outputs: dict[str, IngestOutput]) -> None:
    for family, output in outputs.items():
        cited = set(output.observations["source_id"])
        for table in output.tables.values():
            cited |= set(table["source_id"])
        wrong = {sid: FAMILY_OF.get(sid) for sid in cited if FAMILY_OF.get(sid) != family}
        assert not wrong, f"ingest/{family}.py cites sources of other families: {wrong}"


def test_own_raw_files_sit_under_the_family_publisher() -> None:
    for module in MODULES:
        publisher = module.FAMILY.split("_", 1)[0]
        own = [f for f in module.FILES if f.startswith(f"{publisher}/")]
        assert own or all(f.startswith("owid/") for f in module.FILES), module.FAMILY


def test_helpers_have_no_ingest() -> None:
    names = [m.name for m in pkgutil.iter_modules(pkg.__path__)]
    modules: list[ModuleType] = [importlib.import_module(f"{pkg.__name__}.{n}") for n in names]
    helpers = [m for m in modules if not hasattr(m, "FAMILY")]
    assert {m.__name__.rsplit(".", 1)[1] for m in helpers} >= {"base", "specs"}
    assert not [m.__name__ for m in helpers if hasattr(m, "ingest")]
    assert len(MODULES) + len(helpers) == len(modules)


def test_regression_family_names_differed_from_sources_family() -> None:
    """Before issue 17: ``cset``, ``epoch``, ``owid`` in ingest; no such ``sources.family``."""
    families = {module.FAMILY for module in MODULES}
    assert not families & {"cset", "epoch", "owid", "github", "microsoft", "epoch_hardware"}
