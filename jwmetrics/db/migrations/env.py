"""Alembic environment: runs migrations on the connection that
:func:`jwmetrics.db.engine.migrate` passes."""

from __future__ import annotations

from alembic import context

from jwmetrics.db.alert_models import Alert  # noqa: F401  (its tables, for the metadata)
from jwmetrics.db.briefing_models import BriefingPack  # noqa: F401  (its tables, for the metadata)
from jwmetrics.db.event_models import DatedEvent  # noqa: F401  (its tables, for the metadata)
from jwmetrics.db.joint_models import RemedialAction  # noqa: F401  (its tables, for the metadata)
from jwmetrics.db.models import Base
from jwmetrics.db.passport_models import MeasurePassport  # noqa: F401  (its table, for the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
