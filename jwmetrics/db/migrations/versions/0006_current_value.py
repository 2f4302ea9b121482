"""Current values: the current version of each period, kept by the store.

Filled here from the versions already stored, by the same rule the reads rank them with:
published last, then recorded last, then the higher id; figures of withdrawn returns never
count.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO current_value
    (measure_id, area_code, period_end, period_start, observation_id, published_on, recorded_at)
SELECT measure_id, area_code, period_end, period_start, id, published_on, recorded_at
FROM (
    SELECT o.*, row_number() OVER (
        PARTITION BY o.measure_id, o.area_code, o.period_start, o.period_end
        ORDER BY o.published_on DESC, o.recorded_at DESC, o.id DESC
    ) AS version_rank
    FROM observation o
    LEFT JOIN data_return r ON r.id = o.return_id
    WHERE r.withdrawn_at IS NULL
) ranked
WHERE version_rank = 1
"""


def upgrade() -> None:
    op.create_table(
        "current_value",
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=16), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("observation_id", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["area_code"], ["area.code"]),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"]),
        sa.ForeignKeyConstraint(["observation_id"], ["observation.id"]),
        sa.PrimaryKeyConstraint("measure_id", "area_code", "period_end", "period_start"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_current_value_published", "current_value", ["published_on"])
    op.execute(FILL)


def downgrade() -> None:
    op.drop_index("ix_current_value_published", table_name="current_value")
    op.drop_table("current_value")
