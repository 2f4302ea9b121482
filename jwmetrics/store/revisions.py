"""Revisions, measured (issue 23, item 5): how far first figures are later revised.

Every figure keeps every version (a revision is a new row, never an overwrite), so how
large and in which direction first figures are revised can be read off the store. For each
period of each series (measure, area, period) the *first* figure is its earliest valued
version (published first, recorded first among those published the same day) and the
*latest* is its newest valued version, both among the versions that count at a
:class:`~jwmetrics.store.known.KnownAt`. The revision is latest minus first, in the
measure's unit, and relative to the first in per cent where the first is not zero.

Per measure and partner (the partner the first figure came from; ``""`` for figures with
no partner named, such as the report's own) :func:`revision_stats` gives:

* ``first_figures``: how many periods have a first figure;
* ``revised``: how many of them now stand at a different value; ``share_revised`` = revised
  / first figures;
* ``mean_revision``: the mean of latest - first over every first figure, unrevised ones
  counting as zero (signed: positive means figures tend to be revised up);
* ``mean_abs_revision``: the mean of |latest - first| over the same figures;
* the same two in per cent of the first figure (``mean_revision_pct``,
  ``mean_abs_revision_pct``), over the first figures that are not zero.

One grouped SQL statement (one window over each period's versions, then an aggregate),
however many figures: no query per figure or series.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from jwmetrics.db.models import Observation
from jwmetrics.store.known import KnownAt, visible_condition


@dataclass(frozen=True)
class RevisionStats:
    """How a measure's first figures from one partner have been revised since (see module)."""

    measure_id: int
    partner: str
    first_figures: int
    revised: int
    mean_revision: float  # in the measure's unit, signed
    mean_abs_revision: float  # in the measure's unit
    mean_revision_pct: float | None  # per cent of the first figure; None if every first was 0
    mean_abs_revision_pct: float | None

    @property
    def share_revised(self) -> float:
        """The share (0-1) of first figures that now stand at a different value."""
        return self.revised / self.first_figures if self.first_figures else 0.0


def revision_stats(
    session: Session, known: KnownAt, *conditions: ColumnElement[bool]
) -> list[RevisionStats]:
    """Revision statistics per (measure, partner) of the figures matching ``conditions``
    (say ``Observation.measure_id == 3``) that count at ``known``; ordered by measure, then
    partner. A measure with no valued figure has no entry."""
    period = (
        Observation.measure_id,
        Observation.area_code,
        Observation.period_start,
        Observation.period_end,
    )
    oldest_first = (Observation.published_on, Observation.recorded_at, Observation.id)
    # One window, so one sort of each period's versions: the first is row 1, the latest is
    # the window's last value over the whole period (a second, newest-first window would
    # sort everything again: a fifth more time on 1M figures).
    versions = (
        select(
            Observation.measure_id,
            Observation.partner,
            Observation.value.label("first"),
            func.row_number().over(partition_by=period, order_by=oldest_first).label("place"),
            func.last_value(Observation.value)
            .over(partition_by=period, order_by=oldest_first, rows=(None, None))
            .label("latest"),
        )
        .where(visible_condition(known), Observation.value.is_not(None), *conditions)
        .subquery("versions")
    )
    first, latest = versions.c.first, versions.c.latest
    change = latest - first
    relative = case((first != 0, change * 100.0 / func.abs(first)))
    absolute_relative = case((first != 0, func.abs(change) * 100.0 / func.abs(first)))
    query = (
        select(
            versions.c.measure_id,
            versions.c.partner,
            func.count(),
            func.sum(case((latest != first, 1), else_=0)),
            func.avg(change),
            func.avg(func.abs(change)),
            func.avg(relative),
            func.avg(absolute_relative),
        )
        .where(versions.c.place == 1)
        .group_by(versions.c.measure_id, versions.c.partner)
        .order_by(versions.c.measure_id, versions.c.partner)
    )
    return [
        RevisionStats(
            measure_id=int(row[0]),
            partner=str(row[1] or ""),
            first_figures=int(row[2]),
            revised=int(row[3] or 0),
            mean_revision=float(row[4] or 0.0),
            mean_abs_revision=float(row[5] or 0.0),
            mean_revision_pct=None if row[6] is None else float(row[6]),
            mean_abs_revision_pct=None if row[7] is None else float(row[7]),
        )
        for row in session.execute(query)
    ]
