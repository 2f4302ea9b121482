"""A target measure and its balancing measures on one shared time axis (plotly subplots).

Pure: it takes the target's :class:`~jwmetrics.assess.detail.SeriesDetail` and its
:class:`~jwmetrics.assess.balancing.BalancingCheck` list and returns a ``go.Figure``; the page only
draws it. The top panel is the target measure with its baseline and target; each panel
below is one balancing measure with its figures, the figure it is compared with (its
reference, see ``docs/status.md``) and the level beyond which it has moved too far the wrong
way. A balancing measure without a figure says "no data yet" in its panel. Nothing is shown
by colour alone: every trace is named in the legend and the limit line is dashed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from jwmetrics.present.chart_style import (
    ACTUAL_COLOUR,
    BASELINE_COLOUR,
    TARGET_COLOUR,
    TARGET_TEXT,
    amount_text,
    axis_title,
    base_layout,
    date_axis,
    lay_out_foot,
    wrap,
)
from jwmetrics.present.event_marks import add_event_marks, highest, in_range, with_break
from jwmetrics.present.trend_marks import SOURCES_SHOWN, symbol

if TYPE_CHECKING:
    from jwmetrics.assess.balancing import BalancingCheck
    from jwmetrics.assess.detail import SeriesDetail
    from jwmetrics.events import EventView
    from jwmetrics.store.figure import ObservationView

BALANCING_COLOUR = "#332288"  # indigo (Paul Tol), apart from the target panel's blue
PANEL_HEIGHT_PX = 230
TOP_PX = 90  # the margin above: title and subtitle (the one below is laid out to fit)
NO_DATA_TEXT = "No data yet: no figure has been recorded for this balancing measure."


def _hover(view: ObservationView, unit: str) -> str:
    """Period, value and source of one figure."""
    lines = [f"<b>{html.escape(view.period.label)}</b>"]
    lines.append(html.escape(amount_text(view.value, unit, view.qualifier, view.marker)))
    if view.source:
        lines.append(wrap(f"Source: {view.source}"))
    return "<br>".join(lines)


def _figures_trace(
    name: str, views: list[ObservationView], unit: str, colour: str, dash: str = "solid"
) -> go.Scatter:
    """One series' figures at their period ends, as a line with markers."""
    return go.Scatter(
        name=html.escape(name),
        x=[v.period.end for v in views],
        y=[v.value for v in views],
        mode="lines+markers",
        connectgaps=False,
        line={"color": colour, "width": 3, "dash": dash},
        marker={"color": colour, "size": 9, "symbol": [symbol(v) for v in views]},
        hovertext=[_hover(v, unit) for v in views],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _target_panel(figure: go.Figure, detail: SeriesDetail) -> None:
    """Row 1: the target measure's figures, baseline and target."""
    figures = _figures_trace(detail.measure_name, detail.observations, detail.unit, ACTUAL_COLOUR)
    figure.add_trace(with_break(figures, detail.split), row=1, col=1)  # not joined across it
    target = detail.target
    if target is None:
        return
    if target.baseline_value is not None and target.baseline_date is not None:
        point = ("Baseline", target.baseline_date, target.baseline_value, BASELINE_COLOUR, 11)
        figure.add_trace(_target_point(detail, *point, shape="square"), row=1, col=1)
    if target.value is not None and target.target_date is not None:
        point = ("Target", target.target_date, target.value, TARGET_COLOUR, 15)
        figure.add_trace(_target_point(detail, *point, shape="star"), row=1, col=1)


def _limit_trace(check: BalancingCheck, span: list[date], first: bool) -> go.Scatter | None:
    """The level beyond which the balancing measure has moved too far the wrong way."""
    limit, reference = check.limit, check.reference
    if limit is None or reference is None:
        return None
    word = "above" if check.pair.direction == "down" else "below"
    amount = amount_text(limit, check.pair.unit)
    hover = (
        f"<b>Limit</b><br>{html.escape(amount)}: "
        + wrap(f"{word} this it has moved the wrong way by more than its threshold since ")
        + html.escape(reference.period.label)
    )
    return go.Scatter(
        name="Wrong-way limit (reference ± threshold)",
        legendgroup="limit",
        showlegend=first,
        x=[min(reference.period.end, *span), max(span)],
        y=[limit, limit],
        mode="lines",
        line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
        hovertext=[hover, hover],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _target_point(
    detail: SeriesDetail, name: str, day: date, value: float, colour: str, size: int, shape: str
) -> go.Scatter:
    """The baseline or the target as one marker on the target measure's panel."""
    amount = amount_text(value, detail.unit)
    return go.Scatter(
        name=name,
        x=[day],
        y=[value],
        mode="markers",
        marker={"color": colour, "size": size, "symbol": shape},
        hovertext=[f"<b>{name}</b><br>{html.escape(amount)}"],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _balancing_panel(
    figure: go.Figure, check: BalancingCheck, row: int, span: list[date], first: bool
) -> None:
    """One balancing measure's panel: figures and limit, or "no data yet"."""
    views = [v for v in check.figures if v.value is not None]
    if not views:
        # An invisible trace, so plotly draws the panel (and the shared date axis under it).
        figure.add_trace(
            go.Scatter(
                x=span,
                y=[0, 0],
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
                name="no data yet",
            ),
            row=row,
            col=1,
        )
        figure.add_annotation(
            text=html.escape(NO_DATA_TEXT),
            xref=f"x{row} domain",
            yref=f"y{row} domain",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 14, "color": "#505a5f"},
        )
        figure.update_yaxes(showticklabels=False, row=row, col=1)
        return
    unit = check.pair.unit
    figure.add_trace(
        _figures_trace(check.pair.name, list(check.figures), unit, BALANCING_COLOUR, "dot"),
        row=row,
        col=1,
    )
    limit = _limit_trace(check, span, first)
    if limit is not None:
        figure.add_trace(limit, row=row, col=1)
        amount = amount_text(check.limit, unit)
        figure.add_annotation(
            x=max(span),
            y=check.limit,
            text=html.escape(f"Limit {amount}"),
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            font={"color": TARGET_TEXT, "size": 12},
            row=row,
            col=1,
        )
    figure.update_yaxes(title_text=axis_title(unit), row=row, col=1)


def _source(detail: SeriesDetail, checks: list[BalancingCheck]) -> str:
    """The note under the chart: the sources of every figure drawn."""
    views = [*detail.observations, *(v for c in checks for v in c.figures)]
    sources = list(dict.fromkeys(v.source for v in views if v.source))
    if not sources:
        return "Source: no figures recorded yet."
    more = len(sources) - SOURCES_SHOWN
    shown = "; ".join(sources[:SOURCES_SHOWN])
    return f"Source: {shown}" + (f"; and {more} more." if more > 0 else ".")


def balancing_figure(
    detail: SeriesDetail, checks: list[BalancingCheck], events: Sequence[EventView] = ()
) -> go.Figure:
    """The target measure over its balancing measures, one panel each, sharing the x axis;
    ``events`` on the axis are drawn across every panel, their markers atop the first."""
    rows = 1 + len(checks)
    titles = [detail.measure_name, *(c.pair.name for c in checks)]
    figure = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12 if rows > 1 else 0.0,
        subplot_titles=[html.escape(t) for t in titles],
    )
    _target_panel(figure, detail)
    figure.update_yaxes(title_text=axis_title(detail.unit), row=1, col=1)
    days = [v.period.end for v in detail.observations]
    days += [v.period.end for c in checks for v in c.figures]
    if detail.target is not None and detail.target.target_date is not None:
        days.append(detail.target.target_date)
    span = [min(days), max(days)] if days else [date.today(), date.today()]
    first_limit = True
    for row, check in enumerate(checks, start=2):
        _balancing_panel(figure, check, row, span, first_limit)
        first_limit = first_limit and check.limit is None
    # One date axis for every panel (a panel with no trace would otherwise widen it to 1970),
    # written the British way; the legend and then the source note under it, never overlapping.
    axis = date_axis(span[0], span[1], pad=0.04)
    figure.update_xaxes(**{k: v for k, v in axis.items() if k != "tickfont"})
    figure.update_xaxes(tickfont=axis["tickfont"])
    title = f"{detail.measure_name} and what could get worse — {detail.area_name}"
    layout = base_layout(title, "Balancing measures on the same time axis (paragraph 16)")
    figure.update_layout(**layout, height=PANEL_HEIGHT_PX * rows + TOP_PX)
    figure.update_layout(margin={"t": TOP_PX})
    lay_out_foot(figure, _source(detail, checks), min_plot_px=PANEL_HEIGHT_PX * rows)
    top = highest(figure)
    if top is not None:
        shown = in_range(events, axis["range"][0], axis["range"][1])
        add_event_marks(figure, shown, top, line_yref="paper")  # a line across every panel
    return figure
