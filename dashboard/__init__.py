"""The Streamlit app's layer under ``app.py`` and ``pages/``: thin views over the library.

The app imports only the face (:class:`jwmetrics.metrics.Metrics`), ``jwmetrics.present``,
the base modules and each library folder's exports.

- :mod:`dashboard.cache`: the one ``Metrics`` handle and every cached library call
  (caching lives only there); :func:`~dashboard.cache.clear_caches` after every write.
- :mod:`dashboard.auth`: who is using the app: sign-in with OpenID Connect, or local mode.
- :mod:`dashboard.chrome`: the frame around every page: navigation, style, the sidebar.
- :mod:`dashboard.as_of`: where the reader is in time, and the URL that says so (filters too).
- :mod:`dashboard.typed_day`: a day typed into a text field, applied on Enter or Tab.
- :mod:`dashboard.keyboard`: focus ring, charts in words, page links as navigation.
- :mod:`dashboard.writes`: the outcome of a write, handled alike on every page.
- :mod:`dashboard.progress`: long work shows progress on the page.
- :mod:`dashboard.figures`: the plotly figures, built once per data drawn and kept.
- :mod:`dashboard.tables`: every grid drawn one way: no "None", key columns pinned first,
  British long dates.
- :mod:`dashboard.startup`: the server's first run: no collector pauses, modules preloaded.
- :mod:`dashboard.downloads`: downloads as signed links any server process answers.
- :mod:`dashboard.download_kinds`: every file such a link can fetch, built from the database.
- :mod:`dashboard.serving`: what the team entry point (:mod:`dashboard.server`) adds: start-up,
  readiness, downloads.
- :mod:`dashboard.page_end`: ending a page early with its sidebar links still drawn.
- :mod:`dashboard.reconnect`: saying so when the browser moved to another server process.
- :mod:`dashboard.sections`: one module per section of a page.
"""
