"""The figure changes between two days, newest first, read a batch at a time in SQL.

A window can hold every figure in the store (a team that loads its history on day one
publishes it all on one day), so nothing here reads the window whole: :func:`iter_figure_changes`
walks the current figures published after ``since``'s day newest first, by publication day
then observation id, a batch at a time (keyset pagination on the index
``ix_current_value_newest``), and looks up only that batch's earlier versions. A page, a
capped count and the CLI's full listing are all slices of that one walk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from sqlalchemy import ColumnElement, Select, select, tuple_
from sqlalchemy.orm import Session

from jwmetrics.briefing.change_record import ChangeCount, ChangeRecord
from jwmetrics.db.models import CurrentValue, Measure, Observation
from jwmetrics.store.figure import ObservationView, view_of
from jwmetrics.store.keys import keys_table
from jwmetrics.store.known import KnownAt
from jwmetrics.store.versions import current_figures, current_versions, table_serves

BATCH = 500
"""Figures read per query: enough to amortise a round trip, small enough to stay flat."""
COUNT_CAP = 10_000
"""Figure changes counted exactly up to this; past it the count says "10,000+"."""


@dataclass(frozen=True)
class FigureCursor:
    """Where a walk stopped: the last figure listed (its publication day and observation id);
    the next page starts just after it, so pages never overlap or leave a gap."""

    published_on: date
    observation_id: int

    def token(self) -> tuple[str, int]:
        """A plain (ISO day, id) pair, for a page's ``next_after`` and a cache key."""
        return (self.published_on.isoformat(), self.observation_id)

    @classmethod
    def of(cls, token: tuple[str, int] | None) -> FigureCursor | None:
        """The cursor a :meth:`token` stands for (None for the start)."""
        return None if token is None else cls(date.fromisoformat(token[0]), int(token[1]))


def iter_figure_changes(
    session: Session,
    measures: dict[int, Measure],
    since: KnownAt,
    as_of: KnownAt,
    after: FigureCursor | None = None,
    scoped: bool = True,
) -> Iterator[tuple[FigureCursor, ChangeRecord]]:
    """Each figure whose version current at ``as_of`` was published after ``since``'s day,
    newest first, with the cursor just past it; a republication of the same value is skipped.

    Versions published after ``since`` are newer than any published by then, so the newest
    of them is the one current on ``as_of``; the one current on ``since`` is its "before".
    ``scoped=False`` when ``measures`` is every measure (no filter to apply).
    """
    serves = table_serves(session, as_of)
    position = after
    while True:
        query = _batch_query(measures, since.day, as_of, serves, position, scoped)
        batch = [view_of(row) for row in session.scalars(query)]
        if not batch:
            return
        earlier = _earlier(session, since, batch)
        for new in batch:
            position = FigureCursor(new.published_on, new.id)
            old = earlier.get(_key(new))
            if old is not None and _shown(old) == _shown(new) and old.qualifier == new.qualifier:
                continue  # published again unchanged
            yield position, _record(measures[new.measure_id], new, old)
        if len(batch) < BATCH:
            return


def count_figure_changes(
    session: Session,
    measures: dict[int, Measure],
    since: KnownAt,
    as_of: KnownAt,
    scoped: bool = True,
    cap: int = COUNT_CAP,
) -> ChangeCount:
    """How many figure changes :func:`iter_figure_changes` lists, counted up to ``cap``."""
    walk = iter_figure_changes(session, measures, since, as_of, scoped=scoped)
    counted = sum(1 for _ in islice(walk, cap + 1))
    return ChangeCount("figure", min(counted, cap), counted > cap)


def _batch_query(
    measures: dict[int, Measure],
    since_day: date,
    as_of: KnownAt,
    serves: bool,
    after: FigureCursor | None,
    scoped: bool,
) -> Select[Observation]:
    """The next ``BATCH`` current figures published after ``since_day``, newest first.

    From the kept ``current_value`` table when it serves ``as_of`` (an index walk on
    (published_on, observation_id)); else ranked from every version published in the window.
    """
    day: ColumnElement[date]
    ident: ColumnElement[int]
    if serves:
        day, ident = CurrentValue.__table__.c.published_on, CurrentValue.__table__.c.observation_id
        query = select(Observation).join(
            CurrentValue, CurrentValue.observation_id == Observation.id
        )
        query = query.where(CurrentValue.published_on > since_day)
        if scoped:
            query = query.where(CurrentValue.measure_id.in_(list(measures)))
    else:
        window = [Observation.published_on > since_day]
        if scoped:
            window.append(Observation.measure_id.in_(list(measures)))
        ranked = current_versions(as_of, *window).subquery()
        day, ident = ranked.c.published_on, ranked.c.id
        query = select(Observation).join(ranked, Observation.id == ranked.c.id)
        query = query.where(ranked.c.version_rank == 1)
    if after is not None:
        query = query.where(tuple_(day, ident) < tuple_(after.published_on, after.observation_id))
    return query.order_by(day.desc(), ident.desc()).limit(BATCH)


_Key = tuple[int, str, date, date]


def _key(view: ObservationView) -> _Key:
    """A figure's key: measure, area, period start and end."""
    return (view.measure_id, view.area_code, view.period.start, view.period.end)


def _earlier(
    session: Session, since: KnownAt, batch: list[ObservationView]
) -> dict[_Key, ObservationView]:
    """The version current at ``since`` of each figure of the batch (those that had one),
    matched on the batch's own keys (one join, never a superset)."""
    keys = sorted({_key(v) for v in batch})
    columns = ("measure_id", "area_code", "period_start", "period_end")
    wanted = keys_table(session, keys, "changed_key", columns)
    query = current_figures(
        session,
        since,
        Observation.measure_id == wanted.c.measure_id,
        Observation.area_code == wanted.c.area_code,
        Observation.period_start == wanted.c.period_start,
        Observation.period_end == wanted.c.period_end,
        ranked=True,
    )
    return {_key(view): view for view in map(view_of, session.scalars(query))}


def _record(measure: Measure, new: ObservationView, old: ObservationView | None) -> ChangeRecord:
    """One figure change, its value on each day."""
    return ChangeRecord(
        kind="figure",
        initiative=measure.initiative_slug,
        measure=measure.slug,
        area_code=new.area_code,
        before=None if old is None else _shown(old),
        after=_shown(new),
        when=new.published_on,
        source=new.source,
        period=new.period.label,
    )


def _shown(view: ObservationView) -> float | str | None:
    """A figure as a change lists it: its value, or its marker when it has none."""
    return view.value if view.value is not None else view.marker
