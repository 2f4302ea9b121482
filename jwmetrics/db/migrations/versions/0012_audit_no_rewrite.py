"""The audit log cannot be rewritten by REPLACE (SQLite) or emptied by TRUNCATE (PostgreSQL).

Migration 0007's triggers refuse UPDATE and DELETE, but two statements got round them. On
SQLite, ``REPLACE INTO`` (``INSERT OR REPLACE``) deletes the row it collides with and
inserts its own; that delete fires DELETE triggers only under ``PRAGMA
recursive_triggers``, which is off unless a connection asks. So a BEFORE INSERT trigger
refuses any insert whose id is already taken: it fires whatever the connection's pragmas
(the sqlite3 shell included). On PostgreSQL, ``TRUNCATE`` fires no row trigger, so a
statement trigger refuses it, with 0007's function.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NO_REWRITE = {
    "sqlite": [
        "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
        "WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
    ],
    "postgresql": [
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER audit_event_no_replace"],
    "postgresql": ["DROP TRIGGER audit_event_no_truncate ON audit_event"],
}


def upgrade() -> None:
    for statement in NO_REWRITE[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP[op.get_bind().dialect.name]:
        op.execute(statement)
