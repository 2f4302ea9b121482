"""Approval before a return counts, at the store's level (both backends).

A submitted return is kept but none of its figures counts anywhere until a second person
approves it; from that moment it counts, and an audit of the database as it stood before
the approval still leaves it out. The current-values table stays equal to the ranked
versions through submissions, approvals, rejections and withdrawals.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from migrations import engine_at
from sqlalchemy import select, text
from store.test_current_values import AREAS, MEASURE, PERIODS, held, ranked

from jwmetrics.db.engine import Database, migrate
from jwmetrics.db.models import Return, ReturnEvent
from jwmetrics.returns import ReturnRefused, check_return, commit_return, withdraw_return
from jwmetrics.returns.approval import approve_return, reject_return
from jwmetrics.store.figures import series
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import find_measure
from jwmetrics.store.versions import table_serves

SYNTHETIC = "synthetic row for the approval tests"


def one_figure(value: int, area: str = "E92000001", period: str = "June 2003") -> bytes:
    """A synthetic one-row return for the rough sleepers count."""
    return (
        "initiative,measure,area_code,period,value,note\n"
        f"rough-sleepers-unit,{MEASURE},{area},{period},{value},{SYNTHETIC}\n"
    ).encode()


def submit(db: Database, data: bytes, name: str, by: str = "uploader@example.gov.uk") -> int:
    """Check and commit ``data`` as a return that waits for approval; its id."""
    check = check_return(db, data, name, published_on=date(2004, 9, 1))
    assert not check.errors, check.errors
    outcome = commit_return(db, check, uploaded_by=by, confirm_warnings=True, needs_approval=True)
    assert outcome.return_id is not None
    return outcome.return_id


def june_2003(db: Database, known: KnownAt) -> float | None:
    """England's June 2003 figure as ``known`` sees it, or None."""
    with db.session() as session:
        measure = find_measure(session, MEASURE)
        views = series(session, measure.id, "E92000001", known)
    found = [v.value for v in views if v.period.end == date(2003, 6, 30)]
    return found[-1] if found else None


def state_of(db: Database, return_id: int) -> tuple[str, list[str]]:
    """The return's state and the states of its moves, oldest first."""
    with db.session() as session:
        record = session.get(Return, return_id)
        assert record is not None
        moves = session.scalars(
            select(ReturnEvent.state)
            .where(ReturnEvent.return_id == return_id)
            .order_by(ReturnEvent.id)
        )
        return record.state, list(moves)


def test_a_submitted_figure_counts_only_from_its_approval(db: Database) -> None:
    return_id = submit(db, one_figure(4321), "submitted.csv")
    assert june_2003(db, KnownAt.on(date(2004, 9, 1))) is None  # kept, not counting
    assert state_of(db, return_id) == ("submitted", ["submitted"])
    assert held(db) == ranked(db)
    before = datetime.now()
    message = approve_return(db, return_id, by="approver@example.gov.uk")
    assert "approved by approver@example.gov.uk" in message
    assert june_2003(db, KnownAt.on(date(2004, 9, 1))) == 4321
    assert june_2003(db, KnownAt.on(date(2004, 8, 31))) is None  # not published by then
    # The database as it stood before the approval: the figure was not counting then.
    assert june_2003(db, KnownAt.audit(before)) is None
    with db.session() as session:
        assert not table_serves(session, KnownAt.audit(before))
    assert state_of(db, return_id) == ("approved", ["submitted", "approved"])
    assert held(db) == ranked(db)


def test_four_eyes_whatever_the_spelling(db: Database) -> None:
    return_id = submit(db, one_figure(1111), "mine.csv", by="Uploader@Example.gov.uk")
    with pytest.raises(ReturnRefused, match="cannot approve it: four eyes"):
        approve_return(db, return_id, by="uploader@example.gov.uk ")
    assert state_of(db, return_id) == ("submitted", ["submitted"])


def test_a_rejected_return_never_counts_and_frees_its_file(db: Database) -> None:
    data = one_figure(2222)
    return_id = submit(db, data, "wrong.csv")
    again = check_return(db, data, "wrong.csv", published_on=date(2004, 9, 1))
    assert again.already_imported == return_id  # a submitted return holds its file's place
    with pytest.raises(ReturnRefused, match="say why"):
        reject_return(db, return_id, reason="  ", by="approver@example.gov.uk")
    reject_return(db, return_id, reason="totals do not add up", by="approver@example.gov.uk")
    assert june_2003(db, KnownAt.on(date(2004, 9, 1))) is None
    with pytest.raises(ReturnRefused, match="is rejected, not submitted"):
        approve_return(db, return_id, by="approver@example.gov.uk")
    with pytest.raises(ReturnRefused, match="never counted"):
        withdraw_return(db, return_id, by="admin@example.gov.uk")
    with db.session() as session:
        reason = session.scalar(
            select(ReturnEvent.reason).where(
                ReturnEvent.return_id == return_id, ReturnEvent.state == "rejected"
            )
        )
    assert reason == "totals do not add up"
    assert check_return(db, data, "wrong.csv").already_imported is None  # may be sent again


def test_approving_twice_is_refused(db: Database) -> None:
    return_id = submit(db, one_figure(3333), "twice.csv")
    approve_return(db, return_id, by="approver@example.gov.uk")
    with pytest.raises(ReturnRefused, match="is approved, not submitted"):
        approve_return(db, return_id, by="other@example.gov.uk")
    assert state_of(db, return_id) == ("approved", ["submitted", "approved"])


def test_current_values_follow_submissions_approvals_rejections_withdrawals(db: Database) -> None:
    rng = random.Random(20261203)  # derandomised: the same writes every run
    submitted: list[int] = []
    counting: list[int] = []
    for number in range(40):
        roll = rng.random()
        if submitted and roll < 0.25:
            chosen = submitted.pop(rng.randrange(len(submitted)))
            if rng.random() < 0.7:
                approve_return(db, chosen, by="approver@example.gov.uk")
                counting.append(chosen)
            else:
                reject_return(
                    db, chosen, reason="synthetic rejection", by="approver@example.gov.uk"
                )
        elif counting and roll < 0.35:
            withdraw_return(db, counting.pop(rng.randrange(len(counting))), by="admin")
        else:
            cells = rng.sample([(a, p) for a in AREAS for p in PERIODS], k=rng.randint(1, 4))
            lines = ["initiative,measure,area_code,period,value,note"] + [
                f"rough-sleepers-unit,{MEASURE},{a},{p},{rng.randint(100, 2000)},synthetic {number}"
                for a, p in cells
            ]
            published = date(2004, 9, 1) + timedelta(days=rng.choice([0, 30, -400]))
            check = check_return(
                db, ("\n".join(lines) + "\n").encode(), f"s{number}.csv", published_on=published
            )
            waits = rng.random() < 0.6
            outcome = commit_return(
                db, check, uploaded_by="uploader", confirm_warnings=True, needs_approval=waits
            )
            if outcome.return_id is not None:
                (submitted if waits else counting).append(outcome.return_id)
        assert held(db) == ranked(db), f"after write {number}"


def test_migration_0007_makes_stored_returns_approved_or_withdrawn(db_url: str) -> None:
    """Returns stored before approval existed were counting: approved from their upload."""
    engine = engine_at(db_url, "0006")
    with engine.begin() as connection:
        for number, withdrawn in ((1, "NULL"), (2, "'2004-01-02 03:04:05'")):
            connection.execute(
                text(
                    "INSERT INTO data_return (id, file_name, sha256, partner, uploaded_by, "
                    "uploaded_at, rows_read, rows_new, rows_revised, rows_unchanged, outcome, "
                    f"published_on, withdrawn_at, withdrawn_by) VALUES ({number}, 'r{number}.csv', "
                    f"'sha{number}', '', 'someone', '2003-04-05 06:07:08', 1, 1, 0, 0, "
                    f"'committed', '2003-04-05', {withdrawn}, 'admin')"
                )
            )
    migrate(engine)
    with engine.connect() as connection:
        states = connection.execute(
            text("SELECT id, state, counts_from IS NOT NULL FROM data_return ORDER BY id")
        ).all()
        moves = connection.execute(
            text("SELECT return_id, state FROM return_event ORDER BY return_id, id")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in states] == [(1, "approved", True), (2, "withdrawn", True)]
    assert [tuple(row) for row in moves] == [(1, "approved"), (2, "approved"), (2, "withdrawn")]


def test_four_eyes_compares_the_stored_user_not_the_names_typed(db: Database) -> None:
    """An administrator who commits a return under another name (``uploaded_by``) and approves it
    under a third (``by``) is still refused: the return keeps the stored user who sent it."""
    from jwmetrics.governance.roles import Actor, Role
    from jwmetrics.governance.users import add_user

    add_user(db, "admin@example.gov.uk", "admin")
    admin = Actor("admin@example.gov.uk", Role.ADMIN)
    add_user(db, "both@example.gov.uk", "admin", actor=admin)  # may upload and approve
    add_user(db, "other@example.gov.uk", "approver", actor=admin)
    both = Actor("both@example.gov.uk", Role.ADMIN)
    check = check_return(db, one_figure(3131), "disguised.csv", published_on=date(2004, 9, 1))
    outcome = commit_return(
        db,
        check,
        uploaded_by="Partner desk",
        actor=both,
        confirm_warnings=True,
        needs_approval=True,
    )
    assert outcome.return_id is not None
    with db.session() as session:
        record = session.get(Return, outcome.return_id)
        assert record is not None
        assert (record.uploaded_by, record.uploaded_by_user) == (
            "Partner desk",
            "both@example.gov.uk",
        )
    with pytest.raises(ReturnRefused, match="four eyes"):
        approve_return(db, outcome.return_id, by="Approvals team", actor=both)
    assert state_of(db, outcome.return_id) == ("submitted", ["submitted"])
    other = Actor("OTHER@example.gov.uk", Role.APPROVER)
    assert "approved" in approve_return(db, outcome.return_id, actor=other)


def test_migration_0014_keeps_the_stored_uploader_of_older_returns(db_url: str) -> None:
    """Returns sent before 0014 under a stored user's e-mail get that user; others none."""
    engine = engine_at(db_url, "0013")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO app_user (email, role, added_by, added_at) "
                "VALUES ('Ann@Example.gov.uk', 'approver', '', '2004-01-01 00:00:00')"
            )
        )
        for number, name in ((1, " ann@example.gov.uk"), (2, "Partner desk")):
            connection.execute(
                text(
                    "INSERT INTO data_return (id, file_name, sha256, partner, uploaded_by, "
                    "uploaded_at, rows_read, rows_new, rows_revised, rows_unchanged, outcome, "
                    "published_on, withdrawn_by, state) VALUES "
                    f"({number}, 'r{number}.csv', 'sha{number}', '', '{name}', "
                    "'2003-04-05 06:07:08', 1, 1, 0, 0, 'committed', '2003-04-05', '', "
                    "'submitted')"
                )
            )
    migrate(engine)
    with engine.connect() as connection:
        users = connection.execute(
            text("SELECT id, uploaded_by_user FROM data_return ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in users] == [(1, "ann@example.gov.uk"), (2, "")]
