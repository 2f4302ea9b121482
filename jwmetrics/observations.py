"""Recording observations and reading them back as known on any date.

Nothing is overwritten. A new value for the same measure, area and period is a new row
(a revision); the *current* value of a period is the one recorded last, and a figure from
a withdrawn return stops counting from the moment it was withdrawn. Every query takes an
``as_of`` timestamp so the state on any earlier date can be rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Select, and_, func, insert, or_, select
from sqlalchemy.orm import Session

from jwmetrics.models import Observation, Return, Target
from jwmetrics.periods import Period, PeriodKind


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


@dataclass(frozen=True)
class ObservationView:
    """The current value of one period of one series, with its provenance."""

    id: int
    measure_id: int
    area_code: str
    period: Period
    value: float | None
    qualifier: str
    marker: str | None
    data_status: str
    partner: str
    note: str
    source: str
    return_id: int | None
    row_number: int | None
    recorded_at: datetime


def end_of_day(day: date) -> datetime:
    """The last moment of ``day``: "as known on 7 December 2001" includes that whole day."""
    return datetime.combine(day, time.max)


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
            "recorded_at": recorded_at,
        }
        for item in items
    ]
    if rows:
        session.execute(insert(Observation), rows)
    return len(rows)


def visible_condition(as_of: datetime) -> object:
    """Rows known at ``as_of``: recorded by then, and not from a return withdrawn by then."""
    withdrawn = (
        select(Return.id)
        .where(Return.withdrawn_at.is_not(None), Return.withdrawn_at <= as_of)
        .scalar_subquery()
    )
    return and_(
        Observation.recorded_at <= as_of,
        or_(Observation.return_id.is_(None), Observation.return_id.not_in(withdrawn)),
    )


def current_versions(as_of: datetime, *conditions: object) -> Select[tuple[Observation]]:
    """Subquery of the current version of every period (latest recorded), as of ``as_of``."""
    rank = (
        func.row_number()
        .over(
            partition_by=(
                Observation.measure_id,
                Observation.area_code,
                Observation.period_start,
                Observation.period_end,
            ),
            order_by=(Observation.recorded_at.desc(), Observation.id.desc()),
        )
        .label("version_rank")
    )
    return select(Observation, rank).where(visible_condition(as_of), *conditions)


def _view(row: Observation) -> ObservationView:
    return ObservationView(
        id=row.id,
        measure_id=row.measure_id,
        area_code=row.area_code,
        period=Period(row.period_start, row.period_end, PeriodKind(row.period_kind)),
        value=row.value,
        qualifier=row.qualifier,
        marker=row.marker,
        data_status=row.data_status,
        partner=row.partner,
        note=row.note,
        source=row.source,
        return_id=row.return_id,
        row_number=row.row_number,
        recorded_at=row.recorded_at,
    )


def series(
    session: Session, measure_id: int, area_code: str, as_of: datetime
) -> list[ObservationView]:
    """The current value of every period of one series, oldest period first."""
    inner = current_versions(
        as_of, Observation.measure_id == measure_id, Observation.area_code == area_code
    ).subquery()
    current = select(Observation).join(inner, Observation.id == inner.c.id)
    current = current.where(inner.c.version_rank == 1).order_by(
        Observation.period_end, Observation.period_start
    )
    return [_view(row) for row in session.scalars(current)]


def history(
    session: Session, measure_id: int, area_code: str, period: Period
) -> list[ObservationView]:
    """Every recorded version of one period, oldest first: the revision trail."""
    query = (
        select(Observation)
        .where(
            Observation.measure_id == measure_id,
            Observation.area_code == area_code,
            Observation.period_start == period.start,
            Observation.period_end == period.end,
        )
        .order_by(Observation.recorded_at, Observation.id)
    )
    return [_view(row) for row in session.scalars(query)]


def recent_values(
    session: Session,
    as_of: datetime,
    measure_ids: Sequence[int] | None = None,
    area_codes: Sequence[str] | None = None,
    count: int = 1,
) -> dict[tuple[int, str], list[ObservationView]]:
    """The newest ``count`` periods with a value of each (measure, area) series, oldest first.

    One SQL pass over the index on (measure, area, period end, recorded at), however many
    series: the status table reads every series' recent trend this way instead of one query
    per series.
    """
    conditions: list[object] = []
    if measure_ids is not None:
        conditions.append(Observation.measure_id.in_(list(measure_ids)))
    if area_codes is not None:
        conditions.append(Observation.area_code.in_(list(area_codes)))
    versions = current_versions(as_of, *conditions).subquery()
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
    query = select(Observation).join(ranked, Observation.id == ranked.c.id)
    query = query.where(ranked.c.newest_rank <= count).order_by(
        Observation.measure_id, Observation.area_code, Observation.period_end
    )
    found: dict[tuple[int, str], list[ObservationView]] = {}
    for row in session.scalars(query):
        found.setdefault((row.measure_id, row.area_code), []).append(_view(row))
    return found


def latest_values(
    session: Session,
    as_of: datetime,
    measure_ids: Sequence[int] | None = None,
    area_codes: Sequence[str] | None = None,
) -> dict[tuple[int, str], ObservationView]:
    """The newest period with a value of each (measure, area) series, in one SQL pass."""
    recent = recent_values(session, as_of, measure_ids, area_codes, count=1)
    return {key: views[-1] for key, views in recent.items()}


def latest_recorded_at(session: Session) -> datetime | None:
    """When the data last changed (a figure or target recorded, a return withdrawn).

    This is the default reporting date, so a withdrawal shows at once.
    """
    moments = [
        session.scalar(select(func.max(Observation.recorded_at))),
        session.scalar(select(func.max(Target.recorded_at))),
        session.scalar(select(func.max(Return.withdrawn_at))),
    ]
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None
