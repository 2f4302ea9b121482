"""The governance part of :class:`jwmetrics.metrics.face.Metrics`: users and the audit log.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; each method is a thin call into :mod:`jwmetrics.governance`, imported where used.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor

if TYPE_CHECKING:
    from jwmetrics.db.models import AuditEvent
    from jwmetrics.governance.users import UserRecord


class GovernanceMethods:
    """Users, their roles and assignments, and the audit log."""

    db: Database

    def users(self) -> list[UserRecord]:
        """Every user with their role and assignments, by e-mail."""
        from jwmetrics.governance.users import list_users

        return list_users(self.db)

    def add_user(
        self,
        email: str,
        role: str,
        partners: tuple[str, ...] = (),
        initiatives: tuple[str, ...] = (),
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> UserRecord:
        """Add a user or change one's role and assignments (an administrator's job)."""
        from jwmetrics.governance.users import add_user

        return add_user(
            self.db, email, role, partners=partners, initiatives=initiatives, by=by, actor=actor
        )

    def remove_user(self, email: str, by: str = "", actor: Actor = LOCAL_USER) -> None:
        """Remove a user (an administrator's job)."""
        from jwmetrics.governance.users import remove_user

        remove_user(self.db, email, by=by, actor=actor)

    def user(self, email: str) -> UserRecord | None:
        """The user with this e-mail (any case), or None."""
        from jwmetrics.governance.users import find_user

        return find_user(self.db, email)

    def add_sign_in(self, email: str, detail: str = "", issued_at: int | None = None) -> bool:
        """Record a sign-in in the audit log, in its own transaction, once per identity
        token (``issued_at``, its ``iat``) when one is given; say whether it was recorded."""
        from jwmetrics.governance.audit import record_sign_in

        return record_sign_in(self.db, email, detail, issued_at)

    def first_user_refusal(self, role: str) -> str | None:
        """Why a first user with ``role`` would lock the database out, or None."""
        from jwmetrics.governance.users import first_user_refusal

        return first_user_refusal(self.db, role)

    def actor(self, name: str) -> Actor:
        """Who a command acts as: the local administrator while there are no users, else
        the user ``name`` (PermissionDenied when there is no such user)."""
        from jwmetrics.governance.users import actor_named

        return actor_named(self.db, name)

    def audit_events(
        self,
        since: date | datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
    ) -> list[AuditEvent]:
        """The audit log at or after ``since`` (a day means its start), oldest first."""
        from jwmetrics.governance.audit import events

        return events(self.db, since, actor=actor, action=action)

    def audit_actors(self) -> list[str]:
        """Everyone the audit log names, sorted."""
        from jwmetrics.governance.audit import actors

        return actors(self.db)

    # Earlier names, kept working for scripts that call them (see CHANGELOG.md).
    actor_named = actor
