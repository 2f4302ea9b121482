"""Briefing packs on a timer (issue 24, item 4): ``pack-schedule add INITIATIVE --every
week|month --to EMAIL... [--skip-unchanged]``, built and sent by ``notify``.

A schedule falls due a week (or a calendar month) after its last run, and at once when it
has never run. ``notify`` builds each due pack through the face's ``add_pack`` (kept and
recorded as every pack is; page 1 says "As known on"), passed in as a :data:`PackMaker`,
and sends it to each address as attachments. With ``--skip-unchanged`` a pack whose
fingerprint (a SHA-256 of the initiative's status table: every figure, reason and day it
rests on) is the one last sent is not made or sent, and the run is still counted.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from jwmetrics.alerts.links import series_link
from jwmetrics.alerts.mail import MailError, SmtpSettings, build_message, send
from jwmetrics.alerts.watches import user_key
from jwmetrics.assess.portfolio import reporting_day, status_table
from jwmetrics.db.alert_models import PackSchedule
from jwmetrics.db.engine import Database
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise
from jwmetrics.periods import format_date
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.lookup import find_initiative

EVERY = ("week", "month")

PackMaker = Callable[[str, date, str], tuple[bytes, int]]
"""(initiative, as known on, "html" or "pdf") -> (the file's bytes, the pack's record id)."""


@dataclass(frozen=True)
class ScheduleRecord:
    """One scheduled pack as listed."""

    id: int
    initiative: str
    every: str
    recipients: tuple[str, ...]
    skip_unchanged: bool
    created_by: str
    last_run_at: datetime | None
    fingerprint: str

    def as_record(self) -> dict[str, object]:
        """A flat record for JSON output."""
        return {
            "id": self.id,
            "initiative": self.initiative,
            "every": self.every,
            "to": list(self.recipients),
            "skip_unchanged": self.skip_unchanged,
            "created_by": self.created_by,
            "last_run_at": self.last_run_at.isoformat(timespec="seconds")
            if self.last_run_at
            else None,
        }


def add_schedule(
    db: Database,
    initiative: str,
    every: str,
    recipients: list[str],
    skip_unchanged: bool = False,
    actor: Actor = LOCAL_USER,
) -> ScheduleRecord:
    """Schedule a pack; anyone who may make packs (every role) may schedule one. Audited."""
    if every not in EVERY:
        raise InputError([Problem("--every", None, None, every, "expected week or month")])
    bad = [r for r in recipients if "@" not in r]
    if not recipients or bad:
        shown = ", ".join(bad) or "(none)"
        raise InputError([Problem("--to", None, None, shown, "expected e-mail addresses")])
    with db.session() as session, session.begin():
        current = authorise(session, actor, Action.VIEW)
        slug = find_initiative(session, initiative).slug
        row = PackSchedule(
            initiative_slug=slug,
            every=every,
            recipients=",".join(r.strip() for r in recipients),
            skip_unchanged=int(skip_unchanged),
            created_at=datetime.now(),
            created_by=user_key(current),
            ended_at=None,
            last_sent_at=None,
            last_sha256="",
        )
        session.add(row)
        session.flush()
        detail = f"{slug} every {every} to {row.recipients}"
        audit.append(session, current.name, "pack-schedule", f"schedule {row.id}", detail)
        return _record(row)


def remove_schedule(db: Database, schedule_id: int, actor: Actor = LOCAL_USER) -> ScheduleRecord:
    """End a schedule (its row stays); audited."""
    with db.session() as session, session.begin():
        current = authorise(session, actor, Action.VIEW)
        row = session.get(PackSchedule, schedule_id)
        if row is None or row.ended_at is not None:
            raise InputError([Problem("ID", None, None, str(schedule_id), "no open schedule")])
        row.ended_at = datetime.now()
        audit.append(session, current.name, "pack-schedule", f"schedule {row.id}", "removed")
        return _record(row)


def list_schedules(db: Database) -> list[ScheduleRecord]:
    """Every open schedule, oldest first."""
    with db.session() as session:
        query = select(PackSchedule).where(PackSchedule.ended_at.is_(None))
        return [_record(row) for row in session.scalars(query.order_by(PackSchedule.id))]


def next_run(record: ScheduleRecord) -> datetime | None:
    """When a schedule is next due (None: now, it never ran)."""
    last = record.last_run_at
    if last is None:
        return None
    if record.every == "week":
        return last + timedelta(days=7)
    year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
    day = min(last.day, calendar.monthrange(year, month)[1])
    return last.replace(year=year, month=month, day=day)


def due_schedules(db: Database, now: datetime) -> list[ScheduleRecord]:
    """The schedules due at ``now``."""
    return [r for r in list_schedules(db) if (next_run(r) or now) <= now]


def fingerprint(db: Database, initiative: str) -> str:
    """A SHA-256 of the initiative's status table as known now: the same when nothing a
    pack shows has changed."""
    rows = [a.as_record() for a in status_table(db, None, initiative)]
    return hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()


def record_run(db: Database, schedule_id: int, now: datetime, print_: str) -> None:
    """Note a run (sent or skipped) and the fingerprint of what was last sent."""
    with db.session() as session, session.begin():
        row = session.get(PackSchedule, schedule_id)
        if row is not None:
            row.last_sent_at, row.last_sha256 = now, print_


def send_packs(
    db: Database,
    now: datetime,
    smtp: SmtpSettings | None,
    make_pack: PackMaker,
    formats: tuple[str, ...] = ("html", "pdf"),
    *,
    dry_run: bool = False,
) -> list[str]:
    """Build and send every due pack (skipping unchanged ones where asked); a line each."""
    lines: list[str] = []
    with db.session() as session:
        day = reporting_day(session)
    for due in due_schedules(db, now):
        print_ = fingerprint(db, due.initiative)
        if due.skip_unchanged and print_ == due.fingerprint:
            lines.append(f"pack schedule {due.id}: {due.initiative} unchanged since the last pack")
            if not dry_run:
                record_run(db, due.id, now, print_)
            continue
        if dry_run:
            lines.append(f"would send pack of {due.initiative} to {', '.join(due.recipients)}")
            continue
        files = [(fmt, *make_pack(due.initiative, day, fmt)) for fmt in formats]
        names = [f"briefing-{due.initiative}-{day.isoformat()}.{fmt}" for fmt in formats]
        ids = ", ".join(str(pack_id) for _, _, pack_id in files)
        if smtp is None:
            lines.append(f"pack(s) {ids} of {due.initiative} kept; no mail server set to send")
            record_run(db, due.id, now, print_)
            continue
        mimes = {"html": "text/html", "pdf": "application/pdf"}
        attachments = tuple(
            (name, mimes[fmt], data) for name, (fmt, data, _) in zip(names, files, strict=True)
        )
        link = series_link(due.initiative, "", "", day).split("&measure")[0]
        text = (
            f"The briefing pack of {due.initiative}, as known on {format_date(day)}, is attached "
            f"({', '.join(formats)}; recorded as pack(s) {ids}).\n\nOpen it in the app: {link}"
        )
        subject = f"Briefing pack: {due.initiative}, as known on {format_date(day)}"
        try:
            for to in due.recipients:
                key = f"pack:{due.id}:{now.isoformat()}:{to}"
                send(smtp, build_message(smtp, to, subject, text, key, attachments))
        except MailError as exc:
            lines.append(f"pack schedule {due.id} failed: {exc}")
            continue
        record_run(db, due.id, now, print_)
        lines.append(f"pack(s) {ids} of {due.initiative} sent to {', '.join(due.recipients)}")
    return lines


def _record(row: PackSchedule) -> ScheduleRecord:
    return ScheduleRecord(
        row.id,
        row.initiative_slug,
        row.every,
        tuple(r for r in row.recipients.split(",") if r),
        bool(row.skip_unchanged),
        row.created_by,
        row.last_sent_at,
        row.last_sha256,
    )
