"""Returns log: every return, what each one changed, and withdrawing one.

A withdrawn return's figures stop counting and the values it replaced count again; the
return itself stays in the log, marked withdrawn, so the history is never lost.
"""

from __future__ import annotations

import streamlit as st

from app_cache import cached_names, cached_return_changes, cached_returns_log, get_metrics
from app_chrome import route_through_app
from app_write import attempt_write, recall_write, show_success, show_write_problem
from jwmetrics.present.files import XLSX_MIME, to_csv_bytes, to_xlsx_bytes
from jwmetrics.present.returns_log import (
    return_changes_frame,
    return_choice_label,
    returns_log_table,
    uploader_name,
)

RESULT_KEY = "withdraw_result"  # the outcome of the last withdrawal attempt

route_through_app()
st.title("Returns log")
st.caption(
    "About this data: every return uploaded, newest first, with who sent it, when, and what "
    "it did. Withdrawing a return stops its figures counting; the values it replaced count "
    "again. Nothing is deleted."
)


def withdraw(return_id: int, user: str) -> None:
    """Withdraw a return; remember the message (or why not) for the next run to show."""
    attempt_write(RESULT_KEY, return_id, lambda: get_metrics().withdraw_return(return_id, by=user))


result = recall_write(RESULT_KEY, once=True)
if result is not None and result.kind == "success":
    show_success(result)

log = cached_returns_log()
if log.empty:
    st.info("No returns yet. Upload one on the Upload a return page.")
    st.stop()

st.subheader(f"{len(log):,} return(s)")
st.dataframe(returns_log_table(log), hide_index=True, width="stretch")
downloads = st.container(horizontal=True)
downloads.download_button(
    "Log (CSV)", to_csv_bytes(log), "jwmetrics-returns-log.csv", "text/csv", on_click="ignore"
)
downloads.download_button(
    "Log (Excel)",
    lambda: to_xlsx_bytes({"Returns": log}, {"About": "jwmetrics returns log, newest first."}),
    "jwmetrics-returns-log.xlsx",
    XLSX_MIME,
    on_click="ignore",
)

st.subheader("What one return changed")
ids = [int(i) for i in log["Id"]]
return_id = st.selectbox(
    "Return", ids, format_func=lambda i: return_choice_label(log, i), key="log_return"
)
changes = return_changes_frame(cached_return_changes(return_id), cached_names())
if changes.empty:
    st.info("This return recorded no figures.")
else:
    st.caption("Each figure the return recorded, beside the value current just before it.")
    st.dataframe(changes, hide_index=True, width="stretch")

row = log.loc[log["Id"] == return_id].iloc[0]
if row["Outcome"] != "committed":
    st.info(f"Return {return_id} is {row['Outcome']}; there is nothing to withdraw.")
    st.stop()

user = uploader_name(st.user.to_dict())
sure = st.checkbox(
    f"I want to withdraw return {return_id}: its figures stop counting",
    key=f"withdraw_sure_{return_id}",
)
st.button(
    "Withdraw this return",
    disabled=not sure,
    on_click=withdraw,
    args=(return_id, user),
    key="withdraw",
)
if result is not None and result.about == return_id:
    show_write_problem(result, "withdraw_retry", withdraw, (return_id, user))
