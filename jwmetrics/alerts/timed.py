"""Alerts about returns and actions: a return submitted for my approval (written in the
commit's own transaction, :func:`return_recorded`), and what becomes due with time, found by
``notify`` (a return overdue, a remedial action due within a week or overdue)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.alerts.links import page_link, series_link
from jwmetrics.alerts.outbox import Event, enqueue
from jwmetrics.alerts.state import States
from jwmetrics.briefing.actions import ActionRecord
from jwmetrics.db.alert_models import Watch
from jwmetrics.db.models import AppUser, Measure, Observation, Return
from jwmetrics.governance.roles import LOCAL_NAME
from jwmetrics.governance.users import email_key
from jwmetrics.periods import format_date
from jwmetrics.returns.schedule import OVERDUE, ScheduleReport

ACTION_WARNING_DAYS = 7  # an open action is "due" this many days before its due date


def return_recorded(session: Session, return_id: int) -> int:
    """In the commit's transaction: tell approvers a return waits for them, and the
    followers of its partner that it came; the number of outbox rows added."""
    record = session.get(Return, return_id)
    if record is None:
        return 0
    now = record.uploaded_at
    initiatives = set(
        session.scalars(
            select(Measure.initiative_slug)
            .join(Observation, Observation.measure_id == Measure.id)
            .where(Observation.return_id == return_id)
            .distinct()
        )
    )
    partner = record.partner or "a partner not recorded"
    link = page_link("returns")
    made = 0
    if record.state == "submitted":
        event = Event(
            f"approve:{return_id}",
            "approval",
            f"Return {return_id} from {partner} waits for your approval",
            f"Return {return_id} ({record.file_name}, from {partner}) was submitted by "
            f"{record.uploaded_by} and waits for an approver; its figures count once approved.",
            link,
            (f"Initiatives: {', '.join(sorted(initiatives)) or 'none'}.",),
            {"return_id": return_id, "partner": record.partner},
        )
        made += enqueue(session, event, _approvers(session, initiatives), now)
    followers = set(
        session.scalars(
            select(Watch.user_email).where(
                Watch.kind == "partner", Watch.target == record.partner, Watch.ended_at.is_(None)
            )
        )
    )
    if followers:
        event = Event(
            f"return:{return_id}",
            "return",
            f"Return {return_id} from {partner} ({record.state})",
            f"{partner} sent return {return_id} ({record.file_name}): {record.rows_new} new, "
            f"{record.rows_revised} revised figures; it is {record.state}.",
            link,
            (),
            {"return_id": return_id, "partner": record.partner, "state": record.state},
        )
        made += enqueue(session, event, followers, now)
    return made


def _approvers(session: Session, initiatives: set[str]) -> set[str]:
    """Who may approve for every one of ``initiatives``: approvers and administrators whose
    initiative assignments cover them (none: all); the local user when there are no users."""
    users = list(session.scalars(select(AppUser)))
    if not users:
        return {LOCAL_NAME}
    found = set()
    for user in users:
        if user.role not in ("approver", "admin"):
            continue
        mine = {s.value for s in user.scopes if s.kind == "initiative"}
        if not mine or initiatives <= mine:
            found.add(email_key(user.email))
    return found


def overdue_events(
    report: ScheduleReport, watches: list[Watch], states: States, today: date
) -> list[tuple[Event, str]]:
    """A return overdue, for followers of its partner or initiative: one alert per newly
    overdue set of figures (partner, initiative), with who it is for."""
    found: list[tuple[Event, str]] = []
    for watch in watches:
        for summary in report.summaries:
            if not (
                (watch.kind == "partner" and summary.partner == watch.target)
                or (watch.kind == "initiative" and summary.initiative == watch.target)
            ):
                continue
            late = sorted(
                f"{f.measure}@{f.area_code}:{f.period.label}"
                for f in summary.figures
                if f.state == OVERDUE and f.due < today
            )
            key = f"overdue:{summary.partner}:{summary.initiative}"
            before = states.get(watch.id, key)
            states.put(watch.id, key, late)
            new = sorted(set(late) - set(before or []))
            if before is None or not new:
                continue
            event = Event(
                f"overdue:{summary.partner}:{summary.initiative}:{'|'.join(new)}"[:300],
                "overdue",
                f"Return overdue: {summary.partner} for {summary.initiative_name} "
                f"({len(new)} figure(s))",
                f"{summary.partner} owes {len(new)} figure(s) for {summary.initiative_name} "
                f"that were due before {format_date(today)} and have not come.",
                page_link("returns-due", today),
                tuple(new[:20]),
                {"partner": summary.partner, "initiative": summary.initiative, "figures": new},
            )
            found.append((event, watch.user_email))
    return found


def action_events(
    actions: list[ActionRecord], watches: list[Watch], states: States, today: date
) -> list[tuple[Event, str]]:
    """A remedial action due within a week, or overdue, for followers of its series (or of
    its initiative) and for its owner when the owner is a follower."""
    found: list[tuple[Event, str]] = []
    soon = today + timedelta(days=ACTION_WARNING_DAYS)
    for action in actions:
        if not action.is_open or action.due > soon:
            continue
        stage = "overdue" if action.due < today else "due"
        for watch in watches:
            if not _covers(watch, action):
                continue
            key = f"action:{action.id}"
            before = states.get(watch.id, key)
            states.put(watch.id, key, stage)
            if before == stage:
                continue
            where = f"{action.measure_name} in {action.area_name}"
            event = Event(
                f"action-{stage}:{action.id}",
                f"action-{stage}",
                f"Action {stage}: {where}, {action.owner} by {format_date(action.due)}",
                f"Remedial action {action.id} on {where} ({action.owner}) is {stage}: due "
                f"{format_date(action.due)}.",
                series_link(action.initiative, action.measure, action.area_code, today),
                (action.text,),
                {"action_id": action.id, "due": action.due.isoformat(), "stage": stage},
            )
            found.append((event, watch.user_email))
    return found


def _covers(watch: Watch, action: ActionRecord) -> bool:
    if watch.kind == "initiative":
        return watch.target == action.initiative
    return (
        watch.kind == "measure"
        and watch.target == action.measure
        and watch.area_code == action.area_code
    )
