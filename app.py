"""jwmetrics dashboard: ``streamlit run app.py``.

The entry point only sets the page up and declares the navigation; each page in
``pages/`` is a thin view over library functions. ``st.navigation`` is used, so
Streamlit's older automatic discovery of ``pages/`` is switched off and the pages are
exactly the ones listed here.
"""

from __future__ import annotations

import streamlit as st

from app_common import (
    build_pages,
    database_busy_guard,
    mark_navigation_ready,
    render_sidebar,
    style_page,
)

st.set_page_config(
    page_title="jwmetrics: joined-up services", page_icon=":material/monitoring:", layout="wide"
)

page = st.navigation(build_pages())
mark_navigation_ready()
style_page()
with database_busy_guard():
    render_sidebar()
    page.run()
