"""Inbox: the alerts about what this user follows (issue 24), newest first.

The sidebar's bell counts the unread ones. The same alerts go out by e-mail and webhook
when ``python -m jwmetrics notify`` runs with a mail server or webhook set; without one
(local mode) this page is where they arrive.
"""

from __future__ import annotations

import streamlit as st

from dashboard.chrome import route_through_app
from dashboard.sections.inbox import show_inbox

route_through_app()
st.title("Inbox")
st.caption(
    "Alerts fire once when something you follow changes: a status word, a Red call, a "
    "verdict, a figure revised by more than its noise (the SPC sigma), a special cause, an "
    "overdue return, a return for your approval, an action due, new commentary. Each says "
    "why it fired and links to the page as known on that day. Nothing fires for changes "
    "inside the noise."
)
show_inbox()
