"""Governance: who may do what, what needs a second pair of eyes, and the record of it.

- :mod:`~jwmetrics.governance.roles`: the four roles, an :class:`Actor` (a signed-in user
  with their assignments, or the single local user) and :func:`require`, the server-side
  check every write calls before it acts;
- :mod:`~jwmetrics.governance.users`: users and their roles and assignments in the database;
- :mod:`~jwmetrics.governance.audit`: the append-only log of who did what, when;
- :mod:`~jwmetrics.governance.settings`: whether sign-in is configured and whether returns
  need approval (``JWMETRICS_REQUIRE_APPROVAL``).
"""

from __future__ import annotations

from jwmetrics.governance.audit import ACTIONS
from jwmetrics.governance.roles import (
    LOCAL_NAME,
    LOCAL_USER,
    ROLES,
    Action,
    Actor,
    PermissionDenied,
    Role,
    require,
)
from jwmetrics.governance.settings import (
    SECRETS_FILE_ENV,
    approval_required,
    cookie_secret,
    secrets_file,
    sign_in_configured,
    sign_in_problem,
)
from jwmetrics.governance.users import UserRecord

__all__ = [
    "ACTIONS",
    "LOCAL_NAME",
    "LOCAL_USER",
    "ROLES",
    "SECRETS_FILE_ENV",
    "Action",
    "Actor",
    "PermissionDenied",
    "Role",
    "UserRecord",
    "approval_required",
    "cookie_secret",
    "require",
    "secrets_file",
    "sign_in_configured",
    "sign_in_problem",
]
