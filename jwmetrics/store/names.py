"""Names and first days from the catalogue, for tables and the "As known on" view.

Two small read-only queries the dashboard needs beside :class:`jwmetrics.metrics.face.Metrics`:
every measure's and area's name (so tables show names, not ids), and the first day each
measure was being measured (so a view of the past hides measures not defined then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area, Measure, Target
from jwmetrics.store.periods_held import first_period_start


@dataclass(frozen=True)
class CatalogueNames:
    """Measure id to name and area code to name."""

    measures: dict[str, str]
    areas: dict[str, str]

    def measure(self, slug: str) -> str:
        """The measure's name, or the id itself when it is not in the catalogue."""
        return self.measures.get(slug, slug)

    def area(self, code: str) -> str:
        """The area's name, or the code itself when it is not in the catalogue."""
        return self.areas.get(code, code)


def catalogue_names(db: Database) -> CatalogueNames:
    """Every measure's and every area's name."""
    with db.session() as session:
        measure_rows = session.execute(select(Measure.slug, Measure.name))
        measures = {slug: name for slug, name in measure_rows}
        areas = {code: name for code, name in session.execute(select(Area.code, Area.name))}
    return CatalogueNames(measures, areas)


def measure_first_days(db: Database) -> dict[str, date]:
    """For each measure with a figure or a baseline: the first day it covers.

    The earliest start of any current figure's period (read from an index, not from every
    figure) or target's baseline date. A measure with
    neither (too early to measure, no target) is left out: it is shown on any day.
    """
    firsts: dict[str, date] = {}
    with db.session() as session:
        for measure_id, slug in session.execute(select(Measure.id, Measure.slug)).all():
            first = first_period_start(session, measure_id)  # one index seek a measure
            if first is not None:
                firsts[slug] = first
        baselines = (
            select(Measure.slug, func.min(Target.baseline_date))
            .join(Target, Target.measure_id == Measure.id)
            .group_by(Measure.slug)
        )
        for slug, day in session.execute(baselines).all():
            if day is not None:
                firsts[slug] = min(day, firsts.get(slug, day))
    return firsts
