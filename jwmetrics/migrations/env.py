"""Alembic environment: runs migrations on the connection :func:`jwmetrics.db.migrate` passes."""

from __future__ import annotations

from alembic import context

from jwmetrics.models import Base
from jwmetrics.models_briefing import BriefingPack  # noqa: F401  (its tables, for the metadata)
from jwmetrics.models_joint import RemedialAction  # noqa: F401  (its tables, for the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
