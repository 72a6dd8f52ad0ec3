"""Every docstring example of every module runs (the data ships, so examples are exact).

Modules are found by walking the packages (``aipower`` with its layer folders, and the build),
so a new module's examples run without being listed here. Examples that write files use a
temporary directory; the only ``# doctest: +SKIP`` left is in ``aipower.plot``, whose examples
draw figures (see ``test_no_skip_markers_outside_plot``).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import aipower
import aipower_build

MODULES = sorted(
    m.name
    for package in (aipower, aipower_build)
    for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    if not m.name.endswith(".__main__")
)
SRC = Path(__file__).resolve().parents[1] / "src"


def test_the_walk_reaches_the_layer_folders() -> None:
    assert {"aipower._spec.codes", "aipower._claims.text_check", "aipower_build.curated"} <= set(
        MODULES
    )


def test_no_skip_markers_outside_plot() -> None:
    """Regression: examples were skipped (29 when issue 17 was filed) though they are exact."""
    skipped = [
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if "doctest: +SKIP" in p.read_text(encoding="utf-8")
    ]
    assert skipped == ["aipower/plot.py"] or skipped == [], skipped


@pytest.mark.parametrize("name", ["aipower", *MODULES])
def test_docstring_examples_run(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:  # a module of an optional extra (e.g. the explorer)
        pytest.skip(f"{name} needs {exc.name}, which is not installed")
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    for test in finder.find(module, name, extraglobs={"aipower": aipower}):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
