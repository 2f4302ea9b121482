"""Delivery confidence ratings: a judgement beside the computed status (issue 23).

One table, append-only by use (the library never updates or deletes a row): each rating of a
measure in an area, its reason and evidence, the day it is made as at, who made it and when.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_rating",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("measure_id", sa.Integer, sa.ForeignKey("measure.id"), nullable=False),
        sa.Column("area_code", sa.String(16), sa.ForeignKey("area.code"), nullable=False),
        sa.Column("rating", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("rated_by", sa.String(320), nullable=False),
        sa.Column("rated_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_delivery_rating_key", "delivery_rating", ["measure_id", "area_code", "as_of"]
    )


def downgrade() -> None:
    op.drop_index("ix_delivery_rating_key", table_name="delivery_rating")
    op.drop_table("delivery_rating")
