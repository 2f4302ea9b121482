"""Targets as known at a :class:`~jwmetrics.store.known.KnownAt`.

A target counts from when it was set (``recorded_at``). :func:`current_targets` gives the latest
set for each series; :func:`targets_in_force` every target still in force (one per deadline).
For :func:`current_targets`, a later one for the same measure and
area replaces it from then on, and the old one stays for the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jwmetrics.db.models import Target
from jwmetrics.store.known import KnownAt


def current_targets(
    session: Session,
    known: KnownAt,
    measure_ids: Sequence[int] | None = None,
    area_codes: Sequence[str] | None = None,
) -> dict[tuple[int, str], Target]:
    """The target in force for each (measure, area): the latest set by ``known``.

    ``measure_ids`` and ``area_codes`` narrow the query in SQL, so a page showing one series
    does not load every target of every area.
    """
    conditions = _scope(known, measure_ids, area_codes)
    rank = (
        func.row_number()
        .over(
            partition_by=(Target.measure_id, Target.area_code),
            order_by=(Target.recorded_at.desc(), Target.id.desc()),
        )
        .label("rank")
    )
    inner = select(Target.id, rank).where(*conditions).subquery()
    query = select(Target).join(inner, Target.id == inner.c.id).where(inner.c.rank == 1)
    return {(t.measure_id, t.area_code): t for t in session.scalars(query)}


def targets_in_force(
    session: Session,
    known: KnownAt,
    measure_ids: Sequence[int] | None = None,
    area_codes: Sequence[str] | None = None,
) -> dict[tuple[int, str], list[Target]]:
    """Every target of each (measure, area) set by ``known``, soonest deadline first.

    A series may carry several targets: an interim and a final one set together, or one
    renewed with a later deadline. Each counts and is judged on its own; a target set later
    for the same deadline replaces the earlier one (a revision), which stays for the record.
    """
    conditions = _scope(known, measure_ids, area_codes)
    rank = (
        func.row_number()
        .over(
            partition_by=(Target.measure_id, Target.area_code, Target.target_date),
            order_by=(Target.recorded_at.desc(), Target.id.desc()),
        )
        .label("rank")
    )
    inner = select(Target.id, rank).where(*conditions).subquery()
    query = select(Target).join(inner, Target.id == inner.c.id).where(inner.c.rank == 1)
    found: dict[tuple[int, str], list[Target]] = {}
    for target in session.scalars(query):
        found.setdefault((target.measure_id, target.area_code), []).append(target)
    for targets in found.values():
        targets.sort(key=lambda t: (t.target_date is None, t.target_date or date.max, t.id))
    return found


def _scope(
    known: KnownAt, measure_ids: Sequence[int] | None, area_codes: Sequence[str] | None
) -> list[ColumnElement[bool]]:
    """Targets set by ``known``, of these measures and areas (None: all), in SQL."""
    conditions: list[ColumnElement[bool]] = [Target.recorded_at <= known.cutoff]
    if measure_ids is not None:
        conditions.append(Target.measure_id.in_(list(measure_ids)))
    if area_codes is not None:
        conditions.append(Target.area_code.in_(list(area_codes)))
    return conditions
