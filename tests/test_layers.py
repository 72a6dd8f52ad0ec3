"""Import-layers contract: the runtime package is layered, the folders are the layers, and
imports only go down.

    types     _spec/ (the metadata spec and code lists), errors, results, _display, _version
    core      _core/ (store, Arrow plumbing, licences, integrity), schemas
    query     _query/ (argument resolution, selection policy, query functions, derivations)
    claims    _claims/ (value comparison, check, the claims ledger, text checking)
    surfaces  _surfaces/ (describe, cite, exports, DuckDB, explorer), cli, plot, __init__,
              __main__

A module of a layer package (``aipower._core.store``) is in that package's layer; the public
top-level modules are listed in ``TOP_LEVEL``. A module may import (at module level or inside
a function) only modules of its own layer or below; imports under ``if TYPE_CHECKING:`` (types
only, never executed) are not counted. The runtime import graph has no cycles. The build
(``aipower_build``) sits above everything, and ``aipower`` never imports it. A new top-level
module must be given a layer here; a new module inside a layer package gets its layer from
the folder.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "aipower"

ORDER: dict[str, int] = {"types": 0, "core": 1, "query": 2, "claims": 3, "surfaces": 4}
PACKAGES: dict[str, str] = {
    "_spec": "types",
    "_core": "core",
    "_query": "query",
    "_claims": "claims",
    "_surfaces": "surfaces",
}
TOP_LEVEL: dict[str, str] = {
    "errors": "types",
    "_version": "types",
    "_display": "types",
    "results": "types",
    "schemas": "core",
    "plot": "surfaces",
    "cli": "surfaces",
    "__main__": "surfaces",
    "__init__": "surfaces",
}


def _name(path: Path) -> str:
    """Dotted module name under ``aipower`` (``_core.store``, ``_core``, ``cli``)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _path(module: str) -> Path:
    base = SRC.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _modules() -> list[str]:
    return sorted(_name(p) for p in SRC.rglob("*.py") if "data" not in p.relative_to(SRC).parts)


def layer_of(module: str) -> str | None:
    head = module.split(".")[0]
    return PACKAGES.get(head) or TOP_LEVEL.get(module)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _known(dotted: str) -> str | None:
    """The longest prefix of ``dotted`` (under ``aipower``) that is a module of ours."""
    parts = dotted.split(".")
    while parts:
        candidate = ".".join(parts)
        if _path(candidate).exists():
            return candidate
        parts.pop()
    return None


def runtime_imports(module: str) -> set[str]:
    """aipower modules that ``module`` imports at run time (top level or in functions)."""
    tree = ast.parse(_path(module).read_text(encoding="utf-8"))
    found: set[str] = set()

    def add(dotted: str) -> None:
        known = _known(dotted)
        if known:
            found.add(known)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "aipower" or node.module.startswith("aipower."):
                base = node.module.removeprefix("aipower").removeprefix(".")
                for alias in node.names:
                    add(f"{base}.{alias.name}" if base else alias.name)
            elif node.module.startswith("aipower_build"):
                found.add("aipower_build")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("aipower."):
                    add(alias.name.removeprefix("aipower."))
                elif alias.name.startswith("aipower_build"):
                    found.add("aipower_build")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def test_every_module_has_a_layer() -> None:
    missing = [m for m in _modules() if layer_of(m) is None]
    assert not missing, (
        f"put these modules in a layer package, or give them a layer in TOP_LEVEL of "
        f"tests/test_layers.py: {missing}"
    )


def test_no_loose_private_modules_at_the_top() -> None:
    # the top holds the public modules; private code lives in the layer package it belongs to
    loose = sorted(
        m
        for m in _modules()
        if "." not in m and m.startswith("_") and m not in TOP_LEVEL and m not in PACKAGES
    )
    assert not loose, f"move these into a layer package (_core, _query, ...): {loose}"


@pytest.mark.parametrize("module", _modules())
def test_imports_only_go_down(module: str) -> None:
    layer = layer_of(module)
    if layer is None:
        pytest.skip("no layer (see test_every_module_has_a_layer)")
    mine = ORDER[layer]
    imports = runtime_imports(module)
    assert "aipower_build" not in imports, f"{module} imports the build"
    upward = sorted(i for i in imports if ORDER[layer_of(i) or "surfaces"] > mine)
    assert not upward, f"aipower.{module} ({layer}) imports from above: {upward}"


def test_runtime_import_graph_has_no_cycles() -> None:
    # package __init__ files that only re-export are skipped: importing a submodule runs them
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


def test_the_contract_sees_what_it_must() -> None:
    # control: the walker sees function-level imports and ignores TYPE_CHECKING ones
    assert "_core.store" in runtime_imports("_core.integrity")
    assert "_query.api" in runtime_imports("_claims.check")
    assert "_display" in runtime_imports("results")
    assert "_spec.codes" in runtime_imports("_spec.fields")
    assert layer_of("_core.store") == "core"
    assert layer_of("cli") == "surfaces"
