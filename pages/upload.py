"""Upload a partner's return: check it, see every problem and change, then commit it whole.

The file comes from the "Return file" uploader (AppTest drives it with
``at.file_uploader[0].set_value(...)``). Checking writes nothing; the check of one file is
kept in the session (:func:`app_common.checked_return`) so reruns do not read it again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st
from sqlalchemy.exc import OperationalError

from app_common import (
    BUSY_MESSAGE,
    cached_profiles,
    cached_template,
    checked_return,
    clear_caches,
    forget_checks,
    get_db,
    route_through_app,
)
from jwmetrics.db import is_busy_error
from jwmetrics.export import to_csv_bytes
from jwmetrics.fmt import plain, plain_frame
from jwmetrics.return_report import changes_frame, problems_frame, report_text, summary_text
from jwmetrics.return_template import FORMAT_NOTES
from jwmetrics.returns import STALE_MESSAGE, Limits, ReturnCheck, ReturnRefused, commit_return
from jwmetrics.returns_view import (
    figure_link,
    limits_text,
    sentence,
    sheet_names,
    uploader_name,
)

OUTCOME_KEY = "upload_outcome"  # what the last commit attempt did, for the file it was about
TABLE_ROWS = 50  # problems shown in full up to this many; a scrolling grid beyond
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

route_through_app()
st.title("Upload a return")
limits = Limits.from_environment()
st.caption(
    "About this data: a return is a CSV or Excel (.xlsx) file of figures from a partner. "
    "It is checked first and nothing is written until you commit it; a return lands whole or "
    f"not at all, and can be withdrawn later on the Returns log page. Files may be "
    f"{limits_text(limits)}."
)

st.subheader("1. Get the template")
st.markdown(FORMAT_NOTES)
profiles = cached_profiles()
names = {p.slug: p.name for p in profiles}
pick, buttons = st.columns([3, 2], vertical_alignment="bottom")
initiative = pick.selectbox("Initiative for the template", list(names), format_func=names.get)
buttons = buttons.container(horizontal=True)
for label, kind, mime in (("CSV", "csv", "text/csv"), ("Excel", "xlsx", XLSX)):
    buttons.download_button(
        f"Template ({label})",
        cached_template(initiative, kind),
        f"jwmetrics-return-{initiative}.{kind}",
        mime,
        on_click="ignore",
    )

st.subheader("2. Upload and check")
left, right = st.columns([3, 2])
upload = left.file_uploader(
    "Return file", type=["csv", "xlsx"], help=f"CSV or Excel .xlsx, {limits_text(limits)}."
)
partner = right.text_input(
    "Partner", help="Who sent the figures; used for rows without their own partner column."
)
published_on = right.date_input(
    "Published on",
    value=date.today(),
    min_value=date(1990, 1, 1),  # Streamlit's default floor is ten years back
    max_value=date.today(),
    format="DD/MM/YYYY",
    key="published_on",
    help="The day these figures became public. Status 'as known on' a date counts only "
    "figures published by then. Never in the future.",
)
if upload is None:
    st.info("Choose a return file to check it. Nothing is written until you commit.")
    st.stop()

data = upload.getvalue()
sheet: str | None = None
if upload.name.lower().endswith(".xlsx"):
    sheets = sheet_names(data)
    sheet = right.selectbox(
        "Sheet",
        [None, *sheets],
        format_func=lambda s: "Find the sheet with the return" if s is None else s,
    )


def commit(check: ReturnCheck, file_id: str, confirmed: bool, user: str) -> None:
    """Commit the checked return; remember the outcome (or why not) for this file."""
    outcome: dict[str, Any] = {"file_id": file_id}
    try:
        result = commit_return(get_db(), check, uploaded_by=user, confirm_warnings=confirmed)
    except ReturnRefused as exc:
        if str(exc) == STALE_MESSAGE:  # another return landed meanwhile: check the file again
            forget_checks()
            outcome.update(kind="stale", message=str(exc))
        else:
            outcome.update(kind="error", message=str(exc))
    except OperationalError as exc:
        if not is_busy_error(exc):
            raise
        outcome.update(kind="busy", message=BUSY_MESSAGE)
    else:
        clear_caches()
        forget_checks()
        link = figure_link(check, cached_profiles())
        outcome.update(kind="success", message=result.message, link=link)
    st.session_state[OUTCOME_KEY] = outcome


outcome = st.session_state.get(OUTCOME_KEY)
if outcome is not None and outcome["file_id"] == upload.file_id and outcome["kind"] == "success":
    st.success(plain(sentence(outcome["message"])), icon=":material/check_circle:")
    if outcome["link"]:
        st.page_link(
            "pages/initiative.py",
            label="See the new figures on the initiative page",
            icon=":material/arrow_forward:",
            query_params=outcome["link"],
        )
    st.caption("To send another return, choose another file above.")
    st.stop()

check = checked_return(data, upload.name, sheet, partner.strip(), published_on)
if outcome is not None and outcome["file_id"] == upload.file_id and outcome["kind"] == "stale":
    st.warning(
        "Another return changed the stored figures after this file was checked, so it was "
        "not committed. It has been checked again against the figures stored now: review "
        "the preview below and commit again.",
        icon=":material/sync_problem:",
    )
st.markdown(plain(summary_text(check)))  # names the file and sheet: shown as written

problems = problems_frame(check)
if check.problems:
    st.markdown(f"**Errors ({len(check.errors)}) and warnings ({len(check.warnings)})**")
    if len(problems) <= TABLE_ROWS:  # a table wraps each explanation in full
        st.table(plain_frame(problems), hide_index=True)  # st.table renders Markdown
    else:
        st.dataframe(problems, hide_index=True, width="stretch")
stem = upload.name.rsplit(".", 1)[0]
downloads = st.container(horizontal=True)
downloads.download_button(
    "Download this report",
    report_text(check),
    f"{stem}-report.txt",
    "text/plain",
    on_click="ignore",
)
downloads.download_button(
    "Problems (CSV)",
    to_csv_bytes(problems),
    f"{stem}-problems.csv",
    "text/csv",
    on_click="ignore",
)

if check.errors:
    st.error(
        f"Commit is not possible: fix the {len(check.errors)} error(s) listed above in your "
        "file and upload it again. Nothing has been written.",
        icon=":material/block:",
    )
    st.button("Commit this return", disabled=True, key="commit_blocked")
    st.stop()

if check.already_imported is not None:
    st.info(
        f"This file was already imported as return {check.already_imported}; there is "
        "nothing to commit. See it on the Returns log page.",
        icon=":material/info:",
    )
    st.stop()

st.subheader("3. Preview")
counts = check.counts
metrics = st.columns(3)
for column, kind in zip(metrics, ("new", "revised", "unchanged"), strict=True):
    column.metric(f"{kind.capitalize()} values", f"{counts[kind]:,}")
new = changes_frame(check, ("new",)).drop(columns=["Change", "Old value"])
revised = changes_frame(check, ("revised",)).drop(columns=["Change"])
if len(new):
    st.markdown("**New values**")
    st.dataframe(new, hide_index=True, width="stretch")
if len(revised):
    st.markdown("**Revised values (old → new)**")
    st.dataframe(revised, hide_index=True, width="stretch")
if counts["unchanged"]:
    with st.expander(f"Unchanged values ({counts['unchanged']:,})"):
        st.dataframe(
            changes_frame(check, ("unchanged",)).drop(columns=["Change", "Old value"]),
            hide_index=True,
            width="stretch",
        )

if not check.has_changes:
    st.info("Every value in this file is already stored; there is nothing to commit.")
    st.stop()

confirmed = False
if check.warnings:
    confirmed = st.checkbox(
        "I have checked the warnings",
        help=f"{len(check.warnings)} warning(s) above; they do not stop the commit.",
        key=f"confirm_{upload.file_id}_{sheet}",  # each file (and sheet) is confirmed afresh
    )
commit_args = (check, upload.file_id, confirmed, uploader_name(st.user.to_dict(), partner))
st.button(
    "Commit this return",
    type="primary",
    disabled=bool(check.warnings) and not confirmed,
    on_click=commit,
    args=commit_args,
    key="commit",
)
if check.warnings and not confirmed:
    st.caption("Tick “I have checked the warnings” to enable the commit.")

if outcome is not None and outcome["file_id"] == upload.file_id:
    if outcome["kind"] == "busy":
        st.warning(outcome["message"], icon=":material/hourglass_top:")
        st.button("Try again", on_click=commit, args=commit_args, key="commit_retry")
    elif outcome["kind"] == "error":
        st.error(plain(sentence(outcome["message"])), icon=":material/error:")
