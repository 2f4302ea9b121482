"""Sign-in for the browser tests: a real OpenID Connect provider on this machine, an app
server that signs in through it, and the steps a person takes to sign in and out.

The provider is ``oidc-provider-mock`` (a test dependency), run as its own process with its
command line (``python -m oidc_provider_mock --port N``). It accepts any client id and
secret, and its authorization form asks only for a subject ("sub"): a subject it was not
told about gets the claims ``{"email": <the subject>}``, so typing an e-mail address into
the form signs that address in; the subjects of :data:`VERIFIED` are told about, with
``email_verified`` true, which jwmetrics requires. Nothing leaves 127.0.0.1.

The app server is the real ``app.py`` with a fresh SQLite database (seeded, with the users
of :data:`USERS`) and a secrets file of its own whose ``[auth]`` points at the provider.
Streamlit is told to read exactly that file (``--secrets.files``) and jwmetrics too
(``JWMETRICS_SECRETS_FILE``), so both agree that sign-in is configured;
``JWMETRICS_REQUIRE_APPROVAL`` is unset, so returns need approval, as they do by default
once sign-in is configured.

Import as ``from oidc import ...`` (this directory is on ``sys.path``; see conftest.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import (
    DATABASE_ENV_VAR,
    REPO_ROOT,
    SERVER_START_TIMEOUT_S,
    _stop_process_group,
    _tail,
    _wait_healthy,
    free_port,
    screenshot,
    streamlit_command,
    wait_for_app,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

SECRETS_FILE_ENV = "JWMETRICS_SECRETS_FILE"
UNKNOWN_USERS_ENV = "JWMETRICS_UNKNOWN_USERS"
REQUIRE_APPROVAL_ENV = "JWMETRICS_REQUIRE_APPROVAL"
CLIENT_ID = "jwmetrics-browser-tests"

UPLOADER = "uploader@example.gov.uk"
APPROVER = "approver@example.gov.uk"
VIEWER = "viewer@example.gov.uk"
ADMIN = "admin@example.gov.uk"
USERS: dict[str, str] = {
    UPLOADER: "uploader",
    APPROVER: "approver",
    VIEWER: "viewer",
    ADMIN: "admin",
}
"""The users each sign-in server starts with: e-mail -> role (no assignments, so the
uploader may send returns for any partner and the approver approve any initiative)."""
STRANGER = "stranger@example.org"  # signs in with a verified e-mail but is not a user
VERIFIED = (*USERS, STRANGER)
"""The subjects the provider vouches for (``email_verified`` true, which jwmetrics requires);
any other subject typed into its form gets an e-mail without the claim."""


@dataclass(frozen=True)
class SignInApp:
    """A running app server with sign-in: its URL, the provider's, and its database."""

    url: str  # http://127.0.0.1:PORT, no trailing slash
    provider_url: str
    database_url: str


# --------------------------------------------------------------------------------------------
# The provider
# --------------------------------------------------------------------------------------------


def _wait_answering(proc: subprocess.Popen[bytes], url: str, log: Path, timeout_s: float) -> None:
    """Poll ``url`` until it answers 200; raise with the log if the process dies or hangs."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"oidc-provider-mock exited with code {proc.returncode}.\n--- log ---\n{_tail(log)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not answering after {timeout_s:.0f} s.\n--- log ---\n{_tail(log)}")


def verified_users() -> list[str]:
    """The provider's ``--user-claims`` arguments: each of :data:`VERIFIED` with its e-mail
    vouched for."""
    claims = ({"sub": email, "email": email, "email_verified": True} for email in VERIFIED)
    return [arg for claim in claims for arg in ("--user-claims", json.dumps(claim))]


@contextlib.contextmanager
def start_oidc_provider(timeout_s: float = SERVER_START_TIMEOUT_S) -> Iterator[str]:
    """Run oidc-provider-mock on a free port of 127.0.0.1; yield its URL (the issuer)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="jwmetrics-oidc-") as tmp:
        log = Path(tmp) / "provider.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(  # fixed argv, no shell
                [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
                 "--port", str(port), *verified_users()],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_COLOR": "1"},
                start_new_session=True,  # own process group, stopped with its children
            )  # fmt: skip
        try:
            _wait_answering(proc, f"{url}/.well-known/openid-configuration", log, timeout_s)
            yield url
        finally:
            _stop_process_group(proc)


# --------------------------------------------------------------------------------------------
# The app server
# --------------------------------------------------------------------------------------------


def auth_section(provider_url: str, app_url: str) -> str:
    """The ``[auth]`` section of a secrets file for the provider (a fresh cookie secret)."""
    values = {
        "redirect_uri": f"{app_url}/oauth2callback",
        "cookie_secret": secrets.token_hex(32),
        "client_id": CLIENT_ID,
        "client_secret": "not-a-secret-the-mock-provider-takes-any",
        "server_metadata_url": f"{provider_url}/.well-known/openid-configuration",
    }
    return "[auth]\n" + "".join(f'{key} = "{value}"\n' for key, value in values.items())


def seed_users(database_url: str, users: Mapping[str, str]) -> None:
    """Create and seed the database, and add ``users`` (e-mail -> role)."""
    from jwmetrics.catalogue.seed import open_seeded
    from jwmetrics.governance.roles import LOCAL_USER
    from jwmetrics.governance.users import add_user

    db = open_seeded(database_url)
    try:
        acting = LOCAL_USER  # the first user (the admin) is added in local mode
        for email, role in sorted(users.items(), key=lambda item: item[1] != "admin"):
            record = add_user(db, email, role, by="browser tests", actor=acting)
            acting = record.as_actor() if acting.local else acting  # then by that admin
    finally:
        db.engine.dispose()


@contextlib.contextmanager
def start_sign_in_app(
    provider_url: str,
    *,
    users: Mapping[str, str] = USERS,
    unknown_users: str | None = None,
    timeout_s: float = SERVER_START_TIMEOUT_S,
) -> Iterator[SignInApp]:
    """Serve app.py with sign-in through ``provider_url``; yield it; stop it after.

    ``unknown_users`` sets ``JWMETRICS_UNKNOWN_USERS`` (None: unset, so viewer).
    """
    with tempfile.TemporaryDirectory(prefix="jwmetrics-sign-in-") as tmp:
        folder = Path(tmp)
        database_url = f"sqlite:///{folder / 'sign-in.sqlite'}"
        seed_users(database_url, users)
        port = free_port()
        app_url = f"http://127.0.0.1:{port}"
        secrets_path = folder / "secrets.toml"
        secrets_path.write_text(auth_section(provider_url, app_url), encoding="utf-8")
        env = {
            **os.environ,
            DATABASE_ENV_VAR: database_url,
            SECRETS_FILE_ENV: str(secrets_path),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop(REQUIRE_APPROVAL_ENV, None)
        env.pop(UNKNOWN_USERS_ENV, None)
        if unknown_users is not None:
            env[UNKNOWN_USERS_ENV] = unknown_users
        command = [
            *streamlit_command(REPO_ROOT / "app.py", port),
            "--secrets.files", str(secrets_path),  # this file only, not ~/.streamlit's
        ]  # fmt: skip
        stdout_log, stderr_log = folder / "stdout.log", folder / "stderr.log"
        with stdout_log.open("wb") as out, stderr_log.open("wb") as err:
            proc = subprocess.Popen(  # fixed argv, no shell
                command,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        try:
            _wait_healthy(proc, app_url, stderr_log, timeout_s)
            yield SignInApp(app_url, provider_url, database_url)
        finally:
            _stop_process_group(proc)


# --------------------------------------------------------------------------------------------
# Signing in and out, as a person does
# --------------------------------------------------------------------------------------------


def _app_home(app: SignInApp) -> re.Pattern[str]:
    """The app's own pages (not /oauth2callback, not /auth/...), any query string."""
    return re.compile(rf"^{re.escape(app.url)}/(?!oauth2callback|auth/)[^?#]*([?#].*)?$")


def sign_in(page: Page, app: SignInApp, email: str, form_screenshot: str | None = None) -> None:
    """From the app's sign-in screen: Sign in, type ``email`` into the provider's form,
    Authorize, and wait until the app has run for the signed-in user (its Sign out button,
    in the sidebar or on the no-access screen, is visible).

    ``form_screenshot``: save the provider's form under that name on the way.
    """
    from playwright.sync_api import expect

    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.provider_url}/oauth2/authorize?**")
    subject = page.get_by_placeholder("sub")
    expect(subject).to_be_visible()
    if form_screenshot:
        screenshot(page, form_screenshot)
    subject.fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(_app_home(app))
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page, app: SignInApp) -> None:
    """Sign out, end the session at the provider (its End session form), and wait until the
    app shows the sign-in screen again."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{app.provider_url}/oauth2/end_session?**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(_app_home(app))
    wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
