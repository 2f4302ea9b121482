"""The store's side of a commit: the SQL that writes a return's figures, and a withdrawal.

Kept apart, and free of any other step of a return, so that it can move into the store
as it is. :func:`insert_rows` is the one way figures of a return are written: one driver
call (COPY on PostgreSQL, one ``executemany`` on SQLite) inside the caller's transaction.
:func:`mark_withdrawn` is the conditional UPDATE that withdraws a return.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from itertools import repeat
from operator import itemgetter

from sqlalchemy import Connection, update
from sqlalchemy.orm import Session

from jwmetrics.models import Return
from jwmetrics.periods import Period, PeriodKind
from jwmetrics.returns.model import ReturnRow, ReturnRows

INSERT_COLUMNS = (
    "measure_id, area_code, period_start, period_end, period_kind, value, qualifier, marker, "
    "data_status, partner, note, source, return_id, row_number, published_on, recorded_at"
)
_KINDS = {kind: str(kind) for kind in PeriodKind}  # the plain text stored, not the enum


def insert_rows(
    session: Session,
    return_id: int,
    file_name: str,
    rows: Sequence[ReturnRow],
    now: datetime,
    published_on: date,
) -> None:
    """Insert the observations of a return in one driver call: COPY, or one executemany.

    ``rows`` (best as :class:`~jwmetrics.returns.model.ReturnRows`) are written column by
    column, each row's values made as the driver asks for them. On SQLite dates go in as the
    ISO text SQLAlchemy itself stores, which spares the driver's per-value adapters (a third
    of the insert time for a large return). The driver is called directly, inside the
    session's transaction: SQLAlchemy's ``exec_driver_sql`` would need every row's values
    in one list first.
    """
    block = ReturnRows.of(rows)
    if not len(block):
        return
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    params = _parameters(block, return_id, file_name, now, published_on, iso=sqlite)
    if connection.dialect.name == "postgresql":
        _copy_rows(connection, params)
        return
    _execute_many(connection, params)


def _execute_many(connection: Connection, params: Iterator[tuple[object, ...]]) -> None:
    """One driver ``executemany`` of the rows, fed as they are made (never all held at once)."""
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO observation ({INSERT_COLUMNS}) VALUES ({', '.join([marker] * 16)})"
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(statement, params)  # type: ignore[arg-type]  # sqlite3 takes any iterable
    finally:
        cursor.close()


def _parameters(
    rows: ReturnRows, return_id: int, file_name: str, now: datetime, published_on: date, iso: bool
) -> Iterator[tuple[object, ...]]:
    """Each row's 16 values in :data:`INSERT_COLUMNS` order (dates as ISO text if ``iso``)."""
    # Rows share one Period object per distinct period (the check makes one per text), so
    # they are told apart by identity: hashing a Period is a Python call, id() is not.
    distinct = dict(zip(map(id, rows.periods), rows.periods, strict=True))
    spelled = {key: _period_columns(period, iso) for key, period in distinct.items()}
    by_row = list(map(spelled.__getitem__, map(id, rows.periods)))
    starts, ends, kinds = (map(itemgetter(i), by_row) for i in range(3))
    count = len(rows)
    source = f"return {return_id} ({file_name})"
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if iso else now
    published = published_on.isoformat() if iso else published_on
    return zip(
        rows.measure_ids,
        rows.area_codes,
        starts,
        ends,
        kinds,
        rows.values,
        rows.qualifiers,
        rows.markers,
        rows.statuses,
        rows.partners,
        rows.notes,
        repeat(source, count),
        repeat(return_id, count),
        rows.row_numbers,
        repeat(published, count),
        repeat(stamp, count),
        strict=True,
    )


def _period_columns(period: Period, iso: bool) -> tuple[object, object, str]:
    """How a period is stored: start, end (ISO text on SQLite) and its kind as plain text."""
    if iso:
        return period.start.isoformat(), period.end.isoformat(), _KINDS[period.kind]
    return period.start, period.end, _KINDS[period.kind]


def _copy_rows(connection: Connection, params: Iterator[tuple[object, ...]]) -> None:
    """PostgreSQL's COPY: many times faster than INSERTs for a large return, same transaction."""
    raw = connection.connection.dbapi_connection
    statement = f"COPY observation ({INSERT_COLUMNS}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in params:
            copy.write_row(row)


def mark_withdrawn(session: Session, return_id: int, by: str, now: datetime) -> bool:
    """Mark a return withdrawn unless it already is; False when someone else just did.

    Conditional, so that of two withdrawals at once exactly one records its name.
    """
    result = session.execute(
        update(Return)
        .where(Return.id == return_id, Return.withdrawn_at.is_(None))
        .values(withdrawn_at=now, withdrawn_by=by, outcome="withdrawn")
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
