"""The audit log cannot be rewritten in the database: UPDATE, DELETE (migration 0007), REPLACE
on SQLite and TRUNCATE on PostgreSQL (0012) are refused, and the events stay as written; a
sign-in is recorded once per identity token. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from migrations import engine_at
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jwmetrics.db.engine import Database, make_engine, open_database
from jwmetrics.governance import audit

# Statements that would rewrite or empty the log, by backend: each must be refused.
REWRITES = {
    "sqlite": [
        "REPLACE INTO audit_event (id, at, actor, action, subject, detail) "
        "VALUES (:id, '2001-01-01 00:00:00', 'forger', 'sign-in', '', 'rewritten')",
        "INSERT OR REPLACE INTO audit_event (id, at, actor, action, subject, detail) "
        "VALUES (:id, '2001-01-01 00:00:00', 'forger', 'sign-in', '', 'rewritten')",
        "UPDATE audit_event SET detail = 'rewritten' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
    "postgresql": [
        "TRUNCATE audit_event",
        "TRUNCATE TABLE audit_event RESTART IDENTITY CASCADE",
        "INSERT INTO audit_event (id, at, actor, action, subject, detail) VALUES "
        "(:id, '2001-01-01', 'forger', 'sign-in', '', 'x') "
        "ON CONFLICT (id) DO UPDATE SET detail = 'rewritten'",
        "UPDATE audit_event SET detail = 'rewritten' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
}


def logged(db: Database) -> list[tuple[int, str, str]]:
    """Every event as (id, actor, detail)."""
    return [(e.id, e.actor, e.detail) for e in audit.events(db)]


def assert_refused(db: Database) -> None:
    """Every rewriting statement of the backend fails naming the log, and nothing changes."""
    before = logged(db)
    assert before, "the test needs events to protect"
    first = before[0][0]
    for statement in REWRITES[db.engine.dialect.name]:
        with (
            pytest.raises(DBAPIError, match="audit_event is append-only"),
            db.engine.begin() as connection,
        ):
            connection.execute(text(statement), {"id": first})
        assert logged(db) == before, statement


def test_replace_and_truncate_cannot_rewrite_the_audit_log(db: Database) -> None:
    audit.record(db, "someone", "sign-in", "", "first")
    audit.record(db, "someone else", "upload", "return 1", "second")
    assert_refused(db)
    audit.record(db, "a third", "sign-in", "", "third")  # appending still works
    assert [detail for _, _, detail in logged(db)][-3:] == ["first", "second", "third"]


def test_migration_0012_protects_events_recorded_before_it(db_url: str) -> None:
    """A database at 0011 with an event in it: after the upgrade the event is protected."""
    engine = engine_at(db_url, "0011")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_event (id, at, actor, action, subject, detail) VALUES "
                "(7, '2002-03-04 05:06:07', 'old', 'upload', 'return 1', 'before 0012')"
            )
        )
    engine.dispose()
    db = open_database(db_url)  # migrates to the newest revision
    try:
        assert logged(db) == [(7, "old", "before 0012")]
        assert_refused(db)
    finally:
        db.engine.dispose()


def test_a_sign_in_is_recorded_once_per_identity_token(db: Database) -> None:
    """Page loads of one sign-in carry one token: one event; a new sign-in is a new event."""
    issued = int(datetime(2026, 12, 7, 9, 30).timestamp())
    assert audit.record_sign_in(db, "Ada@example.gov.uk", "role admin", issued)
    assert not audit.record_sign_in(db, "ada@example.gov.uk", "role admin", issued)
    assert audit.record_sign_in(db, "bob@example.gov.uk", "role viewer", issued)
    assert audit.record_sign_in(db, "ada@example.gov.uk", "role admin", issued + 3600)
    assert audit.record_sign_in(db, "ada@example.gov.uk", "role admin")  # no token: records
    sign_ins = [(e.actor, e.subject) for e in audit.events(db, action="sign-in")]
    assert len(sign_ins) == 4
    assert sign_ins[0][1].startswith("identity token issued ") and sign_ins[-1][1] == ""


def test_a_sign_in_is_checked_and_recorded_under_a_lock(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two page loads of one sign-in at the same moment (two processes) must not both find
    it unrecorded: from its check to its insert, the sign-in holds a lock that another
    connection cannot take (PostgreSQL: the advisory lock on its key; SQLite: the write
    lock). Checked from a second connection while the first is between check and insert."""
    issued = int(datetime(2026, 12, 7, 9, 30).timestamp())
    seen: list[bool] = []
    real_append = audit.append

    def append_while_probing(session: object, actor: str, *args: str) -> None:
        seen.append(_lock_is_free(db, f"{actor.lower()} {args[1]}"))  # its subject
        real_append(session, actor, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "append", append_while_probing)
    assert audit.record_sign_in(db, "Ada@example.gov.uk", "role admin", issued)
    assert seen == [False], "another connection could take the lock mid sign-in"
    assert _lock_is_free(db, "ada@example.gov.uk anything")  # and it is released after


def _lock_is_free(db: Database, key: str) -> bool:
    """Whether a second connection can take the sign-in's lock for ``key`` at once."""
    engine = make_engine(str(db.engine.url.render_as_string(hide_password=False)))
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                query = text("SELECT pg_try_advisory_xact_lock(hashtext(:key))")
                return bool(connection.execute(query, {"key": key}).scalar())
            connection.exec_driver_sql("PRAGMA busy_timeout = 0")
            try:
                connection.exec_driver_sql("UPDATE audit_event SET id = id WHERE 0")
            except DBAPIError:
                return False
            connection.rollback()
            return True
    finally:
        engine.dispose()
