"""jwmetrics for a team: ``python -m streamlit run server.py`` (``make run`` uses it).

The same app as ``streamlit run app.py`` (which still works, alone on a laptop), served
through ``st.App`` with what several processes behind a proxy need
(:mod:`dashboard.serving`): the database migrated and seeded at process start under a lock,
the health check ``/_stcore/health`` at 503 until that is done, and downloads any process
can answer (``/download/...``, signed links).
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from dashboard.serving import ROUTES, HealthGate, lifespan

app = st.App("app.py", routes=ROUTES, middleware=[Middleware(HealthGate)], lifespan=lifespan)
