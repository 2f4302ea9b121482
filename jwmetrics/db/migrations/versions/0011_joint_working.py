"""The joint-working lens: balancing measures, self-assessments, remedial actions.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "balancing_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("balancing_measure_id", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"]),
        sa.ForeignKeyConstraint(["balancing_measure_id"], ["measure.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_balancing_measure_target", "balancing_measure", ["measure_id"])
    op.create_table(
        "self_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_slug", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=16), nullable=False),
        sa.Column("question_id", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("answered_by", sa.String(length=320), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["initiative_slug"], ["initiative.slug"]),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_self_assessment_partnership",
        "self_assessment",
        ["initiative_slug", "area_code", "answered_on"],
    )
    op.create_table(
        "remedial_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("responds_to_status", sa.String(length=20), nullable=False),
        sa.Column("responds_to_reason", sa.Text(), nullable=False),
        sa.Column("responds_to_as_of", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.String(length=320), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"]),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_remedial_action_series", "remedial_action", ["measure_id", "area_code"])


def downgrade() -> None:
    op.drop_index("ix_remedial_action_series", table_name="remedial_action")
    op.drop_table("remedial_action")
    op.drop_index("ix_self_assessment_partnership", table_name="self_assessment")
    op.drop_table("self_assessment")
    op.drop_index("ix_balancing_measure_target", table_name="balancing_measure")
    op.drop_table("balancing_measure")
