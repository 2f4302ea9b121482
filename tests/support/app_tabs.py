"""Opening a tab of the initiative page in an AppTest.

The page runs only the open tab's sections (:func:`dashboard.as_of.url_tabs`), so a test of
a section opens its tab first, as a reader's click would (the tab's state, then a run), or
with a link that names it (``?tab=Areas``).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

TAB_KEY = "initiative_tab"  # the key pages/initiative.py gives its tabs
TAB_PARAM = "tab"  # the query parameter that names the open tab


def show_tab(at: AppTest, label: str) -> AppTest:
    """Open the initiative page's tab ``label`` as a click on it would, and run the page."""
    at.session_state[TAB_KEY] = label
    return at.run()
