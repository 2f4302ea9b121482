"""Writing figures: the one insert path, and the current-values table kept in step with it.

Nothing is overwritten: a new value for the same measure, area and period is a new row (a
revision). The ``current_value`` table (:class:`~jwmetrics.models.CurrentValue`) holds, for
each period of each series, the version a reader sees now: published last, recorded last
among those published the same day, never one from a withdrawn return. Every insert of
figures and every withdrawal of a return calls :func:`record_inserted` or
:func:`record_withdrawn` inside the same transaction, so the table cannot disagree with the
versions it summarises (tests compare the two after seeded random writes). Reads use it
through :func:`jwmetrics.store.figures.current_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from jwmetrics.models import CurrentValue, Observation
from jwmetrics.periods import Period
from jwmetrics.store.known import EVERYTHING, visible_condition

KEY_COLUMNS = ("measure_id", "area_code", "period_start", "period_end")
"""The columns naming one period of one series: the table's primary key."""


def _ranked(*conditions: ColumnElement[bool]) -> Any:
    """Per period, the newest of the versions matching ``conditions`` (rank 1 only)."""
    rank = (
        func.row_number()
        .over(
            partition_by=[getattr(Observation, name) for name in KEY_COLUMNS],
            order_by=(
                Observation.published_on.desc(),
                Observation.recorded_at.desc(),
                Observation.id.desc(),
            ),
        )
        .label("version_rank")
    )
    columns = [getattr(Observation, name) for name in KEY_COLUMNS]
    inner = (
        select(*columns, Observation.id, Observation.published_on, Observation.recorded_at, rank)
        .where(*conditions)
        .subquery()
    )
    names = [*KEY_COLUMNS, "id", "published_on", "recorded_at"]
    return select(*(inner.c[name] for name in names)).where(inner.c.version_rank == 1)


def _insert(session: Session) -> Any:
    """``INSERT INTO current_value`` in the dialect that knows ``ON CONFLICT``."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(CurrentValue)


TARGET_COLUMNS = [*KEY_COLUMNS, "observation_id", "published_on", "recorded_at"]


def record_inserted(session: Session, batch: ColumnElement[bool]) -> None:
    """After inserting figures (``batch`` selects them): each becomes the current version
    of its period unless the one held is newer (published later, or the same day and
    recorded later), as when a return brings an old figure published long ago."""
    statement = _insert(session).from_select(TARGET_COLUMNS, _ranked(batch))
    incoming = statement.excluded
    held = (CurrentValue.published_on, CurrentValue.recorded_at, CurrentValue.observation_id)
    newer = tuple_(incoming.published_on, incoming.recorded_at, incoming.observation_id) > tuple_(
        *held
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=list(KEY_COLUMNS),
            set_={
                "observation_id": incoming.observation_id,
                "published_on": incoming.published_on,
                "recorded_at": incoming.recorded_at,
            },
            where=newer,
        )
    )


def record_withdrawn(session: Session, return_id: int) -> None:
    """After withdrawing a return: its figures stop being current, and each period they
    held falls back to the newest version still standing (if any)."""
    figures = select(Observation.id).where(Observation.return_id == return_id)
    session.execute(delete(CurrentValue).where(CurrentValue.observation_id.in_(figures)))
    theirs = aliased(Observation)
    touched = exists().where(
        theirs.return_id == return_id,
        and_(*(getattr(theirs, name) == getattr(Observation, name) for name in KEY_COLUMNS)),
    )
    standing = _ranked(visible_condition(EVERYTHING), touched)
    statement = _insert(session).from_select(TARGET_COLUMNS, standing)
    session.execute(statement.on_conflict_do_nothing(index_elements=list(KEY_COLUMNS)))


@dataclass(frozen=True)
class ObservationInput:
    """A figure to record: which measure, area and period, the value and where it came from."""

    measure_id: int
    area_code: str
    period: Period
    value: float | None
    source: str
    qualifier: str = "exact"
    marker: str | None = None
    data_status: str = "final"
    partner: str = ""
    note: str = ""
    row_number: int | None = None
    published_on: date | None = None  # None: the day it is recorded


def add_observations(
    session: Session,
    items: Iterable[ObservationInput],
    recorded_at: datetime,
    return_id: int | None = None,
) -> int:
    """Insert ``items`` in one statement (inside the caller's transaction); return the count."""
    rows = [
        {
            "measure_id": item.measure_id,
            "area_code": item.area_code,
            "period_start": item.period.start,
            "period_end": item.period.end,
            "period_kind": str(item.period.kind),
            "value": item.value,
            "qualifier": item.qualifier,
            "marker": item.marker,
            "data_status": item.data_status,
            "partner": item.partner,
            "note": item.note,
            "source": item.source,
            "return_id": return_id,
            "row_number": item.row_number,
            "published_on": item.published_on or recorded_at.date(),
            "recorded_at": recorded_at,
        }
        for item in items
    ]
    if rows:
        session.execute(insert(Observation), rows)
        batch = Observation.recorded_at == recorded_at
        if return_id is not None:
            batch = and_(batch, Observation.return_id == return_id)
        record_inserted(session, batch)
    return len(rows)
