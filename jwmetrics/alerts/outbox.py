"""The outbox: one ``alert`` row per recipient and event, written in the transaction that
makes the change (or, for what becomes due with time, by ``notify`` itself).

A row's ``dedupe_key`` is unique, and rows are inserted with "on conflict do nothing", so
however many transactions or processes find the same event, each recipient gets one row.
``due_at`` follows the recipient's preference: now ("immediate"), the next morning
("daily") or the next Monday morning ("weekly"); the sender sends the rows that are due.
The in-app inbox reads the same rows, whether or not a mail server is set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jwmetrics.db.alert_models import Alert, AlertPreference
from jwmetrics.db.engine import Database
from jwmetrics.problems import InputError, Problem

DELIVERIES = ("immediate", "daily", "weekly")
DIGEST_HOUR = time(7, 0)  # daily and weekly digests fall due at 07:00 local time
WEBHOOK_USER = "#webhook"  # the recipient of the webhook's copy of each event


@dataclass(frozen=True)
class Event:
    """Something worth an alert, before it has recipients.

    ``key`` names the event itself (the same change found twice has the same key);
    ``why`` says in one sentence why it fired; ``lines`` are the body's further lines.
    """

    key: str
    kind: str
    subject: str
    why: str
    link: str
    lines: tuple[str, ...] = ()
    payload: Mapping[str, object] = field(default_factory=dict)

    @property
    def body(self) -> str:
        """The plain-text body: why it fired, the details, the link."""
        return "\n".join([self.why, "", *self.lines, "", f"Open it: {self.link}"])


@dataclass(frozen=True)
class InboxItem:
    """One alert as the inbox shows it."""

    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read: bool


def due_time(delivery: str, now: datetime) -> datetime:
    """When an alert made at ``now`` falls due for a user with ``delivery``."""
    if delivery == "daily":
        return datetime.combine(now.date() + timedelta(days=1), DIGEST_HOUR)
    if delivery == "weekly":
        return datetime.combine(now.date() + timedelta(days=7 - now.weekday()), DIGEST_HOUR)
    return now


def delivery_of(session: Session, user: str) -> str:
    """A user's delivery preference; "immediate" unless they chose a digest."""
    row = session.get(AlertPreference, user)
    return row.delivery if row is not None else "immediate"


def set_delivery(db: Database, user: str, delivery: str) -> None:
    """Record ``user``'s preference: immediate, daily or weekly."""
    if delivery not in DELIVERIES:
        expected = ", ".join(DELIVERIES)
        raise InputError([Problem("delivery", None, None, delivery, f"expected {expected}")])
    with db.session() as session, session.begin():
        row = session.get(AlertPreference, user)
        if row is None:
            session.add(AlertPreference(user_email=user, delivery=delivery, updated_at=_now()))
        else:
            row.delivery, row.updated_at = delivery, _now()


def enqueue(session: Session, event: Event, users: set[str], now: datetime) -> int:
    """Add ``event`` for each of ``users`` (and for the webhook), once each, in the caller's
    transaction; the number of rows new to the outbox."""
    made = 0
    body = event.body
    payload = json.dumps({"kind": event.kind, "key": event.key, **event.payload}, default=str)
    for user in sorted(users | {WEBHOOK_USER}):
        due = now if user == WEBHOOK_USER else due_time(delivery_of(session, user), now)
        values = {
            "dedupe_key": f"{user}|{event.key}"[:400], "user_email": user, "kind": event.kind,
            "subject": event.subject[:300], "body": body, "link": event.link,
            "payload": payload, "created_at": now, "due_at": due, "sent_at": None,
            "channel": "", "attempts": 0, "last_error": "", "read_at": None,
        }  # fmt: skip
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(Alert).values(**values).on_conflict_do_nothing()
        result = session.execute(statement)
        made += result.rowcount or 0  # type: ignore[attr-defined]
    return made


def inbox(db: Database, user: str, limit: int = 200) -> list[InboxItem]:
    """A user's alerts, newest first."""
    with db.session() as session:
        query = (
            select(Alert)
            .where(Alert.user_email == user)
            .order_by(Alert.created_at.desc(), Alert.id.desc())
            .limit(limit)
        )
        return [
            InboxItem(a.id, a.kind, a.subject, a.body, a.link, a.created_at, a.read_at is not None)
            for a in session.scalars(query)
        ]


def unread_count(db: Database, user: str) -> int:
    """How many of a user's alerts are unread: one count on the (user, read_at) index."""
    with db.session() as session:
        query = select(func.count()).where(Alert.user_email == user, Alert.read_at.is_(None))
        return int(session.scalar(query) or 0)


def mark_read(db: Database, user: str, alert_ids: list[int] | None = None) -> int:
    """Mark a user's alerts read (the ones named, or all); how many changed."""
    with db.session() as session, session.begin():
        query = update(Alert).where(Alert.user_email == user, Alert.read_at.is_(None))
        if alert_ids is not None:
            query = query.where(Alert.id.in_(alert_ids))
        result = session.execute(query.values(read_at=_now()))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _now() -> datetime:
    return datetime.now()
