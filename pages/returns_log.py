"""Returns log: every return and its state, what each one changed, approving and withdrawing.

A submitted return waits for an approver: none of its figures counts until one approves it,
and the page previews what it would change. A withdrawn return's figures stop counting and
the values it replaced count again; every return stays in the log, so the history is never
lost. Who may approve or withdraw is checked by the library whatever this page shows.
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import current_actor
from dashboard.cache import cached_names, cached_return_changes, cached_returns_log
from dashboard.chrome import route_through_app
from dashboard.downloads import download
from dashboard.page_end import end_page
from dashboard.sections.returns import (
    RESULT_KEY,
    acting_name,
    approval_section,
    return_picker,
    state_note,
    withdraw_section,
)
from dashboard.tables import show_table
from dashboard.writes import recall_write, show_success
from jwmetrics.present.files import to_csv_bytes
from jwmetrics.present.returns_log import return_changes_frame, returns_log_table
from jwmetrics.text import plural, sentence

route_through_app()
st.title("Returns log")
st.caption(
    "About this data: every return uploaded, newest first, with who sent it, when, its state "
    "and what it did. A submitted return counts only once an approver approves it; a "
    "rejected one never counts. Withdrawing a return stops its figures counting; the values "
    "it replaced count again. Nothing is deleted."
)
actor = current_actor()
user = acting_name(actor)

result = recall_write(RESULT_KEY, once=True)
if result is not None and result.kind == "success":
    show_success(result)

log = cached_returns_log()
if log.empty:
    st.info("No returns yet. Upload one on the Upload a return page.")
    end_page()

st.subheader(sentence(plural(len(log), "return")))
waiting = int((log["State"] == "submitted").sum())
if waiting:
    st.caption(f"{plural(waiting, 'return')} {'waits' if waiting == 1 else 'wait'} for approval; "
               "their figures do not count yet.")  # fmt: skip
show_table(
    returns_log_table(log),
    key_columns=("Id", "File"),
    column_config={  # who sent it and who uploaded it both in view, even at 800 px
        "Partner": st.column_config.TextColumn(width="medium"),
    },
)
downloads = st.container(horizontal=True)
log_csv = to_csv_bytes(log)  # the page has the log already
download(downloads, "Log (CSV)", "returns-log.csv", {}, "jwmetrics-returns-log.csv", log_csv)
download(downloads, "Log (Excel)", "returns-log.xlsx", {}, "jwmetrics-returns-log.xlsx")

st.subheader("What one return changed")
return_id = return_picker(log)
row = log.loc[log["Id"] == return_id].iloc[0]
changes = return_changes_frame(cached_return_changes(return_id), cached_names())
if changes.empty:
    st.info("This return recorded no figures.")
elif row["State"] == "submitted":
    st.caption(
        f"Preview: return {return_id} waits for approval and none of its figures counts yet. "
        "Approved now, it would record each figure below, beside the value current when it "
        "was uploaded."
    )
    show_table(changes)
else:
    st.caption("Each figure the return recorded, beside the value current just before it.")
    show_table(changes)

if row["State"] == "submitted":
    approval_section(return_id, actor, user, result)
elif row["Outcome"] == "committed" and row["State"] != "rejected":
    withdraw_section(return_id, actor, user, result)
else:
    state_note(row)
