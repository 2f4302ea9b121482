"""A return records the stored user who committed it, for four eyes.

``data_return.uploaded_by`` is the name a return was sent under: free text a command may
set (``--by``). Four eyes compared the approver with it, so it could be told apart from the
approver only by what was typed. ``uploaded_by_user`` holds the committing user as stored
(their e-mail as matched: trimmed, lower case; empty in local mode), and the approval check
compares the approver's stored e-mail with it. Returns committed before this migration get
it from ``uploaded_by`` where that names a stored user.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BACKFILL = (
    "UPDATE data_return SET uploaded_by_user = lower(trim(uploaded_by)) "
    "WHERE lower(trim(uploaded_by)) IN (SELECT lower(email) FROM app_user)"
)


def upgrade() -> None:
    with op.batch_alter_table("data_return") as batch:
        batch.add_column(
            sa.Column("uploaded_by_user", sa.String(320), nullable=False, server_default="")
        )
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("data_return") as batch:
        batch.drop_column("uploaded_by_user")
