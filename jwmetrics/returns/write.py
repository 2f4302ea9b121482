"""A return's figures as the store writes them: the rows of a check turned into value tuples.

:func:`insert_rows` hands them to the store's one insert path
(:func:`jwmetrics.store.writes.insert_figures`: COPY on PostgreSQL, one ``executemany`` on
SQLite, then the current values updated), inside the commit's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from itertools import repeat
from operator import itemgetter

from sqlalchemy.orm import Session

from jwmetrics.db.models import Observation
from jwmetrics.periods import Period, PeriodKind
from jwmetrics.returns.model import ReturnRow, ReturnRows
from jwmetrics.steps import Progress, counted, quiet
from jwmetrics.store.writes import INSERT_COLUMNS as INSERT_COLUMNS
from jwmetrics.store.writes import insert_figures

_KINDS = {kind: str(kind) for kind in PeriodKind}  # the plain text stored, not the enum


def insert_rows(
    session: Session,
    return_id: int,
    file_name: str,
    rows: Sequence[ReturnRow],
    now: datetime,
    published_on: date,
    *,
    counting: bool = True,
    progress: Progress = quiet,
) -> None:
    """Insert the observations of a return in one driver call: COPY, or one executemany.

    ``rows`` (best as :class:`~jwmetrics.returns.model.ReturnRows`) are written column by
    column, each row's values made as the driver asks for them. On SQLite dates go in as the
    ISO text SQLAlchemy itself stores, which spares the driver's per-value adapters (a third
    of the insert time for a large return). The driver is called directly, inside the
    session's transaction: SQLAlchemy's ``exec_driver_sql`` would need every row's values
    in one list first. ``counting`` False keeps a return waiting for approval out of the
    current values. ``progress`` hears every 10,000 rows written.
    """
    block = ReturnRows.of(rows)
    if not len(block):
        return
    sqlite = session.connection().dialect.name == "sqlite"
    params = counted(
        _parameters(block, return_id, file_name, now, published_on, iso=sqlite),
        progress,
        "Recording figures",
        len(block),
    )
    insert_figures(
        session, params, Observation.return_id == return_id, one_per_period=True, counting=counting
    )


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
