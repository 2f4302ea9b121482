"""The measure passport (issue 23, item 4): what each measure means, kept beside the measure.

One table, append-only by use: a passport is loaded from a catalogue file (``data/passports.csv``
or a later file in its format); a revised passport is a new row with a later
``recorded_at``, and the newest counts. A measure with no row still has a passport, every
field "Not known" (:mod:`jwmetrics.passport.record`).

Revision ID: 0017
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TEXT_FIELDS = (
    "definition",
    "numerator",
    "numerator_source",
    "denominator",
    "denominator_source",
    "frequency",
    "publication_lag",
    "revisions_policy",
    "rounding",
    "disclosure",
    "owner",
    "caveats",
)


def upgrade() -> None:
    op.create_table(
        "measure_passport",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("measure_id", sa.Integer, sa.ForeignKey("measure.id"), nullable=False),
        *(sa.Column(name, sa.Text, nullable=False) for name in TEXT_FIELDS),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )
    op.create_index(
        "ix_measure_passport_measure", "measure_passport", ["measure_id", "recorded_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_measure_passport_measure", table_name="measure_passport")
    op.drop_table("measure_passport")
