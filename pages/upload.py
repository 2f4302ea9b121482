"""Upload a partner's return: check it, see every problem and change, then commit it whole.

The file comes from the "Return file" uploader (AppTest drives it with
``at.file_uploader[0].set_value(...)``). Checking writes nothing; the check of one file is
kept in the session (:func:`dashboard.cache.checked_return`) so reruns do not read it again.
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import current_actor
from dashboard.cache import cached_profiles, checked_return, get_metrics
from dashboard.chrome import route_through_app
from dashboard.page_end import end_page
from dashboard.progress import page_progress
from dashboard.sections.returns import acting_name, refusals_shown
from dashboard.sections.upload import (
    STALE_WARNING,
    partner_needed,
    sheet_choice,
    show_committed,
    show_preview,
    show_report,
    template_downloads,
    upload_inputs,
)
from dashboard.writes import attempt_write, recall_write, show_write_problem
from jwmetrics.governance import Action, Actor, approval_required
from jwmetrics.present.return_check import figure_link, format_notes_markdown, limits_text
from jwmetrics.present.templates import FORMAT_NOTES
from jwmetrics.returns import Limits, ReturnCheck
from jwmetrics.text import plural, sentence

OUTCOME_KEY = "upload_outcome"  # what the last commit attempt did, for the file it was about

route_through_app()
st.title("Upload a return")
limits = Limits.from_environment()
st.caption(
    "About this data: a return is a CSV or Excel (.xlsx) file of figures from a partner. "
    "It is checked first and nothing is written until you commit it; a return lands whole or "
    f"not at all, and can be withdrawn later on the Returns log page. Files may be "
    f"{limits_text(limits, st.get_option('server.maxUploadSize'))}."
)

st.subheader("1. Get the template")
st.markdown(format_notes_markdown(FORMAT_NOTES))
template_downloads(cached_profiles())

actor = current_actor()
if not actor.may(Action.UPLOAD):
    st.info(
        f"You need the uploader role to send returns; {actor.email} is {actor.role}. Ask an "
        "admin if you should have it.",
        icon=":material/lock:",
    )
    end_page()

st.subheader("2. Upload and check")
upload, partner, published_on, side = upload_inputs(limits, actor.partners)
if upload is None:
    st.info("Choose a return file to check it. Nothing is written until you commit.")
    end_page()

data = upload.getvalue()
sheet = sheet_choice(upload, data, side)


def committed(check: ReturnCheck, user: str, confirmed: bool, actor: Actor) -> str:
    """Commit with a progress bar (rows written of total); the outcome's message."""
    with page_progress(f"Committing {check.file_name}…") as progress:
        outcome = get_metrics().commit_return(
            check, uploaded_by=user, confirm_warnings=confirmed, actor=actor, progress=progress
        )
    return outcome.message


def commit(check: ReturnCheck, file_id: str, confirmed: bool, user: str, actor: Actor) -> None:
    """Commit the checked return as ``actor``; remember the outcome (or why not) for this
    file. Where returns need approval the message says it was submitted for approval."""
    attempt_write(
        OUTCOME_KEY,
        file_id,
        refusals_shown(lambda: committed(check, user, confirmed, actor)),
        link=None if approval_required() else lambda: figure_link(check, cached_profiles()),
    )  # a submitted return's figures do not show until approved: no link to them yet


outcome = recall_write(OUTCOME_KEY)
if outcome is not None and outcome.about != upload.file_id:
    outcome = None  # about another file
if outcome is not None and outcome.kind == "success":
    show_committed(outcome)
    end_page()

check = checked_return(data, upload.name, sheet, partner.strip(), published_on)
if outcome is not None and outcome.kind == "stale":
    st.warning(STALE_WARNING, icon=":material/sync_problem:")
show_report(check, upload.name)

if check.errors:
    st.error(
        f"Commit is not possible: fix the {plural(len(check.errors), 'error')} listed above in "
        "your file and upload it again. Nothing has been written.",
        icon=":material/block:",
    )
    st.button("Commit this return", disabled=True, key="commit_blocked")
    end_page()

if check.already_imported is not None:
    st.info(
        f"This file was already imported as return {check.already_imported}; there is "
        "nothing to commit. See it on the Returns log page.",
        icon=":material/info:",
    )
    end_page()

show_preview(check)
if not check.has_changes:
    st.info("Every value in this file is already stored; there is nothing to commit.")
    end_page()

if check.rows_without_partner:
    st.warning(partner_needed(check.rows_without_partner), icon=":material/badge:")
    st.button("Commit this return", disabled=True, key="commit_no_partner")
    end_page()

confirmed = False
if check.warnings:
    confirmed = st.checkbox(
        "I have checked the warnings",
        help=f"{sentence(plural(len(check.warnings), 'warning'))} above: none stops the commit.",
        key=f"confirm_{upload.file_id}_{sheet}",  # each file (and sheet) is confirmed afresh
    )
commit_args = (check, upload.file_id, confirmed, acting_name(actor), actor)
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

if outcome is not None:
    show_write_problem(outcome, "commit_retry", commit, commit_args)
