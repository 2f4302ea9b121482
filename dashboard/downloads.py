"""Downloads any server process can answer: built from what is stored, by a signed link.

A ``st.download_button`` keeps its file in the memory of the process that drew the page, so
after a failover (nginx sends the browser to another process) its link is a 404. Under the
team entry point (:mod:`dashboard.server`, which sets :data:`SERVED_ENV`) a download is
instead a link to ``/download/<what>.<ext>?...``: the route in :mod:`dashboard.serving`
rebuilds the file from the database on whichever process receives it. The link carries an
HMAC-SHA256 signature over what, its parameters, the user's e-mail and an expiry
(:data:`LINK_SECONDS`), so nobody can open or alter one without having been shown it, and
the user's role is read again at the moment of download. Without :mod:`dashboard.server`
(``streamlit run app.py``) the same :func:`download` draws an ordinary download button.

The key is the ``[auth] cookie_secret`` when sign-in is configured; otherwise (local mode,
where anyone who can open the page may read everything anyway) one derived from the
database URL, which every process of a deployment shares. Every CSV is written by
:func:`jwmetrics.present.files.to_csv_bytes`, which neutralises formulas.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from dashboard.download_kinds import DOWNLOADS
from jwmetrics.db import database_url
from jwmetrics.governance import Actor, cookie_secret, sign_in_configured

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

    from jwmetrics.metrics import Metrics

SERVED_ENV = "JWMETRICS_DOWNLOAD_ROUTE"
"""Set to ``1`` by :mod:`dashboard.server`: the ``/download`` route is served by this process."""
ROUTE = "/download"
LINK_SECONDS = 3600
"""How long a download link stays good: an hour after the page was drawn."""
LinkValue = str | date | list[str] | None
"""A file's parameter as a page gives it: a day, a list (comma-joined in the link), None."""
SIGNED = ("by", "until", "sig", "name")  # what the link adds to the file's own parameters


def link_key() -> bytes:
    """The HMAC key: the sign-in cookie secret, else one derived from the database URL."""
    secret = cookie_secret()
    if secret:
        return secret.encode()
    return hashlib.sha256(f"jwmetrics-download:{database_url()}".encode()).digest()


def _message(what: str, params: Mapping[str, str]) -> bytes:
    """What the signature covers: the kind and every parameter, in a fixed order."""
    return f"{what}?{urlencode(sorted(params.items()))}".encode()


def signed_query(
    what: str, params: Mapping[str, str], email: str, now_s: float | None = None
) -> dict[str, str]:
    """``params`` plus the user's e-mail, an expiry (Unix seconds) and the signature."""
    until = int((time.time() if now_s is None else now_s) + LINK_SECONDS)
    query = {**params, "by": email, "until": str(until)}
    sig = hmac.new(link_key(), _message(what, query), hashlib.sha256).hexdigest()
    return {**query, "sig": sig}


def signed_url(what: str, params: Mapping[str, str], email: str) -> str:
    """The path and query of a download link (relative to the server's root)."""
    return f"{ROUTE}/{what}?{urlencode(signed_query(what, params, email))}"


def link_refusal(what: str, query: Mapping[str, str], now_s: float | None = None) -> str | None:
    """Why the link ``what?query`` may not be answered (unknown, altered, expired), or None."""
    if what not in DOWNLOADS:
        return "no such download"
    signed = {k: v for k, v in query.items() if k not in ("sig", "name")}  # name: unsigned
    expected = hmac.new(link_key(), _message(what, signed), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, query.get("sig", "")):
        return "this link is not one the app made"
    until = query.get("until", "")
    if not until.isdigit() or int(until) < (time.time() if now_s is None else now_s):
        return "this link has expired: open the page again and download from there"
    return None


def role_refusal(metrics: Metrics, what: str, email: str) -> str | None:
    """Why ``email`` may not have ``what`` now (role read again at download), or None."""
    if not sign_in_configured():
        return None  # local mode: everyone is the one local administrator
    from dashboard.auth import unknown_users_role

    record = metrics.user(email)
    role = record.as_actor().role if record is not None else unknown_users_role()
    if role is None:
        return "you no longer have access to jwmetrics"
    if not Actor(email, role).may(DOWNLOADS[what].action):
        return "your role does not allow this download"
    return None


def link_params(params: Mapping[str, LinkValue]) -> dict[str, str]:
    """A file's parameters as the link carries them: days ISO, lists comma-joined, None left
    out."""
    as_text = {
        name: value.isoformat()
        if isinstance(value, date)
        else ",".join(value)
        if isinstance(value, list)
        else value
        for name, value in params.items()
        if value is not None
    }
    return {name: text for name, text in as_text.items() if text != ""}


def download(
    where: DeltaGenerator,
    label: str,
    what: str,
    params: Mapping[str, LinkValue],
    file_name: str,
    data: bytes | None = None,
) -> None:
    """A download of ``what``: a signed link under :mod:`dashboard.server`, else a download
    button of ``data`` when the page has the bytes already, or built only when clicked.
    ``params`` are the file's: see :mod:`dashboard.download_kinds`."""
    from dashboard.auth import current_actor
    from dashboard.cache import get_metrics

    params = link_params(params)
    if os.environ.get(SERVED_ENV) == "1":
        query = signed_query(what, params, current_actor().email)
        query["name"] = file_name
        where.link_button(label, f"{ROUTE}/{what}?{urlencode(query)}")
        return
    kind = DOWNLOADS[what]
    built = data if data is not None else lambda: kind.build(get_metrics(), params)
    where.download_button(label, built, file_name, kind.mime, on_click="ignore")
