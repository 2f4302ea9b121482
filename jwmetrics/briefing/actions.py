"""Remedial actions: who does what by when about a measure in an area, and what became of it.

Paragraph 24 of the report asks for "clear understanding of who is responsible for taking
remedial action if needed", and recommendation 7 for progress to be monitored and variations
investigated. An action (:class:`~jwmetrics.db.joint_models.RemedialAction`) names an owner, a
description and a due date for one measure and area, and keeps the status it responds to:
the status and reason of that series as known when the action was added. Its state is
``open`` until it is closed as ``done`` or ``dropped`` (only an open action can be closed;
who closed it and when are kept). An open action due before today is **overdue**.

Adding and closing are an approver's or an administrator's (``Action.ACTIONS``: analysts
who review the figures agree the actions), checked here whatever a page showed, and each is
one audit event ("action-add", "action-close") in the same transaction. The overview flags
Amber and Red measures with no open action (:func:`unactioned`) and overdue actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select, update

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import Assessment
from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import RemedialAction
from jwmetrics.db.models import Area, Measure
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise
from jwmetrics.periods import format_date
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.lookup import find_area, find_measure

T = TypeVar("T")

OPEN = "open"
CLOSED_STATES = ("done", "dropped")
STATES = (OPEN, *CLOSED_STATES)
NEEDS_ACTION = frozenset({"Amber", "Red"})
"""The statuses the overview flags when no open action responds to them."""

MAX_TEXT_CHARS = 2000  # what is to be done, in a few sentences
MAX_OWNER_CHARS = 320  # the width of remedial_action.owner (an e-mail or a named post)


@dataclass(frozen=True)
class ActionRecord:
    """One remedial action as read, with whether it is overdue on the day asked."""

    id: int
    initiative: str
    measure: str
    measure_name: str
    area_code: str
    area_name: str
    owner: str
    text: str
    due: date
    state: str
    responds_to_status: str
    responds_to_reason: str
    responds_to_as_of: date | None
    created_by: str
    created_at: datetime
    closed_by: str
    closed_at: datetime | None
    overdue: bool  # open and due before the day asked (default today)

    @property
    def is_open(self) -> bool:
        """True until it is closed as done or dropped."""
        return self.state == OPEN

    def as_record(self) -> dict[str, Any]:
        """The record ``actions list --format json`` writes: ``id``, ``measure``,
        ``area_code``, ``owner``, ``due``, ``state``, ``text``, ``responds_to`` (status,
        reason, as_of), ``overdue``, then the initiative and who added and closed it, when."""
        return {
            "id": self.id,
            "measure": self.measure,
            "area_code": self.area_code,
            "owner": self.owner,
            "due": self.due.isoformat(),
            "state": self.state,
            "text": self.text,
            "responds_to": {
                "status": self.responds_to_status,
                "reason": self.responds_to_reason,
                "as_of": self.responds_to_as_of.isoformat() if self.responds_to_as_of else None,
            },
            "overdue": self.overdue,
            "initiative": self.initiative,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "closed_by": self.closed_by,
            "closed_at": self.closed_at.isoformat(timespec="seconds") if self.closed_at else None,
        }


def parse_due(value: date | str) -> date:
    """A due date: a ``date``, or text written YYYY-MM-DD; :class:`InputError` otherwise."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError([_problem("due", value, "expected a date written YYYY-MM-DD")]) from None


def add_action(
    db: Database,
    measure_key: str,
    area_code: str,
    owner: str,
    due: date | str,
    text: str,
    *,
    actor: Actor = LOCAL_USER,
    by: str = "",
) -> ActionRecord:
    """Record an open action on one measure and area; the action as stored.

    It keeps the status it responds to: the series' status and reason as known now.
    :class:`InputError` naming the field for an unknown measure or area, an empty or
    over-long owner or text, or a due date that is not a date; :class:`PermissionDenied`
    for a role that may not add actions.
    """
    problems: list[Problem] = []
    owner, body = owner.strip(), text.strip()
    if not owner or len(owner) > MAX_OWNER_CHARS:
        message = f"name who owns it, in at most {MAX_OWNER_CHARS} characters"
        problems.append(_problem("owner", owner, message))
    if not body or len(body) > MAX_TEXT_CHARS:
        message = f"say what is to be done, in at most {MAX_TEXT_CHARS:,} characters"
        problems.append(_problem("text", body, message))
    due_day = _checked(problems, lambda: parse_due(due))
    measure = _checked(problems, lambda: _find_measure(db, measure_key))
    area = _checked(problems, lambda: find_area(db, area_code))
    if problems or due_day is None or measure is None or area is None:
        raise InputError(problems)
    authorise(db, actor, Action.ACTIONS, initiative=measure.initiative_slug)
    status = series_detail(db, measure.slug, area.code).assessment  # as known now
    author, now = by or actor.name, datetime.now()
    with db.session() as session, session.begin():
        authorise(session, actor, Action.ACTIONS, initiative=measure.initiative_slug)
        row = RemedialAction(
            measure_id=measure.id,
            area_code=area.code,
            owner=owner,
            text=body,
            due=due_day,
            state=OPEN,
            responds_to_status=status.status,
            responds_to_reason=status.reason,
            responds_to_as_of=status.as_of,
            created_by=author,
            created_at=now,
        )
        session.add(row)
        session.flush()
        detail = f"action {row.id} for {owner}, due {due_day.isoformat()} ({status.status}): "
        audit.append(
            session, author, "action-add", _subject(measure, area.code), detail + body[:200], now
        )
        action_id = row.id
    return get_action(db, action_id)


def close_action(
    db: Database,
    action_id: int,
    state: str = "done",
    *,
    actor: Actor = LOCAL_USER,
    by: str = "",
) -> ActionRecord:
    """Close an open action as ``done`` or ``dropped``, recording who and when.

    :class:`InputError` for another state, no such action, or one already closed (also
    when someone closed it a moment ago: the update is conditional in SQL, so of two closes
    at once exactly one happens); :class:`PermissionDenied` for a role that may not.
    """
    if state not in CLOSED_STATES:
        raise InputError([_problem("state", state, "expected done or dropped")])
    author, now = by or actor.name, datetime.now()
    with db.session() as session, session.begin():
        row = session.get(RemedialAction, action_id)
        if row is None:
            raise InputError([_problem("id", str(action_id), "no action has this number")])
        measure = session.get(Measure, row.measure_id)
        assert measure is not None
        authorise(session, actor, Action.ACTIONS, initiative=measure.initiative_slug)
        if row.state != OPEN:
            raise InputError([_problem("id", str(action_id), _closed_already(row))])
        result = session.execute(
            update(RemedialAction)
            .where(RemedialAction.id == action_id, RemedialAction.state == OPEN)
            .values(state=state, closed_by=author, closed_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            message = "it was closed a moment ago by someone else; nothing was changed"
            raise InputError([_problem("id", str(action_id), message)])
        detail = f"action {action_id} {state} (owner {row.owner}, due {row.due.isoformat()})"
        audit.append(session, author, "action-close", _subject(measure, row.area_code), detail, now)
    return get_action(db, action_id)


def _closed_already(row: RemedialAction) -> str:
    """ "already done: closed by … on 3 March 2026; only an open action can be closed"."""
    when = f" on {format_date(row.closed_at.date())}" if row.closed_at else ""
    who = f" by {row.closed_by}" if row.closed_by else ""
    return f"already {row.state}: closed{who}{when}; only an open action can be closed"


def get_action(db: Database, action_id: int) -> ActionRecord:
    """One action by its number; :class:`InputError` when there is none."""
    found = list_actions(db, ids=[action_id])
    if not found:
        raise InputError([_problem("id", str(action_id), "no action has this number")])
    return found[0]


def list_actions(
    db: Database,
    *,
    open_only: bool = False,
    measure: str | None = None,
    area_code: str | None = None,
    today: date | None = None,
    moment: datetime | None = None,
    ids: Iterable[int] | None = None,
) -> list[ActionRecord]:
    """Actions by due date (then number): all, or the open ones; of one measure and area
    when given. ``overdue`` is judged against ``today`` (default the real today).

    ``moment`` reads them as they stood then (a briefing pack rebuilt exactly): actions
    added by then, in the state they had then (one closed later was still open).
    """
    today = today or (moment.date() if moment else date.today())
    query = (
        select(RemedialAction, Measure, Area)
        .join(Measure, Measure.id == RemedialAction.measure_id)
        .join(Area, Area.code == RemedialAction.area_code)
    )
    if moment is not None:
        query = query.where(RemedialAction.created_at <= moment)
    if ids is not None:
        query = query.where(RemedialAction.id.in_(list(ids)))
    with db.session() as session:
        if measure is not None:
            query = query.where(RemedialAction.measure_id == find_measure(session, measure).id)
        if area_code is not None:
            query = query.where(RemedialAction.area_code == area_code)
        rows = session.execute(query.order_by(RemedialAction.due, RemedialAction.id))
        found = [_record(row, m, a, today, moment) for row, m, a in rows]
    return [a for a in found if a.is_open] if open_only else found


def _record(
    row: RemedialAction, measure: Measure, area: Area, today: date, moment: datetime | None
) -> ActionRecord:
    """A stored action as read at ``moment`` (None: now)."""
    closed = row.closed_at is not None and (moment is None or row.closed_at <= moment)
    state = row.state if closed or row.state == OPEN else OPEN
    return ActionRecord(
        id=row.id,
        initiative=measure.initiative_slug,
        measure=measure.slug,
        measure_name=measure.name,
        area_code=row.area_code,
        area_name=area.name,
        owner=row.owner,
        text=row.text,
        due=row.due,
        state=state,
        responds_to_status=row.responds_to_status,
        responds_to_reason=row.responds_to_reason,
        responds_to_as_of=row.responds_to_as_of,
        created_by=row.created_by,
        created_at=row.created_at,
        closed_by=row.closed_by if closed else "",
        closed_at=row.closed_at if closed else None,
        overdue=state == OPEN and row.due < today,
    )


def unactioned(rows: Iterable[Assessment], actions: Iterable[ActionRecord]) -> list[Assessment]:
    """The Amber and Red rows with no open action on their measure and area."""
    covered = {(a.measure, a.area_code) for a in actions if a.is_open}
    return [r for r in rows if r.status in NEEDS_ACTION and (r.measure, r.area_code) not in covered]


def _checked(problems: list[Problem], look_up: Callable[[], T]) -> T | None:
    """``look_up()``, or None with its problems added to ``problems``."""
    try:
        return look_up()
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _find_measure(db: Database, key: str) -> Measure:
    """A measure by id or name, read in a session of its own."""
    with db.session() as session:
        return find_measure(session, key)


def _subject(measure: Measure, area_code: str) -> str:
    """What an audit event is about: "rough-sleepers-count in E92000001"."""
    return f"{measure.slug} in {area_code}"


def _problem(column: str, value: str, message: str) -> Problem:
    """A refused action's problem, naming the field."""
    return Problem("action", None, column, value, message)
