"""Users, their roles and their assignments, kept in the database.

E-mails are kept and shown as entered (trimmed) and compared without regard to case:
identity providers are not consistent about case, so "Amy@Example.gov.uk" and
"amy@example.gov.uk" are one user, listed as whoever added them first typed it. Every
change adds an audit event in the same transaction, and needs an actor allowed to manage
users (an administrator), except the very first user of a database, so that a deployment
can be started. Removing or demoting the last administrator
is refused while other users remain, since nobody could then manage them.
:func:`actor_named` is who the command line acts as.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from jwmetrics.db.engine import Database
from jwmetrics.db.models import AppUser, UserScope
from jwmetrics.governance import audit
from jwmetrics.governance.roles import (
    LOCAL_USER,
    ROLES,
    Action,
    Actor,
    PermissionDenied,
    Role,
    require,
)
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
    """An e-mail as stored and shown: trimmed, its case as entered; refused unless it looks
    like one. Compare e-mails with :func:`email_key`, never as written."""
    cleaned = email.strip()
    if "@" not in cleaned or cleaned.startswith("@") or cleaned.endswith("@") or " " in cleaned:
        raise _refused("email", email, "not an e-mail address; expected name@example.gov.uk")
    return cleaned


def email_key(email: str) -> str:
    """What two e-mails are matched by: trimmed and lower-case (for matching only)."""
    return email.strip().lower()


def _stored_user(session: Session, email: str) -> AppUser | None:
    """The user whose e-mail matches ``email`` in any case, or None."""
    query = (
        select(AppUser)
        .options(selectinload(AppUser.scopes))
        .where(func.lower(AppUser.email) == email_key(email))
    )
    return session.scalars(query).first()


def add_user(
    db: Database,
    email: str,
    role: str,
    *,
    partners: tuple[str, ...] = (),
    initiatives: tuple[str, ...] = (),
    by: str = "",
    actor: Actor = LOCAL_USER,
) -> UserRecord:
    """Add a user, or change an existing one's role and assignments (replacing them).

    :class:`~jwmetrics.governance.roles.PermissionDenied` unless ``actor`` may manage users
    (any actor may add the first user); :class:`InputError` for a bad e-mail, role or
    initiative, or a change that would leave the users without an administrator.
    """
    address = normal_email(email)
    if role not in ROLES:
        raise _refused("role", role, f"not a role; expected one of {', '.join(ROLES)}")
    by = by or actor.name
    now = datetime.now()
    with db.session() as session, session.begin():
        _require_manager(session, actor)
        had_admin = _admin_count(session) > 0
        slugs = tuple(find_initiative(session, key).slug for key in initiatives)
        names = tuple(dict.fromkeys(p.strip() for p in partners if p.strip()))
        user = _stored_user(session, address)
        action = "user-change" if user is not None else "user-add"
        if user is None:
            user = AppUser(email=address, role=role, added_by=by, added_at=now)
            session.add(user)
        user.role = role
        user.scopes = [UserScope(kind="partner", value=name) for name in names] + [
            UserScope(kind="initiative", value=slug) for slug in slugs
        ]
        session.flush()
        address = user.email  # a change keeps the e-mail as first entered
        _keep_an_admin(session, address, had_admin)
        audit.append(session, by, action, address, _describe(role, names, slugs), now)
    found = find_user(db, address)
    assert found is not None
    return found


def remove_user(db: Database, email: str, *, by: str = "", actor: Actor = LOCAL_USER) -> None:
    """Remove a user and their assignments.

    :class:`~jwmetrics.governance.roles.PermissionDenied` unless ``actor`` may manage users;
    :class:`InputError` when there is no such user, or it is the last administrator while
    others remain.
    """
    address = normal_email(email)
    by = by or actor.name
    with db.session() as session, session.begin():
        _require_manager(session, actor)
        had_admin = _admin_count(session) > 0
        user = _stored_user(session, address)
        if user is None:
            raise _refused("email", address, "there is no such user (see `users list`)")
        address = user.email
        session.delete(user)
        session.flush()
        _keep_an_admin(session, address, had_admin)
        audit.append(session, by, "user-remove", address, f"was {user.role}")


def list_users(db: Database) -> list[UserRecord]:
    """Every user, by e-mail (in any case)."""
    with db.session() as session:
        query = select(AppUser).options(selectinload(AppUser.scopes))
        found = [_record(user) for user in session.scalars(query)]
    return sorted(found, key=lambda u: (email_key(u.email), u.email))


def find_user(db: Database, email: str) -> UserRecord | None:
    """The user with this e-mail (any case), or None."""
    with db.session() as session:
        user = _stored_user(session, email)
        return None if user is None else _record(user)


def has_users(session: Session) -> bool:
    """True once any user is recorded: the CLI then checks the ``--user`` it is given."""
    return bool(session.scalar(select(func.count()).select_from(AppUser)))


NO_ACTOR_MESSAGE = (
    "this database has users, so a write must name the user who acts (actor=, or --user on "
    "the command line); the local administrator acts only on a database with no users"
)


def as_stored(session: Session, actor: Actor) -> Actor:
    """``actor`` as the database has them now, read in the caller's session: the role and
    assignments a page or a command was given at its start may have been changed since (an
    approver demoted while their page was open must not approve). A stored user gets their
    stored role; a signed-in e-mail that is no longer a user, on a database with users, is a
    viewer. On a database with no users (local mode, the library used on its own) any actor
    is taken as given; once there are users, the local administrator (every write's default
    actor) is refused: a write must say which user acts."""
    if not has_users(session):
        return actor
    if actor.local:  # the default actor of every write: refused once there are users
        raise PermissionDenied(NO_ACTOR_MESSAGE)
    user = _stored_user(session, actor.email)
    return _record(user).as_actor() if user is not None else Actor(actor.email, Role.VIEWER)


def authorise(
    source: Database | Session,
    actor: Actor,
    action: Action,
    *,
    initiative: str | None = None,
    partner: str | None = None,
) -> Actor:
    """:func:`~jwmetrics.governance.roles.require` on the actor as stored at the moment of
    the write (:func:`as_stored`); returns that actor. ``source`` is the write's own session
    where it has one, else the database (a session is opened for the read)."""
    if isinstance(source, Session):
        current = as_stored(source, actor)
    else:
        with source.session() as session:
            current = as_stored(session, actor)
    require(current, action, initiative=initiative, partner=partner)
    return current


def actor_named(db: Database, name: str) -> Actor:
    """Who a command acts as, given the name it was told (``--user``).

    On a database with no users (local mode) everyone is the local administrator
    (:data:`~jwmetrics.governance.roles.LOCAL_USER`), whatever the name; the name is still
    what gets recorded. Once there are users, ``name`` must be one of them, and their role
    and assignments apply: :class:`~jwmetrics.governance.roles.PermissionDenied` otherwise.
    """
    with db.session() as session:
        if not has_users(session):
            return LOCAL_USER
    if not name.strip():
        raise PermissionDenied(
            "this database has users: name the one acting with --user (see `users list`)"
        )
    found = find_user(db, name)
    if found is None:
        raise PermissionDenied(f"{name.strip()} is not a user of this database (see `users list`)")
    return found.as_actor()


def first_user_refusal(db: Database, role: str) -> str | None:
    """Why adding a user with ``role`` now would lock the database, or None.

    The first user of a database ends local mode: from then on only an administrator may
    add others, so the first user must be one. (The command line and the admin page ask
    this first; :func:`add_user` itself also accepts a first user of another role.)
    """
    with db.session() as session:
        if has_users(session) or role == Role.ADMIN.value:
            return None
    return (
        f"the first user must be an admin (not {role}): once a database has users, only an "
        "admin may add the others"
    )


def _require_manager(session: Session, actor: Actor) -> None:
    """Refuse unless ``actor``, as stored now, may manage users; anyone may add the first."""
    if has_users(session):
        authorise(session, actor, Action.USERS)


def _admin_count(session: Session) -> int:
    """How many users are administrators."""
    query = select(func.count()).select_from(AppUser).where(AppUser.role == Role.ADMIN.value)
    return int(session.scalar(query) or 0)


def _keep_an_admin(session: Session, changed: str, had_admin: bool) -> None:
    """After a change to ``changed``: refuse it when it removed or demoted the last
    administrator while other users remain."""
    if had_admin and has_users(session) and not _admin_count(session):
        raise _refused(
            "email",
            changed,
            "this is the last admin: make another user an admin first, so someone can still "
            "manage the users",
        )


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
