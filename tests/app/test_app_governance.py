"""AppTests of governance in the app: the returns log's states, approving and rejecting,
four eyes, the upload page's roles and partners, and the Administration page.

Uses the conventions of ``tests/test_app.py`` (imported from it): a fresh database per test on
SQLite and PostgreSQL through ``JWMETRICS_DATABASE_URL`` with empty Streamlit caches (its
autouse ``app_database`` fixture). Who is acting is ``app_auth.current_actor``, patched here
to each role as the sign-in will fill it; every action still goes through the library's check.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    ENGLAND,
    app_database,
    assert_no_exception,
    new_app,
)
from test_app_hardening import downloads  # noqa: F401  (a fixture: the bytes of each download)

import dashboard.auth as app_auth
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import Database
from jwmetrics.governance import audit
from jwmetrics.governance.roles import Actor, Role
from jwmetrics.governance.users import find_user, list_users
from jwmetrics.returns import check_return, commit_return

LOG_PAGE = "pages/returns_log.py"
UPLOAD_PAGE = "pages/upload.py"
ADMIN_PAGE = "pages/admin.py"
PARTNER = "Rough Sleepers Unit"
ROUGH = (
    "initiative,measure,area_code,period,value\n"
    f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2002,532\n"
).encode()
UPLOADER_EMAIL = "uploader@example.gov.uk"
APPROVER = Actor("approver@example.gov.uk", Role.APPROVER, (), ("rough-sleepers-unit",))
VIEWER = Actor("viewer@example.gov.uk", Role.VIEWER)


@pytest.fixture
def app_db(app_database: str) -> Any:  # noqa: F811
    """The app's database, opened to arrange returns and look inside."""
    database = open_seeded(app_database)
    yield database
    database.engine.dispose()


def act_as(monkeypatch: pytest.MonkeyPatch, actor: Actor) -> None:
    monkeypatch.setattr(app_auth, "current_actor", lambda: actor)


def submit(db: Database, by: str = UPLOADER_EMAIL) -> int:
    """A return of one new figure, submitted by ``by`` and waiting for approval."""
    check = check_return(db, ROUGH, "june-2002.csv", partner=PARTNER)
    outcome = commit_return(db, check, uploaded_by=by, needs_approval=True)
    assert outcome.return_id is not None
    return outcome.return_id


def open_page(path: str) -> AppTest:
    at = new_app().run()
    at.switch_page(path)
    at.run()
    assert_no_exception(at)
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    """The words of every element of ``kind``, as read: Markdown escapes (``\\@``) removed."""
    return [re.sub(r"\\(.)", r"\1", str(e.value)) for e in at.get(kind)]


def button(at: AppTest, label: str) -> Any:
    matches = [b for b in at.button if b.label == label]
    assert len(matches) == 1, f"expected one button {label!r}, got {[b.label for b in at.button]}"
    return matches[0]


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def log_table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def click(at: AppTest, label: str) -> AppTest:
    button(at, label).click()
    at.run()
    assert_no_exception(at)
    return at


# --- the returns log ------------------------------------------------------------------------


def test_a_submitted_return_shows_its_state_and_preview_and_an_approver_approves_it(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(app_db)
    act_as(monkeypatch, APPROVER)
    at = open_page(LOG_PAGE)
    table = log_table(at)
    assert table.loc[0, ["Id", "State", "Outcome", "Uploaded by"]].tolist() == [
        1, "submitted", "committed", UPLOADER_EMAIL
    ]  # fmt: skip
    assert table.loc[0, "Last move"].endswith(f" by {UPLOADER_EMAIL}")
    assert any("1 return waits for approval" in c for c in texts(at, "caption"))
    (picker,) = [s for s in at.selectbox if s.label == "Return"]
    assert "(submitted," in picker.format_func(picker.value)
    preview = at.dataframe[1].value
    assert preview[["Change", "Period", "New value"]].values.tolist() == [
        ["new", "June 2002", "532"]
    ]
    assert any(c.startswith("Preview: return 1 waits for approval") for c in texts(at, "caption"))
    assert "Withdraw this return" not in labels(at)
    assert button(at, "Reject this return").disabled  # a reason first

    click(at, "Approve this return")
    assert texts(at, "success") == [
        "Return 1 approved by approver@example.gov.uk; its figures count from now"
    ]
    table = log_table(at)
    assert table.loc[0, "State"] == "approved"
    assert table.loc[0, "Last move"].endswith(" by approver@example.gov.uk")
    assert "Approve this return" not in labels(at)
    assert any("Only an admin can withdraw" in c for c in texts(at, "caption"))
    events = audit.events(app_db)
    assert [(e.actor, e.action) for e in events][-1] == ("approver@example.gov.uk", "approve")


def test_four_eyes_refusal_is_shown_and_nothing_changes(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(app_db, by=APPROVER.email)  # the approver's own return
    act_as(monkeypatch, APPROVER)
    at = click(open_page(LOG_PAGE), "Approve this return")
    assert texts(at, "error") == [
        "Approver@example.gov.uk uploaded return 1 and cannot approve it: four eyes"
    ]
    assert not at.success
    assert log_table(at).loc[0, "State"] == "submitted"


def test_reject_with_a_reason(app_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    submit(app_db)
    act_as(monkeypatch, APPROVER)
    at = open_page(LOG_PAGE)
    (reason,) = [t for t in at.text_input if t.label == "Reason for rejecting it"]
    reason.input("counted twice").run()
    assert not button(at, "Reject this return").disabled
    click(at, "Reject this return")
    assert texts(at, "success") == ["Return 1 rejected by approver@example.gov.uk: counted twice"]
    table = log_table(at)
    assert table.loc[0, "State"] == "rejected"
    assert table.loc[0, "Last move"].endswith(" by approver@example.gov.uk: counted twice")
    assert texts(at, "info")[-1] == (
        "Return 1 was rejected by approver@example.gov.uk: counted twice. Its figures never "
        "counted."
    )


def test_a_viewer_sees_the_log_but_no_action(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(app_db)
    act_as(monkeypatch, VIEWER)
    at = open_page(LOG_PAGE)
    assert log_table(at).loc[0, "State"] == "submitted"
    assert not {"Approve this return", "Reject this return", "Withdraw this return"} & set(
        labels(at)
    )
    assert any("waits for an approver of its initiatives" in t for t in texts(at, "info"))


def test_an_approver_of_another_initiative_is_not_offered_the_buttons(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(app_db)
    act_as(monkeypatch, Actor("ss@example.gov.uk", Role.APPROVER, (), ("sure-start",)))
    at = open_page(LOG_PAGE)
    assert "Approve this return" not in labels(at)


# --- the upload page ------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [VIEWER, APPROVER], ids=["viewer", "approver"])
def test_only_an_uploader_gets_the_upload_widget(
    monkeypatch: pytest.MonkeyPatch, actor: Actor
) -> None:
    act_as(monkeypatch, actor)
    at = open_page(UPLOAD_PAGE)
    assert any(
        t.startswith("You need the uploader role to send returns") for t in texts(at, "info")
    )
    assert not at.file_uploader
    assert [d.label for d in at.download_button] == ["Template (CSV)", "Template (Excel)"]


def upload(at: AppTest, data: bytes = ROUGH) -> AppTest:
    (uploader,) = at.file_uploader
    uploader.set_value(("june-2002.csv", data, "text/csv"))
    at.run()
    assert_no_exception(at)
    return at


def test_an_uploader_with_one_partner_sends_for_it_and_the_return_is_submitted(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWMETRICS_REQUIRE_APPROVAL", "1")
    uploader = Actor(UPLOADER_EMAIL, Role.UPLOADER, (PARTNER,), ("rough-sleepers-unit",))
    act_as(monkeypatch, uploader)
    at = open_page(UPLOAD_PAGE)
    assert not [t for t in at.text_input if t.label == "Partner"]
    assert f"**Partner:** {PARTNER} (assigned to you)" in texts(at, "caption")
    click(upload(at), "Commit this return")
    assert texts(at, "success") == [
        "Return 1 submitted for approval: 1 new, 0 revised, 0 unchanged; its figures count "
        "once an approver approves it"
    ]
    assert not at.page_link  # nothing to see on the initiative page until it is approved
    (record,) = commit_record(app_db)
    assert record == (PARTNER, UPLOADER_EMAIL, "submitted")


def commit_record(db: Database) -> list[tuple[str, str, str]]:
    from jwmetrics.returns import returns_log

    return [(r.partner, r.uploaded_by, r.state) for r in returns_log(db)]


def test_an_uploader_with_several_partners_chooses_one_and_is_refused_elsewhere(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploader = Actor(UPLOADER_EMAIL, Role.UPLOADER, ("Shelter", PARTNER), ("sure-start",))
    act_as(monkeypatch, uploader)
    at = open_page(UPLOAD_PAGE)
    (partner,) = [s for s in at.selectbox if s.label == "Partner"]
    assert partner.options == ["Shelter", PARTNER]
    partner.select(PARTNER).run()
    click(upload(at), "Commit this return")  # a rough sleepers return: not their initiative
    assert texts(at, "error") == [
        "Uploader@example.gov.uk may upload only for sure-start, not rough-sleepers-unit"
    ]
    assert commit_record(app_db) == []


# --- the Administration page ----------------------------------------------------------------


@pytest.mark.parametrize("actor", [VIEWER, APPROVER], ids=["viewer", "approver"])
def test_the_admin_page_refuses_anyone_but_an_admin(
    monkeypatch: pytest.MonkeyPatch, actor: Actor
) -> None:
    act_as(monkeypatch, actor)
    at = open_page(ADMIN_PAGE)
    assert at.title[0].value == "Administration"
    assert texts(at, "error") == [
        f"Only an admin can manage users and read the audit log; {actor.email} is {actor.role}."
    ]
    assert not at.dataframe and not at.button and not at.text_input


def test_the_admin_page_adds_the_first_user_then_local_mode_stops(app_db: Database) -> None:
    """In local mode the first user must be an admin; once the database has a user, local
    mode (everyone an administrator) stops: the next run shows what to fix, and no data.
    (Changing and removing users, signed in as an admin: tests/app/test_app_auth.py.)"""
    at = open_page(ADMIN_PAGE)  # local mode: the local admin
    assert any("No users yet" in t for t in texts(at, "info"))
    (email,) = [t for t in at.text_input if t.label == "E-mail"]
    email.input("Viewer@Example.gov.uk").run()  # shown as entered, matched in any case
    click(at, "Add user")  # the first user must be an admin
    assert texts(at, "error") == [
        "The first user must be an admin (not viewer): once a database has users, only an "
        "admin may add the others"
    ]
    assert list_users(app_db) == []
    (role,) = [s for s in at.selectbox if s.label == "Role"]
    role.select("admin").run()
    button(at, "Add user").click().run()  # the run that adds the user
    assert find_user(app_db, "viewer@example.GOV.uk") is not None
    (added,) = list_users(app_db)
    assert (added.email, added.role, added.added_by) == (
        "Viewer@Example.gov.uk",
        "admin",
        "local analyst",
    )
    at.run()
    assert [t.value for t in at.title] == ["jwmetrics is not set up correctly"]
    assert any(app_auth.USERS_WITHOUT_SIGN_IN in str(e.value) for e in at.error), at.error
    assert not at.dataframe and not at.table


def test_the_audit_log_filters_and_downloads_formula_safe(
    app_db: Database,
    downloads: dict[str, bytes],  # noqa: F811
) -> None:
    audit.record(app_db, "=HYPERLINK(1)", "sign-in", "", "from the test")
    audit.record(app_db, "someone@example.gov.uk", "catalogue", "measures.csv", "added 1")
    at = open_page(ADMIN_PAGE)
    assert at.dataframe[-1].value["Action"].tolist() == ["sign-in", "catalogue"]
    rows = list(
        csv.DictReader(io.StringIO(downloads["jwmetrics-audit-log.csv"].decode("utf-8-sig")))
    )
    assert [(r["Actor"], r["Action"]) for r in rows] == [
        ("'=HYPERLINK(1)", "sign-in"),
        ("someone@example.gov.uk", "catalogue"),
    ]
    (who,) = [s for s in at.selectbox if s.label == "Actor"]
    who.select("someone@example.gov.uk").run()
    assert at.dataframe[-1].value["Detail"].tolist() == ["added 1"]
    rows = list(
        csv.DictReader(io.StringIO(downloads["jwmetrics-audit-log.csv"].decode("utf-8-sig")))
    )
    assert [r["Actor"] for r in rows] == ["someone@example.gov.uk"]
    (since,) = [d for d in at.date_input if d.label == "From"]
    since.set_value(date.today() + timedelta(days=1)).run()
    assert at.dataframe[-1].value.empty


def test_the_chosen_return_stays_chosen_when_its_state_changes(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit(app_db)
    later = check_return(app_db, ROUGH.replace(b"June 2002", b"June 2003"), "june-2003.csv")
    commit_return(app_db, later, uploaded_by=UPLOADER_EMAIL, needs_approval=True)
    act_as(monkeypatch, APPROVER)
    at = open_page(LOG_PAGE)
    (picker,) = [s for s in at.selectbox if s.label == "Return"]
    assert picker.value == 2  # the newest first
    picker.select(first).run()
    click(at, "Approve this return")
    (picker,) = [s for s in at.selectbox if s.label == "Return"]
    assert picker.value == first
    assert picker.format_func(picker.value).startswith("Return 1 — june-2002.csv (committed, ")
    assert log_table(at)["State"].tolist() == ["submitted", "approved"]
