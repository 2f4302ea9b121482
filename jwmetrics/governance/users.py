"""Users, their roles and their assignments, kept in the database.

E-mails are compared without regard to case and stored lower-case: identity providers are
not consistent about case. Every change adds an audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from jwmetrics.db import Database
from jwmetrics.governance import audit
from jwmetrics.governance.roles import ROLES, Actor, Role
from jwmetrics.models import AppUser, UserScope
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.lookup import find_initiative


@dataclass(frozen=True)
class UserRecord:
    """One user as listed: e-mail, role, assignments, who added them and when."""

    email: str
    role: str
    partners: tuple[str, ...]
    initiatives: tuple[str, ...]
    added_by: str
    added_at: datetime

    def as_actor(self) -> Actor:
        """This user as the :class:`Actor` the permission checks take."""
        return Actor(self.email, Role(self.role), self.partners, self.initiatives)


def normal_email(email: str) -> str:
    """An e-mail as stored: trimmed and lower-case; refused unless it looks like one."""
    cleaned = email.strip().lower()
    if "@" not in cleaned or cleaned.startswith("@") or cleaned.endswith("@") or " " in cleaned:
        raise _refused("email", email, "not an e-mail address; expected name@example.gov.uk")
    return cleaned


def add_user(
    db: Database,
    email: str,
    role: str,
    *,
    partners: tuple[str, ...] = (),
    initiatives: tuple[str, ...] = (),
    by: str = "local",
) -> UserRecord:
    """Add a user, or change an existing one's role and assignments (replacing them)."""
    address = normal_email(email)
    if role not in ROLES:
        raise _refused("role", role, f"not a role; expected one of {', '.join(ROLES)}")
    now = datetime.now()
    with db.session() as session, session.begin():
        slugs = tuple(find_initiative(session, key).slug for key in initiatives)
        names = tuple(dict.fromkeys(p.strip() for p in partners if p.strip()))
        user = session.get(AppUser, address)
        action = "user-change" if user is not None else "user-add"
        if user is None:
            user = AppUser(email=address, role=role, added_by=by, added_at=now)
            session.add(user)
        user.role = role
        user.scopes = [UserScope(kind="partner", value=name) for name in names] + [
            UserScope(kind="initiative", value=slug) for slug in slugs
        ]
        audit.append(session, by, action, address, _describe(role, names, slugs), now)
    found = find_user(db, address)
    assert found is not None
    return found


def remove_user(db: Database, email: str, *, by: str = "local") -> None:
    """Remove a user and their assignments; refused (InputError) when there is none."""
    address = normal_email(email)
    with db.session() as session, session.begin():
        user = session.get(AppUser, address)
        if user is None:
            raise _refused("email", address, "there is no such user (see `users list`)")
        session.delete(user)
        audit.append(session, by, "user-remove", address, f"was {user.role}")


def list_users(db: Database) -> list[UserRecord]:
    """Every user, by e-mail."""
    with db.session() as session:
        query = select(AppUser).options(selectinload(AppUser.scopes)).order_by(AppUser.email)
        return [_record(user) for user in session.scalars(query)]


def find_user(db: Database, email: str) -> UserRecord | None:
    """The user with this e-mail (any case), or None."""
    with db.session() as session:
        user = session.get(AppUser, email.strip().lower())
        return None if user is None else _record(user)


def has_users(session: Session) -> bool:
    """True once any user is recorded: the CLI then checks the ``--user`` it is given."""
    return bool(session.scalar(select(func.count()).select_from(AppUser)))


def _record(user: AppUser) -> UserRecord:
    """A stored user as a :class:`UserRecord`."""
    return UserRecord(
        email=user.email,
        role=user.role,
        partners=tuple(s.value for s in user.scopes if s.kind == "partner"),
        initiatives=tuple(s.value for s in user.scopes if s.kind == "initiative"),
        added_by=user.added_by,
        added_at=user.added_at,
    )


def _describe(role: str, partners: tuple[str, ...], initiatives: tuple[str, ...]) -> str:
    """The audit log's words for a user's role and assignments."""
    parts = [f"role {role}"]
    if partners:
        parts.append("partners " + ", ".join(partners))
    if initiatives:
        parts.append("initiatives " + ", ".join(initiatives))
    return "; ".join(parts)


def _refused(column: str, value: str, message: str) -> InputError:
    """The error for a refused user change, naming the field and what was expected."""
    return InputError([Problem("users", None, column, value, message)])
