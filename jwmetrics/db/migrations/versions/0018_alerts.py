"""Alerts (issue 24): watches, the outbox of alerts, alert state, delivery preferences and
scheduled packs.

Revision ID: 0018
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_email", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("area_code", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("ended_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_watch_user", "watch", ["user_email"])
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dedupe_key", sa.String(400), nullable=False),
        sa.Column("user_email", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("read_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("dedupe_key", name="uq_alert_dedupe_key"),
    )
    op.create_index("ix_alert_user_read", "alert", ["user_email", "read_at"])
    op.create_index("ix_alert_sent_due", "alert", ["sent_at", "due_at"])
    op.create_table(
        "alert_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("watch_id", sa.Integer, nullable=False),
        sa.Column("state_key", sa.String(300), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("watch_id", "state_key", name="uq_alert_state_key"),
    )
    op.create_table(
        "alert_preference",
        sa.Column("user_email", sa.String(320), primary_key=True),
        sa.Column("delivery", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "pack_schedule",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("initiative_slug", sa.String(64), nullable=False),
        sa.Column("every", sa.String(10), nullable=False),
        sa.Column("recipients", sa.Text, nullable=False),
        sa.Column("skip_unchanged", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("ended_at", sa.DateTime, nullable=True),
        sa.Column("last_sent_at", sa.DateTime, nullable=True),
        sa.Column("last_sha256", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pack_schedule")
    op.drop_table("alert_preference")
    op.drop_table("alert_state")
    op.drop_index("ix_alert_sent_due", table_name="alert")
    op.drop_index("ix_alert_user_read", table_name="alert")
    op.drop_table("alert")
    op.drop_index("ix_watch_user", table_name="watch")
    op.drop_table("watch")
