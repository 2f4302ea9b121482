"""Find what is worth an alert now and write it to the outbox: the rules' one run.

Reads what is known (the status of every followed series, its SPC chart, its newest
commentary, the returns schedule, the open actions), then in one transaction compares it
with the alert state, adds the alerts and stores the new state: an event fires once. On
PostgreSQL the transaction first takes an advisory lock, so two runs at once take turns;
on SQLite the write lock does the same. Called by ``notify`` and right after a return is
committed (so the bell counts at once), and safe to call any number of times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jwmetrics.alerts.outbox import Event, enqueue
from jwmetrics.alerts.rules import SeriesNews, series_events
from jwmetrics.alerts.state import States
from jwmetrics.alerts.timed import action_events, overdue_events
from jwmetrics.alerts.watches import follow_assigned, open_watches
from jwmetrics.assess.portfolio import Assessment, status_table
from jwmetrics.briefing.actions import list_actions
from jwmetrics.db.alert_models import Watch
from jwmetrics.db.briefing_models import Commentary
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure
from jwmetrics.periods import Period, PeriodKind
from jwmetrics.returns.schedule import schedule_report
from jwmetrics.spc.series import spc_for_series
from jwmetrics.spc.types import SpcResult
from jwmetrics.store.lookup import ENGLAND

RULES_LOCK_KEY = 0x6A776D616C  # "jwmal": pg_advisory_xact_lock serialising rule runs

Series = tuple[str, str]  # (measure id, area code)


def evaluate(
    db: Database,
    now: datetime | None = None,
    today: date | None = None,
    *,
    dry_run: bool = False,
    peek: Callable[[Session], None] | None = None,
) -> int:
    """Make the default follows, then write every new alert to the outbox; how many rows.

    With ``dry_run`` nothing is kept: the transaction is rolled back after ``peek`` (if
    given) has read the outbox as it would be.
    """
    now = now or datetime.now()
    today = today or now.date()
    with db.session() as session, session.begin():
        follow_assigned(session, now)
        if dry_run:
            session.flush()
            watches = open_watches(session)
            session.expunge_all()
            session.rollback()
    if not dry_run:
        with db.session() as session:
            watches = open_watches(session)
            session.expunge_all()
    if not watches and peek is None:
        return 0
    wanted = _series_of(db, watches)
    news = _news(db, wanted)
    kinds = {w.kind for w in watches}
    report = schedule_report(db, today) if kinds & {"partner", "initiative"} else None
    actions = list_actions(db, open_only=True, today=today) if kinds - {"partner"} else []
    try:
        with db.session() as session, session.begin():
            _lock(session)
            states = States(session, now)
            found: list[tuple[Event, str]] = []
            for watch in watches:
                for series in wanted.get(watch.id, []):
                    for event in series_events(watch.id, news[series], states):
                        found.append((event, watch.user_email))
            if report is not None:
                found += overdue_events(report, watches, states, today)
            found += action_events(actions, watches, states, today)
            made = sum(enqueue(session, event, {user}, now) for event, user in found)
            if peek is not None:
                session.flush()
                peek(session)
            if dry_run:
                session.rollback()
            return made
    except IntegrityError:
        return 0  # another run stored the same state a moment ago: its alerts stand


def _lock(session: Session) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RULES_LOCK_KEY})


def _series_of(db: Database, watches: Iterable[Watch]) -> dict[int, list[Series]]:
    """The series each follow covers: an initiative's measures in England, or the one
    measure in its area (a partner's follow covers returns, not series)."""
    with db.session() as session:
        by_initiative: dict[str, list[str]] = {}
        for slug, initiative in session.execute(select(Measure.slug, Measure.initiative_slug)):
            by_initiative.setdefault(initiative, []).append(slug)
    found: dict[int, list[Series]] = {}
    for watch in watches:
        if watch.kind == "initiative":
            found[watch.id] = [(m, ENGLAND) for m in sorted(by_initiative.get(watch.target, []))]
        elif watch.kind == "measure":
            found[watch.id] = [(watch.target, watch.area_code)]
    return found


def _news(db: Database, wanted: dict[int, list[Series]]) -> dict[Series, SeriesNews]:
    """What is known now of every followed series: status rows, SPC chart, commentary."""
    every = sorted({s for series in wanted.values() for s in series})
    if not every:
        return {}
    areas = sorted({a for _, a in every})
    rows: dict[Series, list[Assessment]] = {}
    for row in status_table(db, None, area_codes=areas):
        if (row.measure, row.area_code) in every:
            rows.setdefault((row.measure, row.area_code), []).append(row)
    comments = _newest_comments(db, every)
    news: dict[Series, SeriesNews] = {}
    for series in every:
        spc: SpcResult | None = spc_for_series(db, *series) if series in rows else None
        news[series] = SeriesNews(tuple(rows.get(series, [])), spc, comments.get(series))
    return news


def _newest_comments(db: Database, every: list[Series]) -> dict[Series, tuple[int, str, str, str]]:
    """The newest commentary row of each series: (id, period, author, text)."""
    slugs = sorted({m for m, _ in every})
    with db.session() as session:
        query = (
            select(Commentary, Measure.slug)
            .join(Measure, Measure.id == Commentary.measure_id)
            .where(Measure.slug.in_(slugs))
            .order_by(Commentary.id)
        )
        found: dict[Series, tuple[int, str, str, str]] = {}
        for comment, slug in session.execute(query):
            kind = PeriodKind(comment.period_kind)
            period = Period(comment.period_start, comment.period_end, kind).label
            found[(slug, comment.area_code)] = (comment.id, period, comment.author, comment.text)
        return found
