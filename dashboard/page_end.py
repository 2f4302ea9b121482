"""End a page early and still draw the sidebar's page links.

Why: ``st.stop()`` asks Streamlit to stop the script at its next element, and app.py draws
the sidebar's page links after the page (:func:`dashboard.chrome.draw_navigation`, in a
``finally``). After ``st.stop()`` that drawing is itself stopped, so a page that ended
early (the upload page before a file is chosen, an empty returns log, a refused role) had
no page links at all. A page calls :func:`end_page` instead: in app.py's run it raises
:class:`PageEnded`, which app.py catches, and the links are drawn as on any other run.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from dashboard.auth import through_app


class PageEnded(Exception):
    """Raised by :func:`end_page`; caught by app.py around the page's run."""


def end_page() -> NoReturn:
    """Stop drawing this page here (what it drew so far stays); the sidebar is drawn.

    A page that Streamlit runs alone, without app.py (a server's first request, AppTest's
    ``switch_page``), has no links to draw after it: there it is ``st.stop()``."""
    if through_app():
        raise PageEnded
    st.stop()
