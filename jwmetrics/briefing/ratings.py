"""Delivery confidence: a person's judgement of a target beside the computed status.

The rating ministers read in government is a judgement, not a rule: the Infrastructure and
Projects Authority's delivery confidence assessment rates each project on five points,
from Green (successful delivery highly likely) to Red (successful delivery appears
unachievable). An approver or administrator records such a rating for a measure in an
area (:func:`rate`), with the reason and the evidence (both required), as at a day; every
rating is kept (a new one never replaces the row of an old one) and is an audit event.

The rating that applies on a day is the newest made as at that day or before
(:func:`judged_on`). :func:`steps_apart` says how far a rating and the computed status
differ on the same five-point scale, so a page can say when they differ by two steps or
more (:data:`DIVERGENT_STEPS`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jwmetrics.assess.words import Status
from jwmetrics.db.briefing_models import DeliveryRating
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area, Measure
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.lookup import find_area, find_measure

RATINGS = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
"""The five points of the scale, most to least confident (IPA delivery confidence)."""

MEANINGS = {
    "Green": "successful delivery on time appears highly likely",
    "Amber/Green": "successful delivery appears probable; issues need attention",
    "Amber": "successful delivery appears feasible; significant issues exist",
    "Amber/Red": "successful delivery is in doubt; major risks or issues",
    "Red": "successful delivery appears unachievable without major change",
}
"""What each point means, in the words this project uses (docs/status.md)."""

STATUS_POINTS = {
    Status.ACHIEVED: 0,
    Status.GREEN: 0,
    Status.AMBER: 2,
    Status.RED: 4,
    Status.MISSED: 4,
}
"""Where a computed status sits on the five-point scale; the rest (Awaiting, Grey, No
target) make no call to compare."""

DIVERGENT_STEPS = 2
"""A judgement this many steps or more from the computed status is pointed out."""

MAX_TEXT_CHARS = 4_000
"""The longest reason or evidence accepted: a few paragraphs."""


@dataclass(frozen=True)
class Rating:
    """One delivery confidence rating as stored."""

    id: int
    initiative: str
    measure: str
    area_code: str
    rating: str
    reason: str
    evidence: str
    as_of: date
    rated_by: str
    rated_at: datetime

    def as_record(self) -> dict[str, object]:
        """A flat dict with ISO dates, for JSON and CSV output."""
        record = asdict(self)
        record["as_of"] = self.as_of.isoformat()
        record["rated_at"] = self.rated_at.isoformat(timespec="seconds")
        return record


def rating_named(text: str) -> str | None:
    """The point of the scale ``text`` names ("amber/green", "Amber-Green", "amber green"
    and "AG" are Amber/Green), or None."""
    cleaned = "".join(ch for ch in text.lower() if ch.isalpha())
    for rating in RATINGS:
        letters = "".join(ch for ch in rating.lower() if ch.isalpha())
        initials = "".join(word[0] for word in rating.lower().split("/"))
        if cleaned in (letters, initials):
            return rating
    return None


def rate(
    db: Database,
    measure_key: str,
    area_code: str,
    rating: str,
    *,
    reason: str,
    evidence: str,
    as_of: date | None = None,
    actor: Actor = LOCAL_USER,
    by: str = "",
) -> Rating:
    """Record a rating; the rating as stored.

    Refused with :class:`InputError` naming the field for an unknown measure or area, a
    rating off the scale, a missing or over-long reason or evidence, or a day in the future;
    :class:`~jwmetrics.governance.roles.PermissionDenied` unless ``actor`` (as stored at the
    moment of the write) may rate this measure's initiative: approvers and administrators.
    """
    day = as_of or date.today()
    chosen = rating_named(rating)
    problems = _problems(rating, chosen, reason, evidence, day)
    if problems or chosen is None:
        raise InputError(problems)
    area = find_area(db, area_code)
    author, now = by or actor.name, datetime.now()
    with db.session() as session, session.begin():
        measure = find_measure(session, measure_key)
        authorise(session, actor, Action.RATE, initiative=measure.initiative_slug)
        row = DeliveryRating(
            measure_id=measure.id,
            area_code=area.code,
            rating=chosen,
            reason=reason.strip(),
            evidence=evidence.strip(),
            as_of=day,
            rated_by=author,
            rated_at=now,
        )
        session.add(row)
        session.flush()
        subject = f"{measure.slug} in {area.code} as at {day.isoformat()}"
        audit.append(session, author, "rate", subject, f"{chosen}: {reason.strip()[:180]}", now)
        return _rating(row, measure)


def _problems(
    text: str, chosen: str | None, reason: str, evidence: str, day: date
) -> list[Problem]:
    """Every problem with a rating's fields, each naming its field."""
    problems = []
    if chosen is None:
        expected = f"one of {', '.join(RATINGS)}"
        problems.append(Problem("rating", None, "rating", text, expected))
    for field, value in (("reason", reason), ("evidence", evidence)):
        if not value.strip():
            message = f"say the {field} for the rating; a rating without one is not recorded"
            problems.append(Problem("rating", None, field, value, message))
        elif len(value.strip()) > MAX_TEXT_CHARS:
            message = f"at most {MAX_TEXT_CHARS:,} characters"
            problems.append(Problem("rating", None, field, value, message))
    if day > date.today():
        message = "a rating is made as at today or an earlier day, not a future one"
        problems.append(Problem("rating", None, "as_of", day.isoformat(), message))
    return problems


def ratings(
    db: Database,
    measure_key: str | None = None,
    area_code: str | None = None,
    initiative: str | None = None,
) -> list[Rating]:
    """Every rating (the whole history), oldest first, optionally of one measure, area or
    initiative (its id)."""
    with db.session() as session:
        query = _query(session, measure_key, area_code, initiative)
        rows = session.execute(query.order_by(DeliveryRating.as_of, DeliveryRating.id))
        return [_rating(row, measure) for row, measure in rows]


def judged_on(
    db: Database, day: date, recorded_by: datetime | None = None
) -> dict[tuple[str, str], Rating]:
    """The rating that applies on ``day`` to each series rated by then, by (measure slug,
    area code): the newest made as at ``day`` or before (the later recorded when two share
    a day); with ``recorded_by`` (a pack's moment), only ratings recorded by then."""
    with db.session() as session:
        query = _query(session, None, None, None).where(DeliveryRating.as_of <= day)
        if recorded_by is not None:
            query = query.where(DeliveryRating.rated_at <= recorded_by)
        rows = session.execute(
            query.order_by(DeliveryRating.as_of, DeliveryRating.rated_at, DeliveryRating.id)
        )
        return {(measure.slug, row.area_code): _rating(row, measure) for row, measure in rows}


def steps_apart(rating: str, status: str) -> int | None:
    """How many points of the five-point scale lie between a judged rating and a computed
    status (0 to 4), or None when the status makes no call (Awaiting, Grey, No target)."""
    try:
        point = STATUS_POINTS.get(Status(status))
    except ValueError:  # not a status word
        return None
    if point is None or rating not in RATINGS:
        return None
    return abs(RATINGS.index(rating) - point)


def _query(
    session: Session, measure_key: str | None, area_code: str | None, initiative: str | None
) -> Select[DeliveryRating, Measure]:
    """Ratings joined to their measures, filtered as asked."""
    query = select(DeliveryRating, Measure).join(Measure, Measure.id == DeliveryRating.measure_id)
    if measure_key is not None:
        query = query.where(Measure.id == find_measure(session, measure_key).id)
    if area_code is not None:
        known = session.get(Area, area_code)
        query = query.where(DeliveryRating.area_code == (known.code if known else area_code))
    if initiative is not None:
        query = query.where(Measure.initiative_slug == initiative)
    return query


def _rating(row: DeliveryRating, measure: Measure) -> Rating:
    """The stored row as a :class:`Rating`."""
    return Rating(
        id=row.id,
        initiative=measure.initiative_slug,
        measure=measure.slug,
        area_code=row.area_code,
        rating=row.rating,
        reason=row.reason,
        evidence=row.evidence,
        as_of=row.as_of,
        rated_by=row.rated_by,
        rated_at=row.rated_at,
    )
