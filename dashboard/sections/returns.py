"""Sections of the returns-log page: approving or rejecting a submitted return, withdrawing one.

Every action goes through :class:`~jwmetrics.metrics.face.Metrics` with the acting user, so the
library's own check decides (:func:`~jwmetrics.governance.roles.require`, four eyes); what
this page shows or hides is only a courtesy. A refusal, of either kind, is shown as an error
beside the buttons (:func:`refusals_shown`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.cache import get_metrics
from dashboard.writes import WriteOutcome, attempt_write, show_write_problem
from jwmetrics.governance import Action, Actor, PermissionDenied
from jwmetrics.present.returns_log import return_choice_label
from jwmetrics.returns import ReturnRefused
from jwmetrics.text import plain

RESULT_KEY = "withdraw_result"  # the outcome of the last approval, rejection or withdrawal
CHOSEN_KEY = "log_return_id"  # the return the picker shows, kept across changes of its labels


def acting_name(actor: Actor) -> str:
    """The one name recorded for everything this session does (uploads, approvals, comments,
    packs, audit events): the signed-in user's e-mail, or "local analyst" in local mode.
    Never the partner a return is from: who sent the figures is a field of its own."""
    return actor.name


def return_picker(log: pd.DataFrame) -> int:
    """The "Return" picker: each return named with its state; the one chosen stays chosen.

    The browser keeps showing a picker's old option labels when only the labels change
    (after an approval or withdrawal), so the widget is keyed by its labels: new labels make
    a new picker, opened on the return chosen before.
    """
    ids = [int(i) for i in log["Id"]]
    labels = {i: return_choice_label(log, i) for i in ids}
    chosen = st.session_state.get(CHOSEN_KEY)
    signature = zlib.crc32("\n".join(labels.values()).encode("utf-8"))
    picked: int = st.selectbox(
        "Return",
        ids,
        index=ids.index(chosen) if chosen in ids else 0,
        format_func=labels.__getitem__,
        key=f"log_return_{signature:08x}",
    )
    st.session_state[CHOSEN_KEY] = picked
    return picked


def refusals_shown(write: Callable[[], str]) -> Callable[[], str]:
    """``write`` with a permission refusal turned into the refusal :func:`attempt_write`
    remembers and shows as an error (instead of an exception)."""

    def guarded() -> str:
        try:
            return write()
        except PermissionDenied as exc:
            raise ReturnRefused(str(exc)) from None

    return guarded


def approve(return_id: int, by: str, actor: Actor) -> None:
    """Approve a return; remember the message (or the refusal) for the next run."""
    attempt_write(
        RESULT_KEY,
        (return_id, "approve"),
        refusals_shown(lambda: get_metrics().approve_return(return_id, by=by, actor=actor)),
    )


def reject(return_id: int, by: str, actor: Actor) -> None:
    """Reject a return with the reason typed in its box."""
    reason = str(st.session_state.get(f"reject_reason_{return_id}", ""))
    attempt_write(
        RESULT_KEY,
        (return_id, "reject"),
        refusals_shown(lambda: get_metrics().reject_return(return_id, reason, by=by, actor=actor)),
    )


def withdraw(return_id: int, by: str, actor: Actor) -> None:
    """Withdraw a return; remember the message (or why not) for the next run to show."""
    attempt_write(
        RESULT_KEY,
        (return_id, "withdraw"),
        refusals_shown(lambda: get_metrics().withdraw_return(return_id, by=by, actor=actor)),
    )


WRITES: dict[str, Callable[[int, str, Actor], None]] = {
    "approve": approve,
    "reject": reject,
    "withdraw": withdraw,
}


def show_problem(result: WriteOutcome | None, return_id: int, by: str, actor: Actor) -> None:
    """A refusal or a busy database from the last action on this return, with a retry of
    that same action."""
    if result is None or not isinstance(result.about, tuple) or result.about[0] != return_id:
        return
    verb = str(result.about[1])
    show_write_problem(result, f"{verb}_retry", WRITES[verb], (return_id, by, actor))


def approval_section(return_id: int, actor: Actor, by: str, result: WriteOutcome | None) -> None:
    """For a submitted return: Approve, and Reject with a reason, for a user who may; else
    who it waits for. Four eyes is the library's to refuse, shown as an error."""
    if not get_metrics().may_approve(actor, return_id):
        st.info(
            f"Return {return_id} waits for an approver of its initiatives; its figures do not "
            "count until one approves it.",
            icon=":material/hourglass_top:",
        )
        return
    st.subheader("Approve or reject")
    st.caption("Nobody approves a return they uploaded (four eyes).")
    args = (return_id, by, actor)
    st.button("Approve this return", type="primary", on_click=approve, args=args, key="approve")
    reason = st.text_input(
        "Reason for rejecting it", key=f"reject_reason_{return_id}", max_chars=500
    )
    st.button(
        "Reject this return",
        disabled=not reason.strip(),
        on_click=reject,
        args=args,
        key="reject",
        help="Say why first; the reason is recorded and shown in the log.",
    )
    show_problem(result, return_id, by, actor)


def withdraw_section(return_id: int, actor: Actor, by: str, result: WriteOutcome | None) -> None:
    """For a counting return: withdraw it (administrators only)."""
    if not actor.may(Action.WITHDRAW):
        st.caption("Only an admin can withdraw a return.")
        return
    sure = st.checkbox(
        f"I want to withdraw return {return_id}: its figures stop counting",
        key=f"withdraw_sure_{return_id}",
    )
    args = (return_id, by, actor)
    st.button(
        "Withdraw this return",
        disabled=not sure,
        on_click=withdraw,
        args=args,
        key="withdraw",
    )
    show_problem(result, return_id, by, actor)


def state_note(row: pd.Series) -> None:
    """Why a rejected or withdrawn return offers no action."""
    return_id = int(row["Id"])
    if row["State"] == "rejected":
        reason = plain(str(row["State reason"] or ""))
        st.info(
            f"Return {return_id} was rejected by {plain(str(row['State by']))}: {reason}. Its "
            "figures never counted.",
            icon=":material/block:",
        )
    else:
        st.info(f"Return {return_id} is {row['Outcome']}; there is nothing to withdraw.")
