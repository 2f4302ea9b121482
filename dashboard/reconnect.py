"""Saying so when the browser has moved to another server process (team deployments).

Behind a proxy with several processes, when the process a browser was on stops, the browser
reconnects to another one as a new session: what the old session held in memory (a checked
upload, typed text) is gone. Under :mod:`dashboard.server` each session writes a random marker into
the URL (``?session=...``); a session whose first run finds a marker this process did not
hand out says, on the page it opened on, that the connection moved and an unsaved upload
check must be redone (on every run of that page, so a rerun does not hide it; the next page
no longer says it). A reload or a second tab on the same process finds its own marker and
says nothing. Under
``streamlit run app.py`` (one process, nothing to fail over to) no marker is written.
"""

from __future__ import annotations

import os
import secrets

import streamlit as st

from dashboard.as_of import PAGE_KEY, want_param
from dashboard.downloads import SERVED_ENV

SESSION_PARAM = "session"
MARKER_KEY = "session_marker"
MOVED_KEY = "session_moved_on"  # the URL path of the page a moved session opened on
MOVED_MESSAGE = (
    "The connection moved to another server, so this is a new session: anything not yet "
    "saved, such as an upload you had checked but not submitted, must be checked again."
)
_HANDED_OUT: set[str] = set()  # the markers of this process's sessions


def note_reconnection() -> None:
    """Keep this session's marker in the URL; on its first run, say if the URL's marker
    came from another process (call once per run, after :func:`dashboard.as_of.begin_url`)."""
    if os.environ.get(SERVED_ENV) != "1":
        return
    marker = st.session_state.get(MARKER_KEY)
    if marker is None:
        earlier = st.query_params.get(SESSION_PARAM)
        marker = st.session_state[MARKER_KEY] = secrets.token_urlsafe(6)
        _HANDED_OUT.add(marker)
        if earlier and earlier not in _HANDED_OUT:
            st.session_state[MOVED_KEY] = st.session_state.get(PAGE_KEY)
    if MOVED_KEY in st.session_state and st.session_state[MOVED_KEY] == st.session_state.get(
        PAGE_KEY
    ):
        st.info(MOVED_MESSAGE, icon=":material/sync_alt:")
    want_param(SESSION_PARAM, marker)
