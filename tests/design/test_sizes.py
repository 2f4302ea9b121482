"""The design stays readable: no module a reader cannot hold in mind, no page doing two jobs."""

from __future__ import annotations

from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[2] / "jwmetrics"


LIBRARY_LIMIT = 400  # lines: a module a reader can hold in mind
PAGE_LIMIT = 150  # lines: pages are thin views
ROOT = LIBRARY.parent


def too_long(paths: list[Path], limit: int) -> list[str]:
    """The files of ``paths`` with more than ``limit`` lines, with their counts."""
    counts = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in paths}
    return [f"{p.relative_to(ROOT)}: {n}" for p, n in sorted(counts.items()) if n > limit]


def test_no_library_or_app_module_is_over_400_lines() -> None:
    paths = [*LIBRARY.rglob("*.py"), *(ROOT / "dashboard").rglob("*.py"), ROOT / "app.py"]
    assert len(paths) > 40  # the walk found the package
    assert too_long(paths, LIBRARY_LIMIT) == []


def test_no_page_is_over_150_lines() -> None:
    pages = list((ROOT / "pages").glob("*.py"))
    assert pages
    assert too_long(pages, PAGE_LIMIT) == []
