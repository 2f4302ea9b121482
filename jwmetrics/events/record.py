"""Recording a dated event, and reading back the ones that apply.

An analyst records what happened on a day that explains a series' movement: a policy change,
a change of definition, a data problem, funding starting or stopping (:data:`KINDS`). Its
scope is as narrow as the analyst says: nothing (every series), an initiative (its measures),
a measure (every area), an area, or a measure in an area; an event applies to a series when
every scope it names matches the series (:func:`applies_to`).

Events are never changed or deleted (a new event says what the old one got wrong), each is
an audit event, and the role is checked inside the write's transaction: approvers (for the
initiatives they are assigned) and administrators may add them, as for delivery ratings.

"As known on" follows the figures' rule (:mod:`jwmetrics.store.known`): a view as known on a
day at a moment shows the events that had occurred by that day and were recorded by that
moment, so a pack rebuilt from its generation moment lists the same events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.event_models import DatedEvent
from jwmetrics.db.models import Area, Measure
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor, PermissionDenied, Role
from jwmetrics.governance.users import authorise
from jwmetrics.problems import InputError, Problem, did_you_mean
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import find_initiative, find_measure

KINDS = ("policy", "definition", "data", "funding")
"""What an event may be: a policy change, a change of the measure's definition, a data
problem (a break, a late or missing return), funding starting, stopping or changing."""

DEFAULT_KIND = "policy"
"""The kind of an event recorded without one: the commonest cause analysts name."""

DEFINITION = "definition"
"""The kind that splits a series: the forecast fits only the figures after it."""

MAX_TEXT_CHARS = 500
"""The longest event text accepted: a sentence or two (it is drawn as a chart label)."""

LABEL_CHARS = 28
"""How much of an event's text a chart label shows; the full text is in the hover."""


@dataclass(frozen=True)
class EventView:
    """One dated event as stored, with its scope by id (None: any)."""

    id: int
    occurred_on: date
    text: str
    kind: str
    initiative: str | None
    measure: str | None
    area_code: str | None
    recorded_by: str
    recorded_at: datetime

    @property
    def label(self) -> str:
        """The short label a chart draws: kind and the text's start ("funding: Grant st…")."""
        short = self.text if len(self.text) <= LABEL_CHARS else self.text[: LABEL_CHARS - 1] + "…"
        return f"{self.kind}: {short}"

    @property
    def scope(self) -> str:
        """Which series it applies to, in words."""
        parts = [
            f"measure {self.measure}" if self.measure else "",
            f"initiative {self.initiative}" if self.initiative and not self.measure else "",
            f"area {self.area_code}" if self.area_code else "",
        ]
        named = [p for p in parts if p]
        return ", ".join(named) if named else "every series"

    def scope_named(self, names: Mapping[str, str]) -> str:
        """Which series it applies to, by name: ``names`` maps measure ids, area codes and
        initiative ids to names (an id missing there is shown as it is)."""
        if self.measure:
            words = names.get(self.measure, self.measure)
        elif self.initiative:
            words = f"every measure of {names.get(self.initiative, self.initiative)}"
        else:
            words = "every series"
        if not self.area_code:
            return f"{words}, every area" if self.measure else words
        area = names.get(self.area_code, self.area_code)
        return words if area in words else f"{words}, in {area}"  # a name may say its area

    def as_record(self) -> dict[str, object]:
        """A flat dict with ISO dates, for JSON and CSV output."""
        record = asdict(self)
        record["occurred_on"] = self.occurred_on.isoformat()
        record["recorded_at"] = self.recorded_at.isoformat(timespec="seconds")
        return record


def add_event(
    db: Database,
    occurred_on: date | str,
    text: str,
    *,
    kind: str = DEFAULT_KIND,
    initiative: str | None = None,
    measure: str | None = None,
    area: str | None = None,
    actor: Actor = LOCAL_USER,
    by: str = "",
) -> EventView:
    """Record a dated event; the event as stored.

    Refused with :class:`InputError` naming each field that is wrong (a day that is not
    YYYY-MM-DD, empty or over-long text, a kind not in :data:`KINDS`, an unknown initiative,
    measure or area, a measure of another initiative than the one named); with
    :class:`PermissionDenied` unless ``actor``, as stored at the write, may add events for
    the event's initiative (an event for every initiative needs an approver assigned to no
    particular initiative, or an administrator).
    """
    day, problems = _day(occurred_on)
    problems += _text_problems(text, kind)
    author, now = by or actor.name, datetime.now()  # naive local, as KnownAt and the audit log
    with db.session() as session, session.begin():
        scope, scope_problems = _scope(session, initiative, measure, area)
        problems += scope_problems
        if problems or day is None:
            raise InputError(problems)
        initiative_slug, found, area_code = scope
        current = authorise(session, actor, Action.EVENTS, initiative=initiative_slug)
        if initiative_slug is None and current.initiatives and current.role is not Role.ADMIN:
            raise PermissionDenied(
                f"{current.email} may add events only for {', '.join(current.initiatives)}; "
                "name one of them with the event (an event for every initiative needs an "
                "administrator)"
            )
        row = DatedEvent(
            occurred_on=day,
            text=text.strip(),
            kind=kind.strip().lower(),
            initiative_slug=initiative_slug,
            measure_id=found.id if found else None,
            area_code=area_code,
            recorded_by=author,
            recorded_at=now,
        )
        session.add(row)
        session.flush()
        event = _view(row, found.slug if found else None)
        subject = f"event {row.id} on {day.isoformat()} ({event.scope})"
        audit.append(session, author, "event-add", subject, f"{row.kind}: {row.text[:180]}", now)
        return event


def _day(value: date | str) -> tuple[date | None, list[Problem]]:
    """The event's day, or a problem naming the ``on`` field."""
    if isinstance(value, date):
        return value, []
    try:
        return date.fromisoformat(value.strip()), []
    except ValueError:
        expected = "a calendar day written YYYY-MM-DD, the day the event happened"
        return None, [Problem("event", None, "on", value, expected)]


def _text_problems(text: str, kind: str) -> list[Problem]:
    """Problems with the text and the kind, each naming its field."""
    problems = []
    if not text.strip():
        message = "say what happened; an event without text is not recorded"
        problems.append(Problem("event", None, "text", text, message))
    elif len(text.strip()) > MAX_TEXT_CHARS:
        message = f"at most {MAX_TEXT_CHARS:,} characters (a sentence or two)"
        problems.append(Problem("event", None, "text", text, message))
    if kind.strip().lower() not in KINDS:
        message = f"one of {', '.join(KINDS)}{did_you_mean(kind.strip().lower(), KINDS)}"
        problems.append(Problem("event", None, "kind", kind, message))
    return problems


def _scope(
    session: Session, initiative: str | None, measure: str | None, area: str | None
) -> tuple[tuple[str | None, Measure | None, str | None], list[Problem]]:
    """The initiative id, measure and area code the event is scoped to, and any problems."""
    problems: list[Problem] = []
    slug = found = code = None
    if initiative:
        try:
            slug = find_initiative(session, initiative).slug
        except InputError as error:
            problems += [_named(p, "initiative") for p in error.problems]
    if measure:
        try:
            found = find_measure(session, measure)
        except InputError as error:
            problems += [_named(p, "measure") for p in error.problems]
    if found is not None and slug is not None and found.initiative_slug != slug:
        message = f"measure {found.slug} belongs to initiative {found.initiative_slug}, not {slug}"
        problems.append(Problem("event", None, "measure", measure, message))
    if area:
        known = session.get(Area, area) or session.scalar(select(Area).where(Area.name == area))
        if known is None:
            names = [*session.scalars(select(Area.code)), *session.scalars(select(Area.name))]
            message = f"unknown area; expected an ONS area code{did_you_mean(area, names)}"
            problems.append(Problem("event", None, "area", area, message))
        else:
            code = known.code
    if found is not None:
        slug = found.initiative_slug
    return (slug, found, code), problems


def _named(problem: Problem, field: str) -> Problem:
    """A lookup's problem as a problem with the event's ``field``."""
    return Problem("event", None, field, problem.value, problem.message)


def events(
    db: Database,
    initiative: str | None = None,
    measure: str | None = None,
    area: str | None = None,
    known: KnownAt | None = None,
) -> list[EventView]:
    """The events that apply to the scope asked for, oldest first (then by id).

    Each scope given must be matched by the event or left open by it: asked for a measure in
    an area, the events for that measure in that area, for the measure in every area, for its
    initiative, for that area, and for everything. ``known`` keeps to the events that had
    occurred by its day and were recorded by its moment (None: every event).
    """
    with db.session() as session:
        slug = find_initiative(session, initiative).slug if initiative else None
        found = find_measure(session, measure) if measure else None
        if found is not None:
            slug = found.initiative_slug
        code = _area_code(session, area) if area else None
        return [
            e
            for e in _all(session, known)
            if applies_to(e, slug, found.slug if found else None, code)
        ]


def applies_to(
    event: EventView, initiative: str | None, measure: str | None, area_code: str | None
) -> bool:
    """Whether ``event`` applies to the scope given: each scope it names is the one asked
    for (a scope not asked for matches any)."""
    pairs = ((event.initiative, initiative), (event.measure, measure), (event.area_code, area_code))
    return all(mine is None or asked is None or mine == asked for mine, asked in pairs)


def _all(session: Session, known: KnownAt | None) -> list[EventView]:
    """Every event (as known at ``known``), oldest first, with measures by id."""
    query = select(DatedEvent, Measure.slug).outerjoin(Measure, Measure.id == DatedEvent.measure_id)
    if known is not None:
        query = query.where(
            DatedEvent.occurred_on <= known.day, DatedEvent.recorded_at <= known.recorded_by
        )
    rows = session.execute(query.order_by(DatedEvent.occurred_on, DatedEvent.id))
    return [_view(row, slug) for row, slug in rows]


def every_event(db: Database | Session, known: KnownAt | None = None) -> list[EventView]:
    """Every event as known at ``known`` (None: all), for callers that match many series."""
    if isinstance(db, Session):
        return _all(db, known)
    with db.session() as session:
        return _all(session, known)


def _area_code(session: Session, area: str) -> str:
    """An area's code from its code or name; InputError naming the nearest."""
    known = session.get(Area, area) or session.scalar(select(Area).where(Area.name == area))
    if known is None:
        names = [*session.scalars(select(Area.code)), *session.scalars(select(Area.name))]
        raise InputError(
            [Problem("event", None, "area", area, f"unknown area{did_you_mean(area, names)}")]
        )
    return known.code


def _view(row: DatedEvent, measure_slug: str | None) -> EventView:
    """The stored row as an :class:`EventView`."""
    return EventView(
        id=row.id,
        occurred_on=row.occurred_on,
        text=row.text,
        kind=row.kind,
        initiative=row.initiative_slug,
        measure=measure_slug,
        area_code=row.area_code,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )
