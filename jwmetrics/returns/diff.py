"""Step 3, diff: compare a file's rows with the figures stored for the same keys, in SQL.

For each row the question is: what is the current stored figure for this measure, area
and period, as known on the return's publication day? It is answered in two queries:

1. which of the file's series (measure and area) hold any figure at all, one indexed
   probe per series; rows of the other series are new without further ado;
2. for the keys of the series that do, the current version of each key, by a join of the
   observations with the file's own keys (one JSON array on SQLite, unnested arrays on
   PostgreSQL), ranked by the store's own rule (:func:`~jwmetrics.store.versions.current_versions`).

Only matched figures come back; the rows and their stored figures make :class:`Changes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import (
    FromClause,
    exists,
    select,
    true,
)
from sqlalchemy.orm import Session

from jwmetrics.db.models import Area, Measure, Observation, Return
from jwmetrics.returns.model import Changes, Key, ReturnRow, ReturnRows, StoredFigure
from jwmetrics.store.keys import keys_table
from jwmetrics.store.known import KnownAt
from jwmetrics.store.versions import current_figures


def diff(session: Session, rows: ReturnRows, known: KnownAt) -> Changes:
    """What each row would change: the stored figure current at ``known`` for its key."""
    stored = stored_current(session, rows, known)
    if not stored:
        return Changes(rows, {})
    position = {key: index for index, key in enumerate(rows.keys)}
    figures = {
        position[key]: StoredFigure(obs.value, obs.qualifier, obs.marker, obs.data_status)
        for key, obs in stored.items()
    }
    return Changes(rows, dict(sorted(figures.items())))


def stored_current(
    session: Session, rows: Iterable[ReturnRow], known: KnownAt | None = None
) -> dict[Key, Observation]:
    """The stored version current at ``known`` (default: now) of every figure the rows are for.

    Matched against the rows' own keys (measure, area, period start and end), never a
    superset of them; at most two queries.
    """
    block = ReturnRows.of(rows)
    if not len(block):
        return {}
    present = _series_with_figures(session, block)
    if not present:
        return {}
    keys = block.keys
    if len(present) < len(set(zip(block.measure_ids, block.area_codes, strict=True))):
        keys = [key for key in keys if key[:2] in present]
    if not keys:  # the stored series pair a file's measure with another row's area
        return {}
    file_key = _keys_table(session, keys)
    query = current_figures(
        session,
        known or KnownAt.on(date.max),
        Observation.measure_id == file_key.c.measure_id,
        Observation.area_code == file_key.c.area_code,
        Observation.period_start == file_key.c.period_start,
        Observation.period_end == file_key.c.period_end,
        ranked=True,
    )
    return {
        (obs.measure_id, obs.area_code, obs.period_start, obs.period_end): obs
        for obs in session.scalars(query)
    }


def _series_with_figures(session: Session, rows: ReturnRows) -> set[tuple[int, str]]:
    """The (measure id, area code) series of the rows that hold any stored figure."""
    holds = exists().where(Observation.measure_id == Measure.id, Observation.area_code == Area.code)
    query = select(Measure.id, Area.code).join(Area, true())  # every measure x area pair
    query = query.where(
        Measure.id.in_(sorted(set(rows.measure_ids))),
        Area.code.in_(sorted(set(rows.area_codes))),
        holds,
    )
    return {(measure_id, area_code) for measure_id, area_code in session.execute(query)}


def _keys_table(session: Session, keys: list[Key]) -> FromClause:
    """The keys as a table (measure_id, area_code, period_start, period_end) for a join."""
    return keys_table(session, keys, "file_key", _KEY_COLUMNS)


_KEY_COLUMNS = ("measure_id", "area_code", "period_start", "period_end")


def live_return_with(session: Session, sha256: str) -> int | None:
    """The id of a submitted or approved return with this content, if any."""
    query = select(Return.id).where(
        Return.sha256 == sha256, Return.state.in_(("submitted", "approved"))
    )
    return session.scalar(query.limit(1))
