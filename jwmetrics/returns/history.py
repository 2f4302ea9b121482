"""Step 5, history: the returns log, each return's moves, and what a return changed.

A committed return's changes are the same :class:`~jwmetrics.returns.model.Change` the
check showed before it: each figure it recorded (as a :class:`ReturnRow`) beside the
figure current just before it was uploaded. Its moves (submitted, approved, rejected,
withdrawn) are its :class:`~jwmetrics.db.models.ReturnEvent` rows, oldest first.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation, Return, ReturnEvent
from jwmetrics.periods import Period, PeriodKind
from jwmetrics.returns.model import Change, Key, ReturnRefused, ReturnRow
from jwmetrics.store.known import KnownAt
from jwmetrics.store.versions import current_figures


def returns_log(db: Database) -> list[Return]:
    """Every return, newest first."""
    with db.session() as session:
        return list(session.scalars(select(Return).order_by(Return.id.desc())))


def return_events(db: Database) -> dict[int, list[ReturnEvent]]:
    """Every return's moves by return id, each list oldest first (who, when, why)."""
    found: dict[int, list[ReturnEvent]] = defaultdict(list)
    with db.session() as session:
        query = select(ReturnEvent).order_by(ReturnEvent.at, ReturnEvent.id)
        for event in session.scalars(query):
            found[event.return_id].append(event)
    return dict(found)


def return_observation_count(db: Database, return_id: int) -> int:
    """How many figures a return recorded."""
    with db.session() as session:
        query = (
            select(func.count()).select_from(Observation).where(Observation.return_id == return_id)
        )
        return int(session.scalar(query) or 0)


def return_changes(db: Database, return_id: int) -> list[Change]:
    """What a return changed: each figure it recorded beside the value current just before."""
    with db.session() as session:
        record = session.get(Return, return_id)
        if record is None:
            raise ReturnRefused(f"there is no return {return_id}")
        query = (
            select(Observation)
            .where(Observation.return_id == return_id)
            .order_by(Observation.row_number)
        )
        recorded = list(session.scalars(query))
        slugs = {mid: slug for mid, slug in session.execute(select(Measure.id, Measure.slug))}
        before = _current_before(session, recorded, record.uploaded_at)
        changes = []
        for obs in recorded:
            old = before.get((obs.measure_id, obs.area_code, obs.period_start, obs.period_end))
            row = _recorded_row(obs, slugs[obs.measure_id])
            if old is None:
                changes.append(Change("new", row))
            else:
                changes.append(
                    Change("revised", row, old.value, old.qualifier, old.marker, old.data_status)
                )
        return changes


def _recorded_row(obs: Observation, measure_slug: str) -> ReturnRow:
    """A stored figure as the row of the return that recorded it."""
    return ReturnRow(
        row_number=obs.row_number,
        measure_id=obs.measure_id,
        measure_slug=measure_slug,
        area_code=obs.area_code,
        period=Period(obs.period_start, obs.period_end, PeriodKind(obs.period_kind)),
        value=obs.value,
        qualifier=obs.qualifier,
        marker=obs.marker,
        data_status=obs.data_status,
        partner=obs.partner,
        note=obs.note,
    )


def _current_before(
    session: Session, recorded: list[Observation], moment: datetime
) -> dict[Key, Observation]:
    """The versions that were current just before ``moment`` for the recorded keys."""
    if not recorded:
        return {}
    query = current_figures(
        session,
        KnownAt.audit(moment - timedelta(microseconds=1)),
        Observation.measure_id.in_({o.measure_id for o in recorded}),
        Observation.area_code.in_({o.area_code for o in recorded}),
        ranked=True,
    )
    return {
        (o.measure_id, o.area_code, o.period_start, o.period_end): o for o in session.scalars(query)
    }
