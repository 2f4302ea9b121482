"""Roles and the server-side permission check.

Four roles, each for one job (least privilege):

- ``viewer``: reads every page and download;
- ``uploader``: also submits returns, for the partners and initiatives assigned to them;
- ``approver``: also approves or rejects returns, for the initiatives assigned to them,
  writes commentary on the figures, and adds and closes remedial actions;
- ``admin``: everything: users and roles, the catalogue, withdrawals, and any upload or
  approval.

An assignment list that is empty does not limit (an uploader with no initiative assigned
may upload for any initiative); a partner list that is empty means the uploader names the
partner. Four eyes is not a role rule but an approval rule: nobody approves their own
return (:mod:`jwmetrics.returns.approval`).

Every write in the library calls :func:`require` before it acts, whatever the page showed:
hiding a button is a courtesy, this is the check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """A user's role."""

    VIEWER = "viewer"
    UPLOADER = "uploader"
    APPROVER = "approver"
    ADMIN = "admin"


ROLES = tuple(role.value for role in Role)


class Action(StrEnum):
    """What a user may be allowed to do."""

    VIEW = "view"
    UPLOAD = "upload"  # check and submit (commit) a return
    APPROVE = "approve"  # approve or reject a submitted return
    WITHDRAW = "withdraw"
    CATALOGUE = "catalogue"  # measures, targets, change points, snapshot loads
    USERS = "users"  # add, change and remove users; read the audit log
    COMMENT = "comment"  # write commentary on the figures
    ACTIONS = "add or close remedial actions"  # who does what by when about a measure
    RATE = "rate delivery confidence"  # a judged rating beside the computed status
    EVENTS = "add dated events"  # what happened on a day: policy, definition, data, funding


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.UPLOADER: frozenset({Action.VIEW, Action.UPLOAD}),
    Role.APPROVER: frozenset(
        {Action.VIEW, Action.APPROVE, Action.COMMENT, Action.ACTIONS, Action.RATE, Action.EVENTS}
    ),
    Role.ADMIN: frozenset(Action),
}
"""Which actions each role may take (before its assignments narrow them)."""


class PermissionDenied(PermissionError):
    """The user may not do this; the message says who, what and why."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: an e-mail and role, with the partners and initiatives assigned.

    ``local`` is the single user of an app without sign-in (and of the CLI on a database
    with no users): an administrator, since nobody can be told apart.
    """

    email: str
    role: Role
    partners: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    local: bool = field(default=False)

    @property
    def name(self) -> str:
        """How the actor is recorded on a return and in the audit log."""
        return self.email

    def may(
        self, action: Action, *, initiative: str | None = None, partner: str | None = None
    ) -> bool:
        """True when the role allows ``action`` and the assignments cover its scope."""
        return _refusal(self, action, initiative, partner) is None


LOCAL_NAME = "local analyst"
"""The one name of the user of a deployment without sign-in, on every upload, approval,
comment, pack and audit event (never the partner's name, never "anonymous")."""

LOCAL_USER = Actor(LOCAL_NAME, Role.ADMIN, local=True)
"""The one user of a deployment without sign-in: everyone is an administrator."""


def require(
    actor: Actor, action: Action, *, initiative: str | None = None, partner: str | None = None
) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may take ``action`` on the given
    initiative (its id) and partner (its name)."""
    refusal = _refusal(actor, action, initiative, partner)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _refusal(
    actor: Actor, action: Action, initiative: str | None, partner: str | None
) -> str | None:
    """Why ``actor`` may not take ``action`` here, or None when they may."""
    if action not in ALLOWED[actor.role]:
        return f"{actor.email} is {_article(actor.role)} {actor.role} and may not {action}"
    if actor.role is Role.ADMIN:
        return None
    if initiative is not None and actor.initiatives and initiative not in actor.initiatives:
        listed = ", ".join(actor.initiatives)
        return f"{actor.email} may {action} only for {listed}, not {initiative}"
    if (
        action is Action.UPLOAD
        and partner is not None
        and actor.partners
        and partner not in actor.partners
    ):
        listed = ", ".join(actor.partners)
        return f"{actor.email} may send returns only for {listed}, not {partner or 'no partner'}"
    return None


def _article(role: Role) -> str:
    """'an' before admin and uploader, 'a' before the rest."""
    return "an" if role.value[0] in "aeiou" else "a"
