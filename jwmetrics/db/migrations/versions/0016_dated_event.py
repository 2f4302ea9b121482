"""Dated events, and change points that cite their cause (issue 23, item 3).

A new table, append-only by use, of dated events (what happened on a day, of which kind, for
which scope); and ``change_point_cause``, one row per change point recorded from now on: the
event it cites, or ``no_known_cause`` said outright. Change points recorded before this
revision have no row and keep their note.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dated_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column(
            "initiative_slug", sa.String(64), sa.ForeignKey("initiative.slug"), nullable=True
        ),
        sa.Column("measure_id", sa.Integer, sa.ForeignKey("measure.id"), nullable=True),
        sa.Column("area_code", sa.String(16), sa.ForeignKey("area.code"), nullable=True),
        sa.Column("recorded_by", sa.String(320), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_dated_event_day", "dated_event", ["occurred_on"])
    op.create_table(
        "change_point_cause",
        sa.Column(
            "change_point_id", sa.Integer, sa.ForeignKey("change_point.id"), primary_key=True
        ),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("dated_event.id"), nullable=True),
        sa.Column("no_known_cause", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("change_point_cause")
    op.drop_index("ix_dated_event_day", table_name="dated_event")
    op.drop_table("dated_event")
