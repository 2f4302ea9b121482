"""One series in full, for the drill-down: figures, target, trajectory, forecast and status.

:func:`series_detail` gathers everything the initiative page and the trend chart show for
one measure in one area, so the page only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from jwmetrics.assess.forecast import Forecast
from jwmetrics.assess.portfolio import (
    Assessment,
    assess,
    judged,
    ordered_targets,
    reporting_day,
    status_table,
)
from jwmetrics.assess.progress import ResolvedTarget, resolve, trajectory_path
from jwmetrics.assess.scales import scale_for
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area, Measure, Observation, Target
from jwmetrics.events.record import every_event
from jwmetrics.events.splits import definition_day
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.figures import series
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ALL_LOCAL_AUTHORITIES as ALL_LOCAL_AUTHORITIES
from jwmetrics.store.lookup import ENGLAND, areas_under, find_area, find_measure
from jwmetrics.store.targets import targets_in_force


@dataclass(frozen=True)
class SeriesDetail:
    """Everything about one measure in one area as known at ``assessment.as_of``."""

    measure_slug: str
    measure_name: str
    unit: str
    direction: str
    area_code: str
    area_name: str
    observations: list[ObservationView]
    target: ResolvedTarget | None
    target_wording: str
    target_source: str
    assessment: Assessment
    trend: Forecast | None = None  # the fitted trend the forecast comes from
    other_targets: tuple[Assessment, ...] = ()  # the series' other targets, each judged
    split: date | None = None  # a definition change: the trend is not joined across it

    @property
    def trajectory_points(self) -> list[tuple[date, float]]:
        """The planned path: baseline, any milestones, target (empty without a full target)."""
        target = self.target
        if target is None or None in (
            target.baseline_value,
            target.baseline_date,
            target.value,
            target.target_date,
        ):
            return []
        return trajectory_path(target, scale_for(self.unit))


def series_detail(
    db: Database,
    measure_key: str,
    area_code: str = ENGLAND,
    as_of: date | None = None,
    recorded_by: datetime | None = None,
) -> SeriesDetail:
    """The full series of ``measure_key`` (id or name) in ``area_code``, as known on ``as_of``
    (default: the newest publication day, as every view), judged against its first target
    as the status table orders them (the nearest open one); its other targets are judged
    too (``other_targets``). ``recorded_by`` reads the database as it stood at that moment
    (a briefing pack rebuilt exactly); default now.
    """
    area = find_area(db, area_code)
    with db.session() as session:
        measure: Measure = find_measure(session, measure_key)
        day = reporting_day(session, as_of)
        known = KnownAt(day, recorded_by or datetime.now())
        targets: list[Target | None] = [
            *targets_in_force(session, known, [measure.id], [area.code]).get(
                (measure.id, area.code), []
            )
        ] or [None]
        views = series(session, measure.id, area.code, known)
        found = every_event(session, known)
        split = definition_day(found, measure.initiative_slug, measure.slug, area.code)
        every = [
            (t, judged(session, known, measure, area.code, t, views, day, split)) for t in targets
        ]
        assessments = [(t, j, assess(measure, area, t, views, day, j)) for t, j in every]
        ordered = ordered_targets([(t, j) for t, j, _ in assessments])
        by_target = {id(t): a for t, _, a in assessments}
        target, judgement = ordered[0]
        return SeriesDetail(
            measure_slug=measure.slug,
            measure_name=measure.name,
            unit=measure.unit,
            direction=measure.direction,
            area_code=area.code,
            area_name=area.name,
            observations=views,
            target=resolve(target, measure.direction) if target else None,
            target_wording=target.wording if target else "",
            target_source=target.source if target else "",
            assessment=by_target[id(target)],
            trend=judgement.forecast,
            other_targets=tuple(by_target[id(t)] for t, _ in ordered[1:]),
            split=split,
        )


def areas_for_measure(db: Database, measure_key: str) -> dict[str, str]:
    """Areas with a figure or a target for the measure, England first then by name.

    England is always offered, so a measure with no figures still has a view.
    """
    with db.session() as session:
        measure = find_measure(session, measure_key)
        with_data = select(Observation.area_code).where(Observation.measure_id == measure.id)
        with_target = select(Target.area_code).where(Target.measure_id == measure.id)
        codes = set(session.scalars(with_data.distinct())) | set(session.scalars(with_target))
        codes.add(ENGLAND)
        areas = session.scalars(select(Area).where(Area.code.in_(codes)))
        ordered = sorted(areas, key=lambda a: (a.code != ENGLAND, a.area_type != "region", a.name))
        return {a.code: a.name for a in ordered}


def area_choices(db: Database) -> dict[str, str]:
    """Parents an area table can list the children of: England, each region, or every LA."""
    with db.session() as session:
        regions = session.scalars(
            select(Area).where(Area.area_type == "region").order_by(Area.name)
        )
        choices = {ENGLAND: "England: the regions"}
        choices.update({r.code: f"{r.name}: its local authorities" for r in regions})
        choices[ALL_LOCAL_AUTHORITIES] = "Every local authority in England"
        return choices


def child_areas(db: Database, parent: str) -> list[str]:
    """Codes of the areas directly under ``parent``, or every local authority."""
    with db.session() as session:
        return [area.code for area in areas_under(session, parent)]


def area_table(
    db: Database, measure_key: str, parent: str = ENGLAND, as_of: date | None = None
) -> list[Assessment]:
    """Each area under ``parent`` with a figure or target for the measure, with its status.

    Areas with nothing recorded are left out; one SQL pass reads every area's recent figures.
    """
    return status_table(db, as_of=as_of, measure=measure_key, area_codes=child_areas(db, parent))
