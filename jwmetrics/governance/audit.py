"""The audit log: who did what, when (append-only).

Every sign-in, upload, approval, rejection, withdrawal, catalogue change and role change
adds one :class:`~jwmetrics.db.models.AuditEvent`, in the same transaction as the change it
records, so the log cannot say something happened that did not (or miss one that did).
Rows are never updated or deleted; the database refuses both (migration 0007's triggers),
and refuses a REPLACE over an event on SQLite and a TRUNCATE on PostgreSQL (0012's).
A sign-in is recorded once per sign-in, not per page load (:func:`record_sign_in`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.models import AuditEvent

ACTIONS = (
    "sign-in",
    "submit",  # a return committed that waits for approval
    "upload",  # a return committed that counts at once (no approval needed)
    "approve",
    "reject",
    "withdraw",
    "catalogue",  # measures, targets, partners, spend or areas added; a snapshot loaded
    "change-point",
    "comment",
    "brief",
    "self-assessment",
    "action-add",
    "action-close",
    "rate",  # a delivery confidence rating recorded
    "event-add",  # a dated event recorded (policy, definition, data, funding)
    "follow",  # a user follows an initiative, a measure or a partner (issue 24)
    "unfollow",
    "pack-schedule",  # a scheduled pack added or removed
    "user-add",
    "user-change",
    "user-remove",
)
"""The actions the log records."""


def append(
    session: Session,
    actor: str,
    action: str,
    subject: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add one event inside the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; expected one of {', '.join(ACTIONS)}")
    session.add(
        AuditEvent(
            at=at or datetime.now(),
            actor=actor,
            action=action,
            subject=subject[:300],
            detail=detail,
        )
    )


def record(db: Database, actor: str, action: str, subject: str = "", detail: str = "") -> None:
    """Add one event in its own transaction (for events with no other write, a sign-in)."""
    with db.session() as session, session.begin():
        append(session, actor, action, subject, detail)


def record_sign_in(
    db: Database, actor: str, detail: str = "", issued_at: int | None = None
) -> bool:
    """Record a sign-in unless this very sign-in is recorded already; say whether it was.

    ``issued_at`` is the identity token's ``iat`` (seconds since 1970, UTC): every page load
    of one sign-in carries the same token, so the event's subject names it and a second
    page load (a new browser session of the same sign-in) adds nothing. Without it (a
    provider that sends no ``iat``) every call records, and the app calls once per browser
    session.
    """
    if issued_at is None:
        record(db, actor, "sign-in", "", detail)
        return True
    issued = datetime.fromtimestamp(issued_at, UTC)
    subject = f"identity token issued {issued:%Y-%m-%d %H:%M:%S} UTC"
    seen = (
        select(AuditEvent.id)
        .where(AuditEvent.action == "sign-in", AuditEvent.subject == subject)
        .where(func.lower(AuditEvent.actor) == actor.lower())
        .limit(1)
    )
    with db.session() as session, session.begin():
        _one_at_a_time(session, f"{actor.lower()} {subject}")
        if session.scalar(seen) is not None:
            return False
        append(session, actor, "sign-in", subject, detail)
    return True


def _one_at_a_time(session: Session, key: str) -> None:
    """Hold the write lock for ``key`` until the transaction ends, so that two page loads of
    one sign-in at the same moment (two processes) cannot both find it unrecorded: on
    PostgreSQL a transaction-level advisory lock on a hash of ``key``; on SQLite the
    database's own write lock, taken at once (an empty update) rather than at the insert."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
    else:
        connection.exec_driver_sql("UPDATE audit_event SET id = id WHERE 0")


RECORD_FIELDS = ("at", "actor", "action", "subject", "detail")
"""The fields of one event as the command line and the admin page's download write it."""


def events(
    db: Database,
    since: datetime | date | None = None,
    *,
    actor: str | None = None,
    action: str | None = None,
) -> list[AuditEvent]:
    """Every event at or after ``since`` (all when None), oldest first.

    A ``date`` means the start of that day. ``actor`` and ``action`` (when given) keep only
    the events of that actor (any case) or that action.
    """
    query = select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)
    if since is not None:
        start = since if isinstance(since, datetime) else datetime.combine(since, time.min)
        query = query.where(AuditEvent.at >= start)
    if actor is not None:
        query = query.where(func.lower(AuditEvent.actor) == actor.strip().lower())
    if action is not None:
        query = query.where(AuditEvent.action == action)
    with db.session() as session:
        return list(session.scalars(query))


def actors(db: Database) -> list[str]:
    """Everyone the log names as an actor, sorted: the admin page's filter offers them."""
    with db.session() as session:
        return sorted(session.scalars(select(AuditEvent.actor).distinct()))


def as_record(event: AuditEvent) -> dict[str, Any]:
    """One event as a plain record (:data:`RECORD_FIELDS`), the moment in ISO 8601."""
    return {
        "at": event.at.isoformat(timespec="seconds"),
        "actor": event.actor,
        "action": event.action,
        "subject": event.subject,
        "detail": event.detail,
    }
