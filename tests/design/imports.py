"""The import graph of the project, read from the source with :mod:`ast`.

Every ``import jwmetrics...`` and ``from jwmetrics... import`` counts, at module level, inside
functions (where a cycle usually hides) and under ``if TYPE_CHECKING:``; each edge records
which of the three it is, so a test can say which import broke a rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "jwmetrics"


@dataclass(frozen=True)
class Edge:
    """One import: ``source`` imports ``target`` at ``line``; ``kind`` is module, function or
    type (under ``TYPE_CHECKING``)."""

    source: str
    target: str
    line: int
    kind: str


def module_name(path: Path) -> str:
    """``jwmetrics/store/figures.py`` -> ``jwmetrics.store.figures`` (a package's ``__init__``
    is the package); a file outside the library is named by its path from the root."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def library_modules() -> set[str]:
    """Every module and package of ``jwmetrics``, its migrations included."""
    return {module_name(p) for p in LIBRARY.rglob("*.py")}


def _kinds(tree: ast.Module) -> dict[int, str]:
    """id(node) -> "type" for nodes under ``if TYPE_CHECKING``, "function" inside a def."""
    kinds: dict[int, str] = {}
    for block in ast.walk(tree):
        if isinstance(block, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(block):
                kinds.setdefault(id(node), "function")
    for block in ast.walk(tree):
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
            for node in ast.walk(block):
                kinds[id(node)] = "type"
    return kinds


def imports_of(path: Path, known: set[str]) -> list[Edge]:
    """The library modules that ``path`` imports, as edges, in source order.

    ``from jwmetrics.assess import portfolio`` imports the module ``jwmetrics.assess.portfolio``
    (and the package, which Python runs first); ``from jwmetrics.assess import Assessment``
    imports the package only.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kinds = _kinds(tree)
    source = module_name(path)
    edges: list[Edge] = []
    for node in ast.walk(tree):
        targets: set[str] = set()
        if isinstance(node, ast.Import):
            targets = {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & known
            whole = len(submodules) == len(node.names)  # "from pkg import module" only
            targets = submodules if whole else submodules | ({node.module} & known)
        for target in sorted(targets - {source}):
            edges.append(Edge(source, target, node.lineno, kinds.get(id(node), "module")))
    return sorted(edges, key=lambda e: (e.line, e.target))


def project_files(*folders: str) -> list[Path]:
    """The Python files under ``folders`` of the project (a file name is taken as it is)."""
    found: list[Path] = []
    for folder in folders:
        path = ROOT / folder
        found.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return found


def import_graph(paths: list[Path], *, kinds: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the library modules it imports by an import of one of ``kinds``."""
    known = library_modules()
    return {
        module_name(p): {e.target for e in imports_of(p, known) if e.kind in kinds} for p in paths
    }


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
