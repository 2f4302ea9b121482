"""Who is using the app: sign-in with OpenID Connect (``st.login``), or local mode.

Without sign-in configured (no ``[auth]`` section in ``.streamlit/secrets.toml``, or in the
file ``JWMETRICS_SECRETS_FILE`` names) the app runs in single-user local mode: everyone is
the local administrator, and the sidebar says so.

With sign-in configured, app.py calls :func:`resolve_access` before anything else reads the
database: a browser that is not signed in gets only the sign-in screen; a signed-in user
is looked up by e-mail among the users kept in the database, and one who is not listed
gets the role ``JWMETRICS_UNKNOWN_USERS`` sets (``viewer``, the default, or ``none``: a
screen saying whom to ask, and no data). The decision itself (:func:`decide_access`) takes
no Streamlit object, so it is tested on its own.

:func:`current_actor` is what the pages call for the acting user, to pass on as ``actor=``
to the library, which checks every write again whatever the page showed.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.cache import get_metrics
from jwmetrics.governance import (
    LOCAL_USER,
    SECRETS_FILE_ENV,
    Actor,
    PermissionDenied,
    Role,
    UserRecord,
    secrets_file,
    sign_in_configured,
    sign_in_problem,
)
from jwmetrics.text import plain

_LOGGER = logging.getLogger(__name__)
_run = threading.local()  # this script run's thread: is it running app.py?
UNKNOWN_USERS_ENV = "JWMETRICS_UNKNOWN_USERS"
UNKNOWN_USERS_CHOICES = ("viewer", "none")
LOCAL_MODE_WARNING = "Sign-in is not configured: everyone using this app is an administrator"
SIGN_IN_TITLE = "Sign in to jwmetrics"
SIGN_IN_SENTENCE = (
    "This dashboard of joined-up public services is open to signed-in staff only: sign in "
    "with your organisation's account to see it."
)
USERS_WITHOUT_SIGN_IN = (
    "The database has users with roles, but sign-in is not configured (no [auth] section in "
    ".streamlit/secrets.toml, or the file JWMETRICS_SECRETS_FILE names), so everyone would be "
    'an administrator. Configure sign-in (README, "Running it for a team"), or remove the '
    "users with python -m jwmetrics users remove EMAIL to run in local mode."
)
ACCESS_KEY = "signed_in_access"  # session state: this run's Access, for current_actor()
AUDITED_KEY = "sign_in_audited"  # session state: (e-mail, token iat) of the sign-in audited


class Screen(StrEnum):
    """What a run shows instead of a page, when it does not show the page."""

    APP = "app"  # the pages, for an actor
    SIGN_IN = "sign-in"  # nobody is signed in
    NO_ACCESS = "no-access"  # signed in, not a user, and unknown users have no access
    NO_EMAIL = "no-email"  # signed in, but the provider sent no (verified) e-mail
    MISCONFIGURED = "misconfigured"  # a setting is wrong: nobody gets in until it is fixed


@dataclass(frozen=True)
class Access:
    """The gate's decision for one run: the actor (None: no page at all) and the screen."""

    screen: Screen
    actor: Actor | None = None
    email: str = ""  # the signed-in e-mail, also when it has no access
    known: bool = False  # listed among the users (not given a role by the unknown-user rule)
    problem: str = ""  # for MISCONFIGURED: what is wrong and what was expected

    @property
    def allowed(self) -> bool:
        """True when the pages may run."""
        return self.actor is not None


# The decision, without Streamlit -------------------------------------------------------------


def unknown_users_role() -> Role | None:
    """The role of a signed-in user who is not listed: viewer (the default) or None.

    Raises ValueError for a value other than ``viewer`` or ``none``.
    """
    setting = os.environ.get(UNKNOWN_USERS_ENV)
    word = (setting or "viewer").strip().lower()
    if word not in UNKNOWN_USERS_CHOICES:
        raise ValueError(
            f"{UNKNOWN_USERS_ENV}={setting!r} is not a choice; expected viewer or none"
        )
    return Role.VIEWER if word == "viewer" else None


def signed_in_email(user: Mapping[str, Any]) -> str | None:
    """The e-mail of a signed-in ``st.user`` (trimmed, as the provider wrote it), or None.

    None when nobody is signed in, when the identity provider sent no e-mail, or when it
    did not vouch for it with ``email_verified`` the boolean true (a missing claim, false,
    or the string "false" all count as not verified): the e-mail is what decides the role,
    so an address the provider does not vouch for gets no role at all. It is
    shown and recorded as written; users are matched to it without regard to case.
    """
    if not user.get("is_logged_in"):
        return None
    if user.get("email_verified") is not True:  # the boolean true: not "false", not absent
        return None
    email = str(user.get("email") or "").strip()
    return email if "@" in email else None


def decide_access(
    *,
    configured: bool,
    streamlit_has_auth: bool,
    user: Mapping[str, Any],
    lookup: Callable[[str], UserRecord | None],
    unknown_role: Callable[[], Role | None] = unknown_users_role,
    problem: str | None = None,
    has_users: Callable[[], bool] = lambda: False,
) -> Access:
    """Who may see what in this run; it fails closed.

    ``configured`` is jwmetrics's reading of the secrets file, ``streamlit_has_auth``
    Streamlit's; when they disagree nobody gets in (a sign-in that Streamlit cannot start,
    or a local mode Streamlit does not believe in, must not open the data to everyone).
    ``problem`` is what makes the sign-in settings unsafe (:func:`sign_in_problem`): then
    nobody gets in either. Local mode needs no ``[auth]`` and ``has_users()`` false: a
    database with users was meant to be signed into. ``lookup`` finds a user by e-mail; it
    is called only for a signed-in user.
    """
    if problem is not None:
        _LOGGER.error("sign-in refused to start: %s (secrets file %s)", problem, secrets_file())
        return Access(Screen.MISCONFIGURED, problem=problem)
    if configured != streamlit_has_auth:
        _LOGGER.error("sign-in half configured; jwmetrics reads %s", secrets_file())
        return Access(Screen.MISCONFIGURED, problem=_mismatch(configured))
    if not configured:
        if has_users():
            _LOGGER.error("the database has users but %s has no [auth]", secrets_file())
            return Access(Screen.MISCONFIGURED, problem=USERS_WITHOUT_SIGN_IN)
        return Access(Screen.APP, LOCAL_USER)
    if not user.get("is_logged_in"):
        return Access(Screen.SIGN_IN)
    email = signed_in_email(user)
    if email is None:
        return Access(Screen.NO_EMAIL)
    try:
        role = unknown_role()
    except ValueError as exc:
        return Access(Screen.MISCONFIGURED, email=email, problem=str(exc))
    record = lookup(email)
    if record is not None:
        return Access(Screen.APP, record.as_actor(), email, known=True)
    if role is None:
        return Access(Screen.NO_ACCESS, email=email)
    return Access(Screen.APP, Actor(email, role), email)


def _mismatch(configured: bool) -> str:
    """Why sign-in is half configured, naming both readings of the secrets (no paths: the
    browser is told what to fix, the server's log where)."""
    ours = (
        f"jwmetrics's secrets file (.streamlit/secrets.toml beside app.py, or {SECRETS_FILE_ENV})"
    )
    if configured:
        return (
            f"{ours} has an [auth] section, but Streamlit read none. Expected: Streamlit "
            "reads the same file (start it from the folder holding app.py, or give "
            "--secrets.files that file)."
        )
    return (
        f"Streamlit read an [auth] section, but {ours} has none. Expected: one secrets "
        f"file for both (set {SECRETS_FILE_ENV} to the file Streamlit reads)."
    )


def audit_detail(access: Access) -> str:
    """The audit log's words for a sign-in."""
    if access.actor is None:
        return "refused: not a user, and unknown users have no access"
    role = access.actor.role.value
    return f"role {role}" if access.known else f"not a listed user: role {role}"


# The gate, in Streamlit ----------------------------------------------------------------------


def streamlit_has_auth() -> bool:
    """True when the secrets Streamlit itself read have an ``[auth]`` section."""
    try:
        return isinstance(st.secrets.get("auth"), Mapping)
    except (FileNotFoundError, StreamlitAPIException):  # no secrets file at all
        return False


def resolve_access() -> Access:
    """Decide this run's access, remember its actor for :func:`current_actor`, and record
    a sign-in in the audit log once per sign-in (not per page load). Reads the database
    only for a signed-in user."""
    access = decide_access(
        configured=sign_in_configured(),
        streamlit_has_auth=streamlit_has_auth(),
        user=st.user.to_dict(),
        lookup=lambda email: get_metrics().user(email),
        problem=sign_in_problem(),
        has_users=lambda: bool(get_metrics().users()),
    )
    if access.actor is None:
        st.session_state.pop(ACCESS_KEY, None)
    else:
        st.session_state[ACCESS_KEY] = access
    signed_in = access.screen in (Screen.APP, Screen.NO_ACCESS) and access.email
    if signed_in:
        _audit_sign_in(access, token_issued_at(st.user.to_dict()))
    return access


def token_issued_at(user: Mapping[str, Any]) -> int | None:
    """When the signed-in user's identity token was issued (its ``iat`` claim, seconds
    since 1970), which names one sign-in across page loads; None when absent or not a number."""
    issued = user.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return None
    return int(issued)


def _audit_sign_in(access: Access, issued_at: int | None) -> None:
    """Record this sign-in in the audit log once: the session remembers it (no query on a
    rerun), and the library skips a sign-in whose identity token is recorded already (a
    reload or a new tab opens a new browser session of the same sign-in)."""
    key = (access.email, issued_at)
    if st.session_state.get(AUDITED_KEY) == key:
        return
    who = access.actor.name if access.actor is not None else access.email  # one name
    get_metrics().add_sign_in(who, audit_detail(access), issued_at)
    st.session_state[AUDITED_KEY] = key


def current_actor() -> Actor:
    """The actor of this browser session: the local administrator in local mode, else the
    signed-in user as :func:`resolve_access` found them in this run.

    Raises :class:`PermissionDenied` when sign-in is configured and nobody with access is
    signed in (a page never runs then; this is the guard should one try).
    """
    if not sign_in_configured():
        return LOCAL_USER
    access = st.session_state.get(ACCESS_KEY)
    if (
        isinstance(access, Access)
        and access.actor is not None
        and access.email == signed_in_email(st.user.to_dict())
    ):
        return access.actor
    raise PermissionDenied("nobody with access to jwmetrics is signed in in this session")


@contextmanager
def app_run() -> Iterator[None]:
    """Marks the script run as one through app.py, whose gate runs before any page."""
    _run.through_app = True
    try:
        yield
    finally:
        _run.through_app = False


def through_app() -> bool:
    """True while this script run is app.py's (:func:`app_run`), not a page run alone."""
    return bool(getattr(_run, "through_app", False))


def gate_page_run() -> None:
    """The same gate for a page that Streamlit runs without app.py.

    Streamlit runs a page file alone on a server's very first request (and two browsers
    arriving at once can both get that run; ``dashboard.chrome.route_through_app``), and
    AppTest runs every page it switches to that way. Such a run stops here unless the
    user may see the pages.
    """
    if not through_app():
        stop_unless_allowed(resolve_access())


def stop_unless_allowed(access: Access | None) -> None:
    """Show the sign-in, no-access or settings screen and stop the run, unless the pages
    may run. ``None``: the database was busy (its message is already shown)."""
    if access is not None and access.allowed:
        return
    if access is not None:
        SCREENS[access.screen](access)
    st.stop()


def _sign_in_screen(access: Access) -> None:
    """Title, one sentence and the Sign in button: nothing from the database."""
    st.title(SIGN_IN_TITLE)
    st.write(SIGN_IN_SENTENCE)
    if st.button("Sign in", type="primary", icon=":material/login:", key="sign_in"):
        st.login()


def _no_access_screen(access: Access) -> None:
    """Signed in but not let in: who they are, whom to ask, and Sign out."""
    st.title("You do not have access to jwmetrics")
    st.write(
        f"You are signed in as **{plain(access.email)}**, but you are not one of this "
        f"dashboard's users. {_whom_to_ask()}"
    )
    _sign_out_button()


def _no_email_screen(access: Access) -> None:
    """Signed in, but the identity provider did not vouch for an e-mail address."""
    st.title("Your e-mail address is needed")
    st.write(
        "You are signed in, but your organisation's sign-in did not give this app a "
        "verified e-mail address, and access is given by e-mail. Ask whoever runs this app "
        "to have the sign-in send the `email` claim."
    )
    _sign_out_button()


def _misconfigured_screen(access: Access) -> None:
    """A setting is wrong: say which and what was expected; nobody is let in meanwhile."""
    st.title("jwmetrics is not set up correctly")
    st.error(
        f"Nobody can use the app until this is fixed: {access.problem}", icon=":material/error:"
    )
    if access.email:
        _sign_out_button()


SCREENS: dict[Screen, Callable[[Access], None]] = {
    Screen.SIGN_IN: _sign_in_screen,
    Screen.NO_ACCESS: _no_access_screen,
    Screen.NO_EMAIL: _no_email_screen,
    Screen.MISCONFIGURED: _misconfigured_screen,
}


def _whom_to_ask() -> str:
    """Who can add a user: the administrators' e-mails, else whoever runs the app."""
    admins = [u.email for u in get_metrics().users() if u.role == Role.ADMIN.value]
    if not admins:
        return "Ask whoever runs this app to add you as a user."
    return "To be added, ask an administrator: " + plain(", ".join(admins)) + "."


def _sign_out_button() -> None:
    """The Sign out button (``st.logout``: ends this app's session and the provider's)."""
    if st.button("Sign out", icon=":material/logout:", key="sign_out"):
        st.logout()


def sidebar_identity() -> None:
    """The sidebar's lines about who is using the app (inside ``st.sidebar``)."""
    if not sign_in_configured():
        # A caption, not st.warning: it is on every page of a single analyst's app, where
        # it is a fact to know rather than something wrong.
        st.caption(f":material/lock_open: **{LOCAL_MODE_WARNING}**")
        return
    access = st.session_state.get(ACCESS_KEY)
    if not isinstance(access, Access) or access.actor is None:
        return
    role = (
        access.actor.role.value
        if access.known
        else f"{access.actor.role.value} (not a listed user)"
    )
    st.caption(f"**Signed in as** {plain(access.email)}  \n**Role:** {role}")
    _sign_out_button()
