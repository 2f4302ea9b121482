"""Administration: the users and their roles, and the audit log (administrators only).

The page refuses anyone without the users right before it reads anything, and every change
it makes goes through the library with the acting user, which checks again.
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import current_actor
from dashboard.cache import get_metrics
from dashboard.chrome import route_through_app
from dashboard.downloads import download
from dashboard.page_end import end_page
from dashboard.sections.admin import (
    audit_filters,
    audit_frame,
    last_change,
    remove_section,
    show_refusal,
    user_form,
    users_frame,
)
from dashboard.sections.returns import acting_name
from dashboard.tables import show_table
from jwmetrics.governance import Action, PermissionDenied, require
from jwmetrics.present.files import to_csv_bytes
from jwmetrics.text import plain, plural, sentence

route_through_app()
st.title("Administration")
actor = current_actor()
try:
    require(actor, Action.USERS)
except PermissionDenied:
    st.error(
        f"Only an admin can manage users and read the audit log; {plain(actor.email)} is "
        f"{actor.role}.",
        icon=":material/lock:",
    )
    end_page()

st.caption(
    "Users and their roles: a viewer reads everything, an uploader sends returns for the "
    "partners and initiatives assigned, an approver approves or rejects returns for their "
    "initiatives, an admin manages users, the catalogue and withdrawals. Every change, "
    "upload, approval and sign-in is in the audit log below."
)
by = acting_name(actor)
metrics = get_metrics()
result = last_change()

st.subheader("Users")
users = metrics.users()
if users:
    show_table(users_frame(users), key_columns=("E-mail",))
else:
    st.info(
        "No users yet: the app runs in local mode and everyone is the admin. The first user "
        "you add must be an admin; from then on only an admin may add the others.",
        icon=":material/info:",
    )

st.subheader("Add or change a user")
user_form(actor, by, users)
show_refusal(result)

if users:
    st.subheader("Remove a user")
    remove_section(actor, by, users)

st.subheader("Audit log")
since, who, action = audit_filters()
events = audit_frame(metrics.audit_events(since, actor=who, action=action))
st.caption(f"{sentence(plural(len(events), 'event'))}, oldest first.")
show_table(events, key_columns=("When",))
audit = {"since": since, "actor": who, "action": action}
name, data = "jwmetrics-audit-log.csv", to_csv_bytes(events)
download(st.container(), "Audit log (CSV)", "audit-log.csv", audit, name, data)
