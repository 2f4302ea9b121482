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

from jwmetrics.present.assessment import known_on_text, reasons_markdown, returns_text
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.status import STYLES, badge, coloured_status
from jwmetrics.present.summary_chart import status_summary_figure
from jwmetrics.present.tables import cost_table, overview_table
from jwmetrics.text import plain, plain_frame, plural

if TYPE_CHECKING:
    from jwmetrics.assess import Assessment
    from jwmetrics.catalogue import InitiativeProfile
    from jwmetrics.returns import ReturnsSummary

INITIATIVE_PAGE = "pages/initiative.py"
CHART_KEY = "status_chart"


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
) -> None:
    """One initiative: a link to it, purpose and spend, its returns' completeness (from the
    returns schedule), and its statuses each with why."""
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
        st.caption(f"Figures {known_on_text(mine)}.")
        table = overview_table(mine).drop(columns=["Reason", "Area"])
        st.table(coloured_status(plain_frame(table, keep=("Status",))).hide(axis="index"))
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
