"""The team server around the app (:mod:`dashboard.server`): start-up, readiness, download route.

``streamlit run app.py`` prepares the database when the first browser session opens, and
its health check says ``ok`` before that. :mod:`dashboard.server` serves the same app through
``st.App`` with three additions, all here:

* :func:`lifespan` prepares the database at process start (migrate, seed and add the
  shipped schedule under the database's start-up lock, so processes may start together),
  retrying every :data:`RETRY_SECONDS` while the database cannot be reached;
* :class:`HealthGate` answers ``/_stcore/health`` with 503 ``database not ready: <why>``
  until that is done, and leaves Streamlit's own check (200 ``ok``) to answer after;
* :func:`download_route` answers the signed download links of :mod:`dashboard.downloads`
  from the database, on whichever process receives them.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.download_kinds import DOWNLOADS
from dashboard.downloads import ROUTE, SERVED_ENV, SIGNED, link_refusal, role_refusal
from jwmetrics.metrics import Metrics

RETRY_SECONDS = 2.0
HEALTH_SUFFIX = "/_stcore/health"
_LOGGER = logging.getLogger("jwmetrics.server")


class Readiness:
    """Whether this process has found the database ready (schema at head, seeded)."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.reason = "preparing the database"

    def prepare(self) -> None:
        """Migrate and seed (under the start-up lock) until it succeeds or the server stops."""
        while not self.stopping.is_set():
            try:
                Metrics.open().close()
            except Exception as exc:  # any failure: say why on the health check, retry
                self.reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
                _LOGGER.warning("database not ready (%s); retrying", self.reason)
                self.stopping.wait(RETRY_SECONDS)
                continue
            self.ready.set()
            return


READINESS = Readiness()


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Prepare the database in a thread at start-up; the health check waits for it."""
    os.environ[SERVED_ENV] = "1"  # pages draw signed links rather than in-memory files
    worker = threading.Thread(target=READINESS.prepare, name="jwmetrics-prepare", daemon=True)
    worker.start()
    try:
        yield
    finally:
        READINESS.stopping.set()


class HealthGate:
    """ASGI middleware: ``/_stcore/health`` is 503 until the database is prepared."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the health check itself while not ready; pass everything else on."""
        if (
            scope["type"] == "http"
            and str(scope.get("path", "")).endswith(HEALTH_SUFFIX)
            and not READINESS.ready.is_set()
        ):
            response = PlainTextResponse(
                f"database not ready: {READINESS.reason}",
                status_code=503,
                headers={"Cache-Control": "no-cache"},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@cache
def route_metrics() -> Metrics:
    """The download route's own handle on the database (one per process)."""
    return Metrics.open()


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _answer(what: str, query: dict[str, str]) -> Response:
    """Check the link and the user's role now, then build the file from the database."""
    refusal = link_refusal(what, query)
    if refusal is not None:
        return PlainTextResponse(refusal, status_code=403)
    metrics = route_metrics()
    refusal = role_refusal(metrics, what, query.get("by", ""))
    if refusal is not None:
        return PlainTextResponse(refusal, status_code=403)
    kind = DOWNLOADS[what]
    params = {k: v for k, v in query.items() if k not in SIGNED}
    data = kind.build(metrics, params)
    name = _UNSAFE_NAME.sub("-", query.get("name") or f"jwmetrics-{what}")
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(data, media_type=kind.mime, headers=headers)


async def download_route(request: Request) -> Response:
    """``GET /download/<what>?...``: a signed download, answered by any process."""
    if not READINESS.ready.is_set():
        return PlainTextResponse(f"database not ready: {READINESS.reason}", status_code=503)
    what = str(request.path_params["what"])
    query = dict(request.query_params)
    response: Response = await run_in_threadpool(_answer, what, query)
    return response


ROUTES = [Route(ROUTE + "/{what}", download_route, methods=["GET"])]
"""The routes :mod:`dashboard.server` adds beside Streamlit's."""
