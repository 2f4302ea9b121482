"""jwmetrics for a team: ``python -m streamlit run dashboard/server.py`` (``make run`` uses it),
started from the repository folder.

The same app as ``streamlit run app.py`` (which still works, alone on a laptop), served
through ``st.App`` with what several processes behind a proxy need
(:mod:`dashboard.serving`): the database migrated and seeded at process start under a lock,
the health check ``/_stcore/health`` at 503 until that is done, and downloads any process
can answer (``/download/...``, signed links).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.serving import ROUTES, HealthGate, lifespan

APP_SCRIPT = Path(__file__).resolve().parents[1] / "app.py"
"""The app itself: the entry script beside this package."""

app = st.App(str(APP_SCRIPT), routes=ROUTES, middleware=[Middleware(HealthGate)], lifespan=lifespan)
