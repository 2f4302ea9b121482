"""SPC for a stored series, and the change points analysts record against it.

:func:`spc_for_series` reads one measure in one area through
:func:`jwmetrics.assess.detail.series_detail` (so it sees the same figures, as known on the same
date, as the trend chart and the RAG status) and charts it with :func:`jwmetrics.spc.xmr.spc`.
Change points are annotations by an analyst, not figures: every recorded one applies,
whatever ``as_of`` is asked for. Each says its cause: a dated event
(:mod:`jwmetrics.events`) or "no known cause" (:func:`cause_text`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.assess.detail import series_detail
from jwmetrics.db.engine import Database
from jwmetrics.db.event_models import ChangePointCause
from jwmetrics.db.models import ChangePoint, Measure
from jwmetrics.events.record import EventView, applies_to, every_event
from jwmetrics.periods import format_date
from jwmetrics.problems import InputError, Problem
from jwmetrics.spc.xmr import SpcPoint, SpcResult, natural_range, spc
from jwmetrics.store.lookup import ENGLAND, find_area, find_measure

BOUNDS = ("over", "under")  # qualifiers that make a figure a bound, not a value


def change_points(db: Database, measure_id: int, area_code: str) -> list[ChangePoint]:
    """The change points recorded for one series, earliest first."""
    with db.session() as session:
        query = (
            select(ChangePoint)
            .where(ChangePoint.measure_id == measure_id, ChangePoint.area_code == area_code)
            .order_by(ChangePoint.starts_on, ChangePoint.id)
        )
        return list(session.scalars(query))


def add_change_point(
    db: Database,
    measure_key: str,
    area_code: str,
    starts_on: date,
    note: str = "",
    recorded_by: str = "",
    event_id: int | None = None,
    no_known_cause: bool = False,
) -> ChangePoint:
    """Record that the process of ``measure_key`` in ``area_code`` changed from ``starts_on``.

    A change point says its cause (NHS Making Data Count: rebase only at a known cause):
    ``event_id``, a dated event that applies to the series, or ``no_known_cause`` said
    outright; neither or both is an :class:`~jwmetrics.problems.InputError` naming the
    ``cause`` field, as is an event that does not exist or applies to other series. The
    measure and area are looked up as everywhere else (id or name; an unknown one is an
    :class:`~jwmetrics.problems.InputError` naming the nearest). ``recorded_at`` is now, naive
    UTC as in the rest of the model.
    """
    area = find_area(db, area_code)
    with db.session() as session, session.begin():
        measure = find_measure(session, measure_key)
        _check_cause(session, measure, area.code, event_id, no_known_cause)
        row = ChangePoint(
            measure_id=measure.id,
            area_code=area.code,
            starts_on=starts_on,
            note=note,
            recorded_by=recorded_by,
            recorded_at=datetime.now(UTC).replace(tzinfo=None, microsecond=0),
        )
        session.add(row)
        session.flush()
        cause = ChangePointCause(
            change_point_id=row.id, event_id=event_id, no_known_cause=no_known_cause
        )
        session.add(cause)
    return row


def _check_cause(
    session: Session, measure: Measure, area_code: str, event_id: int | None, none_known: bool
) -> None:
    """Refuse a change point that cites no cause, two, or an event not of this series."""
    expected = "cite the dated event that caused it (its id) or say there is no known cause"
    if (event_id is None) == (not none_known):
        shown = "both" if none_known else "neither"
        raise InputError([Problem("change point", None, "cause", shown, expected)])
    if event_id is None:
        return
    found = [e for e in every_event(session) if e.id == event_id]
    if not found or not applies_to(found[0], measure.initiative_slug, measure.slug, area_code):
        mine = [
            str(e.id)
            for e in every_event(session)
            if applies_to(e, measure.initiative_slug, measure.slug, area_code)
        ]
        listed = f"; this series' events are {', '.join(mine)}" if mine else "; it has none yet"
        why = "no such event" if not found else "that event applies to other series"
        message = f"{why}: {expected}{listed}"
        raise InputError([Problem("change point", None, "event", str(event_id), message)])


def causes(db: Database) -> dict[int, ChangePointCause]:
    """The cause each change point cites, by change point id (none before revision 0016)."""
    with db.session() as session:
        return {c.change_point_id: c for c in session.scalars(select(ChangePointCause))}


def cause_text(point: ChangePoint, cause: ChangePointCause | None, found: list[EventView]) -> str:
    """What a change point says caused it: the event it cites, "no known cause", or (for one
    recorded before causes were asked for) its note, else "cause not recorded"."""
    day = format_date(point.starts_on)
    cited = [e for e in found if cause is not None and e.id == cause.event_id]
    if cited:
        event = cited[0]
        return f"from {day}: {event.kind}, {event.text} ({format_date(event.occurred_on)})"
    if cause is not None and cause.no_known_cause:
        return f"from {day}: no known cause"
    return f"from {day}: {point.note}" if point.note else f"from {day}: cause not recorded"


def spc_for_series(
    db: Database, measure_key: str, area_code: str = ENGLAND, as_of: date | None = None
) -> SpcResult:
    """The XmR chart of one measure in one area, as known at ``as_of`` (default: latest).

    Figures without a value are skipped. Figures that are bounds ("over 50") are left out,
    since a bound is not a measurement, and the warning says how many. The target, when the
    series has one with a value, gives the assurance icon. The limits are shown within the
    measure's natural range (:func:`~jwmetrics.spc.xmr.natural_range`).
    """
    detail = series_detail(db, measure_key, area_code, as_of)
    valued = [o for o in detail.observations if o.value is not None]
    bounds = [o for o in valued if o.qualifier in BOUNDS]
    points = [
        SpcPoint(o.period.label, o.period.end, float(o.value))  # type: ignore[arg-type]
        for o in valued
        if o.qualifier not in BOUNDS
    ]
    notes = []
    if bounds:
        which = ", ".join(o.period.label for o in bounds)
        notes.append(f"{len(bounds)} figure(s) given as bounds left out of the chart ({which})")
    with db.session() as session:
        measure_id = find_measure(session, detail.measure_slug).id
    recorded = change_points(db, measure_id, detail.area_code)
    starts = [c.starts_on for c in recorded]
    found, cited = every_event(db), causes(db)
    target = detail.target.value if detail.target else None
    natural = natural_range(detail.unit)
    result = spc(points, detail.direction, target, starts, notes=notes, bounds=natural)
    return replace(
        result,
        measure=detail.measure_slug,
        area_code=detail.area_code,
        as_of=detail.assessment.as_of,
        causes=tuple(cause_text(c, cited.get(c.id), found) for c in recorded),
    )
