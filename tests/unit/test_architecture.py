"""The shape of the code, held: layers kept, no import cycle, no module too big to read in one sitting.

`lint-imports` (run by scripts/test) checks the contracts in pyproject.toml; these tests hold the two
rules that import-linter does not express: no cycle between any two modules of the package (counting
imports made inside functions, as grimp does), and the size limits of issue 14.
"""

from __future__ import annotations

from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")

SRC = Path(__file__).resolve().parents[2] / "src" / "borderdesk"
MAX_MODULE_LINES = 450
MAX_DESK_LINES = 300


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module.

    A package re-exporting its own submodule is not a design cycle, so such a pair alone does not count."""
    modules = sorted(m for m in graph.modules if m.startswith("borderdesk."))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(root: str) -> None:
        # iterative Tarjan: the import graph is deep enough to trouble Python's recursion limit
        nonlocal counter
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if not child.startswith("borderdesk."):
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    real = [
                        m for m in component if not any(o != m and o.startswith(m + ".") for o in component)
                    ]
                    if len(real) > 1:
                        found.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_between_modules() -> None:
    graph = grimp.build_graph("borderdesk")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("borderdesk.a", "borderdesk.b", "borderdesk.c"):
        graph.add_module(name)
    graph.add_import(importer="borderdesk.a", imported="borderdesk.b")
    graph.add_import(importer="borderdesk.b", imported="borderdesk.a")
    graph.add_import(importer="borderdesk.c", imported="borderdesk.a")
    assert _cycles(graph) == [["borderdesk.a", "borderdesk.b"]]


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {
        str(path.relative_to(SRC)): len(path.read_text(encoding="utf-8").splitlines())
        for path in SRC.rglob("*.py")
        if "static" not in path.parts
    }
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}
    assert sizes["desk.py"] < MAX_DESK_LINES
