"""The database: the engine and its connection rules, the tables, and their migrations.

- :mod:`~jwmetrics.db.engine`: the URL (``JWMETRICS_DATABASE_URL``, else the SQLite file
  ``data/jwmetrics.sqlite``), the engine (WAL and foreign keys on SQLite), migrating to the
  newest schema, and :class:`Database`, the one handle the library passes around;
- :mod:`~jwmetrics.db.models`: the core tables (initiatives, measures, areas, targets,
  figures, returns, users, the audit log), SQLAlchemy 2 typed declarative;
- :mod:`~jwmetrics.db.briefing_models`: commentary and the briefing packs made;
- :mod:`~jwmetrics.db.joint_models`: balancing measures, self-assessments, remedial actions;
- :mod:`~jwmetrics.db.event_models`: dated events (a policy, definition, data or funding change);
- :mod:`~jwmetrics.db.passport_models`: the measure passports;
- :mod:`~jwmetrics.db.alert_models`: follows, the alerts outbox, alert state, delivery
  preferences and scheduled packs;
- ``migrations/``: the Alembic migrations, one file per schema version.

Nothing here reads or writes figures by a rule: that is :mod:`jwmetrics.store`.
"""

from __future__ import annotations

from jwmetrics.db.engine import (
    Database,
    DatabaseError,
    database_url,
    is_busy_error,
    open_database,
)
from jwmetrics.db.models import AuditEvent, Return, ReturnEvent

__all__ = [
    "AuditEvent",
    "Database",
    "DatabaseError",
    "Return",
    "ReturnEvent",
    "database_url",
    "is_busy_error",
    "open_database",
]
