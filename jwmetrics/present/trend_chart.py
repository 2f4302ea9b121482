"""The trend of one series as a plotly figure: figures, baseline, target, trajectory and
forecast.

Pure: it takes the :class:`~jwmetrics.assess.detail.SeriesDetail` the library already built and
returns a ``go.Figure``, so pages only draw and tests can assert on the figure's data.
Figures use ``plotly.graph_objects`` rather than ``plotly.express`` because express is
several times slower to build.

Nothing is shown by colour alone: every trace has a name in the legend, lines differ by dash
as well as colour, key points carry text labels, and the status carries its word and symbol.
Labels are placed so that none prints over another
(:func:`~jwmetrics.present.trend_marks.place_labels`), and the legend and source note sit one
under the other at every width (:func:`~jwmetrics.present.chart_style.lay_out_foot`), on
screen, in the HTML pack and on paper.
Colours, fonts and layout are those of :mod:`jwmetrics.present.chart_style`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from jwmetrics.assess.words import Status
from jwmetrics.periods import format_date, format_month
from jwmetrics.present.chart_labels import PlotBox, place_labels
from jwmetrics.present.chart_style import (
    ACTUAL_COLOUR,
    BASELINE_COLOUR,
    FONT,
    FORECAST_COLOUR,
    INTERVAL_COLOUR,
    MIN_PLOT_WIDTH_PX,
    TARGET_COLOUR,
    TRAJECTORY_COLOUR,
    amount_text,
    axis_title,
    base_layout,
    date_axis,
    lay_out_foot,
    wrap,
)
from jwmetrics.present.event_marks import add_event_marks, in_range, with_break
from jwmetrics.present.status import badge
from jwmetrics.present.trend_marks import (
    MIN_TREND_FIGURES,
    chart_source,
    drawn_lines,
    drawn_points,
    gap_boxes,
    key_traces,
    labels,
    symbol,
)

if TYPE_CHECKING:
    from jwmetrics.assess.detail import SeriesDetail
    from jwmetrics.events import EventView
    from jwmetrics.store.figure import ObservationView


def _status_subtitle(detail: SeriesDetail) -> str:
    """The status in words and symbol, with the date it is judged at: "✔ Green, as known on ..."."""
    assessment = detail.assessment
    known = {str(status) for status in Status}
    label = badge(assessment.status) if assessment.status in known else assessment.status
    return f"{label}, as known on {format_date(assessment.as_of)}"


def _observation_hover(view: ObservationView, unit: str) -> str:
    """Hover text of one figure: period, value with qualifier or marker, status and source."""
    lines = [f"<b>{html.escape(view.period.label)}</b>"]
    lines.append(html.escape(amount_text(view.value, unit, view.qualifier, view.marker)))
    if view.data_status != "final":
        lines.append(html.escape(f"({view.data_status} figure)"))
    if view.source:
        lines.append(wrap(f"Source: {view.source}"))
    return "<br>".join(lines)


def _actual_trace(detail: SeriesDetail) -> go.Scatter:
    """The recorded figures at their period end dates; missing values (None) are gaps.

    Provisional figures get open circles, bounds ("over 50%") open arrows. With fewer than
    :data:`MIN_TREND_FIGURES` figures they are points, not a line. The latest figure's label
    is placed with the others (:func:`_labels`).
    """
    views = detail.observations
    valued = [v for v in views if v.value is not None]
    mode = "lines+markers" if len(valued) >= MIN_TREND_FIGURES else "markers"
    return go.Scatter(
        name="Actual",
        x=[v.period.end for v in views],
        y=[v.value for v in views],
        mode=mode,
        connectgaps=False,
        line={"color": ACTUAL_COLOUR, "width": 3},
        marker={"color": ACTUAL_COLOUR, "size": 11, "symbol": [symbol(v) for v in views]},
        cliponaxis=False,
        hovertext=[_observation_hover(v, detail.unit) for v in views],
        hovertemplate="%{hovertext}<extra>Actual</extra>",
    )


def _marker_annotations(detail: SeriesDetail) -> list[dict[str, Any]]:
    """A note at the foot of the chart for each gap (``..``, ``x``, ``-``), hover to explain.

    A missing value draws nothing, so the marker is written on the chart at its date instead.
    """
    return [
        {
            "x": view.period.end,
            "y": 0,
            "xref": "x",
            "yref": "paper",
            "yanchor": "bottom",
            "text": html.escape(view.marker or "no figure"),
            "hovertext": _observation_hover(view, detail.unit),
            "showarrow": False,
            "font": {"color": ACTUAL_COLOUR, "size": 13},
        }
        for view in detail.observations
        if view.value is None
    ]


def _baseline_trace(detail: SeriesDetail) -> go.Scatter | None:
    """The baseline as one labelled marker, when the target has a baseline value and date."""
    target = detail.target
    if target is None or target.baseline_value is None or target.baseline_date is None:
        return None
    period = detail.assessment.baseline_period or format_month(target.baseline_date)
    amount = amount_text(target.baseline_value, detail.unit)
    return go.Scatter(
        name="Baseline",
        x=[target.baseline_date],
        y=[target.baseline_value],
        mode="markers",
        marker={"color": BASELINE_COLOUR, "size": 12, "symbol": "square"},
        cliponaxis=False,
        hovertext=[f"<b>Baseline</b><br>{html.escape(amount)}, {html.escape(period)}"],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _target_hover(detail: SeriesDetail, what: str) -> str:
    """Hover text of the target: value and date, the report's wording and the source."""
    hover = f"<b>Target</b><br>{html.escape(what)}"
    if detail.target_wording:
        hover += "<br>" + wrap(f"“{detail.target_wording}”")
    if detail.target_source:
        hover += "<br>" + wrap(f"Source: {detail.target_source}")
    return hover


def _target_trace(detail: SeriesDetail) -> go.Scatter | None:
    """The target as a star at its date and value, with the report's wording in the hover."""
    target = detail.target
    if target is None or target.value is None:
        return None
    if target.target_date is None:
        return _undated_target_trace(detail, target.value)
    amount = amount_text(target.value, detail.unit)
    hover = _target_hover(detail, f"{amount} by {format_month(target.target_date)}")
    return go.Scatter(
        name="Target",
        x=[target.target_date],
        y=[target.value],
        mode="markers",
        marker={"color": TARGET_COLOUR, "size": 18, "symbol": "star"},
        cliponaxis=False,
        hovertext=[hover],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _undated_target_trace(detail: SeriesDetail, value: float) -> go.Scatter | None:
    """A target with no date (the report gives none) as a level line across the figures."""
    days = [v.period.end for v in detail.observations]
    if not days:
        return None
    first, last = min(days), max(max(days), min(days) + timedelta(days=365))
    amount = amount_text(value, detail.unit)
    hover = _target_hover(detail, f"{amount} (no date given)")
    return go.Scatter(
        name="Target",
        x=[first, last],
        y=[value, value],
        mode="lines",
        line={"color": TARGET_COLOUR, "width": 2, "dash": "longdash"},
        hovertext=[hover, hover],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _trajectory_trace(detail: SeriesDetail) -> go.Scatter | None:
    """The planned path from baseline through any milestones to the target, dashed."""
    points = detail.trajectory_points
    if not points:
        return None
    return go.Scatter(
        name="Trajectory",
        x=[day for day, _ in points],
        y=[value for _, value in points],
        mode="lines",
        line={"color": TRAJECTORY_COLOUR, "width": 2, "dash": "dash"},
        hovertext=[
            f"Trajectory: {amount_text(v, detail.unit)} at {format_date(d)}" for d, v in points
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _latest(detail: SeriesDetail) -> ObservationView | None:
    """The newest observation with a value."""
    valued = [v for v in detail.observations if v.value is not None]
    return valued[-1] if valued else None


def _forecast_traces(detail: SeriesDetail) -> list[go.Scatter]:
    """The fitted trend, dotted, from the first figure it fits to the target date, and its
    95% interval at the target date when there is one.

    The trend is straight on its fitting scale (log for counts, logit for percentages), so
    it is drawn as a curve that stays within the measure's range; it exists only from 3
    figures, the interval only from 5 (``docs/status.md``).
    """
    assessment, trend = detail.assessment, detail.trend
    when = assessment.target_date
    if assessment.forecast_value is None or when is None or trend is None:
        return []
    amount = amount_text(assessment.forecast_value, detail.unit)
    path = trend.path()
    scale = {"log": "log scale", "logit": "logit scale"}.get(str(trend.scale), "straight line")
    forecast = go.Scatter(
        name="Forecast",
        x=[day for day, _ in path],
        y=[value for _, value in path],
        mode="lines+markers",
        line={"color": FORECAST_COLOUR, "width": 2, "dash": "dot"},
        marker={
            "color": FORECAST_COLOUR,
            "size": [0] * (len(path) - 1) + [10],
            "symbol": "diamond",
        },
        cliponaxis=False,
        hovertext=[""] * (len(path) - 1)
        + [
            f"<b>Forecast</b> for {format_month(when)}: {html.escape(amount)}<br>"
            f"Trend of {trend.points} figures ({scale})"
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    traces = [forecast]
    low, high = assessment.forecast_low, assessment.forecast_high
    if low is not None and high is not None:
        span = f"{amount_text(low, detail.unit)} to {amount_text(high, detail.unit)}"
        traces.append(
            go.Scatter(
                name="Forecast interval",
                x=[when, when],
                y=[low, high],
                mode="lines+markers",
                line={"color": INTERVAL_COLOUR, "width": 10},
                marker={"color": FORECAST_COLOUR, "size": 14, "symbol": "line-ew-open"},
                hovertext=[f"95% forecast interval: {html.escape(span)}"] * 2,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return traces


def _milestone_trace(detail: SeriesDetail) -> go.Scatter | None:
    """The target's planned milestones as labelled markers on the trajectory."""
    target = detail.target
    if target is None or not target.milestones:
        return None
    labels = [f"Milestone {amount_text(value, detail.unit)}" for _, value in target.milestones]
    return go.Scatter(
        name="Milestones",
        x=[day for day, _ in target.milestones],
        y=[value for _, value in target.milestones],
        mode="markers",
        marker={"color": TRAJECTORY_COLOUR, "size": 11, "symbol": "square-open"},
        cliponaxis=False,
        hovertext=[
            f"<b>Planned milestone</b> {format_month(day)}: {html.escape(text)}"
            for (day, _), text in zip(target.milestones, labels, strict=True)
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _value_range(figure: go.Figure) -> tuple[float, float]:
    """The value axis: from zero when nothing is negative, with room above the highest point
    for its label."""
    values = [float(y) for trace in figure.data for y in (trace.y or ()) if y is not None]
    low, high = min(values), max(values)
    low = 0.0 if low >= 0 else low - 0.06 * ((high - low) or abs(low) or 1.0)
    high = high + 0.14 * ((high - low) or abs(high) or 1.0)
    return low, high


def _empty_trend(detail: SeriesDetail, height: int, titled: bool) -> go.Figure:
    """A figure without data traces that says why: never a blank chart."""
    title = f"{detail.measure_name} — {detail.area_name}" if titled else ""
    figure = go.Figure(layout=base_layout(title, _status_subtitle(detail) if titled else ""))
    figure.update_layout(
        xaxis={"visible": False},
        yaxis={"visible": False},
        height=max(300, height - 160),
        margin={"t": 90 if titled else 20},
        showlegend=False,
    )
    figure.add_annotation(
        text=wrap(f"No figures yet: {detail.assessment.reason}", 70),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"family": FONT, "size": 15},
        align="center",
    )
    lay_out_foot(figure, chart_source(detail))
    return figure


def trend_figure(
    detail: SeriesDetail,
    *,
    height: int = 520,
    titled: bool = True,
    events: Sequence[EventView] = (),
) -> go.Figure:
    """The trend of one measure in one area, with baseline, target, trajectory and forecast.

    Traces (in legend order) are named exactly "Actual", "Baseline", "Target", "Trajectory",
    "Milestones", "Forecast" and "Forecast interval"; each is present only when there is
    something to draw. Key points are labelled by annotations named "label: <trace>".
    Without any recorded value it returns a figure with only a centred "No figures yet: ..."
    note giving the status reason. ``height`` is the figure's height in pixels; ``titled``
    False leaves out the title, status line and axis title (a pack's page gives them).
    ``events`` on the date axis are drawn as dotted lines with a marker ("Events") at the
    top (:mod:`jwmetrics.present.event_marks`); a definition change breaks the line there.
    """
    if _latest(detail) is None:
        return _empty_trend(detail, height, titled)
    title = f"{detail.measure_name} — {detail.area_name}" if titled else ""
    figure = go.Figure(layout=base_layout(title, _status_subtitle(detail) if titled else ""))
    parts = [
        with_break(_actual_trace(detail), detail.split),
        _baseline_trace(detail),
        _target_trace(detail),
        _trajectory_trace(detail),
        _milestone_trace(detail),
        *_forecast_traces(detail),
    ]
    figure.add_traces([trace for trace in parts if trace is not None])
    days = [x for trace in figure.data for x in (trace.x or ()) if isinstance(x, date)]
    x_axis = date_axis(min(days), max(days), min_days=1095)
    low, high = _value_range(figure)
    figure.add_traces(key_traces(detail))
    figure.update_layout(
        xaxis=x_axis,
        yaxis={
            "title": {"text": axis_title(detail.unit)},
            "range": [low, high],
            "separatethousands": True,
            "ticksuffix": "%" if detail.unit == "percent" else "",
            "tickprefix": "£" if detail.unit == "GBP" else "",
            "exponentformat": "none",  # 2,000,000 rather than plotly's 2M or 2G
        },
        hovermode="closest",
        height=height,
        margin={"t": 90 if titled else 20},
    )
    lay_out_foot(figure, chart_source(detail), x_title="Period end date" if titled else "")
    margin = figure.layout.margin
    plot = PlotBox(
        (x_axis["range"][0], x_axis["range"][1]),
        (low, high),
        MIN_PLOT_WIDTH_PX,
        int(figure.layout.height) - margin.t - margin.b,  # as tall as lay_out_foot made it
    )
    placed = place_labels(
        labels(detail), plot, drawn_points(figure), drawn_lines(figure), gap_boxes(detail, plot)
    )
    for annotation in [*_marker_annotations(detail), *placed]:
        figure.add_annotation(annotation)
    add_event_marks(figure, in_range(events, *x_axis["range"]), high)
    return figure
