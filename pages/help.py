"""Help, written for analysts: using the dashboard, how a status is decided, reading an SPC
chart, sending a return, value for money.

The text is ``docs/help/`` (the developers' documents, with code names and thresholds, stay
in ``docs/``); links between topics point at this page's topics.
"""

from __future__ import annotations

import streamlit as st

from dashboard.chrome import route_through_app
from jwmetrics.present.help_text import DEFAULT_TOPIC, HELP_TOPICS, help_markdown

route_through_app()
st.title("Help")
st.caption(
    "How to use the dashboard, how it decides a status, how to read its SPC charts, how to "
    "send a return and how value for money is worked out."
)
topic = st.query_params.get("topic", DEFAULT_TOPIC)
topic = topic if topic in HELP_TOPICS else DEFAULT_TOPIC
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
