"""One rule between folders: a folder imports only the folders below it in :data:`LAYERS`.

The table is the design (``CONTRIBUTING.md`` explains it): base modules first, the face
(``metrics``) and the command line last. Folders on one row are peers and import none of each
other. Imports at module level, inside functions and under ``TYPE_CHECKING`` all count. The
app (``app.py``, ``pages/``, ``dashboard/``) imports only the face, ``present``, the base
modules and each folder's exports (``from jwmetrics.assess import Assessment``), never a
module inside a folder.
"""

from __future__ import annotations

from design.imports import (
    LIBRARY,
    Edge,
    find_cycle,
    import_graph,
    imports_of,
    library_modules,
    project_files,
)

BASE = ("distributions", "periods", "problems", "steps", "text")
LAYERS: tuple[tuple[str, ...], ...] = (
    BASE,
    ("db",),
    ("store", "tabular"),
    ("governance",),
    ("returns", "events"),
    ("assess",),
    ("spc", "compare", "value", "self_assessment", "passport"),
    ("briefing", "catalogue"),
    ("alerts",),
    ("present",),
    ("metrics",),
    ("cli",),
)
"""Rows from the bottom up; a module may import its own folder and any row below its own."""

ENTRY_POINTS = {"jwmetrics", "jwmetrics.__main__"}
"""The package root (its lazy ``Metrics``) and ``python -m jwmetrics`` stand above every row."""

APP_MAY_IMPORT_WHOLE = ("present", "metrics")
"""Folders whose modules the app may import one by one: presentation and the face."""


def folder_of(module: str) -> str:
    """``jwmetrics.assess.status`` -> ``assess``; a base module is its own name."""
    return module.split(".")[1]


def rank_of(module: str) -> int:
    """The row of :data:`LAYERS` that ``module`` belongs to."""
    folder = folder_of(module)
    for rank, row in enumerate(LAYERS):
        if folder in row:
            return rank
    raise AssertionError(f"{module} is in no row of LAYERS: add its folder to the table")


def breaks_layers(edge: Edge) -> bool:
    """Whether ``edge`` goes up the table, or across to a peer folder."""
    if edge.source in ENTRY_POINTS or edge.target == "jwmetrics":
        return False
    same_folder = folder_of(edge.source) == folder_of(edge.target)
    if folder_of(edge.source) in BASE and folder_of(edge.target) in BASE:
        return False  # the base modules form one row; the cycle test keeps them apart
    return not same_folder and rank_of(edge.target) >= rank_of(edge.source)


def library_edges() -> list[Edge]:
    """Every import between library modules (migrations aside: Alembic loads them)."""
    known = library_modules()
    paths = [p for p in LIBRARY.rglob("*.py") if "migrations" not in p.parts]
    return [e for p in sorted(paths) for e in imports_of(p, known)]


def describe(edge: Edge) -> str:
    return f"{edge.source}:{edge.line} imports {edge.target} ({edge.kind} level)"


def test_every_folder_has_a_row() -> None:
    folders = {p.name for p in LIBRARY.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in LIBRARY.glob("*.py")} - {"__init__", "__main__"}
    placed = {name for row in LAYERS for name in row}
    assert folders | modules == placed


def test_no_library_import_breaks_the_layers() -> None:
    edges = library_edges()
    assert len(edges) > 300  # the walk really read the library
    assert [describe(e) for e in edges if breaks_layers(e)] == []


def test_the_rule_catches_an_upward_and_a_sideways_import() -> None:
    """The check can fail: made-up imports that break the table are caught."""
    assert breaks_layers(Edge("jwmetrics.store.figures", "jwmetrics.assess.status", 1, "type"))
    assert breaks_layers(Edge("jwmetrics.spc.xmr", "jwmetrics.compare.funnel", 1, "function"))
    assert not breaks_layers(Edge("jwmetrics.assess.status", "jwmetrics.store.figure", 1, "type"))
    assert not breaks_layers(Edge("jwmetrics.text", "jwmetrics.periods", 1, "module"))


def app_breach(edge: Edge) -> bool:
    """Whether an app module's import reaches inside a folder other than the face or present."""
    parts = edge.target.split(".")
    if len(parts) <= 2:  # jwmetrics, a base module, or a folder's exports
        return False
    return parts[1] not in APP_MAY_IMPORT_WHOLE


def test_the_app_imports_only_the_face_present_and_exports() -> None:
    known = library_modules()
    edges = [e for p in project_files("app.py", "pages", "dashboard") for e in imports_of(p, known)]
    assert len(edges) > 50  # the app does use the library
    assert [describe(e) for e in edges if app_breach(e)] == []


def test_the_app_rule_catches_a_module_inside_a_folder() -> None:
    assert app_breach(Edge("dashboard.cache", "jwmetrics.store.names", 1, "function"))
    assert not app_breach(Edge("dashboard.cache", "jwmetrics.store", 1, "module"))
    assert not app_breach(Edge("pages.overview", "jwmetrics.present.tables", 1, "module"))


def test_no_import_cycle_type_only_imports_included() -> None:
    paths = [p for p in LIBRARY.rglob("*.py") if "migrations" not in p.parts]
    graph = import_graph(paths, kinds=("module", "function", "type"))
    assert "jwmetrics.store.figures" in graph
    cycle = find_cycle({k: v - {"jwmetrics"} for k, v in graph.items()})
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
