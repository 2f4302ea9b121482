"""Governance: return states and their moves, users and their scopes, the audit log, and
the returns schedule.

Returns already stored were counting, so they become ``approved`` from their upload (or
``withdrawn``, with the withdrawal as their last move); each gets the events that say so.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LIVE_RETURN = "state IN ('submitted', 'approved')"

# The audit log is append-only in the database itself, not only by convention: a trigger
# refuses every UPDATE and DELETE of its rows.
APPEND_ONLY = {
    "sqlite": [
        f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
        for verb in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
}


def upgrade() -> None:
    op.add_column(
        "data_return",
        sa.Column("state", sa.String(length=20), nullable=False, server_default="approved"),
    )
    op.add_column("data_return", sa.Column("counts_from", sa.DateTime(), nullable=True))
    op.execute("UPDATE data_return SET counts_from = uploaded_at")
    op.execute("UPDATE data_return SET state = 'withdrawn' WHERE withdrawn_at IS NOT NULL")
    op.drop_index("uq_data_return_live_sha256", table_name="data_return")
    op.create_index(
        "uq_data_return_live_sha256",
        "data_return",
        ["sha256"],
        unique=True,
        sqlite_where=sa.text(LIVE_RETURN),
        postgresql_where=sa.text(LIVE_RETURN),
    )
    op.create_table(
        "return_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["data_return.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_event_return", "return_event", ["return_id"])
    op.execute(
        "INSERT INTO return_event (return_id, state, by, at, reason) "
        "SELECT id, 'approved', uploaded_by, uploaded_at, 'committed before approval existed' "
        "FROM data_return"
    )
    op.execute(
        "INSERT INTO return_event (return_id, state, by, at, reason) "
        "SELECT id, 'withdrawn', withdrawn_by, withdrawn_at, '' "
        "FROM data_return WHERE withdrawn_at IS NOT NULL"
    )
    op.create_table(
        "app_user",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("email"),
    )
    op.create_table(
        "user_scope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["email"], ["app_user.email"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_scope_email", "user_scope", ["email"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)
    op.create_table(
        "return_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=200), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("areas", sa.String(length=40), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("first_period_start", sa.Date(), nullable=False),
        sa.Column("last_period_end", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_schedule_measure_id", "return_schedule", ["measure_id"])


def downgrade() -> None:
    op.drop_index("ix_return_schedule_measure_id", table_name="return_schedule")
    op.drop_table("return_schedule")
    op.drop_index("ix_audit_event_at", table_name="audit_event")
    op.drop_table("audit_event")  # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_event_append_only()")
    op.drop_index("ix_user_scope_email", table_name="user_scope")
    op.drop_table("user_scope")
    op.drop_table("app_user")
    op.drop_index("ix_return_event_return", table_name="return_event")
    op.drop_table("return_event")
    op.drop_index("uq_data_return_live_sha256", table_name="data_return")
    op.create_index(
        "uq_data_return_live_sha256",
        "data_return",
        ["sha256"],
        unique=True,
        sqlite_where=sa.text("withdrawn_at IS NULL"),
        postgresql_where=sa.text("withdrawn_at IS NULL"),
    )
    with op.batch_alter_table("data_return") as batch:
        batch.drop_column("counts_from")
        batch.drop_column("state")
