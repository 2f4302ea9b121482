"""The catalogue a return is checked against, read once per check as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.models import Area, Initiative, Measure
from jwmetrics.store.known import KnownAt
from jwmetrics.store.targets import current_targets


@dataclass(frozen=True, slots=True)
class MeasureRef:
    """What checking a row needs of a measure, as plain values (no ORM attribute cost)."""

    id: int
    slug: str
    initiative_slug: str
    unit: str


@dataclass(frozen=True)
class Catalogue:
    """Lookups a return is checked against, read once per check."""

    measures: dict[str, MeasureRef]  # by slug and by lower-case name
    initiatives: dict[str, str]  # slug and lower-case name -> slug
    areas: dict[str, str]  # code -> name
    baselines: dict[tuple[int, str], date]

    @classmethod
    def load(cls, session: Session) -> Catalogue:
        """Every measure, initiative, area and target baseline date."""
        measures: dict[str, MeasureRef] = {}
        for measure in session.scalars(select(Measure)):
            ref = MeasureRef(measure.id, measure.slug, measure.initiative_slug, measure.unit)
            measures[measure.slug] = ref
            measures[measure.name.lower()] = ref
        initiatives: dict[str, str] = {}
        for initiative in session.scalars(select(Initiative)):
            initiatives[initiative.slug] = initiative.slug
            initiatives[initiative.name.lower()] = initiative.slug
        areas = {code: name for code, name in session.execute(select(Area.code, Area.name))}
        baselines = {
            key: target.baseline_date
            for key, target in current_targets(session, KnownAt.on(date.max)).items()
            if target.baseline_date is not None
        }  # the targets in force now, not every target ever recorded
        return cls(measures, initiatives, areas, baselines)
