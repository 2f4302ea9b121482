"""Who is using the app: the signed-in user as an :class:`~jwmetrics.governance.roles.Actor`.

Without sign-in configured (no ``[auth]`` in ``.streamlit/secrets.toml``) the app runs in
single-user local mode and everyone is the local administrator.
"""

from __future__ import annotations

from jwmetrics.governance.roles import LOCAL_USER, Actor


def current_actor() -> Actor:
    """The actor of this browser session (the local administrator in local mode)."""
    return LOCAL_USER
