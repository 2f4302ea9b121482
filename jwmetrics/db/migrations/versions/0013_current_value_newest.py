"""Two indexes on ``current_value``: the newest figures first, and each measure's periods.

The "Changes since" panel, the briefing pack and ``python -m jwmetrics changes`` list the
figures published in a window newest first, a page at a time
(:mod:`jwmetrics.briefing.figure_changes`). With this index each page is a walk down the
index from where the last one stopped, whatever the size of the window; the old
``ix_current_value_published`` (published_on alone) is its prefix, so it goes.

``ix_current_value_measure_period`` (measure_id, period_start, period_end, observation_id)
lets the pages
list each measure's periods and its first day by stepping from one period to the next
(:mod:`jwmetrics.store.periods_held`) instead of reading every figure.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Replace the one-column index with the two-column one; add the periods index."""
    op.create_index("ix_current_value_newest", "current_value", ["published_on", "observation_id"])
    op.drop_index("ix_current_value_published", table_name="current_value")
    op.create_index(
        "ix_current_value_measure_period",
        "current_value",
        ["measure_id", "period_start", "period_end", "observation_id"],
    )


def downgrade() -> None:
    """Back to the one-column index."""
    op.drop_index("ix_current_value_measure_period", table_name="current_value")
    op.create_index("ix_current_value_published", "current_value", ["published_on"])
    op.drop_index("ix_current_value_newest", table_name="current_value")
