"""Approval: a submitted return counts only once a second person approves it.

With approval required (:func:`~jwmetrics.governance.settings.approval_required`), a
commit keeps the return as *submitted*: stored, listed and previewable, but none of its
figures counts in any status, chart or download. :func:`approve_return` makes it count from
that moment (so "as known on" an earlier moment still leaves it out); :func:`reject_return`
closes it with a reason, and it never counts. Four eyes: the uploader of a return cannot
approve it, whatever their role. Each move is a
:class:`~jwmetrics.db.models.ReturnEvent` and an audit event, in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation, Return
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor, require
from jwmetrics.governance.users import authorise, email_key
from jwmetrics.returns.model import ReturnRefused
from jwmetrics.store.writes import approve, move

FOUR_EYES_MESSAGE = "{by} uploaded return {return_id} and cannot approve it: four eyes"
MOVED_MESSAGE = "return {return_id} was {state} by someone else a moment ago; nothing changed"


def approve_return(db: Database, return_id: int, *, by: str = "", actor: Actor = LOCAL_USER) -> str:
    """Approve a submitted return: from now its figures count. ``by`` (default the actor's
    e-mail) is recorded; refused when it is the uploader's own return."""
    by = by or actor.name
    now = datetime.now()
    with db.session() as session, session.begin():
        record = _submitted(session, return_id, "approve")
        current = _require_for_initiatives(session, actor, record)
        if _own_return(record, current, by):
            raise ReturnRefused(FOUR_EYES_MESSAGE.format(by=by, return_id=return_id))
        if not approve(session, return_id, by, now):
            raise ReturnRefused(MOVED_MESSAGE.format(return_id=return_id, state="moved"))
        audit.append(session, by, "approve", f"return {return_id}", record.file_name, now)
    return f"return {return_id} approved by {by}; its figures count from now"


def reject_return(
    db: Database, return_id: int, *, reason: str, by: str = "", actor: Actor = LOCAL_USER
) -> str:
    """Reject a submitted return with a reason: it is kept, and its figures never count."""
    if not reason.strip():
        raise ReturnRefused("say why the return is rejected (--reason); nothing changed")
    by = by or actor.name
    now = datetime.now()
    with db.session() as session, session.begin():
        record = _submitted(session, return_id, "reject")
        _require_for_initiatives(session, actor, record)
        if not move(session, return_id, ("submitted",), "rejected", by, now, reason.strip()):
            raise ReturnRefused(MOVED_MESSAGE.format(return_id=return_id, state="moved"))
        detail = f"{record.file_name}: {reason.strip()}"
        audit.append(session, by, "reject", f"return {return_id}", detail, now)
    return f"return {return_id} rejected by {by}: {reason.strip()}"


def _own_return(record: Return, approver: Actor, by: str) -> bool:
    """Four eyes: whether ``approver`` (as stored now) sent this return. The stored users
    are compared (the committing user kept with the return against the approver's stored
    e-mail), and the free-text names as well, so neither a ``by`` that differs from the
    approver's e-mail nor an ``uploaded_by`` typed to differ lets anyone approve their own."""
    names = {email_key(by)} | (set() if approver.local else {email_key(approver.email)})
    users = {record.uploaded_by_user} - {""}
    return bool(names & ({email_key(record.uploaded_by)} | users))


def _submitted(session: Session, return_id: int, verb: str) -> Return:
    """The return, refused unless it exists and waits for approval."""
    record = session.get(Return, return_id)
    if record is None:
        raise ReturnRefused(f"there is no return {return_id}")
    if record.state != "submitted":
        raise ReturnRefused(
            f"return {return_id} is {record.state}, not submitted; only a submitted return "
            f"can be {verb}d"
        )
    return record


def return_initiatives(db: Database, return_id: int) -> list[str]:
    """The initiatives (ids) a return's figures are of, sorted: whose approvers may move it."""
    with db.session() as session:
        return _initiatives(session, return_id)


def may_approve(db: Database, actor: Actor, return_id: int) -> bool:
    """True when ``actor`` may approve or reject this return (role and initiatives; four
    eyes is checked only when they try, since it depends on who is named)."""
    if not actor.may(Action.APPROVE):
        return False
    return all(
        actor.may(Action.APPROVE, initiative=slug) for slug in return_initiatives(db, return_id)
    )


def _initiatives(session: Session, return_id: int) -> list[str]:
    """The initiatives of the measures a return recorded figures for, sorted."""
    query = (
        select(Measure.initiative_slug)
        .join(Observation, Observation.measure_id == Measure.id)
        .where(Observation.return_id == return_id)
        .distinct()
    )
    return sorted(session.scalars(query))


def _require_for_initiatives(session: Session, actor: Actor, record: Return) -> Actor:
    """Refuse unless ``actor``, as stored now, may approve for every initiative the return's
    figures are of."""
    current = authorise(session, actor, Action.APPROVE)
    for slug in _initiatives(session, record.id):
        require(current, Action.APPROVE, initiative=slug)
    return current
