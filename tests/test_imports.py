"""The house has a plan: no import cycles, and ``sdmodel`` never imports ``calibration``.

Every module of ``sdmodel``, ``calibration`` and ``cli.py`` is read with :mod:`ast` (nothing is
imported) and every import it makes is an edge: at the top, inside functions and under
``TYPE_CHECKING``, absolute or relative; ``from x import y`` where ``y`` is a module counts as
importing ``x.y``. The tests fail naming the cycle, with the file and line of each import in it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sdmodel", "calibration")

Graph = dict[str, dict[str, str]]
"""Module -> {imported module: where ("file:line")}."""


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Module name -> file, for every module of the two packages and ``cli``."""
    found = {"cli": root / "cli.py"}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def import_graph(files: Mapping[str, Path], root: Path = ROOT) -> Graph:
    """Every import between the modules of ``files``, wherever in a module it is made."""
    known = set(files)

    def owner(name: str) -> str | None:  # the module a dotted name lives in
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: Graph = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: dict[str, str] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([base] if base else [])])
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                           for alias in node.names]
            for target in targets:
                module = owner(target)
                if module is not None and module != name:
                    edges.setdefault(module, f"{path.relative_to(root)}:{node.lineno}")
        graph[name] = edges
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) per strongly connected component with more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    found = []
    for component in components:  # walk from the first node back to it inside the component
        members, start = set(component), component[0]
        paths = {start: [start]}
        queue = [start]
        while queue:
            node = queue.pop(0)
            for other in sorted(graph.get(node, ())):
                if other == start:
                    found.append([*paths[node], start])
                    queue = []
                    break
                if other in members and other not in paths:
                    paths[other] = [*paths[node], other]
                    queue.append(other)
    return found


def describe(cycle: list[str], graph: Graph) -> str:
    """``a -> b (a.py:3) -> a (b.py:7)``."""
    steps = [cycle[0]]
    steps += [f"{b} ({graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False)]
    return " -> ".join(steps)


def rooms(graph: Graph) -> dict[str, set[str]]:
    """The graph between the rooms of the house: each ``sdmodel`` subpackage and top-level
    module, ``calibration`` and ``cli``."""

    def room(name: str) -> str:
        parts = name.split(".")
        return ".".join(parts[:2]) if parts[0] == "sdmodel" else parts[0]

    out: dict[str, set[str]] = {}
    for name, edges in graph.items():
        out.setdefault(room(name), set()).update(room(o) for o in edges if room(o) != room(name))
    return out


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph(modules())


def test_the_walk_sees_every_kind_of_import(graph: Graph) -> None:
    assert "sdmodel.engine.batch" in graph["sdmodel.engine.batch_kpis"]  # under TYPE_CHECKING
    assert "sdmodel.engine.model" in graph["cli"]  # inside a function
    assert "sdmodel.engine.compiler.compile" in graph["sdmodel.engine.batch"]  # at the top


def test_no_import_cycle_between_modules(graph: Graph) -> None:
    found = cycles(graph)
    assert not found, "import cycles: " + "; ".join(describe(c, graph) for c in found)


def test_no_import_cycle_between_rooms(graph: Graph) -> None:
    between = rooms(graph)
    found = cycles(between)
    assert not found, "cycles between subpackages: " + "; ".join(" -> ".join(c) for c in found)


def test_sdmodel_never_imports_calibration(graph: Graph) -> None:
    wrong = [f"{name} imports {other} ({where})" for name, edges in graph.items()
             if name.split(".")[0] == "sdmodel"
             for other, where in edges.items() if other.split(".")[0] == "calibration"]
    assert not wrong, "; ".join(wrong)


def test_a_planted_cycle_is_found_and_named(tmp_path: Path) -> None:
    package = tmp_path / "sdmodel"
    (package / "sub").mkdir(parents=True)
    (tmp_path / "cli.py").write_text("", encoding="utf-8")
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "a.py").write_text("from . import b\n", encoding="utf-8")
    (package / "sub" / "b.py").write_text(
        "def f():\n    from sdmodel.sub.c import x\n", encoding="utf-8")
    (package / "sub" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import sdmodel.sub.a\n",
        encoding="utf-8")
    (tmp_path / "calibration").mkdir()
    planted = import_graph(modules(tmp_path), tmp_path)
    found = cycles(planted)
    assert found == [["sdmodel.sub.a", "sdmodel.sub.b", "sdmodel.sub.c", "sdmodel.sub.a"]]
    assert describe(found[0], planted) == (
        "sdmodel.sub.a -> sdmodel.sub.b (sdmodel/sub/a.py:1) -> sdmodel.sub.c "
        "(sdmodel/sub/b.py:2) -> sdmodel.sub.a (sdmodel/sub/c.py:3)")
