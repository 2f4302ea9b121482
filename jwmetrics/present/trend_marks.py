"""The marks of a trend chart that keep it honest: which symbol a figure gets (a bound is an
open arrow, a provisional figure an open circle), the legend entries that explain them, which
side of its point a label goes so it stays inside the plot, and the source note.

Kept apart from :mod:`jwmetrics.present.trend_chart`, which assembles the figure.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from jwmetrics.present.chart_style import ACTUAL_COLOUR, REPORT_SOURCE

if TYPE_CHECKING:
    from jwmetrics.assess.detail import SeriesDetail
    from jwmetrics.store.figure import ObservationView

MIN_TREND_FIGURES = 3
"""Fewer figures than this are no trend: they are drawn as points (and shown as value cards)."""

BOUND_SYMBOLS = {"over": "triangle-up-open", "under": "triangle-down-open"}
"""A figure the source gives only as a bound ("over 50%") is an open arrow, not a point."""
SOURCES_SHOWN = 3  # sources named in a chart's note; more are counted


def chart_source(detail: SeriesDetail) -> str:
    """The note under a series' chart: "Source: NAO … ; return 3 (synthetic)."."""
    sources = list(dict.fromkeys(v.source for v in detail.observations if v.source))
    if not sources:
        return f"Source: {REPORT_SOURCE}."
    shown = "; ".join(sources[:SOURCES_SHOWN])
    more = len(sources) - SOURCES_SHOWN
    return f"Source: {shown}" + (f"; and {more} more (see the figures table)." if more > 0 else ".")


def symbol(view: ObservationView) -> str:
    """A bound as an open arrow; a provisional figure as an open circle; else a circle."""
    if view.qualifier in BOUND_SYMBOLS:
        return BOUND_SYMBOLS[view.qualifier]
    return "circle" if view.data_status == "final" else "circle-open"


def side(day: date, span: list[date]) -> str:
    """Which side of a point its label goes, so the label stays inside the plot area."""
    first, last = span
    return "right" if (day - first) < (last - first) / 2 else "left"


def key_traces(detail: SeriesDetail) -> list[go.Scatter]:
    """Legend entries (nothing drawn) explaining open markers: provisional figures, bounds."""
    views = [v for v in detail.observations if v.value is not None]
    keys: list[tuple[str, str]] = []
    if any(v.data_status != "final" for v in views):
        keys.append(("circle-open", "Open circle: provisional figure, may be revised"))
    if any(v.qualifier == "over" for v in views):
        keys.append(("triangle-up-open", "Open arrow up: at least this (“over”)"))
    if any(v.qualifier == "under" for v in views):
        keys.append(("triangle-down-open", "Open arrow down: at most this (“under”)"))
    return [
        go.Scatter(
            name=name,
            x=[None],
            y=[None],
            mode="markers",
            marker={"color": ACTUAL_COLOUR, "size": 11, "symbol": shape},
            hoverinfo="skip",
        )
        for shape, name in keys
    ]


def place_labels(figure: go.Figure, span: list[date]) -> None:
    """Put each point's label on the side facing the middle of the plot, never off its edge."""
    for trace in figure.data:
        if not trace.text or not trace.x or "text" not in (trace.mode or ""):
            continue
        position = str(trace.textposition or "middle right")
        vertical = position.split()[0] if " " in position else "middle"
        sides = [
            f"{vertical} {side(x, span)}" if isinstance(x, date) else position for x in trace.x
        ]
        trace.textposition = sides
        trace.cliponaxis = False
