"""Index observations by when they were recorded (the default reporting date, asked often).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_observation_recorded_at", "observation", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_observation_recorded_at", table_name="observation")
