"""Help: how a status is decided, how SPC charts are read, and the format of a return.

The repository's own documents (``docs/status.md``, ``docs/spc.md``, ``docs/returns.md``)
shown inside the app, so a link from any page lands on the rules rather than on a file
path. Links between the documents point at this page's sections.
"""

from __future__ import annotations

import streamlit as st

from dashboard.chrome import route_through_app
from jwmetrics.present.help_text import HELP_TOPICS, help_markdown

route_through_app()
st.title("Help")
st.caption(
    "How the dashboard decides a status, how to read its SPC charts, and how to prepare a "
    "return. The same text as the project's documentation."
)
topic = st.query_params.get("topic", "status")
topic = topic if topic in HELP_TOPICS else "status"
names = list(HELP_TOPICS)
chosen = st.segmented_control(
    "Topic",
    names,
    default=topic,
    format_func=lambda t: HELP_TOPICS[t][0],
    key="help_topic",
)
chosen = chosen or topic
if st.query_params.get("topic") != chosen:
    st.query_params["topic"] = chosen
st.markdown(help_markdown(chosen))
