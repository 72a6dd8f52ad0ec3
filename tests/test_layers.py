"""Import-layers contract: the runtime package is layered, and imports only go down.

    types    errors, results, the metadata spec, display and verdict helpers (pure)
    core     the store and its Arrow/pandera plumbing
    query    argument resolution, the selection policy, queries, check and the ledger
    surfaces describe, cite, exports, DuckDB, plots, CLI, the package's lazy public names

A module may import (at module level or inside a function) only modules of its own layer or
below; imports under ``if TYPE_CHECKING:`` (types only, never executed) are not counted. The
runtime import graph has no cycles. The build (``aipower_build``) sits above everything, and
``aipower`` never imports it. A new module must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "aipower"

LAYERS: dict[str, tuple[str, ...]] = {
    "types": ("errors", "_version", "_spec", "_display", "results", "_verdict", "_licenses"),
    "core": ("_store", "_arrow", "_integrity", "schemas"),
    "query": (
        "_resolve",
        "_select",
        "_query",
        "_check",
        "_claims",
        "_coverage",
        "_text_check",
        "_derivation",
    ),
    "surfaces": (
        "_describe",
        "_cite",
        "_export",
        "_duckdb",
        "_explorer",
        "plot",
        "cli",
        "__main__",
        "__init__",
    ),
}
ORDER = {name: i for i, name in enumerate(LAYERS)}
LAYER_OF = {mod: layer for layer, mods in LAYERS.items() for mod in mods}


def _modules() -> list[str]:
    return sorted(p.stem for p in SRC.glob("*.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(module: str) -> set[str]:
    """aipower modules that ``module`` imports at run time (top level or in functions)."""
    tree = ast.parse((SRC / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "aipower":
                found.update(a.name for a in node.names if (SRC / f"{a.name}.py").exists())
            elif node.module.startswith("aipower."):
                found.add(node.module.split(".")[1])
            elif node.module.startswith("aipower_build"):
                found.add("aipower_build")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("aipower."):
                    found.add(alias.name.split(".")[1])
                elif alias.name.startswith("aipower_build"):
                    found.add("aipower_build")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def test_every_module_has_a_layer() -> None:
    missing = [m for m in _modules() if m not in LAYER_OF]
    assert not missing, f"give these modules a layer in tests/test_layers.py: {missing}"


@pytest.mark.parametrize("module", _modules())
def test_imports_only_go_down(module: str) -> None:
    if module not in LAYER_OF:
        pytest.skip("no layer (see test_every_module_has_a_layer)")
    mine = ORDER[LAYER_OF[module]]
    imports = runtime_imports(module)
    assert "aipower_build" not in imports, f"{module} imports the build"
    upward = sorted(i for i in imports if ORDER[LAYER_OF.get(i, "surfaces")] > mine)
    assert not upward, f"aipower.{module} ({LAYER_OF[module]}) imports from above: {upward}"


def test_runtime_import_graph_has_no_cycles() -> None:
    graph = {m: runtime_imports(m) - {"__init__"} for m in _modules() if m != "__init__"}
    state: dict[str, int] = {}
    path: list[str] = []

    def dfs(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if nxt not in state:
                dfs(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            dfs(module)


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    # control: the walker sees function-level imports and ignores TYPE_CHECKING ones
    assert "_store" in runtime_imports("_integrity")
    assert "_check" in runtime_imports("cli") or "_query" in runtime_imports("_check")
    assert "_display" in runtime_imports("results")
