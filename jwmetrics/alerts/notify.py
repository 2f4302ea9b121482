"""``notify``: find what is due, send it, mark it sent; safe to run twice or twice at once.

One sender at a time: the run holds a lock for its whole length (PostgreSQL: a session-level
``pg_advisory_lock`` on its own connection; SQLite: an exclusive ``flock`` on a file beside
the database), so a second ``notify`` started meanwhile waits and then finds nothing due.
Each row is claimed again in a transaction of its own (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL), sent, then marked sent in that same transaction. Delivery is at least once: a
crash between a send and its mark sends that one message again on the next run, with the
same ``Message-ID`` so mail clients show it once. A failed send stays due, with the error
and the attempts counted, and is tried on the next run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.alerts.evaluate import evaluate
from jwmetrics.alerts.mail import MailError, SmtpSettings, build_message, send, smtp_settings
from jwmetrics.alerts.outbox import WEBHOOK_USER, delivery_of
from jwmetrics.alerts.schedules import PackMaker, send_packs
from jwmetrics.alerts.webhook import WebhookError, WebhookSettings, post, webhook_settings
from jwmetrics.db.alert_models import Alert
from jwmetrics.db.engine import Database, process_lock

SENDER_LOCK_KEY = 0x6A776E6F74  # "jwnot": the session-level advisory lock of the sender


@dataclass
class NotifyReport:
    """What one run did (or, dry, would do): one line per message."""

    found: int = 0
    sent: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Channels:
    """Where messages go: a mail server, a webhook (either may be None: inbox only)."""

    smtp: SmtpSettings | None
    webhook: WebhookSettings | None
    sleep: Callable[[float], None] = time.sleep
    pack_formats: tuple[str, ...] = ("html", "pdf")

    @classmethod
    def from_environment(cls) -> Channels:
        return cls(smtp_settings(), webhook_settings())


def notify(
    db: Database,
    *,
    dry_run: bool = False,
    since: date | None = None,
    now: datetime | None = None,
    channels: Channels | None = None,
    make_pack: PackMaker | None = None,
) -> NotifyReport:
    """Write new alerts to the outbox and send what is due (created on or after ``since``
    when given), then the scheduled packs due (made by ``make_pack``, which the face
    passes). ``dry_run`` lists what would be sent and changes nothing."""
    now = now or datetime.now()
    channels = channels or Channels.from_environment()
    report = NotifyReport()
    if dry_run:

        def peek(session: Session) -> None:
            for row in _due(session, now, since, lock=False):
                report.lines.append(f"would send to {row.user_email}: {row.subject}")

        report.found = evaluate(db, now, dry_run=True, peek=peek)
        if make_pack is not None:
            report.lines += send_packs(db, now, None, make_pack, dry_run=True)
        return report
    with sender_lock(db):
        report.found = evaluate(db, now)
        with db.session() as session:
            ids = [row.id for row in _due(session, now, since, lock=False)]
        digests: dict[str, list[int]] = {}
        with db.session() as session:
            for alert_id in ids:
                row = session.get(Alert, alert_id)
                if (
                    row is not None
                    and row.user_email != WEBHOOK_USER
                    and delivery_of(session, row.user_email) != "immediate"
                ):
                    digests.setdefault(row.user_email, []).append(alert_id)
        in_digest = {i for group in digests.values() for i in group}
        for alert_id in ids:
            if alert_id not in in_digest:
                _send_one(db, [alert_id], now, channels, report)
        for user in sorted(digests):
            _send_one(db, digests[user], now, channels, report)
        if make_pack is not None:
            report.lines += send_packs(db, now, channels.smtp, make_pack, channels.pack_formats)
    return report


@contextmanager
def sender_lock(db: Database) -> Iterator[None]:
    """Hold the one-sender lock for the run (see the module's docstring): a
    :func:`~jwmetrics.db.engine.process_lock` (SQLite: ``NAME.sqlite.notify.lock``)."""
    with process_lock(db.engine, SENDER_LOCK_KEY, ".notify.lock"):
        yield


def _due(session: Session, now: datetime, since: date | None, *, lock: bool) -> list[Alert]:
    query = select(Alert).where(Alert.sent_at.is_(None), Alert.due_at <= now).order_by(Alert.id)
    if since is not None:
        query = query.where(Alert.created_at >= datetime.combine(since, datetime.min.time()))
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _send_one(
    db: Database, ids: list[int], now: datetime, channels: Channels, report: NotifyReport
) -> None:
    """Claim the rows (one message: an alert, or a user's digest), send, mark them sent."""
    with db.session() as session, session.begin():
        query = select(Alert).where(Alert.id.in_(ids), Alert.sent_at.is_(None))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(session.scalars(query.order_by(Alert.id)))
        if not rows:
            return  # sent by another run meanwhile
        first = rows[0]
        try:
            channel = _deliver(rows, channels)
        except (MailError, WebhookError) as exc:
            for row in rows:
                row.attempts += 1
                row.last_error = str(exc)[:2000]
            report.failed += 1
            report.lines.append(f"failed for {first.user_email}: {exc}")
            return
        for row in rows:
            row.attempts += 1
            row.sent_at, row.channel, row.last_error = now, channel, ""
        if channel in ("email", "webhook"):
            report.sent += 1
        what = first.subject if len(rows) == 1 else f"a digest of {len(rows)} alerts"
        report.lines.append(f"{channel} to {first.user_email}: {what}")


def _deliver(rows: list[Alert], channels: Channels) -> str:
    """Send one message for ``rows`` on the channel their recipient has; the channel."""
    first = rows[0]
    if first.user_email == WEBHOOK_USER:
        if channels.webhook is None:
            return "none"  # no webhook set: the row is done with
        post(channels.webhook, json.loads(first.payload) | _texts(first), channels.sleep)
        return "webhook"
    if channels.smtp is None or "@" not in first.user_email:
        return "inbox"  # no mail server, or the local user: the app's inbox only
    if len(rows) == 1:
        subject, body = first.subject, first.body
    else:
        subject = f"jwmetrics digest: {len(rows)} alerts"
        body = "\n\n".join(f"{r.subject}\n{'-' * len(r.subject)}\n{r.body}" for r in rows)
    key = "|".join(r.dedupe_key for r in rows)
    send(channels.smtp, build_message(channels.smtp, first.user_email, subject, body, key))
    return "email"


def _texts(row: Alert) -> dict[str, object]:
    return {"subject": row.subject, "body": row.body, "link": row.link, "id": row.id}
