"""The app's tab icon (favicon) is drawn by the browser, not fetched from an outside host.

Streamlit's front end turns a ``page_icon`` written ":material/name:" into a request to
fonts.gstatic.com; an emoji becomes an inline ``data:`` SVG (README, "What the browser
fetches from outside").
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def page_icons() -> list[str]:
    """Every literal ``page_icon=`` given to ``st.set_page_config`` in the app's files."""
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    files += sorted((ROOT / "dashboard").rglob("*.py"))
    icons = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "page_icon":
                assert isinstance(node.value, ast.Constant), f"{path}: page_icon not a literal"
                icons.append(str(node.value.value))
    return icons


def test_the_favicon_is_not_fetched_from_outside() -> None:
    icons = page_icons()
    assert icons, "app.py sets a page icon"
    for icon in icons:
        assert not icon.startswith(":material/"), f"{icon} would be fetched from fonts.gstatic.com"
        assert not icon.startswith(("http:", "https:")), icon
