"""The dashboard's plotly figures and the overview's status tables, built once per data
and kept: what every rerun rebuilt.

Why: building a figure is the costliest Python on the initiative page's every rerun (plotly
checks every property it is given: the trend chart took 0.12 s and the balancing chart
0.15 s for Rough Sleepers in England, against 0.03 s to send one), and it was repeated on
each navigation, each choice and each new session although the figure depends only on the
data drawn. Each figure here is kept by the value of what it is drawn from (the series,
the checks, the SPC result, the status rows: hashed by Streamlit), so a rerun that draws
the same data reuses the figure; new data (a write moves the data version, and so the
series read) draws a new one. Kept at most :data:`~dashboard.cache.CACHE_SECONDS` unused.
The overview's status tables (:func:`status_table`: 0.1 s for the five, most of it making
each cell safe for Markdown) are kept the same way, as copies (``st.cache_data``).

The figures are shared, not copied (``st.cache_resource``: a copy would cost as much as a
rebuild, since plotly checks a figure again when it is unpickled): nothing may change a
figure returned here. ``st.plotly_chart`` only reads it (``Figure.to_dict``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard.cache import CACHE_SECONDS

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd
    import plotly.graph_objects as go

    from jwmetrics.assess import Assessment, BalancingCheck, SeriesDetail
    from jwmetrics.briefing import Rating
    from jwmetrics.events import EventView
    from jwmetrics.spc import SpcResult

MAX_FIGURES = 200
"""Figures kept of each kind, at most (a bound on memory: each is a few tens of kB)."""

_KEEP = {"ttl": CACHE_SECONDS, "max_entries": MAX_FIGURES, "show_spinner": False}


@st.cache_resource(**_KEEP)  # type: ignore[call-overload, untyped-decorator]
def trend_figure(detail: SeriesDetail, events: tuple[EventView, ...] = ()) -> go.Figure:
    """The trend chart of ``detail`` with ``events`` drawn on it
    (:func:`jwmetrics.present.trend_chart.trend_figure`)."""
    from jwmetrics.present.trend_chart import trend_figure as build

    return build(detail, events=events)


@st.cache_resource(**_KEEP)  # type: ignore[call-overload, untyped-decorator]
def balancing_figure(
    detail: SeriesDetail, checks: list[BalancingCheck], events: tuple[EventView, ...] = ()
) -> go.Figure:
    """The target and its balancing measures on one time axis, with ``events``
    (:func:`jwmetrics.present.balancing_chart.balancing_figure`)."""
    from jwmetrics.present.balancing_chart import balancing_figure as build

    return build(detail, checks, events)


@st.cache_resource(**_KEEP)  # type: ignore[call-overload, untyped-decorator]
def spc_figure(
    result: SpcResult, unit: str, title: str, source: str, events: tuple[EventView, ...] = ()
) -> go.Figure:
    """The XmR chart of a series, with ``events``
    (:func:`jwmetrics.present.spc_chart.spc_figure`)."""
    from jwmetrics.present.spc_chart import spc_figure as build

    return build(result, unit, title, source, events)


@st.cache_resource(**_KEEP)  # type: ignore[call-overload, untyped-decorator]
def status_summary_figure(rows: list[Assessment]) -> go.Figure:
    """The overview's status chart of ``rows``
    (:func:`jwmetrics.present.summary_chart.status_summary_figure`)."""
    from jwmetrics.present.summary_chart import status_summary_figure as build

    return build(rows)


@st.cache_data(ttl=CACHE_SECONDS, max_entries=MAX_FIGURES, show_spinner=False)
def status_table(
    rows: list[Assessment], judged: Mapping[tuple[str, str], Rating] | None
) -> pd.DataFrame:
    """An initiative's status table on the overview: :func:`jwmetrics.present.tables.
    overview_table` of ``rows`` without its Reason and Area columns (and its "As known on"
    column when every row is judged on one day, which the caption above it says), every
    text cell made safe for ``st.table``'s Markdown except the status badge (coloured by
    the caller)."""
    from jwmetrics.present.tables import overview_table
    from jwmetrics.text import plain_frame

    one_day = len({row.as_of for row in rows}) == 1
    dropped = ["Reason", "Area", *(["As known on"] if one_day else [])]
    table = overview_table(rows, judged).drop(columns=dropped)
    return plain_frame(table, keep=("Status",))
