"""Sections of the Administration page: the users and their roles, and the audit log.

Every change goes through :class:`~jwmetrics.metrics.face.Metrics` with the acting user, so the
library refuses a non-admin whatever the page shows (the page also refuses to open for one).
A refused change (a bad e-mail, the last admin, a first user who is not an admin) is shown
as an error beside the form; nothing is changed then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.cache import cached_profiles, cached_returns_log, get_metrics
from dashboard.sections.returns import refusals_shown
from dashboard.writes import WriteOutcome, attempt_write, recall_write, show_success
from jwmetrics.db import AuditEvent
from jwmetrics.governance import ACTIONS, ROLES, Actor, UserRecord
from jwmetrics.problems import InputError
from jwmetrics.returns import ReturnRefused
from jwmetrics.text import plain, sentence

RESULT_KEY = "admin_result"  # the outcome of the last change to the users
NEW_USER = ""  # the "who to change" choice for adding someone new
EVERYONE = "Everyone"
EVERY_ACTION = "Every action"


def users_frame(users: list[UserRecord]) -> pd.DataFrame:
    """The users as a table: e-mail, role, assignments, who added them and when."""
    return pd.DataFrame(
        {
            "E-mail": [u.email for u in users],
            "Role": [u.role for u in users],
            "Partners": [", ".join(u.partners) for u in users],
            "Initiatives": [", ".join(u.initiatives) for u in users],
            "Added by": [u.added_by for u in users],
            "Added": [u.added_at for u in users],  # a moment: the table writes it
        }
    )


def audit_frame(events: list[AuditEvent]) -> pd.DataFrame:
    """The audit log as a table, oldest first; "When" a date-time value (for the download)."""
    return pd.DataFrame(
        {
            "When": pd.to_datetime([e.at for e in events]),
            "Actor": [e.actor for e in events],
            "Action": [e.action for e in events],
            "Subject": [e.subject for e in events],
            "Detail": [e.detail for e in events],
        }
    )


def input_refusals(write: Callable[[], str]) -> Callable[[], str]:
    """``write`` with a refused input (InputError) or permission turned into the refusal
    :func:`~dashboard.writes.attempt_write` shows as an error, naming what was wrong."""

    def guarded() -> str:
        try:
            return refusals_shown(write)()
        except InputError as exc:
            reasons = "; ".join(
                f"{p.value}: {p.message}" if p.value else p.message for p in exc.problems
            )
            raise ReturnRefused(reasons) from None

    return guarded


def save_user(actor: Actor, by: str, key: str) -> None:
    """Add or change the user described by the form's widgets (``key`` names the form)."""
    state = st.session_state
    email = str(state.get(f"user_email_{key}", ""))
    role = str(state.get(f"user_role_{key}", ""))

    def write() -> str:
        metrics = get_metrics()
        refusal = metrics.first_user_refusal(role)
        if refusal is not None:
            raise ReturnRefused(refusal)
        user = metrics.add_user(
            email,
            role,
            tuple(state.get(f"user_partners_{key}", [])),
            tuple(state.get(f"user_initiatives_{key}", [])),
            by=by,
            actor=actor,
        )
        return f"Saved: {user.email} is now {user.role}"  # the e-mail as entered, never capitalised

    attempt_write(RESULT_KEY, "users", input_refusals(write))


def remove(actor: Actor, by: str) -> None:
    """Remove the user chosen in the remove section."""
    email = str(st.session_state.get("remove_email", ""))

    def write() -> str:
        get_metrics().remove_user(email, by=by, actor=actor)
        return f"Removed {email}"

    attempt_write(RESULT_KEY, "users", input_refusals(write))


def last_change() -> WriteOutcome | None:
    """The outcome of the last change, shown once: success at once, a refusal later."""
    result = recall_write(RESULT_KEY, once=True)
    if result is not None and result.kind == "success":
        show_success(result)
    return result


def user_form(actor: Actor, by: str, users: list[UserRecord]) -> None:
    """Add a user, or change one's role and assignments (the form starts from theirs)."""
    known = {u.email: u for u in users}
    who = st.selectbox(
        "User to change",
        [NEW_USER, *known],
        format_func=lambda e: "Someone new" if e == NEW_USER else e,
        key="user_to_change",
    )
    current = known.get(who)
    key = who or "new"  # each user's form keeps its own widgets, filled from their record
    profiles = cached_profiles()
    names = {p.slug: p.name for p in profiles}
    partners = sorted(
        {line.name for p in profiles for line in p.partners}
        | {str(name) for name in cached_returns_log().get("Partner", []) if name}
        | set(current.partners if current else ())
    )
    left, right = st.columns(2)
    left.text_input("E-mail", value=who, key=f"user_email_{key}", disabled=bool(current))
    left.selectbox(
        "Role",
        ROLES,
        index=ROLES.index(current.role) if current else 0,
        key=f"user_role_{key}",
        help="viewer reads; uploader sends returns; approver approves them; admin does all.",
    )
    right.multiselect(
        "Partners",
        partners,
        default=list(current.partners) if current else [],
        accept_new_options=True,
        key=f"user_partners_{key}",
        help="The partners an uploader sends returns for (none: they name the partner).",
    )
    right.multiselect(
        "Initiatives",
        list(names),
        default=[s for s in current.initiatives if s in names] if current else [],
        format_func=lambda slug: names.get(slug, slug),
        key=f"user_initiatives_{key}",
        help="The initiatives they upload or approve for (none: every initiative).",
    )
    label = "Save changes" if current else "Add user"
    st.button(label, type="primary", on_click=save_user, args=(actor, by, key), key="save_user")


def remove_section(actor: Actor, by: str, users: list[UserRecord]) -> None:
    """Remove a user, after a confirmation tick."""
    if not users:
        return
    email = st.selectbox("User to remove", [u.email for u in users], key="remove_email")
    sure = st.checkbox("I want to remove this user", key=f"remove_sure_{email}")
    st.button(
        "Remove user", disabled=not sure, on_click=remove, args=(actor, by), key="remove_user"
    )


def show_refusal(result: WriteOutcome | None) -> None:
    """A refused change, or a busy database, from the last attempt (nothing was changed)."""
    if result is not None and result.kind == "error":
        st.error(plain(sentence(result.message)), icon=":material/error:")
    elif result is not None and result.kind == "busy":
        st.warning(result.message, icon=":material/hourglass_top:")


def audit_filters() -> tuple[date | None, str | None, str | None]:
    """The audit log's filters: from which day, which actor, which action (None: all)."""
    since, who, what = st.columns(3)
    day = since.date_input("From", value=None, format="DD/MM/YYYY", key="audit_since")
    actor = who.selectbox("Actor", [EVERYONE, *get_metrics().audit_actors()], key="audit_actor")
    action = what.selectbox("Action", [EVERY_ACTION, *ACTIONS], key="audit_action")
    return (
        day if isinstance(day, date) else None,
        None if actor == EVERYONE else actor,
        None if action == EVERY_ACTION else action,
    )
