"""Dated events drawn on a chart: a dotted vertical line at each event's day, and a small
marker at the top of the plot whose hover says what happened.

The events come in as data (:class:`~jwmetrics.events.EventView`, from
:meth:`jwmetrics.metrics.Metrics.events`): nothing here reads the database. The label is
never printed on the chart (a chart's text is placed so none overlaps,
:mod:`jwmetrics.present.chart_labels`, and event labels would crowd it): each marker carries
the short label (kind and the text's start) as its ``text`` and the full text in its hover,
and the legend names the markers "Events". Each line is a layout shape named
``event <id>``, so a test (or an analyst reading the figure's JSON) finds it at its day.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from jwmetrics.events import EventView
from jwmetrics.periods import format_date
from jwmetrics.present.chart_style import wrap

EVENT_COLOUR = "#882255"  # Okabe-Ito/Tol wine: apart from the series' blue, orange and grey
EVENTS_TRACE = "Events"
HEADROOM = 0.08  # markers sit this share of the values' span above the highest value


def event_hover(event: EventView) -> str:
    """The full event in a hover: day, kind, text, scope and who recorded it."""
    return (
        f"<b>{html.escape(format_date(event.occurred_on))}: {html.escape(event.kind)}</b><br>"
        f"{wrap(event.text)}<br><i>{html.escape(f'For {event.scope}; event {event.id}')}</i>"
    )


def in_range(events: Sequence[EventView], first: date, last: date) -> list[EventView]:
    """The events whose day lies on the chart's date axis (an event off it is not drawn)."""
    return [e for e in events if first <= e.occurred_on <= last]


def add_event_marks(
    figure: go.Figure,
    events: Sequence[EventView],
    top: float,
    *,
    xref: str = "x",
    yref: str = "y",
    line_yref: str | None = None,
) -> None:
    """Draw each event on ``figure``: a dotted line from the foot to the head of the plot
    on axes ``xref``/``yref`` (or of ``line_yref``, "paper" for every panel), and a marker
    at ``top`` (a value on ``yref``) with the hover.

    The caller passes only the events on its date axis (:func:`in_range`).
    """
    if not events:
        return
    for event in events:
        figure.add_shape(
            type="line",
            name=f"event {event.id}",
            x0=event.occurred_on,
            x1=event.occurred_on,
            xref=xref,
            y0=0,
            y1=1,
            yref=line_yref or f"{yref} domain",
            line={"color": EVENT_COLOUR, "width": 1.5, "dash": "dot"},
            layer="below",
        )
    figure.add_trace(
        go.Scatter(
            name=EVENTS_TRACE,
            x=[e.occurred_on for e in events],
            y=[top] * len(events),
            xaxis=xref,
            yaxis=yref,
            mode="markers",
            marker={"color": EVENT_COLOUR, "size": 12, "symbol": "triangle-down"},
            cliponaxis=False,
            text=[e.label for e in events],
            customdata=[e.id for e in events],
            hovertext=[event_hover(e) for e in events],
            hovertemplate="%{hovertext}<extra>Event</extra>",
        )
    )


def highest(figure: go.Figure, yaxis: str = "y") -> float | None:
    """Where the event markers sit on a chart whose value axis is autoranged: above the
    highest value drawn on ``yaxis`` by :data:`HEADROOM` of the values' span, so a marker
    never sits on a figure."""
    values = [
        float(y)
        for trace in figure.data
        if (trace.yaxis or "y") == yaxis
        for y in (trace.y or ())
        if isinstance(y, int | float)
    ]
    if not values:
        return None
    top, span = max(values), max(values) - min(values)
    return top + HEADROOM * (span or abs(top) or 1.0)


def with_break(trace: go.Scatter, split: date | None) -> go.Scatter:
    """``trace`` with a gap at ``split`` (a change of definition): a point with no value
    between the last figure before it and the first on or after it, so the line is not
    joined across the change (``connectgaps`` is off). Unchanged without a split."""
    xs = list(trace.x or ())
    if split is None or not xs or xs[0] >= split or xs[-1] < split:
        return trace
    at = next(i for i, x in enumerate(xs) if x >= split)
    trace.x = [*xs[:at], split, *xs[at:]]
    trace.y = [*list(trace.y)[:at], None, *list(trace.y)[at:]]
    if trace.hovertext is not None and not isinstance(trace.hovertext, str):
        hovers = list(trace.hovertext)
        trace.hovertext = [*hovers[:at], "Definition changed", *hovers[at:]]
    symbols = trace.marker.symbol
    if symbols is not None and not isinstance(symbols, str):
        trace.marker.symbol = [*list(symbols)[:at], "circle", *list(symbols)[at:]]
    return trace
