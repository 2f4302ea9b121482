"""Deep links into the app, with the day the alert speaks of (``as_of``).

The initiative page reads ``initiative``, ``measure``, ``area`` and ``as_of`` from its URL
(``pages/initiative.py``, :mod:`dashboard.as_of`), so a link opens the view the alert is
about, as known on that day. ``JWMETRICS_BASE_URL`` is where people reach the app.
"""

from __future__ import annotations

import os
from datetime import date
from urllib.parse import urlencode

BASE_URL_ENV = "JWMETRICS_BASE_URL"
DEFAULT_BASE_URL = "http://localhost:8501"


def base_url() -> str:
    """The app's address, without a trailing slash."""
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def series_link(initiative: str, measure: str, area: str, as_of: date) -> str:
    """The initiative page on one measure in one area, as known on ``as_of``."""
    query = {"initiative": initiative, "measure": measure, "area": area}
    return f"{base_url()}/initiative?{urlencode({**query, 'as_of': as_of.isoformat()})}"


def page_link(path: str, as_of: date | None = None) -> str:
    """Another page of the app (``returns``, ``returns-due``, ``inbox``)."""
    query = f"?{urlencode({'as_of': as_of.isoformat()})}" if as_of else ""
    return f"{base_url()}/{path}{query}"
