"""The design stays readable: the library's imports form no cycle.

The import graph is read from the source (every ``import jwmetrics...`` and ``from jwmetrics...
import``, including those inside functions, which is where a cycle usually hides), so the test
needs no database and fails with the cycle spelled out.
"""

from __future__ import annotations

import ast
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "jwmetrics"


def module_name(path: Path) -> str:
    """``jwmetrics/store/figures.py`` -> ``jwmetrics.store.figures`` (a package's ``__init__``
    is the package)."""
    parts = path.relative_to(LIBRARY.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The library modules ``path`` imports, anywhere in its body (type-only imports aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & known
            if len(submodules) == len(node.names):  # "from pkg import module": the module only
                found |= submodules
            elif node.module in known:
                found |= {node.module, *submodules}
    return found - {module_name(path)}


def import_graph() -> dict[str, set[str]]:
    """Module -> the library modules it imports."""
    paths = sorted(LIBRARY.rglob("*.py"))
    known = {module_name(p) for p in paths}
    return {module_name(p): imported_modules(p, known) for p in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_library_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "jwmetrics.store.figures" in graph  # the walk really read the package
    cycle = find_cycle({k: v - {"jwmetrics"} for k, v in graph.items()})
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a made-up graph with a cycle is caught."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


LIBRARY_LIMIT = 400  # lines: a module a reader can hold in mind
PAGE_LIMIT = 150  # lines: pages are thin views
ROOT = LIBRARY.parent


def too_long(paths: list[Path], limit: int) -> list[str]:
    """The files of ``paths`` with more than ``limit`` lines, with their counts."""
    counts = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in paths}
    return [f"{p.relative_to(ROOT)}: {n}" for p, n in sorted(counts.items()) if n > limit]


def test_no_library_or_app_module_is_over_400_lines() -> None:
    paths = [*LIBRARY.rglob("*.py"), *ROOT.glob("app*.py")]
    assert len(paths) > 40  # the walk found the package
    assert too_long(paths, LIBRARY_LIMIT) == []


def test_no_page_is_over_150_lines() -> None:
    pages = list((ROOT / "pages").glob("*.py"))
    assert pages
    assert too_long(pages, PAGE_LIMIT) == []
