"""Sign-in (app_auth): local mode, the sign-in gate, roles from the users table, sign-out.

AppTest simulates ``st.user`` (``at.user``) and the secrets Streamlit reads
(``at.secrets``); jwmetrics reads its own copy of the secrets from ``JWMETRICS_SECRETS_FILE``,
so a test of sign-in sets both to the same ``[auth]`` section. The real sign-in through an
OpenID Connect provider is tested in a browser (tests/browser/test_sign_in.py).

Each AppTest runs on a fresh seeded database, once on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import delete
from streamlit.testing.v1 import AppTest

import dashboard.auth as app_auth
from dashboard.auth import LOCAL_MODE_WARNING, Access, Screen, decide_access, signed_in_email
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.models import AppUser, Return, UserScope
from jwmetrics.governance.audit import events
from jwmetrics.governance.roles import LOCAL_USER, Actor, Role
from jwmetrics.governance.users import UserRecord, add_user, list_users

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "app.py"
INITIATIVE_PAGE = "pages/initiative.py"
RETURNS_PAGE = "pages/returns_log.py"
TIMEOUT_S = 60
AUTH: dict[str, str] = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "not-a-secret-only-for-tests-but-43-characters-long",
    "client_id": "jwmetrics",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}
AUTH_TOML = "[auth]\n" + "".join(f'{key} = "{value}"\n' for key, value in AUTH.items())
UPLOADER = "Una.Uploader@Example.gov.uk"
ADMIN = "ada.admin@example.gov.uk"
ENGLAND = "E92000001"


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh seeded database with an uploader and an administrator, in local mode (no
    secrets file) until a test signs in; empty Streamlit caches before and after."""
    seeded = open_seeded(db_url)
    admin = add_user(seeded, ADMIN, "admin").as_actor()  # the first user; then as that admin
    add_user(seeded, UPLOADER, "uploader", partners=("Rough Sleepers Unit",), actor=admin)
    seeded.engine.dispose()
    monkeypatch.setenv("JWMETRICS_DATABASE_URL", db_url)
    monkeypatch.setenv("JWMETRICS_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.delenv("JWMETRICS_UNKNOWN_USERS", raising=False)
    monkeypatch.delenv("JWMETRICS_REQUIRE_APPROVAL", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_url
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def signed_in_mode(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database: str) -> str:
    """Sign-in configured: a secrets file with ``[auth]`` for jwmetrics (the AppTest gets the
    same section in ``at.secrets``, see :func:`new_app`)."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(AUTH_TOML, encoding="utf-8")
    monkeypatch.setenv("JWMETRICS_SECRETS_FILE", str(secrets))
    return database


def new_app(user: dict[str, Any], *, streamlit_auth: bool = True) -> AppTest:
    """An AppTest of app.py as ``user``; Streamlit's secrets hold ``[auth]`` unless told."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    at.user = dict(user)
    if streamlit_auth:
        at.secrets = {"auth": dict(AUTH)}
    return at


def signed_in(email: str, **claims: Any) -> dict[str, Any]:
    """``st.user`` of someone the identity provider signed in, the e-mail vouched for."""
    return {
        "is_logged_in": True,
        "email": email,
        "name": "Someone",
        "email_verified": True,
    } | claims


ANONYMOUS: dict[str, Any] = {"is_logged_in": False}


def assert_no_exception(at: AppTest) -> None:
    """Fail with every uncaught exception the run showed."""
    problems = [f"{e.message}\n" + "".join(e.stack_trace) for e in at.exception]
    assert not problems, "app raised:\n" + "\n---\n".join(problems)


def all_text(at: AppTest) -> str:
    """Every title, markdown, caption and alert on the page and in the sidebar."""
    parts = [*at.title, *at.markdown, *at.caption, *at.warning, *at.error, *at.info]
    return "\n".join(str(part.value) for part in parts)


def assert_no_data(at: AppTest) -> None:
    """Nothing from the database: no tables, metrics, charts, downloads or sidebar lines."""
    assert not at.table and not at.dataframe and not at.metric
    assert not at.get("plotly_chart") and not at.get("download_button")
    assert not at.sidebar.children, "the sidebar shows something before sign-in"
    text = all_text(at)
    for word in ("Database:", "Latest data", "Rough", "Sure Start", "Business Link"):
        assert word not in text


def audit_of(url: str) -> list[tuple[str, str, str]]:
    """The audit log's sign-ins: (actor, action, detail)."""
    db = open_seeded(url)
    try:
        return [(e.actor, e.action, e.detail) for e in events(db) if e.action == "sign-in"]
    finally:
        db.engine.dispose()


# --- local mode ------------------------------------------------------------------------------


def without_users(url: str) -> None:
    """Empty the fixture's user list (past the last-admin guard, which is not under test
    here): local mode is for a database with no users."""
    db = open_seeded(url)
    try:
        with db.session() as session, session.begin():
            session.execute(delete(UserScope))
            session.execute(delete(AppUser))
        assert list_users(db) == []
    finally:
        db.engine.dispose()


def test_local_mode_warns_in_the_sidebar_and_shows_the_data(database: str) -> None:
    """No [auth] anywhere and no users: everyone is the local administrator, and the
    sidebar says so."""
    without_users(database)
    at = new_app(signed_in(UPLOADER), streamlit_auth=False).run()
    assert_no_exception(at)
    lines = [str(c.value) for c in at.sidebar.caption]
    assert lines[0] == f":material/lock_open: **{LOCAL_MODE_WARNING}**"
    assert LOCAL_MODE_WARNING == (
        "Sign-in is not configured: everyone using this app is an administrator"
    )
    assert at.table, "the overview's status tables are missing"
    assert not [b for b in at.button if b.label in ("Sign in", "Sign out")]
    assert audit_of(database) == []  # nobody signed in


# --- signed-in mode: the gate ----------------------------------------------------------------


def test_anonymous_sees_only_the_sign_in_screen(signed_in_mode: str) -> None:
    """Not signed in: a title, one sentence and Sign in; nothing from the database."""
    at = new_app(ANONYMOUS).run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == [app_auth.SIGN_IN_TITLE]
    assert [m.value for m in at.markdown] == [app_auth.SIGN_IN_SENTENCE]
    assert [b.label for b in at.button] == ["Sign in"]
    assert_no_data(at)
    assert audit_of(signed_in_mode) == []


@pytest.mark.parametrize(
    ("page", "params"),
    [
        (INITIATIVE_PAGE, {"initiative": "rough-sleepers-unit"}),
        (RETURNS_PAGE, {}),
    ],
)
def test_a_deep_link_shows_the_sign_in_screen_too(
    signed_in_mode: str, page: str, params: dict[str, str]
) -> None:
    """A pasted link to a page with data opens the sign-in screen, not the page."""
    at = new_app(ANONYMOUS).run()
    at.switch_page(page)
    at.query_params.update(params)
    at.run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == [app_auth.SIGN_IN_TITLE]
    assert_no_data(at)


def test_a_listed_user_gets_their_role_and_one_sign_in_event(signed_in_mode: str) -> None:
    """A signed-in user listed as uploader sees the pages; the sidebar says who and what."""
    at = new_app(signed_in(UPLOADER)).run()
    assert_no_exception(at)
    assert at.table, "the overview's status tables are missing"
    sidebar = "\n".join(str(c.value) for c in at.sidebar.caption)
    assert "**Signed in as** Una.Uploader@Example.gov.uk" in sidebar.replace("\\", "")
    assert "**Role:** uploader" in sidebar
    assert "Sign out" in [b.label for b in at.sidebar.button]
    assert LOCAL_MODE_WARNING not in sidebar
    at.run()  # a rerun is not a new sign-in
    assert_no_exception(at)
    assert audit_of(signed_in_mode) == [("Una.Uploader@Example.gov.uk", "sign-in", "role uploader")]


def test_two_page_loads_of_one_sign_in_make_one_sign_in_event(signed_in_mode: str) -> None:
    """A reload (or a new tab) is a new browser session of the same sign-in, with the same
    identity token: one audit event. Signing in again (a new token) is a new event."""
    issued = 1_796_000_000  # the identity token's iat
    for _ in range(2):
        at = new_app(signed_in(UPLOADER, iat=issued)).run()
        assert_no_exception(at)
        assert at.table, "the overview's status tables are missing"
    assert audit_of(signed_in_mode) == [(UPLOADER, "sign-in", "role uploader")]
    new_app(signed_in(UPLOADER, iat=issued + 600)).run()
    assert len(audit_of(signed_in_mode)) == 2


def test_an_unknown_user_is_a_viewer_by_default(signed_in_mode: str) -> None:
    """Not listed, and JWMETRICS_UNKNOWN_USERS unset: the viewer role, and the sidebar says
    they are not a listed user."""
    at = new_app(signed_in("visitor@example.gov.uk")).run()
    assert_no_exception(at)
    assert at.table
    sidebar = "\n".join(str(c.value) for c in at.sidebar.caption)
    assert "**Role:** viewer (not a listed user)" in sidebar
    assert audit_of(signed_in_mode) == [
        ("visitor@example.gov.uk", "sign-in", "not a listed user: role viewer")
    ]


def test_an_unknown_user_has_no_access_when_so_configured(
    signed_in_mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JWMETRICS_UNKNOWN_USERS=none: a screen saying whom to ask, Sign out, and no data."""
    monkeypatch.setenv("JWMETRICS_UNKNOWN_USERS", "none")
    at = new_app(signed_in("visitor@example.gov.uk")).run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["You do not have access to jwmetrics"]
    words = all_text(at).replace("\\", "")
    assert "signed in as **visitor@example.gov.uk**" in words
    assert f"ask an administrator: {ADMIN}" in words
    assert [b.label for b in at.button] == ["Sign out"]
    assert_no_data(at)
    refusal = "refused: not a user, and unknown users have no access"
    assert audit_of(signed_in_mode) == [("visitor@example.gov.uk", "sign-in", refusal)]
    # A listed user still gets in with the same setting.
    at = new_app(signed_in(ADMIN)).run()
    assert at.table


def test_a_wrong_unknown_users_setting_lets_nobody_in(
    signed_in_mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value other than viewer or none names the setting and the choices; no data."""
    monkeypatch.setenv("JWMETRICS_UNKNOWN_USERS", "everyone")
    at = new_app(signed_in(ADMIN)).run()
    assert_no_exception(at)
    (error,) = at.error
    assert "JWMETRICS_UNKNOWN_USERS='everyone'" in error.value.replace("\\", "")
    assert "expected viewer or none" in error.value
    assert not at.table


def test_sign_in_half_configured_lets_nobody_in(signed_in_mode: str) -> None:
    """jwmetrics's secrets have [auth] but Streamlit's have not: nobody gets in (neither the
    local administrator nor an anonymous reader), and the screen says what to fix."""
    at = new_app(ANONYMOUS, streamlit_auth=False).run()
    assert_no_exception(at)
    (error,) = at.error
    assert "Streamlit read none" in error.value
    assert_no_data(at)


def test_an_unverified_email_gets_no_role(signed_in_mode: str) -> None:
    """The provider says the e-mail is not verified: no role, not even viewer."""
    at = new_app(signed_in(ADMIN, email_verified=False)).run()
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["Your e-mail address is needed"]
    assert_no_data(at)


def test_sign_out_returns_to_the_sign_in_screen(
    signed_in_mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign out ends the sign-in; the next run is the sign-in screen.

    AppTest runs every page after the first run without app.py (see
    :func:`app_auth.gate_page_run`), so without its sidebar: the button clicked here is the
    no-access screen's, which that gate shows too. The sidebar's is clicked in a browser.
    """
    monkeypatch.setenv("JWMETRICS_UNKNOWN_USERS", "none")
    at = new_app(signed_in("visitor@example.gov.uk")).run()
    at.run()  # the page alone, gated
    assert [t.value for t in at.title] == ["You do not have access to jwmetrics"]
    (sign_out,) = [b for b in at.button if b.label == "Sign out"]
    sign_out.click().run()
    assert_no_exception(at)
    assert at.user.get("is_logged_in") is False
    at.run()
    assert [t.value for t in at.title] == [app_auth.SIGN_IN_TITLE]
    assert_no_data(at)


CURRENT_ACTOR_SCRIPT = """
import streamlit as st
from dashboard.auth import current_actor, resolve_access

resolve_access()
try:
    actor = current_actor()
    st.write(f"actor {actor.email} {actor.role.value} {actor.partners} {actor.local}")
except PermissionError as exc:
    st.write(f"refused: {exc}")
"""


def run_current_actor(user: dict[str, Any], streamlit_auth: bool = True) -> str:
    """What :func:`app_auth.current_actor` returns in a run as ``user``."""
    at = AppTest.from_string(CURRENT_ACTOR_SCRIPT, default_timeout=TIMEOUT_S)
    at.user = dict(user)
    if streamlit_auth:
        at.secrets = {"auth": dict(AUTH)}
    at.run()
    assert_no_exception(at)
    return str(at.markdown[0].value)


def test_current_actor_is_the_signed_in_user(signed_in_mode: str) -> None:
    """The pages' actor: the listed user with their assignments; nobody when not signed in."""
    assert run_current_actor(signed_in(UPLOADER)) == (
        "actor Una.Uploader@Example.gov.uk uploader ('Rough Sleepers Unit',) False"
    )
    assert run_current_actor(ANONYMOUS).startswith("refused: nobody with access")


def test_current_actor_in_local_mode_is_the_local_administrator(database: str) -> None:
    """No sign-in configured: the local administrator, whatever st.user says."""
    assert run_current_actor(signed_in(UPLOADER), streamlit_auth=False) == (
        "actor local analyst admin () True"
    )


# --- the decision, without Streamlit ---------------------------------------------------------


def record(email: str, role: str) -> UserRecord:
    """A listed user as find_user returns one."""
    from datetime import datetime

    return UserRecord(email, role, ("P",), ("rough-sleepers-unit",), "local", datetime(2002, 1, 1))


def decide(user: dict[str, Any], *, listed: UserRecord | None = None, **options: Any) -> Access:
    """decide_access with sign-in configured on both sides and one listed user (or none)."""
    looked_up: list[str] = []

    def lookup(email: str) -> UserRecord | None:
        looked_up.append(email)
        same = listed is not None and listed.email.lower() == email.lower()  # as find_user
        return listed if same else None

    settings: dict[str, Any] = {"configured": True, "streamlit_has_auth": True, **options}
    access = decide_access(user=user, lookup=lookup, **settings)
    if not user.get("is_logged_in") or not settings["configured"]:
        assert looked_up == [], "the database was read for nobody signed in"
    return access


def test_decide_access_covers_every_case() -> None:
    """Local mode, anonymous, listed, unknown (viewer or none), no e-mail, half configured."""
    approver = record("amy@example.gov.uk", "approver")
    local = decide(ANONYMOUS, configured=False, streamlit_has_auth=False)
    assert local == Access(Screen.APP, LOCAL_USER)
    assert decide(ANONYMOUS) == Access(Screen.SIGN_IN)
    assert decide({}) == Access(Screen.SIGN_IN)  # st.user with nothing in it
    listed = decide(signed_in("Amy@Example.gov.uk"), listed=approver)
    assert listed.actor == Actor(
        "amy@example.gov.uk", Role.APPROVER, ("P",), ("rough-sleepers-unit",)
    )
    assert listed.known
    unknown = decide(signed_in("bob@example.gov.uk"), listed=approver)
    assert unknown.actor == Actor("bob@example.gov.uk", Role.VIEWER) and not unknown.known
    refused = decide(signed_in("bob@example.gov.uk"), listed=approver, unknown_role=lambda: None)
    assert refused == Access(Screen.NO_ACCESS, email="bob@example.gov.uk")
    nobody = lambda: None  # noqa: E731
    listed_anyway = decide(signed_in("amy@example.gov.uk"), listed=approver, unknown_role=nobody)
    assert listed_anyway.actor is not None and listed_anyway.actor.role is Role.APPROVER
    assert decide({"is_logged_in": True, "name": "No Mail"}).screen is Screen.NO_EMAIL
    half = decide(ANONYMOUS, configured=True, streamlit_has_auth=False)
    assert half.screen is Screen.MISCONFIGURED and half.actor is None
    other_half = decide(signed_in("x@example.gov.uk"), configured=False, streamlit_has_auth=True)
    assert other_half.screen is Screen.MISCONFIGURED and other_half.actor is None


def test_signed_in_email() -> None:
    """The e-mail decides the role: trimmed, as written (users are matched to it in any
    case), and only when vouched for."""
    assert signed_in_email(signed_in("  Amy@Example.GOV.uk ")) == "Amy@Example.GOV.uk"
    assert signed_in_email(signed_in("amy@example.gov.uk", email_verified=True)) is not None
    assert signed_in_email(signed_in("amy@example.gov.uk", email_verified=False)) is None
    assert signed_in_email({"is_logged_in": False, "email": "amy@example.gov.uk"}) is None
    assert signed_in_email(signed_in("not an address")) is None


def test_unknown_users_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """JWMETRICS_UNKNOWN_USERS: viewer (default), none, any case; anything else refused."""
    monkeypatch.delenv("JWMETRICS_UNKNOWN_USERS", raising=False)
    assert app_auth.unknown_users_role() is Role.VIEWER
    monkeypatch.setenv("JWMETRICS_UNKNOWN_USERS", " None ")
    assert app_auth.unknown_users_role() is None
    monkeypatch.setenv("JWMETRICS_UNKNOWN_USERS", "viewer")
    assert app_auth.unknown_users_role() is Role.VIEWER
    monkeypatch.setenv("JWMETRICS_UNKNOWN_USERS", "admin")
    with pytest.raises(ValueError, match="expected viewer or none"):
        app_auth.unknown_users_role()


def test_the_example_secrets_file_is_complete_and_the_real_one_is_ignored() -> None:
    """The example's [auth] has every setting st.login needs, no real secret, and the real
    secrets file is git-ignored (the example is not read: only secrets.toml is)."""
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text())
    auth = example["auth"]
    assert set(auth) == {
        "redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"
    }  # fmt: skip
    assert all(value.startswith(("https://", "replace-with-")) for value in auth.values())
    assert auth["redirect_uri"].endswith("/oauth2callback")
    text = (ROOT / ".streamlit" / "secrets.example.toml").read_text()
    for provider in ("login.microsoftonline.com", "accounts.google.com", "okta.com", "realms/"):
        assert provider in text
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().splitlines()


# --- sign-in that fails closed ---------------------------------------------------------------


def misconfigured_words(at: AppTest) -> str:
    """The misconfigured screen's error, after asserting it is the only thing shown."""
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["jwmetrics is not set up correctly"]
    assert_no_data(at)
    return " ".join(str(e.value) for e in at.error)


def test_users_without_sign_in_stop_the_app(database: str) -> None:
    """A database with users and no [auth] anywhere: not local mode (everyone an
    administrator) but a page saying what to fix."""
    words = misconfigured_words(new_app(signed_in(UPLOADER), streamlit_auth=False).run())
    assert app_auth.USERS_WITHOUT_SIGN_IN in words


@pytest.mark.parametrize(
    ("secret", "said"),
    [
        ("replace-with-64-random-hex-characters", "cookie_secret is the example's placeholder"),
        ("short-but-not-empty", "cookie_secret is 19 characters; at least 43"),
    ],
)
def test_an_example_or_short_cookie_secret_stops_the_app(
    signed_in_mode: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, secret: str, said: str
) -> None:
    """Anyone who knows the cookie secret can sign a cookie for any e-mail: the example's
    and a short one are refused, even for a user the provider signed in, and never quoted."""
    secrets = tmp_path / "weak.toml"
    secrets.write_text(AUTH_TOML.replace(AUTH["cookie_secret"], secret), encoding="utf-8")
    monkeypatch.setenv("JWMETRICS_SECRETS_FILE", str(secrets))
    at = new_app(signed_in(ADMIN))
    at.secrets = {"auth": AUTH | {"cookie_secret": secret}}
    words = misconfigured_words(at.run())
    assert said in words and secret not in words
    assert audit_of(signed_in_mode) == []  # nobody got in


def test_a_secrets_file_that_cannot_be_parsed_stops_the_app(
    database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An unterminated string in secrets.toml: Streamlit reads no [auth] and neither can
    jwmetrics, but a broken file is not "no sign-in": nobody gets in, and the page says the
    file is not valid TOML (the finding: it ran in local mode, everyone an administrator)."""
    broken = tmp_path / "secrets.toml"
    broken.write_text(AUTH_TOML.replace('client_id = "jwmetrics"', 'client_id = "jwmetrics'))
    monkeypatch.setenv("JWMETRICS_SECRETS_FILE", str(broken))
    without_users(database)  # not even an empty user list opens it
    words = misconfigured_words(new_app(signed_in(ADMIN), streamlit_auth=False).run())
    assert "secrets.toml is not valid TOML" in words


@pytest.mark.parametrize("claim", ["false", "true", None, 1])
def test_email_verified_must_be_the_boolean_true(claim: object) -> None:
    """Only the boolean true vouches for an e-mail: a string, a number or no claim do not."""
    user = signed_in("amy@example.gov.uk", email_verified=claim)
    assert signed_in_email(user) is None


def test_an_admin_signed_in_changes_and_removes_users_and_reads_the_audit_log(
    signed_in_mode: str,
) -> None:
    """The Administration page as a signed-in admin: assignments changed, a user removed,
    and each step in the audit log under the admin's e-mail as entered."""
    at = new_app(signed_in(ADMIN)).run()
    at.switch_page("pages/admin.py").run()
    assert_no_exception(at)
    (who,) = [s for s in at.selectbox if s.label == "User to change"]
    who.select(UPLOADER).run()
    (initiatives,) = [m for m in at.multiselect if m.label == "Initiatives"]
    initiatives.select("rough-sleepers-unit").run()
    (save,) = [b for b in at.button if b.label == "Save changes"]
    save.click().run()
    assert_no_exception(at)
    (gone,) = [s for s in at.selectbox if s.label == "User to remove"]
    gone.select(UPLOADER).run()
    (sure,) = [c for c in at.checkbox if c.label == "I want to remove this user"]
    sure.check().run()
    (remove,) = [b for b in at.button if b.label == "Remove user"]
    remove.click().run()
    assert_no_exception(at)
    db = open_seeded(signed_in_mode)
    try:
        assert [u.email for u in list_users(db)] == [ADMIN]
        steps = [(e.actor, e.action, e.subject) for e in events(db) if e.action != "sign-in"]
    finally:
        db.engine.dispose()
    assert steps[-2:] == [(ADMIN, "user-change", UPLOADER), (ADMIN, "user-remove", UPLOADER)]


def test_a_role_revoked_while_the_page_is_open_cannot_approve(signed_in_mode: str) -> None:
    """The finding: an approver demoted to viewer (from the command line) clicked Approve on
    the page they already had open, and the return was approved. Now the write re-reads the
    role: the return stays submitted, and the page shows the viewer role."""
    from jwmetrics.governance.users import actor_named
    from jwmetrics.returns import check_return, commit_return

    approver = "april.approver@example.gov.uk"
    db = open_seeded(signed_in_mode)
    try:
        admin = actor_named(db, ADMIN)
        add_user(db, approver, "approver", actor=admin)
        row = f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2002,532\n"
        check = check_return(
            db, f"initiative,measure,area_code,period,value\n{row}".encode(), "r.csv",
            partner="Rough Sleepers Unit",
        )  # fmt: skip
        outcome = commit_return(db, check, actor=actor_named(db, UPLOADER), needs_approval=True)
        at = new_app(signed_in(approver)).run()
        at.switch_page(RETURNS_PAGE).run()
        assert_no_exception(at)
        (approve,) = [b for b in at.button if b.label == "Approve this return"]
        add_user(db, approver, "viewer", actor=admin)  # demoted while the page is open
        approve.click().run()
        assert_no_exception(at)
        with db.session() as session:
            record = session.get(Return, outcome.return_id)
            assert record is not None and record.state == "submitted"
        sidebar = "\n".join(str(c.value) for c in at.sidebar.caption)
        assert "**Role:** viewer" in sidebar
    finally:
        db.engine.dispose()
