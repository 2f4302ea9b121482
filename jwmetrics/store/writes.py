"""Writing figures: the one insert path, and the current-values table kept in step with it.

Nothing is overwritten: a new value for the same measure, area and period is a new row (a
revision). The ``current_value`` table (:class:`~jwmetrics.db.models.CurrentValue`) holds, for
each period of each series, the version a reader sees now: published last, recorded last
among those published the same day, never one from a withdrawn return. Every insert of
figures, every approval and every withdrawal of a return calls :func:`record_inserted` or
:func:`record_withdrawn` inside the same transaction, so the table cannot disagree with the
versions it summarises (tests compare the two after seeded random writes). Reads use it
through :func:`jwmetrics.store.figures.current_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from jwmetrics.db.models import CurrentValue, Observation, Return, ReturnEvent
from jwmetrics.periods import Period
from jwmetrics.store.known import EVERYTHING, visible_condition

KEY_COLUMNS = ("measure_id", "area_code", "period_end", "period_start")
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


def _batch(*conditions: ColumnElement[bool]) -> Any:
    """The versions matching ``conditions`` as they are, for a batch known to hold one
    version per period (a checked return: repeated rows are read once), so no ranking."""
    columns = [getattr(Observation, name) for name in KEY_COLUMNS]
    return select(
        *columns, Observation.id, Observation.published_on, Observation.recorded_at
    ).where(*conditions)


def _insert(session: Session) -> Any:
    """``INSERT INTO current_value`` in the dialect that knows ``ON CONFLICT``."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(CurrentValue)


TARGET_COLUMNS = [*KEY_COLUMNS, "observation_id", "published_on", "recorded_at"]


def record_inserted(
    session: Session, batch: ColumnElement[bool], *, one_per_period: bool = False
) -> None:
    """After inserting figures (``batch`` selects them): each becomes the current version
    of its period unless the one held is newer (published later, or the same day and
    recorded later), as when a return brings an old figure published long ago."""
    source = _batch(batch) if one_per_period else _ranked(batch)
    statement = _insert(session).from_select(TARGET_COLUMNS, source)
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
    theirs_keys = select(*(getattr(Observation, name) for name in KEY_COLUMNS)).where(
        Observation.return_id == return_id
    )
    figures = select(Observation.id).where(Observation.return_id == return_id)
    held = tuple_(*(getattr(CurrentValue, name) for name in KEY_COLUMNS))
    session.execute(  # found by the key (the table's own index), then checked by id
        delete(CurrentValue).where(held.in_(theirs_keys), CurrentValue.observation_id.in_(figures))
    )
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
    """Insert ``items`` through :func:`insert_figures` (inside the caller's transaction);
    return the count. The catalogue's seeding and tests write figures this way."""
    listed = list(items)
    iso = session.connection().dialect.name == "sqlite"
    stamp = stored(recorded_at, iso)
    params = (
        (
            item.measure_id,
            item.area_code,
            stored(item.period.start, iso),
            stored(item.period.end, iso),
            str(item.period.kind),
            item.value,
            item.qualifier,
            item.marker,
            item.data_status,
            item.partner,
            item.note,
            item.source,
            return_id,
            item.row_number,
            stored(item.published_on or recorded_at.date(), iso),
            stamp,
        )
        for item in listed
    )
    batch = Observation.recorded_at == recorded_at
    if return_id is not None:
        batch = and_(batch, Observation.return_id == return_id)
    insert_figures(session, params, batch)
    return len(listed)


INSERT_COLUMNS = (
    "measure_id, area_code, period_start, period_end, period_kind, value, qualifier, marker, "
    "data_status, partner, note, source, return_id, row_number, published_on, recorded_at"
)
"""The observation columns every insert writes, in the order of its value tuples."""


def stored(value: date | datetime, iso: bool) -> object:
    """A date or time as the driver should get it: on SQLite (``iso``) the ISO text that
    SQLAlchemy itself stores (``2001-12-07``, ``2001-12-07 00:00:00.000000``), so rows
    written here compare equal to rows written through the ORM; else the value itself."""
    if not iso:
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat()


def insert_figures(
    session: Session,
    params: Iterable[tuple[object, ...]],
    batch: ColumnElement[bool],
    *,
    one_per_period: bool = False,
    counting: bool = True,
) -> None:
    """The one insert path for figures: COPY on PostgreSQL, one driver ``executemany`` on
    SQLite, inside the session's transaction, then the current values brought up to date.

    ``params`` are tuples in :data:`INSERT_COLUMNS` order (dates as :func:`stored` gives
    them), fed to the driver as they are made; ``batch`` selects the rows just written;
    ``one_per_period`` says the batch holds at most one version of each period. A return
    waiting for approval is written with ``counting`` False: kept, but not current until
    :func:`approve` makes it count.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy_rows(connection, params)
    else:
        _execute_many(connection, params)
    if counting:
        record_inserted(session, batch, one_per_period=one_per_period)


def _execute_many(connection: Connection, params: Iterable[tuple[object, ...]]) -> None:
    """One driver ``executemany`` of the rows, fed as they are made (never all held at once)."""
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO observation ({INSERT_COLUMNS}) VALUES ({', '.join([marker] * 16)})"
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(statement, params)  # type: ignore[arg-type]  # sqlite3 takes any iterable
    finally:
        cursor.close()


def _copy_rows(connection: Connection, params: Iterable[tuple[object, ...]]) -> None:
    """PostgreSQL's COPY: many times faster than INSERTs for a large return, same transaction."""
    raw = connection.connection.dbapi_connection
    statement = f"COPY observation ({INSERT_COLUMNS}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in params:
            copy.write_row(row)


def move(
    session: Session,
    return_id: int,
    from_states: tuple[str, ...],
    state: str,
    by: str,
    now: datetime,
    reason: str = "",
) -> bool:
    """Move a return into ``state`` if it is in one of ``from_states``, recording the move;
    False when it is not (someone else moved it a moment ago: nothing changed then).

    Conditional in SQL, so that of two moves at once exactly one happens and is recorded.
    """
    values: dict[str, object] = {"state": state}
    if state == "withdrawn":
        values.update(withdrawn_at=now, withdrawn_by=by, outcome="withdrawn")
    if state == "approved":
        values["counts_from"] = now
    result = session.execute(
        update(Return)
        .where(Return.id == return_id, Return.state.in_(from_states), Return.withdrawn_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.add(ReturnEvent(return_id=return_id, state=state, by=by, at=now, reason=reason))
    return True


def approve(session: Session, return_id: int, by: str, now: datetime) -> bool:
    """Approve a submitted return: from ``now`` its figures count, and each becomes the
    current version of its period unless the one held is newer. False if not submitted."""
    if not move(session, return_id, ("submitted",), "approved", by, now):
        return False
    record_inserted(session, Observation.return_id == return_id, one_per_period=True)
    return True


def withdraw(session: Session, return_id: int, by: str, now: datetime) -> bool:
    """Mark a return withdrawn unless it already is, and let the figures it replaced count
    again; False when someone else just did (nothing changed then).

    Conditional, so that of two withdrawals at once exactly one records its name.
    """
    if not move(session, return_id, ("submitted", "approved"), "withdrawn", by, now):
        return False
    record_withdrawn(session, return_id)
    return True
