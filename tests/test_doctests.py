"""Every docstring example in the package runs (the data ships, so examples are exact).

A ``# doctest: +SKIP`` is left only where an example writes files, opens a window or stands
for a user's own data (exports, plots, ``schemas`` placeholders).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import aipower

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(aipower.__path__, "aipower.")
    if m.name not in ("aipower.__main__",)
)


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
