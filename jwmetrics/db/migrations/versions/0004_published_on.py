"""Publication dates: when each figure became public, apart from when it was recorded here.

``observation.published_on`` is what "as known on D" filters by; ``recorded_at`` stays for
audit. Existing figures get the date they were recorded. ``data_return.published_on`` is
the publication date given with the upload.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _date_of_recorded_at() -> str:
    """SQL for the calendar date of ``recorded_at`` on this backend."""
    if op.get_bind().dialect.name == "sqlite":
        return "date(recorded_at)"
    return "CAST(recorded_at AS DATE)"


def upgrade() -> None:
    op.add_column("observation", sa.Column("published_on", sa.Date(), nullable=True))
    op.execute(f"UPDATE observation SET published_on = {_date_of_recorded_at()}")
    with op.batch_alter_table("observation") as batch:
        batch.alter_column("published_on", existing_type=sa.Date(), nullable=False)
    op.create_index(
        "ix_observation_published", "observation", ["measure_id", "area_code", "published_on"]
    )
    op.add_column("data_return", sa.Column("published_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE data_return SET published_on = "
        + _date_of_recorded_at().replace("recorded_at", "uploaded_at")
    )


def downgrade() -> None:
    op.drop_column("data_return", "published_on")
    op.drop_index("ix_observation_published", table_name="observation")
    with op.batch_alter_table("observation") as batch:
        batch.drop_column("published_on")
