"""Dated events on the initiative page: the events drawn on this series' charts, and a form
to record one for this measure in this area, this measure everywhere, or the whole
initiative (approvers and administrators; everyone in local mode). Administrators also
record SPC change points here, citing one of the series' events or "No known cause".

A thin view over :mod:`jwmetrics.events` through the face; the charts draw the same list
(:mod:`jwmetrics.present.event_marks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import streamlit as st

import dashboard.auth as app_auth
from dashboard.cache import cached_names, cached_profiles, get_metrics
from dashboard.tables import show_table
from dashboard.writes import refusal_text, rerun_with_flash, show_flash
from jwmetrics.assess import SeriesDetail
from jwmetrics.events import KINDS, EventView
from jwmetrics.governance import Action, PermissionDenied
from jwmetrics.periods import format_date
from jwmetrics.problems import InputError

FLASH_KEY = "events_flash"  # the outcome of the last event recorded, shown after the rerun
EARLIEST_DAY = date(1990, 1, 1)
NO_KNOWN_CAUSE = "No known cause"
SCOPES = ("this measure in this area", "this measure in every area", "the whole initiative")


def events_frame(
    found: list[EventView], names: Mapping[str, str] | None = None
) -> list[dict[str, object]]:
    """Rows of the events table, oldest first (grids show text as text); ``names`` gives
    the names of the measures, areas and initiatives an event applies to."""
    return [
        {
            "Event": e.id,
            "Date": e.occurred_on,
            "Kind": e.kind,
            "What happened": e.text,
            "Applies to": e.scope_named(names or {}),
            "Recorded by": e.recorded_by,
        }
        for e in found
    ]


def scope_names() -> dict[str, str]:
    """Measure, area and initiative names by id, for the "Applies to" column."""
    names = cached_names()
    initiatives = {p.slug: p.name for p in cached_profiles()}
    return {**names.measures, **names.areas, **initiatives}


def show_events(detail: SeriesDetail, found: list[EventView]) -> None:
    """The events that apply to this series as known on the page's day, and the form."""
    st.subheader("Dated events")
    st.caption(
        "What happened on a day that explains a movement: a policy, a change of definition, "
        "a data problem, funding. Each is drawn on the trend, SPC and balancing charts as a "
        "dotted line (hover the marker at its top); a change of definition splits the trend, "
        "so the forecast fits only the figures after it."
    )
    show_flash(FLASH_KEY)
    if found:
        show_table(events_frame(found, scope_names()), key_columns=("Event", "Date"))
    else:
        st.caption(
            f"No event recorded for this series as known on {format_date(detail.assessment.as_of)}."
        )
    actor = app_auth.current_actor()
    if actor.may(Action.CATALOGUE):
        _change_point_form(detail, found)
    if not actor.may(Action.EVENTS, initiative=detail.assessment.initiative):
        st.caption("Approvers and administrators record dated events.")
        return
    _event_form(detail)


def _change_point_form(detail: SeriesDetail, found: list[EventView]) -> None:
    """Record an SPC change point (administrators): the day the process changed and its
    cause, one of this series' events or "No known cause" said outright."""
    actor = app_auth.current_actor()
    choices = {f"Event {e.id}: {e.label} ({format_date(e.occurred_on)})": e.id for e in found}
    with st.form(f"change_point_{detail.measure_slug}_{detail.area_code}", clear_on_submit=True):
        st.markdown("**Record an SPC change point** (the limits start again from its day)")
        left, right = st.columns([1, 3])
        day = left.date_input(
            "From", value=None, min_value=EARLIEST_DAY, format="DD/MM/YYYY", key="change_day"
        )
        cause = right.selectbox("Cause", [*choices, NO_KNOWN_CAUSE], key="change_cause")
        note = st.text_input("Note (optional)", key="change_note", max_chars=500)
        if st.form_submit_button("Record change point"):
            if day is None:
                st.error("From: give the day the process changed.")
                return
            try:
                get_metrics().add_change_point(
                    detail.measure_slug,
                    detail.area_code,
                    day,
                    note,
                    actor.name,
                    actor,
                    event=choices.get(cause),
                    no_known_cause=cause == NO_KNOWN_CAUSE,
                )
            except (InputError, PermissionDenied) as exc:
                st.error(refusal_text(exc))
                return
            rerun_with_flash(
                FLASH_KEY, f"Recorded a change point from {format_date(day)} (cause: {cause})."
            )


def _event_form(detail: SeriesDetail) -> None:
    """Record an event: its day, kind, what happened and which series it applies to."""
    actor = app_auth.current_actor()
    with st.form(f"event_{detail.measure_slug}_{detail.area_code}", clear_on_submit=True):
        st.markdown("**Record a dated event**")
        left, middle, right = st.columns([1, 1, 2])
        day = left.date_input(
            "Date",
            value=min(detail.assessment.as_of, date.today()),
            min_value=EARLIEST_DAY,
            format="DD/MM/YYYY",
            key="event_day",
        )
        kind = middle.selectbox("Kind", KINDS, key="event_kind")
        scope = right.selectbox("Applies to", SCOPES, key="event_scope")
        text = st.text_input("What happened (required)", key="event_text", max_chars=500)
        if st.form_submit_button("Record event"):
            measure = None if scope == SCOPES[2] else detail.measure_slug
            try:
                made = get_metrics().add_event(
                    day,
                    text,
                    kind=kind,
                    initiative=detail.assessment.initiative,
                    measure=measure,
                    area=detail.area_code if scope == SCOPES[0] else None,
                    by=actor.name,
                    actor=actor,
                )
            except (InputError, PermissionDenied) as exc:
                st.error(refusal_text(exc))
                return
            rerun_with_flash(
                FLASH_KEY,
                f"Recorded event {made.id}: {made.kind} on {format_date(made.occurred_on)}, "
                f"for {made.scope}.",
            )
