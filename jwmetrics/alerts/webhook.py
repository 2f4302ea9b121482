"""Webhooks: each alert as a JSON body POSTed to ``JWMETRICS_WEBHOOK_URL``, signed.

The header ``X-Jwmetrics-Signature: sha256=<hex>`` is the HMAC-SHA256 of the exact body
bytes with the key ``JWMETRICS_WEBHOOK_SECRET`` (no header without a secret), so the
receiver can check the body came from this deployment. A failure (a connection error or
an HTTP status of 500 or more) is tried again after 1, 2 and 4 seconds; a 4xx answer is not
(the receiver refused it and will again). ``sleep`` is passed in so tests do not wait.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass

WEBHOOK_URL_ENV = "JWMETRICS_WEBHOOK_URL"
WEBHOOK_SECRET_ENV = "JWMETRICS_WEBHOOK_SECRET"
SIGNATURE_HEADER = "X-Jwmetrics-Signature"
BACKOFF_SECONDS = (1.0, 2.0, 4.0)  # waits before the second, third and fourth tries
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class WebhookSettings:
    """Where to POST and the signing key (empty: unsigned)."""

    url: str
    secret: str


def webhook_settings(environ: Mapping[str, str] | None = None) -> WebhookSettings | None:
    """The webhook settings from the environment; None when no webhook is set."""
    env = os.environ if environ is None else environ
    url = env.get(WEBHOOK_URL_ENV, "").strip()
    return WebhookSettings(url, env.get(WEBHOOK_SECRET_ENV, "")) if url else None


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of body>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(
    settings: WebhookSettings,
    payload: Mapping[str, object],
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST ``payload`` as JSON, trying again with back-off; the number of tries it took.
    Raises :class:`WebhookError` when every try failed or the receiver refused it."""
    body = json.dumps(payload, sort_keys=True, default=str).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "jwmetrics-notify"}
    if settings.secret:
        headers[SIGNATURE_HEADER] = signature(settings.secret, body)
    problem = ""
    for attempt, wait in enumerate((0.0, *BACKOFF_SECONDS), start=1):
        if wait:
            sleep(wait)
        request = urllib.request.Request(settings.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                answer.read()
            return attempt
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
            if exc.code < 500:
                break
        except OSError as exc:
            problem = str(exc)
    raise WebhookError(f"webhook {settings.url.split('?')[0]} failed: {problem}")


class WebhookError(RuntimeError):
    """The webhook failed after its retries (or was refused)."""
