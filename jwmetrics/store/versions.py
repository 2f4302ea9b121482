"""Which version of a figure counts: the rule that picks one per period, in SQL and in Python.

The current version of a period is the one published last (recorded last among those
published the same day), among the versions that count at a
:class:`~jwmetrics.store.known.KnownAt`. :func:`current_rows` reads the kept
``current_value`` table when it holds exactly that view (:func:`table_serves`) and ranks
every version otherwise (:func:`current_versions`). :func:`current_figures` is the query
every reader outside this package uses: the current version of each period, as whole
``Observation`` rows. :func:`current_on` applies the same rule to versions already read, for a
series replayed day by day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, literal, select
from sqlalchemy.orm import Session

from jwmetrics.db.models import CurrentValue, Observation, Return
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.known import KnownAt, visible_condition


def current_versions(known: KnownAt, *conditions: ColumnElement[bool]) -> Select[Observation, int]:
    """The versions that count at ``known``, each ranked within its period (1 = current).

    Ranks every version of every row matching ``conditions``: the general rule, for any day
    and moment. :func:`current_rows` reads the kept table instead when it can.
    """
    rank = (
        func.row_number()
        .over(
            partition_by=(
                Observation.measure_id,
                Observation.area_code,
                Observation.period_start,
                Observation.period_end,
            ),
            order_by=(
                Observation.published_on.desc(),
                Observation.recorded_at.desc(),
                Observation.id.desc(),
            ),
        )
        .label("version_rank")
    )
    return select(Observation, rank).where(visible_condition(known), *conditions)


def table_serves(session: Session, known: KnownAt) -> bool:
    """True when ``current_value`` holds exactly what ``known`` sees: nothing stored is
    published after its day, and nothing was recorded, approved or withdrawn after its moment.

    Four look-ups; true for every ordinary view of today.
    """
    newest = session.scalar(select(func.max(CurrentValue.published_on)))
    if newest is not None and newest > known.day:
        return False
    changed = [
        session.scalar(select(func.max(Observation.recorded_at))),
        session.scalar(select(func.max(Return.withdrawn_at))),
        session.scalar(select(func.max(Return.counts_from))),  # an approval changes it too
    ]
    return all(moment is None or moment <= known.recorded_by for moment in changed)


def current_rows(
    session: Session,
    known: KnownAt,
    *conditions: ColumnElement[bool],
    serves: bool | None = None,
) -> Select[Observation, int]:
    """Like :func:`current_versions` (rows with a ``version_rank``), but read from the kept
    ``current_value`` table, all of rank 1, whenever it serves ``known`` (``serves``: the
    answer of :func:`table_serves` when the caller has it already, for many queries)."""
    if not (table_serves(session, known) if serves is None else serves):
        return current_versions(known, *conditions)
    rank_one = literal(1).label("version_rank")
    return (
        select(Observation, rank_one)
        .join(
            CurrentValue,
            and_(  # the key first, so the join is a seek on current_value's primary key
                CurrentValue.measure_id == Observation.measure_id,
                CurrentValue.area_code == Observation.area_code,
                CurrentValue.period_end == Observation.period_end,
                CurrentValue.period_start == Observation.period_start,
                CurrentValue.observation_id == Observation.id,
            ),
        )
        .where(*conditions)
    )


def current_figures(
    session: Session,
    known: KnownAt,
    *conditions: ColumnElement[bool],
    ranked: bool = False,
    serves: bool | None = None,
) -> Select[Observation]:
    """The current version of each period matching ``conditions`` at ``known``: the one
    query for "the figures as they stand", as whole :class:`Observation` rows.

    Reads the kept ``current_value`` table when it serves ``known`` (:func:`current_rows`);
    ``ranked=True`` always ranks every version (:func:`current_versions`), for a check or
    an audit that must not depend on the kept table; ``serves`` passes on
    :func:`table_serves`'s answer for a caller making many queries. Add ``order_by`` as needed.
    """
    source = (
        current_versions(known, *conditions)
        if ranked
        else current_rows(session, known, *conditions, serves=serves)
    )
    inner = source.subquery()
    return (
        select(Observation)
        .join(inner, Observation.id == inner.c.id)
        .where(inner.c.version_rank == 1)
    )


def current_on(versions: list[ObservationView], day: date) -> list[ObservationView]:
    """The series as known on ``day`` from its versions: per period, the one published last
    by then (the same rule as :func:`current_versions`), oldest period first."""
    current: dict[tuple[date, date], ObservationView] = {}
    for view in versions:
        if view.published_on > day:
            continue
        key = (view.period.start, view.period.end)
        held = current.get(key)
        if held is None or (view.published_on, view.recorded_at, view.id) > (
            held.published_on,
            held.recorded_at,
            held.id,
        ):
            current[key] = view
    return sorted(current.values(), key=lambda v: (v.period.end, v.period.start))
