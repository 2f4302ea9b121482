"""Remedial actions on the pages: who does what by when about an Amber or Red measure.

Paragraph 24 of the report asks for a "clear understanding of who is responsible for taking
remedial action if needed".

- :func:`show_actions_overview`: the overview's flags: the Amber and Red measures shown with
  no open action, and the open actions past their due date.
- :func:`show_actions`: the initiative page's actions on the chosen measure and area, and,
  for approvers and administrators (everyone in local mode), a form to add one and a form
  to close an open one as done or dropped.

Actions are written now about the figures of any day, so a view of an earlier day shows
the actions as they stand today, like commentary. Thin views over
:mod:`jwmetrics.briefing.actions` through :class:`~jwmetrics.metrics.face.Metrics`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

import dashboard.auth as app_auth
from dashboard.cache import cached_actions, get_metrics
from dashboard.tables import show_table
from dashboard.writes import refusal_text, rerun_with_flash, show_flash
from jwmetrics.assess import Assessment, SeriesDetail
from jwmetrics.briefing import CLOSED_STATES, ActionRecord, unactioned
from jwmetrics.governance import Action, PermissionDenied
from jwmetrics.periods import format_date
from jwmetrics.present.status import badge
from jwmetrics.problems import InputError
from jwmetrics.text import plain

FLASH_KEY = "actions_flash"  # the outcome of the last add or close, shown after the rerun
DEFAULT_DUE_DAYS = 28
EARLIEST_DUE = date(1990, 1, 1)


def state_text(action: ActionRecord) -> str:
    """ "open", "open, overdue", "done", "dropped"."""
    return f"{action.state}, overdue" if action.overdue else action.state


def actions_frame(actions: list[ActionRecord], with_series: bool) -> list[dict[str, object]]:
    """Rows of an actions table (grids show text as text: no Markdown)."""
    rows: list[dict[str, object]] = []
    for a in actions:
        row: dict[str, object] = {"#": a.id}
        if with_series:
            row.update({"Measure": a.measure_name, "Area": a.area_name})
        row.update(
            {
                "State": state_text(a),
                "Owner": a.owner,
                "Due": a.due,
                "Action": a.text,
                "Responds to": a.responds_to_status or "–",
                "Added by": a.created_by,
            }
        )
        if not with_series:
            closed = f"{a.closed_by} on {format_date(a.closed_at.date())}" if a.closed_at else ""
            row["Closed"] = closed
        rows.append(row)
    return rows


def show_actions_overview(rows: list[Assessment]) -> None:
    """The overview's "Remedial actions": Amber and Red measures shown with no open action,
    and the overdue actions of the initiatives shown."""
    actions = cached_actions()
    shown = {r.initiative for r in rows}
    st.subheader("Remedial actions")
    st.caption(
        "An Amber or Red measure needs a named owner, an action and a date (paragraph 24 of "
        "the report). Actions as they stand today; add or close them on the initiative page."
    )
    missing = unactioned(rows, actions)
    if missing:
        lines = "\n".join(
            f"- {badge(r.status)} — **{plain(r.measure_name)}** ({plain(r.area_name)}), "
            f"{plain(r.initiative_name)}"
            for r in missing
        )
        st.markdown(f":material/flag: **Amber or Red with no open action:**\n{lines}")
    else:
        st.caption("Every Amber or Red measure shown has an open action.")
    overdue = [a for a in actions if a.overdue and a.initiative in shown]
    if overdue:
        st.markdown(f":material/schedule: **Overdue actions ({len(overdue)}):**")
        show_table(actions_frame(overdue, with_series=True), key_columns=("#", "Measure"))
    else:
        st.caption("No action is overdue.")


def show_actions(detail: SeriesDetail) -> None:
    """The actions on this measure and area, any flag, and the forms for whoever may."""
    st.subheader("Remedial actions")
    show_flash(FLASH_KEY)
    mine = [
        a
        for a in cached_actions()
        if a.measure == detail.measure_slug and a.area_code == detail.area_code
    ]
    status = detail.assessment.status
    if status in ("Amber", "Red") and not any(a.is_open for a in mine):
        st.warning(f"{badge(status)} with no open action: who will do what, by when?")
    if mine:
        show_table(actions_frame(mine, with_series=False), key_columns=("#", "State"))
    else:
        st.caption("No remedial action on this measure in this area.")
    actor = app_auth.current_actor()
    if not actor.may(Action.ACTIONS, initiative=detail.assessment.initiative):
        st.caption("Approvers and administrators add and close actions.")
        return
    _add_form(detail)
    open_ids = [a.id for a in mine if a.is_open]
    if open_ids:
        _close_form(detail, open_ids)


def _add_form(detail: SeriesDetail) -> None:
    """Add an open action; it keeps the status it responds to (the one shown above)."""
    actor = app_auth.current_actor()
    with st.form(f"action_{detail.measure_slug}_{detail.area_code}", clear_on_submit=True):
        st.markdown("**Add an action**")
        left, right = st.columns([2, 1])
        owner = left.text_input("Owner", key="action_owner", placeholder="Who will do it")
        due = right.date_input(
            "Due",
            value=date.today() + timedelta(days=DEFAULT_DUE_DAYS),
            min_value=EARLIEST_DUE,  # an action agreed at a past review may be recorded late
            max_value=date.today() + timedelta(days=3660),
            format="DD/MM/YYYY",
            key="action_due",
        )
        text = st.text_area("Action", key="action_text", max_chars=2000)
        if st.form_submit_button("Add action"):
            _write(
                lambda: get_metrics().add_action(
                    detail.measure_slug,
                    detail.area_code,
                    owner,
                    due,
                    text,
                    by=actor.name,
                    actor=actor,
                ),
                "Added action {id}, due {due}.",
            )


def _close_form(detail: SeriesDetail, open_ids: list[int]) -> None:
    """Close one of this series' open actions as done or dropped."""
    actor = app_auth.current_actor()
    with st.form(f"close_{detail.measure_slug}_{detail.area_code}"):
        st.markdown("**Close an action**")
        left, right = st.columns(2)
        chosen = left.selectbox("Action", open_ids, format_func=lambda i: f"#{i}", key="close_id")
        state = right.radio("How it ended", CLOSED_STATES, horizontal=True, key="close_state")
        if st.form_submit_button("Close action") and chosen is not None:
            _write(
                lambda: get_metrics().close_action(chosen, state, by=actor.name, actor=actor),
                "Closed action {id} as {state}.",
            )


def _write(write: Callable[[], ActionRecord], message: str) -> None:
    """Run an add or close; on success clear the caches and rerun to show it, else say why."""
    try:
        done = write()
    except (InputError, PermissionDenied) as exc:
        st.error(refusal_text(exc))
        return
    due = format_date(done.due)
    rerun_with_flash(FLASH_KEY, message.format(id=done.id, due=due, state=done.state))
