"""Analysts' commentary on the figures: written per measure, area and period, never lost.

A comment is plain text with simple Markdown (emphasis and lists; rendered by
:mod:`jwmetrics.present.commentary_text`, which never passes HTML or links through). An edit
is a new version: the newest is shown, the earlier ones are kept and listed on request.
With sign-in configured only approvers and administrators comment
(:class:`~jwmetrics.governance.roles.Action` ``COMMENT``); in local mode everyone does.
Every comment is an audit event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.briefing_models import Commentary
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise
from jwmetrics.periods import Period, PeriodError, PeriodKind, parse_period
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import find_area, find_measure

MAX_COMMENT_CHARS = 10_000
"""The longest comment accepted: a few paragraphs, not a document."""


@dataclass(frozen=True)
class Comment:
    """One version of a comment, with which version it is of how many."""

    id: int
    initiative: str
    measure: str
    area_code: str
    period: str  # its label, "June 2001"
    period_end: date
    text: str
    author: str
    written_at: datetime
    version: int  # 1 = the first written
    versions: int  # how many there are (as known then)

    def as_record(self) -> dict[str, object]:
        """A flat dict with ISO dates, for JSON output."""
        record = asdict(self)
        record["period_end"] = self.period_end.isoformat()
        record["written_at"] = self.written_at.isoformat(timespec="seconds")
        return record


def write_comment(
    db: Database,
    measure_key: str,
    area_code: str,
    period_text: str,
    text: str,
    *,
    actor: Actor = LOCAL_USER,
    by: str = "",
) -> Comment:
    """Record a comment (or a new version of one); the version as stored.

    Refused with :class:`InputError` naming the field for an unknown measure, area or
    period, or an empty or over-long text; :class:`PermissionDenied` for a role that may
    not comment.
    """
    body = text.strip()
    problems = []
    if not body:
        problems.append(_problem("text", text, "empty; write the commentary to record"))
    elif len(body) > MAX_COMMENT_CHARS:
        problems.append(_problem("text", body, f"longer than {MAX_COMMENT_CHARS:,} characters"))
    try:
        period = parse_period(period_text)
    except PeriodError as exc:
        problems.append(_problem("period", period_text, str(exc)))
    if problems:
        raise InputError(problems)
    area = find_area(db, area_code)
    author = by or actor.name
    now = datetime.now()
    with db.session() as session, session.begin():
        measure = find_measure(session, measure_key)
        authorise(session, actor, Action.COMMENT, initiative=measure.initiative_slug)
        row = Commentary(
            measure_id=measure.id,
            area_code=area.code,
            period_start=period.start,
            period_end=period.end,
            period_kind=str(period.kind),
            text=body,
            author=author,
            written_at=now,
        )
        session.add(row)
        subject = f"{measure.slug} in {area.code}, {period.label}"
        audit.append(session, author, "comment", subject, body[:200], now)
    return comment_versions(db, measure_key, area.code, period_text)[-1]


def comments(
    db: Database,
    known: KnownAt | None = None,
    measure_key: str | None = None,
    area_code: str | None = None,
) -> list[Comment]:
    """The newest version of every comment in the database at ``known``'s moment (default:
    now), optionally of one measure and area; by measure, area and period.

    Commentary is analysis written now about figures of any day, so a view of an earlier
    day shows what has been written since; an audit of an earlier moment does not.
    """
    with db.session() as session:
        rows = _rows(session, known, measure_key, area_code)
        return _newest(session, rows)


def comment_versions(
    db: Database, measure_key: str, area_code: str, period_text: str
) -> list[Comment]:
    """Every version of one comment, oldest first."""
    period = parse_period(period_text)
    with db.session() as session:
        measure = find_measure(session, measure_key)
        query = (
            select(Commentary)
            .where(
                Commentary.measure_id == measure.id,
                Commentary.area_code == area_code,
                Commentary.period_start == period.start,
                Commentary.period_end == period.end,
            )
            .order_by(Commentary.written_at, Commentary.id)
        )
        rows = list(session.scalars(query))
        return [_comment(row, measure, n, len(rows)) for n, row in enumerate(rows, start=1)]


def comment_history(db: Database) -> list[Comment]:
    """Every version of every comment, by measure, area and period, oldest version first."""
    with db.session() as session:
        rows = _rows(session, None, None, None)
        measures = {m.id: m for m in session.scalars(select(Measure))}
    grouped: dict[tuple[int, str, date, date], list[Commentary]] = {}
    for row in rows:
        grouped.setdefault(_key(row), []).append(row)
    found = [
        _comment(row, measures[key[0]], n, len(versions))
        for key, versions in grouped.items()
        for n, row in enumerate(versions, start=1)
    ]
    return sorted(found, key=lambda c: (c.measure, c.area_code, c.period_end, c.version))


def _key(row: Commentary) -> tuple[int, str, date, date]:
    """What a comment is about: measure, area and period."""
    return (row.measure_id, row.area_code, row.period_start, row.period_end)


def _rows(
    session: Session, known: KnownAt | None, measure_key: str | None, area_code: str | None
) -> list[Commentary]:
    """The versions in scope, written by ``known``'s moment."""
    query = select(Commentary)
    if known is not None:
        query = query.where(Commentary.written_at <= known.recorded_by)
    if measure_key is not None:
        query = query.where(Commentary.measure_id == find_measure(session, measure_key).id)
    if area_code is not None:
        query = query.where(Commentary.area_code == area_code)
    return list(session.scalars(query.order_by(Commentary.written_at, Commentary.id)))


def _newest(session: Session, rows: list[Commentary]) -> list[Comment]:
    """The newest version of each (measure, area, period), numbered among its versions."""
    grouped: dict[tuple[int, str, date, date], list[Commentary]] = {}
    for row in rows:
        grouped.setdefault(_key(row), []).append(row)
    ids = {key[0] for key in grouped}
    measures = {m.id: m for m in session.scalars(select(Measure).where(Measure.id.in_(ids)))}
    found = [
        _comment(versions[-1], measures[key[0]], len(versions), len(versions))
        for key, versions in grouped.items()
    ]
    return sorted(found, key=lambda c: (c.measure, c.area_code, c.period_end))


def _comment(row: Commentary, measure: Measure, version: int, versions: int) -> Comment:
    """A stored version as a :class:`Comment`."""
    period = Period(row.period_start, row.period_end, PeriodKind(row.period_kind))
    return Comment(
        id=row.id,
        initiative=measure.initiative_slug,
        measure=measure.slug,
        area_code=row.area_code,
        period=period.label,
        period_end=row.period_end,
        text=row.text,
        author=row.author,
        written_at=row.written_at,
        version=version,
        versions=versions,
    )


def _problem(column: str, value: str, message: str) -> Problem:
    """A refused comment's problem, naming the field."""
    return Problem("comment", None, column, value, message)
