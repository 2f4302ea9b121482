"""Watchlists: who follows what (an initiative, a measure in an area, a partner's returns).

A follow is a row of ``watch``; unfollowing ends it (``ended_at``) and keeps the row, so the
history stays and a default follow is never made again after an unfollow. ``WHAT`` is
written ``initiative:ID``, ``measure:ID`` (England), ``measure:ID@AREA`` or ``partner:NAME``
on the command line, and the same from the app's Follow buttons.

Approvers and administrators follow what they are assigned by default
(:func:`follow_assigned`): each initiative in their assignments (``user_scope``), and each
open remedial action's measure and area whose owner is their e-mail. An administrator with
no initiative assigned is not made to follow everything: that would be every alert there is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.alert_models import Watch
from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import RemedialAction
from jwmetrics.db.models import AppUser, Area, Measure, Partner, UserScope
from jwmetrics.governance import audit
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise, email_key
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.lookup import ENGLAND, find_initiative, find_measure

KINDS = ("initiative", "measure", "partner")
ASSIGNED_BY = "assigned (default follow)"  # created_by of a default follow


@dataclass(frozen=True)
class WatchRecord:
    """One follow as the pages and the CLI show it."""

    id: int
    user: str
    kind: str
    target: str
    area_code: str
    created_at: datetime
    created_by: str
    ended_at: datetime | None

    @property
    def what(self) -> str:
        """The follow written as ``watch add`` takes it: ``measure:ID@AREA``."""
        area = f"@{self.area_code}" if self.kind == "measure" else ""
        return f"{self.kind}:{self.target}{area}"

    def as_record(self) -> dict[str, object]:
        """A flat record for JSON output (ISO times)."""
        return {
            "id": self.id,
            "user": self.user,
            "what": self.what,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "created_by": self.created_by,
            "ended_at": self.ended_at.isoformat(timespec="seconds") if self.ended_at else None,
        }


def user_key(actor: Actor) -> str:
    """Whose alerts these are: the lower-case e-mail, or the local user's one name."""
    return actor.name if actor.local else email_key(actor.email)


def parse_what(session: Session, what: str) -> tuple[str, str, str]:
    """``measure:ID@AREA`` -> ("measure", measure id, area code), checked against the
    catalogue; :class:`InputError` saying what was expected."""
    kind, sep, rest = what.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in KINDS or not rest.strip():
        expected = "initiative:ID, measure:ID, measure:ID@AREA or partner:NAME"
        raise InputError([Problem("WHAT", None, None, what, f"expected {expected}")])
    rest = rest.strip()
    if kind == "initiative":
        return kind, find_initiative(session, rest).slug, ""
    if kind == "measure":
        key, _, area = rest.partition("@")
        measure = find_measure(session, key.strip())
        code = area.strip() or ENGLAND
        if session.get(Area, code) is None:
            raise InputError([Problem("WHAT", None, None, what, f"unknown area {code}")])
        return kind, measure.slug, code
    names = set(session.scalars(select(Partner.name)))
    if rest not in names:
        raise InputError([Problem("WHAT", None, None, what, "unknown partner")])
    return kind, rest, ""


def add_watch(db: Database, what: str, user: str = "", actor: Actor = LOCAL_USER) -> WatchRecord:
    """``user`` (default: the actor) follows ``what``; the follow already open is returned
    as it is. Anyone may follow for themselves; following for someone else is a users'
    manager's (an administrator's) job. Audited in the same transaction."""
    now = datetime.now()
    with db.session() as session, session.begin():
        current = authorise(session, actor, Action.VIEW)
        mine = user_key(current)
        whom = email_key(user) if user and email_key(user) != mine else mine
        if whom != mine:
            authorise(session, actor, Action.USERS)
        kind, target, area = parse_what(session, what)
        row = _open_watch(session, whom, kind, target, area)
        if row is None:
            row = Watch(
                user_email=whom,
                kind=kind,
                target=target,
                area_code=area,
                created_at=now,
                created_by=current.name,
                ended_at=None,
            )
            session.add(row)
            session.flush()
            audit.append(session, current.name, "follow", f"watch {row.id}", f"{whom}: {what}")
        return _record(row)


def remove_watch(db: Database, watch_id: int, actor: Actor = LOCAL_USER) -> WatchRecord:
    """End a follow (its row stays); the follower themself or an administrator."""
    with db.session() as session, session.begin():
        current = authorise(session, actor, Action.VIEW)
        row = session.get(Watch, watch_id)
        if row is None or row.ended_at is not None:
            raise InputError([Problem("ID", None, None, str(watch_id), "no open follow")])
        if row.user_email != user_key(current):
            authorise(session, actor, Action.USERS)
        row.ended_at = datetime.now()
        audit.append(session, current.name, "unfollow", f"watch {row.id}", row.user_email)
        return _record(row)


def list_watches(
    db: Database, user: str | None = None, *, ended: bool = False
) -> list[WatchRecord]:
    """The open follows (and the ended ones when ``ended``), of one user or of everyone."""
    with db.session() as session:
        query = select(Watch).order_by(Watch.id)
        if user:
            query = query.where(Watch.user_email == email_key(user))
        if not ended:
            query = query.where(Watch.ended_at.is_(None))
        return [_record(row) for row in session.scalars(query)]


def follow_assigned(session: Session, now: datetime) -> int:
    """Make the default follows of approvers and administrators, once each (never again
    after an unfollow); the number made. Run by ``notify`` in its own transaction."""
    wanted: set[tuple[str, str, str, str]] = set()
    leads = {
        email_key(u.email)
        for u in session.scalars(select(AppUser).where(AppUser.role.in_(("approver", "admin"))))
    }
    for scope in session.scalars(select(UserScope).where(UserScope.kind == "initiative")):
        if email_key(scope.email) in leads:
            wanted.add((email_key(scope.email), "initiative", scope.value, ""))
    open_actions = select(RemedialAction, Measure.slug).join(
        Measure, Measure.id == RemedialAction.measure_id
    )
    for action, slug in session.execute(open_actions.where(RemedialAction.closed_at.is_(None))):
        if email_key(action.owner) in leads:
            wanted.add((email_key(action.owner), "measure", slug, action.area_code))
    seen = {(w.user_email, w.kind, w.target, w.area_code) for w in session.scalars(select(Watch))}
    made = 0
    for whom, kind, target, area in sorted(wanted - seen):
        session.add(
            Watch(
                user_email=whom,
                kind=kind,
                target=target,
                area_code=area,
                created_at=now,
                created_by=ASSIGNED_BY,
                ended_at=None,
            )
        )
        made += 1
    return made


def open_watches(session: Session) -> list[Watch]:
    """Every open follow, oldest first."""
    query = select(Watch).where(Watch.ended_at.is_(None)).order_by(Watch.id)
    return list(session.scalars(query))


def _open_watch(session: Session, user: str, kind: str, target: str, area: str) -> Watch | None:
    query = select(Watch).where(
        Watch.user_email == user,
        Watch.kind == kind,
        Watch.target == target,
        Watch.area_code == area,
        Watch.ended_at.is_(None),
    )
    return session.scalars(query).first()


def _record(row: Watch) -> WatchRecord:
    return WatchRecord(
        row.id, row.user_email, row.kind, row.target, row.area_code,
        row.created_at, row.created_by, row.ended_at,
    )  # fmt: skip
