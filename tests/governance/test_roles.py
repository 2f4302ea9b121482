"""Each role is refused what it must not do, by the library's own checks (not by pages).

Every test runs on SQLite and PostgreSQL (the ``db`` fixture). The actors are built
directly, as the app and the CLI build them from a user's record; each refusal is a
:class:`PermissionDenied` and leaves the database as it was. Also: four eyes holds for an
admin, users are managed only by admins (the first one aside), and "as known on" a moment
before an approval leaves the approved figures out.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.catalogue.snapshot import load_snapshot
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Return
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor, PermissionDenied, Role
from jwmetrics.governance.users import (
    actor_named,
    add_user,
    find_user,
    first_user_refusal,
    list_users,
    remove_user,
)
from jwmetrics.metrics.face import Metrics
from jwmetrics.problems import InputError
from jwmetrics.returns import ReturnCheck, ReturnRefused, check_return, commit_return
from jwmetrics.returns import withdraw_return as withdraw
from jwmetrics.returns.approval import approve_return, may_approve, reject_return
from jwmetrics.store.figures import series
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import find_measure

ENGLAND = "E92000001"
RSU = "rough-sleepers-unit"
HEADER = "initiative,measure,area_code,period,value\n"
ROUGH = f"{HEADER}{RSU},rough-sleepers-count,{ENGLAND},June 2002,532\n".encode()
SMOKING = f"{HEADER}sure-start,mothers-smoking-in-pregnancy,{ENGLAND},2002,20\n".encode()
PARTNER = "Rough Sleepers Unit"

VIEWER = Actor("viewer@example.gov.uk", Role.VIEWER)
UPLOADER = Actor("uploader@example.gov.uk", Role.UPLOADER, (PARTNER,), (RSU,))
APPROVER = Actor("approver@example.gov.uk", Role.APPROVER, (), (RSU,))
SURE_START_APPROVER = Actor("ss@example.gov.uk", Role.APPROVER, (), ("sure-start",))
ADMIN = Actor("admin@example.gov.uk", Role.ADMIN)


def checked(db: Database, data: bytes = ROUGH, partner: str = PARTNER) -> ReturnCheck:
    return check_return(db, data, "r.csv", partner=partner)


def submitted(db: Database, by: Actor = UPLOADER, data: bytes = ROUGH) -> int:
    """A return committed by ``by`` that waits for approval; its id."""
    outcome = commit_return(db, checked(db, data), actor=by, needs_approval=True)
    assert outcome.return_id is not None
    return outcome.return_id


def state(db: Database, return_id: int) -> str:
    with db.session() as session:
        record = session.get(Return, return_id)
        assert record is not None
        return record.state


def return_count(db: Database) -> int:
    with db.session() as session:
        return len(list(session.scalars(select(Return.id))))


def england_rough_sleepers(db: Database, known: KnownAt) -> list[float | None]:
    """The values of people sleeping rough in England as known at ``known``."""
    with db.session() as session:
        measure = find_measure(session, "rough-sleepers-count")
        return [v.value for v in series(session, measure.id, ENGLAND, known)]


# --- viewer ---------------------------------------------------------------------------------


def test_a_viewer_can_change_nothing(db: Database, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="is a viewer and may not upload"):
        commit_return(db, checked(db), actor=VIEWER, needs_approval=True)
    assert return_count(db) == 0  # nothing written
    return_id = submitted(db)
    with pytest.raises(PermissionDenied, match="may not approve"):
        approve_return(db, return_id, actor=VIEWER)
    with pytest.raises(PermissionDenied, match="may not approve"):
        reject_return(db, return_id, reason="no", actor=VIEWER)
    with pytest.raises(PermissionDenied, match="may not withdraw"):
        withdraw(db, return_id, actor=VIEWER)
    assert state(db, return_id) == "submitted"
    add_user(db, ADMIN.email, "admin")
    with pytest.raises(PermissionDenied, match="may not users"):
        add_user(db, "new@example.gov.uk", "viewer", actor=VIEWER)
    with pytest.raises(PermissionDenied):
        remove_user(db, ADMIN.email, actor=VIEWER)
    assert [u.email for u in list_users(db)] == [ADMIN.email]
    csv = tmp_path / "measures.csv"
    csv.write_text("initiative,slug,name,unit,direction\nsure-start,x,X,count,up\n")
    with pytest.raises(PermissionDenied, match="may not catalogue"):
        load_catalogue_file(db, csv, actor=VIEWER)
    with pytest.raises(PermissionDenied, match="may not catalogue"):
        load_snapshot(db, actor=VIEWER)
    with pytest.raises(PermissionDenied, match="may not catalogue"):
        Metrics(db).add_change_point(
            "rough-sleepers-count", ENGLAND, date(2000, 1, 1), "", "v", VIEWER
        )


# --- uploader -------------------------------------------------------------------------------


def test_an_uploader_sends_only_for_their_partner_and_initiative(db: Database) -> None:
    with pytest.raises(PermissionDenied, match="may send returns only for Rough Sleepers Unit"):
        commit_return(db, checked(db, partner="Someone else"), actor=UPLOADER)
    other_row = (
        f"{HEADER.strip()},partner\n{RSU},rough-sleepers-count,{ENGLAND},June 2002,532,Other\n"
    )
    with pytest.raises(
        PermissionDenied, match="may send returns only for Rough Sleepers Unit, not Other"
    ):
        commit_return(db, checked(db, other_row.encode()), actor=UPLOADER)  # a row's own partner
    with pytest.raises(PermissionDenied, match="may upload only for rough-sleepers-unit, not sure"):
        commit_return(db, checked(db, SMOKING), actor=UPLOADER)
    assert return_count(db) == 0
    return_id = submitted(db, UPLOADER)  # their own partner and initiative
    assert state(db, return_id) == "submitted"
    with pytest.raises(PermissionDenied, match="may not approve"):
        approve_return(db, return_id, by="someone-else", actor=UPLOADER)
    with pytest.raises(PermissionDenied, match="may not withdraw"):
        withdraw(db, return_id, actor=UPLOADER)
    assert state(db, return_id) == "submitted"


# --- approver -------------------------------------------------------------------------------


def test_an_approver_approves_only_for_their_initiatives_and_cannot_upload(db: Database) -> None:
    with pytest.raises(PermissionDenied, match="is an approver and may not upload"):
        commit_return(db, checked(db), actor=APPROVER)
    return_id = submitted(db)
    assert not may_approve(db, SURE_START_APPROVER, return_id)
    assert may_approve(db, APPROVER, return_id) and not may_approve(db, UPLOADER, return_id)
    with pytest.raises(PermissionDenied, match="may approve only for sure-start, not rough"):
        approve_return(db, return_id, actor=SURE_START_APPROVER)
    with pytest.raises(PermissionDenied, match="may approve only for sure-start"):
        reject_return(db, return_id, reason="wrong area", actor=SURE_START_APPROVER)
    with pytest.raises(PermissionDenied, match="may not withdraw"):
        withdraw(db, return_id, actor=APPROVER)
    assert state(db, return_id) == "submitted"
    assert "approved by approver@" in approve_return(db, return_id, actor=APPROVER)
    assert state(db, return_id) == "approved"


# --- admin and four eyes --------------------------------------------------------------------


def test_an_admin_may_do_everything_but_approve_their_own_return(db: Database) -> None:
    own = submitted(db, ADMIN)
    with pytest.raises(ReturnRefused, match="uploaded return 1 and cannot approve it: four eyes"):
        approve_return(db, own, actor=ADMIN)
    with pytest.raises(ReturnRefused, match="four eyes"):  # the name, not the role, counts
        approve_return(db, own, by="ADMIN@example.gov.uk ", actor=LOCAL_USER)
    assert state(db, own) == "submitted"
    other = submitted(db, Actor("u2@example.gov.uk", Role.UPLOADER), SMOKING)
    assert "rejected" in reject_return(db, own, reason="duplicate", actor=ADMIN)
    assert "approved" in approve_return(db, other, actor=ADMIN)
    assert "withdrawn" in withdraw(db, other, actor=ADMIN)
    assert (state(db, own), state(db, other)) == ("rejected", "withdrawn")
    add_user(db, ADMIN.email, "admin")
    assert add_user(db, "v@example.gov.uk", "viewer", actor=ADMIN).role == "viewer"
    remove_user(db, "v@example.gov.uk", actor=ADMIN)


def test_refusals_add_no_audit_event(db: Database) -> None:
    return_id = submitted(db)
    before = len(audit.events(db))
    for attempt in (
        lambda: approve_return(db, return_id, actor=VIEWER),
        lambda: approve_return(db, return_id, by=UPLOADER.email, actor=APPROVER),
        lambda: withdraw(db, return_id, actor=APPROVER),
    ):
        with pytest.raises((PermissionDenied, ReturnRefused)):
            attempt()
    assert len(audit.events(db)) == before


# --- users ----------------------------------------------------------------------------------


def test_the_first_user_may_be_added_by_anyone_then_only_admins_manage(db: Database) -> None:
    assert actor_named(db, "whoever") is LOCAL_USER  # no users: local mode
    assert first_user_refusal(db, "viewer") is not None and first_user_refusal(db, "admin") is None
    add_user(db, "Boss@Example.gov.uk", "admin", by="setup", actor=VIEWER)
    boss = actor_named(db, "boss@example.GOV.uk")  # matched in any case, kept as entered
    assert (boss.email, boss.role, boss.local) == ("Boss@Example.gov.uk", Role.ADMIN, False)
    again = add_user(db, "BOSS@example.gov.uk", "admin", actor=boss)  # the same user
    assert [u.email for u in list_users(db)] == [again.email] == ["Boss@Example.gov.uk"]
    assert first_user_refusal(db, "viewer") is None  # only the first must be an admin
    with pytest.raises(PermissionDenied, match=r"nobody@x\.gov\.uk is not a user of this database"):
        actor_named(db, "nobody@x.gov.uk")
    with pytest.raises(PermissionDenied, match="name the one acting with --user"):
        actor_named(db, "")
    add_user(
        db,
        "up@example.gov.uk",
        "uploader",
        partners=(PARTNER, PARTNER, " "),
        initiatives=("Rough Sleepers Unit",),
        actor=boss,
    )
    record = find_user(db, "UP@example.gov.uk")
    assert record is not None
    assert (record.partners, record.initiatives, record.added_by) == (
        (PARTNER,),
        (RSU,),
        boss.email,
    )
    up = record.as_actor()
    assert up.may(Action.UPLOAD, initiative=RSU, partner=PARTNER)
    with pytest.raises(PermissionDenied, match="uploader and may not users"):
        add_user(db, "x@example.gov.uk", "admin", actor=up)
    with pytest.raises(InputError, match="unknown initiative"):
        add_user(db, "x@example.gov.uk", "viewer", initiatives=("Nope",), actor=boss)
    with pytest.raises(InputError, match="not an e-mail address"):
        add_user(db, "not an email", "viewer", actor=boss)
    with pytest.raises(InputError, match="not a role"):
        add_user(db, "x@example.gov.uk", "superuser", actor=boss)
    assert [u.email for u in list_users(db)] == ["Boss@Example.gov.uk", "up@example.gov.uk"]


def test_the_last_admin_stays_while_others_remain(db: Database) -> None:
    add_user(db, "a@example.gov.uk", "admin")
    admin = actor_named(db, "a@example.gov.uk")
    add_user(db, "v@example.gov.uk", "viewer", actor=admin)
    with pytest.raises(InputError, match="this is the last admin"):
        remove_user(db, "a@example.gov.uk", actor=admin)
    with pytest.raises(InputError, match="this is the last admin"):
        add_user(db, "a@example.gov.uk", "viewer", actor=admin)  # demoting oneself
    assert [(u.email, u.role) for u in list_users(db)] == [
        ("a@example.gov.uk", "admin"),
        ("v@example.gov.uk", "viewer"),
    ]
    add_user(db, "v@example.gov.uk", "admin", actor=admin)  # another admin first: then it may
    add_user(db, "a@example.gov.uk", "viewer", actor=admin)
    remove_user(db, "a@example.gov.uk", actor=actor_named(db, "v@example.gov.uk"))
    remove_user(db, "v@example.gov.uk", actor=actor_named(db, "v@example.gov.uk"))  # the last
    assert list_users(db) == [] and actor_named(db, "anyone") is LOCAL_USER
    actions = [e.action for e in audit.events(db)]
    assert actions == [
        "user-add",
        "user-add",
        "user-change",
        "user-change",
        "user-remove",
        "user-remove",
    ]
    with pytest.raises(InputError, match="there is no such user"):
        remove_user(db, "ghost@example.gov.uk")


# --- "as known on" and approval time --------------------------------------------------------


def test_as_known_on_a_moment_before_the_approval_leaves_the_figure_out(db: Database) -> None:
    return_id = submitted(db)
    with db.session() as session:
        uploaded = session.get(Return, return_id)
        assert uploaded is not None and uploaded.counts_from is None
        uploaded_at = uploaded.uploaded_at
    assert 532 not in england_rough_sleepers(db, KnownAt.audit(uploaded_at))  # not yet approved
    assert 532 not in england_rough_sleepers(db, KnownAt.on(date.today()))
    approve_return(db, return_id, actor=APPROVER)
    with db.session() as session:
        approved = session.get(Return, return_id)
        assert approved is not None and approved.counts_from is not None
        counts_from = approved.counts_from
    before = KnownAt.audit(counts_from - timedelta(microseconds=1))
    assert 532 not in england_rough_sleepers(db, before)  # the database as it stood then
    assert 532 in england_rough_sleepers(db, KnownAt.audit(counts_from))
    assert 532 in england_rough_sleepers(db, KnownAt.on(date.today()))


def test_a_rejected_return_never_counts(db: Database) -> None:
    return_id = submitted(db)
    reject_return(db, return_id, reason="counted twice", actor=APPROVER)
    assert 532 not in england_rough_sleepers(db, KnownAt.on(date.today()))
    with pytest.raises(ReturnRefused, match="is rejected, not submitted"):
        approve_return(db, return_id, actor=APPROVER)
    with pytest.raises(ReturnRefused, match="was rejected; its figures never counted"):
        withdraw(db, return_id, actor=ADMIN)


# --- the role as stored at the moment of the write ------------------------------------------


def test_a_role_changed_after_the_actor_was_read_is_the_one_checked(db: Database) -> None:
    """An approver demoted to viewer while their page (holding the old actor) was open
    cannot approve; a demoted admin cannot promote themself back with their old actor."""
    add_user(db, ADMIN.email, "admin")
    add_user(db, UPLOADER.email, "uploader", partners=(PARTNER,), actor=ADMIN)
    add_user(db, APPROVER.email, "approver", actor=ADMIN)
    add_user(db, "second.admin@example.gov.uk", "admin", actor=ADMIN)
    approver = actor_named(db, APPROVER.email)  # as a page read it at its start
    second = actor_named(db, "second.admin@example.gov.uk")
    return_id = submitted(db, actor_named(db, UPLOADER.email))

    add_user(db, APPROVER.email, "viewer", actor=ADMIN)  # demoted meanwhile
    with pytest.raises(PermissionDenied, match="is a viewer and may not approve"):
        approve_return(db, return_id, actor=approver)
    assert state(db, return_id) == "submitted"

    add_user(db, "second.admin@example.gov.uk", "viewer", actor=ADMIN)
    with pytest.raises(PermissionDenied, match="is a viewer and may not users"):
        add_user(db, "second.admin@example.gov.uk", "admin", actor=second)
    (user,) = [u for u in list_users(db) if u.email == "second.admin@example.gov.uk"]
    assert user.role == "viewer"


def test_a_role_revoked_while_a_commit_is_under_way_stops_it_inside_its_transaction(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit checks the uploader once before its no-change answers and again inside
    its own transaction: an uploader demoted between the two (here, while the commit
    re-checks the figures) writes nothing."""
    from jwmetrics.returns import commit as commit_module

    add_user(db, ADMIN.email, "admin")
    add_user(db, UPLOADER.email, "uploader", partners=(PARTNER,), actor=ADMIN)
    uploader = actor_named(db, UPLOADER.email)
    check = checked(db)
    recheck = commit_module._refuse_if_stale

    def demoted_meanwhile(*args: object) -> None:
        add_user(db, UPLOADER.email, "viewer", actor=ADMIN)  # another connection, committed
        recheck(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(commit_module, "_refuse_if_stale", demoted_meanwhile)
    with pytest.raises(PermissionDenied, match="is a viewer and may not upload"):
        commit_return(db, check, actor=uploader, needs_approval=True)
    assert return_count(db) == 0


def test_a_write_without_an_actor_is_refused_once_there_are_users(db: Database) -> None:
    """The local administrator, every write's default actor, acts only while the database
    has no users; after that a write must name its user."""
    add_user(db, ADMIN.email, "admin")  # the first user: local mode still
    with pytest.raises(PermissionDenied, match="a write must name the user who acts"):
        commit_return(db, checked(db))
    with pytest.raises(PermissionDenied, match="a write must name the user who acts"):
        add_user(db, "another@example.gov.uk", "admin")
    assert return_count(db) == 0 and len(list_users(db)) == 1


def test_a_removed_user_is_a_viewer_at_the_moment_of_action(db: Database) -> None:
    add_user(db, ADMIN.email, "admin")
    add_user(db, UPLOADER.email, "uploader", partners=(PARTNER,), actor=ADMIN)
    uploader = actor_named(db, UPLOADER.email)
    remove_user(db, UPLOADER.email, actor=ADMIN)
    with pytest.raises(PermissionDenied, match="is a viewer and may not upload"):
        commit_return(db, checked(db), actor=uploader)
    assert return_count(db) == 0


def test_four_eyes_checks_the_stored_user_not_the_name_given(db: Database) -> None:
    """An approver who uploaded a return cannot approve it by giving another name."""
    add_user(db, ADMIN.email, "admin")
    add_user(db, APPROVER.email, "approver", actor=ADMIN)
    approver = actor_named(db, APPROVER.email)
    outcome = commit_return(
        db, checked(db), actor=actor_named(db, ADMIN.email), uploaded_by=APPROVER.email,
        needs_approval=True,
    )  # fmt: skip
    assert outcome.return_id is not None
    with pytest.raises(ReturnRefused, match="four eyes"):
        approve_return(db, outcome.return_id, by="Somebody Else", actor=approver)
    assert state(db, outcome.return_id) == "submitted"
