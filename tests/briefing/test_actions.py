"""Remedial actions: who does what by when about a measure in an area (paragraph 24,
recommendation 7): add, list, close, overdue, roles, audit, the CLI and the briefing pack.
Both backends."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import status_table
from jwmetrics.briefing.actions import (
    add_action,
    close_action,
    list_actions,
    unactioned,
)
from jwmetrics.briefing.packs import make_pack, rebuild_pack
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import RemedialAction
from jwmetrics.governance.audit import events
from jwmetrics.governance.roles import Actor, PermissionDenied, Role
from jwmetrics.periods import parse_period
from jwmetrics.present.pack.document import pack_file
from jwmetrics.problems import InputError
from jwmetrics.store.lookup import find_measure
from jwmetrics.store.writes import ObservationInput, add_observations

COUNT, THREE = "rough-sleepers-count", "nursery-places-3-year-olds"
ENGLAND = "E92000001"
APPROVER = Actor("analyst@hmt.gov.uk", Role.APPROVER, initiatives=("rough-sleepers-unit",))
RECORD_KEYS = {"id", "measure", "area_code", "owner", "due", "state", "text"}


def stored_actions(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(RemedialAction)) or 0)


def test_add_list_and_close(db: Database) -> None:
    added = add_action(
        db, COUNT, ENGLAND, "  Jo Bloggs, RSU ", "2002-03-31", " Recount in London ", actor=APPROVER
    )
    assert (added.measure, added.area_code, added.owner, added.text) == (
        COUNT,
        ENGLAND,
        "Jo Bloggs, RSU",
        "Recount in London",
    )
    assert (added.due, added.state, added.created_by) == (date(2002, 3, 31), "open", APPROVER.email)
    second = add_action(db, THREE, ENGLAND, "EYDCP lead", date(2002, 1, 31), "Find places")
    assert [a.id for a in list_actions(db)] == [second.id, added.id]  # by due date
    closed = close_action(db, added.id, "dropped", actor=APPROVER)
    assert (closed.state, closed.closed_by) == ("dropped", APPROVER.email)
    assert closed.closed_at is not None
    assert [a.id for a in list_actions(db, open_only=True)] == [second.id]
    assert [a.state for a in list_actions(db)] == ["open", "dropped"]
    assert [a.id for a in list_actions(db, measure=COUNT, area_code=ENGLAND)] == [added.id]


def test_the_status_it_responds_to_is_stored_as_it_was(db: Database) -> None:
    before = series_detail(db, COUNT).assessment
    added = add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Check returns to the streets")
    assert (added.responds_to_status, added.responds_to_reason) == (before.status, before.reason)
    assert added.responds_to_as_of == before.as_of == date(2001, 12, 7)
    # A balancing figure arrives afterwards: the status reason changes, the action's does not.
    with db.session() as session, session.begin():
        returning = find_measure(session, "rough-sleepers-returning").id
        items = [
            ObservationInput(returning, ENGLAND, parse_period(p), v, "synthetic")
            for p, v in (("June 1998", 300), ("June 2001", 420))
        ]
        add_observations(session, items, datetime.now())
    assert "Balancing measure" in series_detail(db, COUNT).assessment.reason
    (kept,) = list_actions(db)
    assert kept.responds_to_reason == before.reason and "Balancing" not in kept.responds_to_reason


def test_overdue_is_open_and_due_before_today(db: Database) -> None:
    due = add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Recount")
    done = add_action(db, THREE, ENGLAND, "Sam", "2002-01-31", "Plan places")
    close_action(db, done.id)
    on_the_day = list_actions(db, today=date(2002, 3, 31))
    assert [a.overdue for a in on_the_day] == [False, False]
    after = {a.id: a.overdue for a in list_actions(db, today=date(2002, 4, 1))}
    assert after == {due.id: True, done.id: False}  # a closed action is never overdue
    overdue = [a.id for a in list_actions(db, open_only=True, today=date(2002, 4, 1)) if a.overdue]
    assert overdue == [due.id]
    assert not any(a.overdue for a in list_actions(db, open_only=True, today=date(2002, 3, 1)))


def test_amber_and_red_without_an_open_action_are_flagged(db: Database) -> None:
    rows = status_table(db, area_codes=[ENGLAND])
    amber = [r.measure for r in rows if r.status in ("Amber", "Red")]
    assert amber == [COUNT, THREE]  # the seeded report's two measures at risk
    assert [r.measure for r in unactioned(rows, list_actions(db))] == amber
    action = add_action(db, THREE, ENGLAND, "Sam", "2002-03-31", "Plan places")
    assert [r.measure for r in unactioned(rows, list_actions(db))] == [COUNT]
    add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Recount")
    assert unactioned(rows, list_actions(db)) == []
    close_action(db, action.id)
    assert [r.measure for r in unactioned(rows, list_actions(db))] == [THREE]


def test_bad_actions_are_refused_naming_the_field(db: Database) -> None:
    with pytest.raises(InputError) as refused:
        add_action(db, "rough-sleeper-count", "E9999", " ", "31/03/2002", "")
    columns = {p.column or p.file_name for p in refused.value.problems}
    assert columns == {"owner", "text", "due", "measure", "area"}
    assert any("YYYY-MM-DD" in p.message for p in refused.value.problems)
    assert any("did you mean 'rough-sleepers-count'" in p.message for p in refused.value.problems)
    added = add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Recount")
    with pytest.raises(InputError, match="expected done or dropped"):
        close_action(db, added.id, "finished")
    close_action(db, added.id, "done", by="lead")
    with pytest.raises(InputError, match="already done: closed by lead on"):
        close_action(db, added.id, "dropped")
    with pytest.raises(InputError, match="no action has this number"):
        close_action(db, 999)
    assert [a.state for a in list_actions(db)] == ["done"]


def test_only_approvers_and_admins_add_and_close(db: Database) -> None:
    for role in (Role.VIEWER, Role.UPLOADER):
        who = Actor(f"{role}@x.gov.uk", role)
        with pytest.raises(PermissionDenied, match="may not add or close remedial actions"):
            add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Recount", actor=who)
    elsewhere = Actor("a@x.gov.uk", Role.APPROVER, initiatives=("sure-start",))
    with pytest.raises(PermissionDenied, match="only for sure-start"):
        add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Recount", actor=elsewhere)
    assert stored_actions(db) == 0
    added = add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Recount", actor=APPROVER)
    with pytest.raises(PermissionDenied, match="viewer and may not"):
        close_action(db, added.id, actor=Actor("v@x.gov.uk", Role.VIEWER))
    with pytest.raises(PermissionDenied, match="only for sure-start"):
        close_action(db, added.id, actor=elsewhere)
    assert list_actions(db)[0].state == "open"
    admin = Actor("admin@x.gov.uk", Role.ADMIN)
    assert close_action(db, added.id, actor=admin).closed_by == "admin@x.gov.uk"


def test_adding_and_closing_are_audited(db: Database) -> None:
    added = add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "Recount", actor=APPROVER)
    close_action(db, added.id, "done", by="lead@hmt.gov.uk")
    logged = [e for e in events(db) if e.action.startswith("action-")]
    assert [(e.action, e.actor, e.subject) for e in logged] == [
        ("action-add", APPROVER.email, f"{COUNT} in {ENGLAND}"),
        ("action-close", "lead@hmt.gov.uk", f"{COUNT} in {ENGLAND}"),
    ]
    assert f"action {added.id} for Jo, due 2002-03-31 (Amber): Recount" == logged[0].detail
    assert logged[1].detail.startswith(f"action {added.id} done")
    # A refused write is no event.
    with pytest.raises(PermissionDenied):
        add_action(db, COUNT, ENGLAND, "Jo", "2002-03-31", "x", actor=Actor("v@x", Role.VIEWER))
    assert len([e for e in events(db) if e.action.startswith("action-")]) == 2


def test_the_briefing_pack_lists_open_actions_as_they_stood(db: Database) -> None:
    added = add_action(db, THREE, ENGLAND, "Early years lead", "2002-01-31", "Find 3,000 places")
    made = make_pack(db, "eydcp", date(2001, 12, 7), pack_file, by="analyst")
    html = made.data.decode()
    assert "Remedial actions" in html and "Find 3,000 places" in html
    assert "Early years lead" in html and "open, OVERDUE" in html  # made after 31 January 2002
    assert "No open remedial action" not in html
    close_action(db, added.id)
    assert rebuild_pack(db, made.pack_id, pack_file).data == made.data  # as the database stood then
    again = make_pack(db, "eydcp", date(2001, 12, 7), pack_file, by="analyst").data.decode()
    assert "Find 3,000 places" not in again
    assert "No open remedial action on this measure." in again  # 3 year olds are Amber


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def run(db_url: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", db_url, *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_actions_commands(db_url: str) -> None:
    add = ["actions", "add", COUNT, "--area", ENGLAND, "--owner", "Jo Bloggs", "--due"]
    code, out, _ = run(db_url, *add, "2002-03-31", "--text", "Recount London", "--user", "me")
    assert code == 0 and "Added #1 [open" in out and "it responds to Amber" in out
    assert run(db_url, "actions", "add", THREE, "--area", "England", "--owner", "Sam",
               "--due", "2099-01-31", "--text", "Plan places")[0] == 0  # fmt: skip
    code, out, _ = run(db_url, "actions", "list", "--format", "json")
    records = json.loads(out)
    assert code == 0 and [r["id"] for r in records] == [1, 2]
    assert all(set(r) >= RECORD_KEYS for r in records)
    first = records[0]
    assert (first["measure"], first["area_code"], first["owner"], first["due"]) == (
        COUNT,
        ENGLAND,
        "Jo Bloggs",
        "2002-03-31",
    )
    assert (first["state"], first["text"], first["overdue"]) == ("open", "Recount London", True)
    assert first["responds_to"]["status"] == "Amber"
    assert first["responds_to"]["as_of"] == "2001-12-07"
    assert first["created_by"] == "me" and records[1]["overdue"] is False
    code, out, _ = run(db_url, "actions", "close", "1", "--state", "dropped", "--user", "me")
    assert code == 0 and "Closed action 1 as dropped." in out
    code, out, _ = run(db_url, "actions", "list", "--open", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == [2]
    code, out, _ = run(db_url, "actions", "list")
    assert code == 0 and "#1 [dropped]" in out and "#2 [open]" in out
    assert "Responds to: Amber. At risk:" in out and "Closed dropped on" in out


def test_actions_commands_refuse_bad_input(db_url: str) -> None:
    add = ["actions", "add", COUNT, "--area", ENGLAND, "--owner", "Jo", "--text", "Recount"]
    code, _, err = run(db_url, *add, "--due", "31/03/2002")
    assert code == 1 and "column 'due'" in err and "YYYY-MM-DD" in err
    code, _, err = run(db_url, "actions", "add", "nope", "--area", "E99", "--owner", "Jo",
                       "--due", "2002-03-31", "--text", "x")  # fmt: skip
    assert code == 1 and "unknown measure" in err and "unknown area" in err
    assert run(db_url, *add, "--due", "2002-03-31")[0] == 0
    assert run(db_url, "actions", "close", "1")[0] == 0
    code, _, err = run(db_url, "actions", "close", "1")
    assert code == 1 and "already done" in err
    code, _, err = run(db_url, "actions", "close", "7")
    assert code == 1 and "no action has this number" in err
    with pytest.raises(SystemExit) as usage:
        run(db_url, "actions", "close", "1", "--state", "finished")
    assert usage.value.code == 2
    code, out, _ = run(db_url, "actions", "list", "--open")
    assert code == 0 and out.strip() == "No remedial actions."


def test_actions_commands_act_as_the_named_user(db_url: str) -> None:
    assert run(db_url, "users", "add", "admin@x.gov.uk", "--role", "admin")[0] == 0
    for email, role in (("viewer@x.gov.uk", "viewer"), ("approver@x.gov.uk", "approver")):
        assert (
            run(db_url, "users", "add", email, "--role", role, "--user", "admin@x.gov.uk")[0] == 0
        )
    add = ["actions", "add", COUNT, "--area", ENGLAND, "--owner", "Jo", "--due", "2002-03-31"]
    code, _, err = run(db_url, *add, "--text", "Recount", "--user", "viewer@x.gov.uk")
    assert code == 1 and "may not add or close remedial actions" in err
    code, _, err = run(db_url, *add, "--text", "Recount", "--user", "nobody@x.gov.uk")
    assert code == 1
    assert run(db_url, *add, "--text", "Recount", "--user", "approver@x.gov.uk")[0] == 0
    code, _, err = run(db_url, "actions", "close", "1", "--user", "viewer@x.gov.uk")
    assert code == 1 and "may not" in err
    assert run(db_url, "actions", "close", "1", "--user", "approver@x.gov.uk")[0] == 0
    code, out, _ = run(db_url, "actions", "list", "--format", "json")
    (record,) = json.loads(out)
    assert (record["created_by"], record["closed_by"]) == ("approver@x.gov.uk",) * 2
