"""Reading figures back as known at a :class:`~jwmetrics.store.known.KnownAt`.

The *current* value of a period is the one published last (recorded last among those
published the same day); a figure from a withdrawn return stops counting from the moment it
was withdrawn. Reads of "now" use the kept ``current_value`` table; views of an earlier day
or moment rank every version (:func:`current_versions`). Either way a caller gets
:class:`ObservationView` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, func, select, true, tuple_
from sqlalchemy.orm import Session, aliased

from jwmetrics.db.models import Area, CurrentValue, Measure, Observation, Target
from jwmetrics.periods import Period, months_before
from jwmetrics.store.figure import ObservationView, view_of, view_of_row
from jwmetrics.store.known import KnownAt, visible_condition
from jwmetrics.store.versions import current_figures, current_versions, table_serves


def series(
    session: Session, measure_id: int, area_code: str, known: KnownAt
) -> list[ObservationView]:
    """The current value of every period of one series, oldest period first."""
    current = current_figures(
        session, known, Observation.measure_id == measure_id, Observation.area_code == area_code
    ).order_by(Observation.period_end, Observation.period_start)
    return [view_of(row) for row in session.scalars(current)]


def versions_of_targeted(
    session: Session, known: KnownAt, measure_ids: Sequence[int]
) -> dict[tuple[int, str], list[ObservationView]]:
    """Every version that counts at ``known`` of every series of ``measure_ids`` that has a
    target, in publication order, in one query (the track record reads hundreds of series;
    one query each took seconds at 1M). :func:`~jwmetrics.store.versions.current_on`
    rebuilds a series on any earlier day from them."""
    targeted = select(Target.measure_id, Target.area_code).where(
        Target.measure_id.in_(list(measure_ids))
    )
    table = Observation.__table__
    query = (
        select(table)
        .where(
            visible_condition(known),
            tuple_(table.c.measure_id, table.c.area_code).in_(targeted),
        )
        .order_by(table.c.published_on, table.c.recorded_at, table.c.id)
    )
    found: dict[tuple[int, str], list[ObservationView]] = {}
    for row in session.execute(query).mappings():
        view = view_of_row(row)
        found.setdefault((view.measure_id, view.area_code), []).append(view)
    return found


def history(
    session: Session, measure_id: int, area_code: str, period: Period
) -> list[ObservationView]:
    """Every recorded version of one period, in publication order: the revision trail."""
    query = (
        select(Observation)
        .where(
            Observation.measure_id == measure_id,
            Observation.area_code == area_code,
            Observation.period_start == period.start,
            Observation.period_end == period.end,
        )
        .order_by(Observation.published_on, Observation.recorded_at, Observation.id)
    )
    return [view_of(row) for row in session.scalars(query)]


def recent_values(
    session: Session,
    known: KnownAt,
    measure_ids: Sequence[int] | None = None,
    area_codes: Sequence[str] | None = None,
    count: int = 1,
) -> dict[tuple[int, str], list[ObservationView]]:
    """The newest ``count`` periods with a value of each (measure, area) series, oldest first.

    One SQL statement however many series: the status table reads every series' recent
    trend this way instead of one query per series. Read from the kept ``current_value``
    table when it serves ``known`` (:func:`_recent_from_table`), else by ranking versions.
    """
    if table_serves(session, known):
        rows = _recent_from_table(session, measure_ids, area_codes, count)
    else:
        rows = _recent_by_ranking(session, known, measure_ids, area_codes, count)
    found: dict[tuple[int, str], list[ObservationView]] = {}
    for view in rows:
        found.setdefault((view.measure_id, view.area_code), []).append(view)
    for key, views in found.items():  # ties at the cut-off: keep exactly ``count``
        views.sort(key=lambda v: (v.period.end, -v.period.start.toordinal()))
        found[key] = views[-count:]
    return found


def _series_held(
    measure_ids: Sequence[int] | None, area_codes: Sequence[str] | None
) -> Select[int, str]:
    """The (measure, area) series with a current figure, among those asked for.

    Given areas (England, say), each measure x area pair is probed on ``current_value``'s
    key, a seek each, so the cost follows the pairs asked for, not the size of the table;
    with no areas, every series is wanted and one pass over the table finds them.
    """
    current = CurrentValue
    if area_codes is None:
        conditions: list[ColumnElement[bool]] = []
        if measure_ids is not None:
            conditions.append(current.measure_id.in_(list(measure_ids)))
        return select(current.measure_id, current.area_code).where(*conditions).distinct()
    held = (  # LIMIT: kept a probe per pair (PostgreSQL would turn EXISTS into a table scan)
        select(current.measure_id)
        .where(current.measure_id == Measure.id, current.area_code == Area.code)
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )
    query = (
        select(Measure.id.label("measure_id"), Area.code.label("area_code"))
        .join(Area, true())
        .where(Area.code.in_(list(area_codes)), held)
    )
    if measure_ids is not None:
        query = query.where(Measure.id.in_(list(measure_ids)))
    return query


def _recent_from_table(
    session: Session,
    measure_ids: Sequence[int] | None,
    area_codes: Sequence[str] | None,
    count: int,
) -> list[ObservationView]:
    """Each series' newest ``count`` valued periods, from ``current_value``.

    Per series one index seek finds the period end ``count`` places back (``since``); then
    the periods from there on are joined in. No sort of the whole table, unlike a window
    function over every row.
    """
    current = CurrentValue
    each = _series_held(measure_ids, area_codes).subquery("each_series")
    back, back_figure = aliased(CurrentValue), aliased(Observation)
    since = (
        select(back.period_end)
        .join(back_figure, back_figure.id == back.observation_id)
        .where(
            back.measure_id == each.c.measure_id,
            back.area_code == each.c.area_code,
            back_figure.value.is_not(None),
        )
        .order_by(back.period_end.desc())
        .limit(1)
        .offset(count - 1)
        .scalar_subquery()
    )
    # MATERIALIZED: work ``since`` out once per series; a planner that flattened it into
    # the join below would run the seek once per period instead (SQLite does).
    cut = (
        select(each.c.measure_id, each.c.area_code, since.label("since"))
        .cte("cut")
        .prefix_with("MATERIALIZED")
    )
    table = Observation.__table__
    query = (
        select(table)
        .join(current, current.observation_id == table.c.id)
        .join(
            cut, and_(cut.c.measure_id == current.measure_id, cut.c.area_code == current.area_code)
        )
        .where(
            table.c.value.is_not(None),
            current.period_end >= func.coalesce(cut.c.since, date.min),  # an index range
        )
    )
    return [view_of_row(row) for row in session.execute(query).mappings()]


def _recent_by_ranking(
    session: Session,
    known: KnownAt,
    measure_ids: Sequence[int] | None,
    area_codes: Sequence[str] | None,
    count: int,
) -> list[ObservationView]:
    """Each series' newest ``count`` valued periods as known at ``known``, ranking versions."""
    conditions: list[ColumnElement[bool]] = []
    if measure_ids is not None:
        conditions.append(Observation.measure_id.in_(list(measure_ids)))
    if area_codes is not None:
        conditions.append(Observation.area_code.in_(list(area_codes)))
    versions = current_versions(known, *conditions).subquery()
    newest = (
        func.row_number()
        .over(
            partition_by=(versions.c.measure_id, versions.c.area_code),
            order_by=(versions.c.period_end.desc(), versions.c.period_start.asc()),
        )
        .label("newest_rank")
    )
    ranked = (
        select(versions.c.id, newest)
        .where(versions.c.version_rank == 1, versions.c.value.is_not(None))
        .subquery()
    )
    table = Observation.__table__
    query = select(table).join(ranked, table.c.id == ranked.c.id)
    query = query.where(ranked.c.newest_rank <= count)
    return [view_of_row(row) for row in session.execute(query).mappings()]


def latest_values(
    session: Session,
    known: KnownAt,
    measure_ids: Sequence[int] | None = None,
    area_codes: Sequence[str] | None = None,
) -> dict[tuple[int, str], ObservationView]:
    """The newest period with a value of each (measure, area) series, in one SQL pass."""
    recent = recent_values(session, known, measure_ids, area_codes, count=1)
    return {key: views[-1] for key, views in recent.items()}


def published_days(
    session: Session,
    known: KnownAt,
    measure_ids: Sequence[int] | None = None,
    area_codes: Sequence[str] | None = None,
) -> dict[tuple[int, str], date]:
    """The newest publication day of each series' figures that count at ``known``.

    A revision of an old period, published late, moves its series' day too; one grouped
    SQL pass over the index on (measure, area, published on).
    """
    conditions: list[ColumnElement[bool]] = [visible_condition(known)]
    if measure_ids is not None:
        conditions.append(Observation.measure_id.in_(list(measure_ids)))
    if area_codes is not None:
        conditions.append(Observation.area_code.in_(list(area_codes)))
    query = (
        select(Observation.measure_id, Observation.area_code, func.max(Observation.published_on))
        .where(*conditions)
        .group_by(Observation.measure_id, Observation.area_code)
    )
    return {(m, a): day for m, a, day in session.execute(query)}


def latest_published_on(session: Session, today: date | None = None) -> date | None:
    """The newest day anything became known: a figure published or a target set.

    Never later than ``today``: a figure dated in the future is not yet known.
    """
    today = today or date.today()
    days = [
        # The kept table's index answers at once; its versions are the newest published of
        # each period, so their latest day is every standing figure's latest day.
        session.scalar(
            select(func.max(CurrentValue.published_on)).where(CurrentValue.published_on <= today)
        ),
        _as_date(session.scalar(select(func.max(Target.recorded_at)))),
    ]
    known = [day for day in days if day is not None]
    return min(max(known), today) if known else None


def _as_date(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


TARGET_WINDOW_MONTHS = 36
"""How far before a target date the figures for its period are looked for: three years
covers any reporting interval in use (a month to a triennial snapshot)."""


def target_period_figures(
    session: Session, known: KnownAt, deadlines: dict[tuple[int, str], set[date]]
) -> dict[tuple[int, str], list[ObservationView]]:
    """The figures around each series' target dates, for the verdict, however old they are.

    ``deadlines`` maps a series (measure id, area code) to the target dates whose figures the
    caller does not hold already. For each, the current figures whose period ends within
    :data:`TARGET_WINDOW_MONTHS` before the target date or covers it, and, where there is
    none and the date has passed, the series' first valued figure after it. One indexed
    query per series and date: the status table asks only for targets older than the recent
    figures it read, so the cost stays with the old targets, not with the data.
    """
    found: dict[tuple[int, str], dict[int, ObservationView]] = {}
    serves = table_serves(session, known) if deadlines else False  # once, not per query
    for (measure_id, area_code), days in sorted(deadlines.items()):
        series = (Observation.measure_id == measure_id, Observation.area_code == area_code)
        for due in sorted(days):
            after = months_before(due, TARGET_WINDOW_MONTHS)
            window = (Observation.period_end > after, Observation.period_start <= due)
            query = current_figures(session, known, *series, *window, serves=serves)
            rows = list(session.scalars(query))
            if due < known.day and not any(after < r.period_end <= due for r in rows):
                rows += _first_after(session, known, series, due, serves)
            for row in rows:
                found.setdefault((measure_id, area_code), {})[row.id] = view_of(row)
    return {
        key: sorted(views.values(), key=lambda v: (v.period.end, v.period.start))
        for key, views in found.items()
    }


def _first_after(
    session: Session,
    known: KnownAt,
    series: tuple[ColumnElement[bool], ColumnElement[bool]],
    due: date,
    serves: bool,
) -> list[Observation]:
    """One series' first valued figure ending after ``due`` (none: an empty list)."""
    later = (Observation.period_end > due, Observation.value.is_not(None))
    query = current_figures(session, known, *series, *later, serves=serves)
    return list(session.scalars(query.order_by(Observation.period_end).limit(1)))
