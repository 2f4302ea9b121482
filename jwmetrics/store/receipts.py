"""The returns schedule's reads: the obligations in force, and the figures received for them.

The returns schedule (:mod:`jwmetrics.returns.schedule`) asks which partner owes what
(:func:`current_obligations`) and, of each owed period, was a figure for it received, on
which day, and has it been approved to count? :func:`receipts` answers for many series in
one SQL pass. Unlike :func:`~jwmetrics.store.known.visible_condition`, a
figure from a return still awaiting approval *is* a receipt (the partner has sent it); a
rejected or withdrawn return's figures are not (they were refused, or taken back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from jwmetrics.db.models import (
    Area,
    Initiative,
    Measure,
    Observation,
    Return,
    ReturnEvent,
    ReturnSchedule,
)
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ALL_LOCAL_AUTHORITIES


@dataclass(frozen=True)
class Obligation:
    """One schedule row as it stands: a partner owes a measure for some areas."""

    partner: str
    initiative: str
    initiative_name: str
    measure_id: int
    measure: str
    measure_name: str
    areas: str  # an ONS code, or "local-authorities"
    area_codes: tuple[str, ...]
    frequency: str
    due_days: int
    first_start: date
    last_end: date | None
    source: str


def current_obligations(session: Session, known: KnownAt) -> list[Obligation]:
    """The schedule rows in force as the database stood at ``known.recorded_by``.

    A row replaces an earlier one for the same partner, measure and areas (a revision, such
    as an end to an obligation). Not filtered by day: which periods are owed is what the
    row's first and last periods say, whatever day is viewed.
    """
    query = (
        select(ReturnSchedule, Measure, Initiative)
        .join(Measure, Measure.id == ReturnSchedule.measure_id)
        .join(Initiative, Initiative.slug == Measure.initiative_slug)
        .where(ReturnSchedule.recorded_at <= known.recorded_by)
        .order_by(ReturnSchedule.recorded_at, ReturnSchedule.id)
    )
    latest: dict[tuple[str, int, str], tuple[ReturnSchedule, Measure, Initiative]] = {}
    for row, measure, initiative in session.execute(query):
        latest[(row.partner, row.measure_id, row.areas)] = (row, measure, initiative)
    authorities: tuple[str, ...] | None = None
    found = []
    for row, measure, initiative in latest.values():
        if row.areas == ALL_LOCAL_AUTHORITIES and authorities is None:
            query_las = select(Area.code).where(Area.area_type == "local authority")
            authorities = tuple(sorted(session.scalars(query_las)))
        codes = authorities if row.areas == ALL_LOCAL_AUTHORITIES else (row.areas,)
        found.append(
            Obligation(
                partner=row.partner,
                initiative=initiative.slug,
                initiative_name=initiative.name,
                measure_id=measure.id,
                measure=measure.slug,
                measure_name=measure.name,
                areas=row.areas,
                area_codes=codes or (),
                frequency=row.frequency,
                due_days=row.due_days,
                first_start=row.first_period_start,
                last_end=row.last_period_end,
                source=row.source,
            )
        )
    return sorted(found, key=lambda o: (o.initiative, o.partner, o.measure_id, o.areas))


@dataclass(frozen=True)
class Receipt:
    """One figure received for one period of one series.

    ``received_on`` is the day the figure became public in jwmetrics' record
    (``published_on``): the upload day for a return sent as it is uploaded (the default,
    never in the future), the publication day for a return that loads figures published
    earlier, and the report's day for the report's own figures. ``approved_on`` is the day
    it began to count: the receipt itself when no approval was needed, the approval day
    otherwise, None while it awaits approval.
    """

    period_start: date
    period_end: date
    received_on: date
    approved_on: date | None
    return_id: int | None

    @property
    def awaiting_approval(self) -> bool:
        """True while its return is submitted and not yet approved."""
        return self.approved_on is None


def receipts(
    session: Session,
    known: KnownAt,
    measure_ids: Sequence[int],
    area_codes: Sequence[str] | None = None,
) -> dict[tuple[int, str], list[Receipt]]:
    """Every figure of ``measure_ids`` (in ``area_codes``) received by ``known``: published by
    its day, recorded by its moment, from no return rejected or withdrawn by then."""
    if not measure_ids:
        return {}
    rejected = (
        select(ReturnEvent.return_id, func.min(ReturnEvent.at).label("at"))
        .where(ReturnEvent.state == "rejected")
        .group_by(ReturnEvent.return_id)
        .subquery("rejected")
    )
    conditions: list[ColumnElement[bool]] = [
        Observation.measure_id.in_(list(measure_ids)),
        Observation.published_on <= known.day,
        Observation.recorded_at <= known.recorded_by,
        or_(Return.withdrawn_at.is_(None), Return.withdrawn_at > known.recorded_by),
        or_(rejected.c.at.is_(None), rejected.c.at > known.recorded_by),
    ]
    if area_codes is not None:
        conditions.append(Observation.area_code.in_(list(area_codes)))
    query = (
        select(
            Observation.measure_id,
            Observation.area_code,
            Observation.period_start,
            Observation.period_end,
            Observation.published_on,
            Observation.return_id,
            Return.uploaded_at,
            Return.counts_from,
        )
        .outerjoin(Return, Return.id == Observation.return_id)
        .outerjoin(rejected, rejected.c.return_id == Observation.return_id)
        .where(*conditions)
    )
    found: dict[tuple[int, str], list[Receipt]] = {}
    for measure_id, area, start, end, published, return_id, uploaded, counts in session.execute(
        query
    ):
        approved = _approved_on(published, return_id, uploaded, counts, known.recorded_by)
        receipt = Receipt(start, end, published, approved, return_id)
        found.setdefault((measure_id, area), []).append(receipt)
    return found


def _approved_on(
    received: date,
    return_id: int | None,
    uploaded_at: datetime | None,
    counts_from: datetime | None,
    moment: datetime,
) -> date | None:
    """The day a receipt began to count, or None while it awaits approval at ``moment``.

    A figure with no return (the report's) and a return that needed no approval (it counts
    from its commit: ``counts_from`` is its upload moment) count from their receipt.
    """
    if return_id is None:
        return received
    if counts_from is None or counts_from > moment:
        return None
    if uploaded_at is not None and counts_from <= uploaded_at:
        return received
    return counts_from.date()
