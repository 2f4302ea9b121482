"""The data version: one cheap query whose answer changes whenever anything is written.

The app keys every cached read by it, so a write made by another process (or by the CLI)
shows at the next rerun of every page, not when a cache expires. It is the newest id of each
append-only table a write adds to, plus the row counts of the two logs every write adds to
(the audit log and the returns' events): a count also moves when a transaction that took a
lower id commits after one that took a higher (PostgreSQL hands ids out before commit).
Writes that change a row in place (closing an action, changing a user, withdrawing a
return) add an audit event or a return event too, so they move it as well.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jwmetrics.db.alert_models import Alert
from jwmetrics.db.briefing_models import BriefingPack, Commentary
from jwmetrics.db.joint_models import RemedialAction, SelfAssessment
from jwmetrics.db.models import (
    AuditEvent,
    ChangePoint,
    Measure,
    Observation,
    Return,
    ReturnEvent,
    ReturnSchedule,
    Spend,
    Target,
)

NEWEST_OF = (
    AuditEvent, ReturnEvent, Return, Observation, Target, Measure, ChangePoint,
    ReturnSchedule, Spend, Commentary, BriefingPack, RemedialAction, SelfAssessment, Alert,
)  # fmt: skip
COUNTED = (AuditEvent, ReturnEvent)


def data_version(session: Session) -> tuple[int, ...]:
    """Newest ids and log counts in one round trip (each an index lookup or a small count)."""
    newest = [select(func.coalesce(func.max(t.id), 0)).scalar_subquery() for t in NEWEST_OF]
    counts = [select(func.count()).select_from(t).scalar_subquery() for t in COUNTED]
    row = session.execute(select(*newest, *counts)).one()
    return tuple(int(value) for value in row)
