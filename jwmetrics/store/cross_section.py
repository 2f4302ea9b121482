"""One period of one measure across every area: what comparing areas reads.

The status table reads each series' newest figures; a comparison of areas reads instead the
current value of *one* period in every area, as known at a
:class:`~jwmetrics.store.known.KnownAt` (the same rule as
:func:`jwmetrics.store.figures.current_rows`: the kept table when it serves, else versions
ranked).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.models import Observation
from jwmetrics.periods import Period
from jwmetrics.store.figure import KINDS, ObservationView, view_of
from jwmetrics.store.known import KnownAt
from jwmetrics.store.versions import current_figures, current_rows


def period_figures(
    session: Session,
    known: KnownAt,
    measure_id: int,
    period: Period,
    area_codes: Sequence[str] | None = None,
) -> dict[str, ObservationView]:
    """The current figure of ``period`` in each area that has one (a ".." marker included,
    with no value), by area code."""
    conditions = [
        Observation.measure_id == measure_id,
        Observation.period_start == period.start,
        Observation.period_end == period.end,
    ]
    if area_codes is not None:
        conditions.append(Observation.area_code.in_(list(area_codes)))
    query = current_figures(session, known, *conditions)
    return {row.area_code: view_of(row) for row in session.scalars(query)}


def measure_periods(session: Session, known: KnownAt, measure_id: int) -> list[Period]:
    """Every period with a current figure of the measure in some area, newest first."""
    inner = current_rows(session, known, Observation.measure_id == measure_id).subquery()
    query = (
        select(inner.c.period_start, inner.c.period_end, inner.c.period_kind)
        .where(inner.c.version_rank == 1)
        .distinct()
    )
    found = {Period(start, end, KINDS[kind]) for start, end, kind in session.execute(query)}
    return sorted(found, key=lambda p: (p.end, p.start), reverse=True)
