"""Sections of the overview page, each a thin view over library results.

Kept out of ``pages/overview.py`` so the page reads as what it shows: the filters, the
status chart (a click on a bar opens that initiative), each initiative's table with a short
reason on every line and its returns' completeness, the cost-effectiveness lines on their
own, and the downloads. The returns schedule they show is cached in :mod:`dashboard.cache`
(:func:`~dashboard.cache.cached_schedule`), with every other cached call.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import streamlit as st

from dashboard.figures import status_summary_figure, status_table  # kept per data
from jwmetrics.present.assessment import (
    known_on_text,
    reasons_markdown,
    returns_text,
    short_reason,
)
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.status import STYLES, badge, coloured_status
from jwmetrics.present.tables import cost_table
from jwmetrics.text import plain, plain_frame, plural

if TYPE_CHECKING:
    from jwmetrics.assess import Assessment
    from jwmetrics.briefing import Rating
    from jwmetrics.catalogue import InitiativeProfile
    from jwmetrics.returns import ReturnsSummary

INITIATIVE_PAGE = "pages/initiative.py"
CHART_KEY = "status_chart"
OFF_TRACK = ("Red", "Missed", "Awaiting")
"""What "Off track and why" lists, in this order: off track, target missed, and a result
whose target date has passed with its figure not out (overdue)."""
OFF_TRACK_REASON_CHARS = 200  # the first sentence of a reason, in full or nearly


def off_track(rows: list[Assessment]) -> list[Assessment]:
    """The Red, Missed and Awaiting rows, in that order (then as the table has them)."""
    mine = [r for r in rows if r.status in OFF_TRACK]
    return sorted(mine, key=lambda r: OFF_TRACK.index(r.status))


def show_off_track(rows: list[Assessment], as_of: date | None) -> None:
    """ "Off track and why": every Red, Missed or overdue (Awaiting) measure with its reason
    in a line and a link to it, first on the page; or a line saying there is none."""
    shown = off_track(rows)
    with st.container(border=True, key="off_track"):
        st.subheader(f"Off track and why ({len(shown)})", anchor="off-track-and-why")
        if not shown:
            amber = sum(1 for r in rows if r.status == "Amber")
            st.success(
                "Nothing is off track: no measure shown is Red, Missed or awaiting an overdue "
                "result." + (f" {amber} at risk (Amber) are in the tables below." if amber else ""),
                icon=":material/check_circle:",
            )
            return
        for row in shown:
            st.page_link(
                INITIATIVE_PAGE,
                label=plain(f"{badge(row.status)} · {row.measure_name}"),
                icon=":material/arrow_forward:",
                query_params=initiative_link(row, as_of),
            )
            why = short_reason(row.reason, OFF_TRACK_REASON_CHARS)
            st.caption(plain(f"{row.initiative_name}. {why}"))


def initiative_link(row: Assessment, as_of: date | None) -> dict[str, str]:
    """Query parameters of the initiative page for ``row``, with the date when not latest."""
    params = {"initiative": row.initiative, "measure": row.measure, "area": row.area_code}
    if as_of is not None:
        params["as_of"] = as_of.isoformat()
    return params


def clicked_initiative(event: Mapping[str, Any] | None) -> str | None:
    """The initiative id of the bar a click (or box) selected, if any (``event``: the chart's
    selection state, a mapping of JSON values)."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        slug = point.get("customdata")
        if isinstance(slug, list):
            slug = slug[0] if slug else None
        if slug:
            return str(slug)
    return None


def show_status_chart(rows: list[Assessment], as_of: date | None) -> None:
    """The status of each initiative's measures; a click on a bar opens that initiative."""
    st.subheader(f"Status of {plural(len(rows), 'measure')} in England, {known_on_text(rows)}")
    event = st.plotly_chart(
        status_summary_figure(rows),
        config=CHART_CONFIG,
        on_select="rerun",
        selection_mode="points",
        key=CHART_KEY,
    )
    legend = " · ".join(f"{badge(k)}: {s.meaning}" for k, s in STYLES.items())
    st.caption(f"Key: {legend}. Click a bar to open that initiative.")
    slug = clicked_initiative(event)
    if slug is not None:
        first = next(r for r in rows if r.initiative == slug)
        st.switch_page(INITIATIVE_PAGE, query_params=initiative_link(first, as_of))


def show_initiative(
    profile: InitiativeProfile,
    mine: list[Assessment],
    as_of: date | None,
    returns: ReturnsSummary | None = None,
    judged: Mapping[tuple[str, str], Rating] | None = None,
) -> None:
    """One initiative: a link to it, purpose and spend, its returns' completeness (from the
    returns schedule), and its statuses each with why and any judged delivery confidence
    (``judged``, by measure and area)."""
    with st.container(border=True):
        st.subheader(plain(profile.name))
        st.page_link(
            INITIATIVE_PAGE,
            label=f"Open {plain(profile.name)}",
            icon=":material/arrow_forward:",
            query_params=initiative_link(mine[0], as_of),
        )
        spend = "; ".join(s.text for s in profile.spend) or "not stated"
        label, _, words = returns_text(returns).partition(": ")
        st.markdown(
            f"**Purpose:** {plain(profile.purpose)}  \n**Spend:** {plain(spend)}  \n"
            f"**{label}:** {plain(words)}"
        )
        for schedule in returns.schedules if returns is not None else []:
            st.caption(f"Returns counted against the schedule: {plain(schedule)}.")
        st.caption(f"Figures {known_on_text(mine)}.")
        table = status_table(mine, judged)  # kept per data (dashboard.figures)
        st.table(coloured_status(table).hide(axis="index"))
        with st.expander("Each reason in full"):
            st.markdown(reasons_markdown(mine))  # one element, not two per measure


def show_costs(costs: list[Assessment]) -> None:
    """Cost per unit of outcome, as the report states them: facts, not statuses."""
    if not costs:
        return
    st.header("Cost-effectiveness")
    st.caption(
        "Cost per unit of outcome as the report states them (paragraph 18), in real terms. "
        "They have no targets, so they are not in the status chart."
    )
    st.table(plain_frame(cost_table(costs)), hide_index=True)
