"""Every package's docstring is its map: it names every module in its folder.

A reader opens ``__init__.py`` to learn what the folder holds and where to go next; a
module the map leaves out is a module that reader never finds.
"""

from __future__ import annotations

import ast

import pytest
from design.imports import LIBRARY, ROOT

PACKAGES = sorted(
    p.parent
    for p in [*LIBRARY.rglob("__init__.py"), *(ROOT / "dashboard").rglob("__init__.py")]
    if "__pycache__" not in p.parts
)


def unnamed_modules(package: str) -> list[str]:
    """The modules (and sub-packages) of ``package`` its docstring does not name."""
    folder = ROOT / package
    doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""
    dotted = package.replace("/", ".")
    names = [p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")]
    names += [p.name for p in folder.iterdir() if (p / "__init__.py").exists()]
    return sorted(n for n in names if f"{dotted}.{n}" not in doc and f"{n}/" not in doc)


@pytest.mark.parametrize(
    "package", [p.relative_to(ROOT).as_posix() for p in PACKAGES if p != LIBRARY]
)
def test_the_package_docstring_names_every_module(package: str) -> None:
    assert unnamed_modules(package) == []


def test_the_map_check_can_fail() -> None:
    assert len(PACKAGES) > 15  # the walk found the folders
    assert "jwmetrics/db" in [p.relative_to(ROOT).as_posix() for p in PACKAGES]
