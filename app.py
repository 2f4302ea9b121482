"""jwmetrics dashboard: ``streamlit run app.py``.

The entry point only sets the page up and declares the navigation; each page in
``pages/`` is a thin view over library functions. ``st.navigation`` is used, so
Streamlit's older automatic discovery of ``pages/`` is switched off and the pages are
exactly the ones listed here. The app layer beside it: :mod:`dashboard.cache` (the database and
every cached library call), :mod:`dashboard.auth` (sign-in: who may see the pages, and as whom),
:mod:`dashboard.chrome` (navigation, sidebar, shared widgets),
:mod:`dashboard.writes` (the outcome of a write),
:mod:`dashboard.startup` (the server's first run), :mod:`dashboard.reconnect` (a session
that moved to another server) and
each page's sections (:mod:`dashboard.sections.initiative`, :mod:`dashboard.sections.upload`).
"""

from __future__ import annotations

import streamlit as st

from dashboard.startup import first_run_without_gc_pauses, preload_modules

with first_run_without_gc_pauses():
    from dashboard.as_of import begin_url, open_banner_slot, write_url
    from dashboard.auth import app_run, resolve_access, stop_unless_allowed
    from dashboard.cache import refresh_data_version
    from dashboard.chrome import (
        build_pages,
        database_busy_guard,
        draw_navigation,
        mark_navigation_ready,
        page_modules,
        render_sidebar,
        style_page,
    )
    from dashboard.page_end import PageEnded
    from dashboard.reconnect import note_reconnection

    st.set_page_config(
        page_title="jwmetrics: joined-up services",
        page_icon="📊",  # drawn by the browser; a :material/ favicon is fetched from Google
        layout="wide",
        initial_sidebar_state="auto",  # collapsed on a phone; dashboard.chrome: below 1000 px too
    )

    with app_run():  # pages check for it: a page run without app.py is gated all the same
        access = None
        with database_busy_guard():  # nothing is read for a browser that is not signed in
            access = resolve_access()
        # The menu is the sidebar's own page links (drawn after the page, carrying its date
        # and view: dashboard.chrome.draw_navigation), and none without access.
        page = st.navigation(build_pages(), position="hidden")
        mark_navigation_ready()
        style_page()
        stop_unless_allowed(access)  # the sign-in screen (or why not) instead of any page
        preload_modules(page_modules(page))  # first run: while the sidebar waits on the database
        with database_busy_guard():
            refresh_data_version()  # once per run: every cached read is keyed by it
            begin_url(page.url_path)
            note_reconnection()  # under dashboard.server: "the connection moved to another server"
            open_banner_slot()
            render_sidebar()
            try:
                page.run()
            except PageEnded:  # the page ended early (dashboard.page_end): links still drawn
                pass
            finally:  # also after st.stop: the choices of this run go into the URL at once
                draw_navigation(page, write_url())
