"""Which measures' areas can be compared: figures in areas other than England, and a
denominator for them.

The comparison of areas lives on the initiative page under the measure chosen there, so a
newcomer who never picks the right measure never sees it. :func:`comparable_measures` names
the measures that have one, so a page can say which and link to them. It reads the figures
as known at a :class:`~jwmetrics.store.known.KnownAt`, as the comparison itself does.

A count (or a rate kept beside its count) qualifies when some area other than England has a
figure in a period whose year has mid-year populations. A percentage needs the measure it is
a share of named (``compare --denominator``), so none is offered here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from jwmetrics.compare import funnel
from jwmetrics.compare.basis import comparison_basis, period_year
from jwmetrics.compare.denominators import populations
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation
from jwmetrics.periods import Period
from jwmetrics.problems import InputError
from jwmetrics.store.figure import KINDS
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ENGLAND
from jwmetrics.store.periods_held import periods_held
from jwmetrics.store.versions import current_rows, table_serves


@dataclass(frozen=True)
class ComparableMeasure:
    """A measure whose areas can be compared, and the periods they can be compared in."""

    measure: str
    measure_name: str
    initiative: str
    periods: list[str]  # labels, newest first

    def as_record(self) -> dict[str, object]:
        """A plain record for JSON."""
        return {
            "measure": self.measure,
            "measure_name": self.measure_name,
            "initiative": self.initiative,
            "periods": list(self.periods),
        }


def _area_periods(db: Database, known: KnownAt) -> dict[int, set[Period]]:
    """Each measure's periods with a valued figure in some area other than England.

    As the database stands (the kept table serves ``known``): stepped along an index, a
    seek a period (:mod:`jwmetrics.store.periods_held`); an earlier view ranks the versions.
    """
    with db.session() as session:
        if table_serves(session, known):
            found: dict[int, set[Period]] = {}
            for measure_id in session.scalars(select(Measure.id)).all():
                periods = {
                    Period(p.start, p.end, KINDS[p.kind_elsewhere])
                    for p in periods_held(session, measure_id)
                    if p.kind_elsewhere is not None
                }
                if periods:
                    found[measure_id] = periods
            return found
        conditions = (Observation.area_code != ENGLAND, Observation.value.is_not(None))
        inner = current_rows(session, known, *conditions).subquery()
        query = (
            select(
                inner.c.measure_id, inner.c.period_start, inner.c.period_end, inner.c.period_kind
            )
            .where(inner.c.version_rank == 1)
            .distinct()
        )
        ranked: dict[int, set[Period]] = {}
        for measure_id, start, end, kind in session.execute(query):
            ranked.setdefault(measure_id, set()).add(Period(start, end, KINDS[kind]))
    return ranked


def comparable_measures(db: Database, known: KnownAt | None = None) -> list[ComparableMeasure]:
    """The measures whose areas can be compared (by name), each with its periods."""
    known = known or KnownAt.on(date.today())
    by_measure = _area_periods(db, known)
    years = populations().years
    found = []
    with db.session() as session:
        measures = session.scalars(select(Measure).order_by(Measure.name))
        for measure in measures:
            try:
                basis = comparison_basis(session, measure)
            except InputError:
                continue  # money, or a rate with no count beside it
            if basis.kind == funnel.BINOMIAL:
                continue  # a share needs its denominator measure named
            periods = by_measure.get(basis.measure.id, set())
            usable = sorted(
                (p for p in periods if period_year(p) in years),
                key=lambda p: (p.end, p.start),
                reverse=True,
            )
            if usable:
                found.append(
                    ComparableMeasure(
                        measure.slug,
                        measure.name,
                        measure.initiative_slug,
                        [p.label for p in usable],
                    )
                )
    return found
