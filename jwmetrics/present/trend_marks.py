"""The marks of a trend chart that keep it honest: which symbol a figure gets (a bound is an
open arrow, a provisional figure an open circle), the legend entries that explain them, the
words beside the key points and what they must keep clear of (placed by
:func:`jwmetrics.present.chart_labels.place_labels`, so that none prints over another), and
the source note.

Kept apart from :mod:`jwmetrics.present.trend_chart`, which assembles the figure.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from jwmetrics.present.chart_labels import Box, Label, PlotBox
from jwmetrics.present.chart_style import (
    ACTUAL_COLOUR,
    BASELINE_COLOUR,
    FORECAST_TEXT,
    REPORT_SOURCE,
    TARGET_TEXT,
    TRAJECTORY_COLOUR,
    amount_text,
)

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


def key_traces(detail: SeriesDetail) -> list[go.Scatter]:
    """Legend entries (nothing drawn) explaining open markers: provisional figures, bounds."""
    views = [v for v in detail.observations if v.value is not None]
    keys: list[tuple[str, str]] = []
    if any(v.data_status != "final" for v in views):
        keys.append(("circle-open", "Provisional figure"))
    if any(v.qualifier == "over" for v in views):
        keys.append(("triangle-up-open", "“Over”: at least this"))
    if any(v.qualifier == "under" for v in views):
        keys.append(("triangle-down-open", "“Under”: at most this"))
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


def labels(detail: SeriesDetail) -> list[Label]:
    """The words beside the key points, most important first: the latest figure, the target,
    the forecast, the baseline, then any milestones."""
    found: list[Label] = []
    valued = [v for v in detail.observations if v.value is not None]
    latest = valued[-1] if valued else None
    if latest is not None and latest.value is not None:
        amount = amount_text(latest.value, detail.unit, latest.qualifier)
        found.append(
            Label(latest.period.end, latest.value, f"Latest {amount}", ACTUAL_COLOUR, "Actual")
        )
    target = detail.target
    if target is not None and target.value is not None:
        amount = amount_text(target.value, detail.unit)
        if target.target_date is not None:
            found.append(
                Label(target.target_date, target.value, f"Target {amount}", TARGET_TEXT, "Target")
            )
        elif detail.observations:
            day = max(
                max(v.period.end for v in detail.observations),
                min(v.period.end for v in detail.observations) + timedelta(days=365),
            )
            found.append(
                Label(day, target.value, f"Target {amount} (no date)", TARGET_TEXT, "Target")
            )
    assessment = detail.assessment
    if assessment.forecast_value is not None and assessment.target_date and detail.trend:
        amount = amount_text(assessment.forecast_value, detail.unit)
        found.append(
            Label(
                assessment.target_date,
                assessment.forecast_value,
                f"Forecast {amount}",
                FORECAST_TEXT,
                "Forecast",
            )
        )
    if target is not None and target.baseline_value is not None and target.baseline_date:
        amount = amount_text(target.baseline_value, detail.unit)
        found.append(
            Label(
                target.baseline_date,
                target.baseline_value,
                f"Baseline {amount}",
                BASELINE_COLOUR,
                "Baseline",
            )
        )
    if target is not None:
        found.extend(
            Label(
                day,
                value,
                f"Milestone {amount_text(value, detail.unit)}",
                TRAJECTORY_COLOUR,
                "Milestones",
            )
            for day, value in target.milestones
        )
    return found  # fmt: skip


def drawn_points(figure: go.Figure) -> list[tuple[date, float]]:
    """Every marker drawn (not the forecast's hidden path points), as obstacles to labels."""
    found: list[tuple[date, float]] = []
    for trace in figure.data:
        if "markers" not in (trace.mode or "") or not trace.x:
            continue
        sizes = trace.marker.size if isinstance(trace.marker.size, tuple) else None
        for index, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)):
            if isinstance(x, date) and y is not None and (sizes is None or sizes[index]):
                found.append((x, float(y)))
    return found


def drawn_lines(figure: go.Figure) -> list[list[tuple[date, float]]]:
    """Every line drawn, so labels prefer spots that no line crosses."""
    return [
        [(x, float(y)) for x, y in zip(trace.x, trace.y, strict=True) if y is not None]
        for trace in figure.data
        if "lines" in (trace.mode or "") and trace.x and isinstance(trace.x[0], date)
    ]


def gap_boxes(detail: SeriesDetail, plot: PlotBox) -> list[Box]:
    """Where the notes of missing figures ("..") sit, at the foot of the plot."""
    boxes: list[Box] = []
    for view in detail.observations:
        if view.value is None:
            across, _ = plot.at(view.period.end, plot.y_range[0])
            boxes.append((across - 14, plot.height_px - 20, across + 14, plot.height_px))
    return boxes
