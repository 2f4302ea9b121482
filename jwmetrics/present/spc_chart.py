"""The XmR chart of an :class:`~jwmetrics.spc.xmr.SpcResult` as a plotly figure (pure).

Drawn as NHS "Making Data Count" draws it: the values as a grey line with markers, the mean
solid and the process limits dashed, both stepped at each change point; special-cause
points in orange (concerning) or blue (improving). Nothing relies on colour alone: the two
kinds of special cause also differ in marker shape and have their own legend entries, and
the variation and assurance are written out in the subtitle. Colours are Okabe-Ito, the
layout and fonts those of :mod:`jwmetrics.present.chart_style`; the legend and the source
note sit one under the other at every width (:func:`~jwmetrics.present.chart_style.lay_out_foot`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from jwmetrics.present.chart_style import (
    TARGET_COLOUR,
    TRAJECTORY_COLOUR,
    amount_text,
    axis_title,
    base_layout,
    date_axis,
    lay_out_foot,
    wrap,
)
from jwmetrics.present.event_marks import add_event_marks, highest, in_range
from jwmetrics.spc.rules import RULE_LABELS

if TYPE_CHECKING:
    from jwmetrics.events import EventView
    from jwmetrics.spc.xmr import SpcPointResult, SpcResult

VALUE_COLOUR = TRAJECTORY_COLOUR  # dark grey, as Making Data Count's common-cause dots
MEAN_COLOUR = "#000000"
LIMIT_COLOUR = "#555555"
IMPROVING_COLOUR = "#0072B2"  # Okabe-Ito blue
CONCERNING_COLOUR = "#E69F00"  # Okabe-Ito orange
IMPROVING_NAME = "Special cause: improving"
CONCERNING_NAME = "Special cause: concerning"
IMPROVING_SYMBOL = "diamond"
CONCERNING_SYMBOL = "square"


def _hover(point: SpcPointResult, unit: str) -> str:
    """Hover text of one point: period, value, and the rules that flagged it."""
    lines = [
        f"<b>{html.escape(point.period_label)}</b>",
        html.escape(amount_text(point.value, unit)),
    ]
    if point.rules:
        lines.append(f"Special cause ({html.escape(point.signal or '')}):")
        lines.extend(html.escape(RULE_LABELS[rule]) for rule in point.rules)
    else:
        lines.append("Common cause")
    return "<br>".join(lines)


def _stepped(result: SpcResult, which: str) -> tuple[list[date | None], list[float | None]]:
    """x and y of a per-segment line (``mean``, ``lower_shown`` or ``upper_shown``: the
    limits within the natural range), with a gap between segments so each is a flat step
    over its own points."""
    xs: list[date | None] = []
    ys: list[float | None] = []
    for segment in result.segments:
        if xs:
            xs.append(None)
            ys.append(None)
        level = getattr(segment, which)
        xs += [result.points[segment.start].period_end, result.points[segment.stop - 1].period_end]
        ys += [level, level]
    return xs, ys


def _line(result: SpcResult, which: str, name: str, dash: str, colour: str) -> go.Scatter:
    """A stepped statistic of the chart as a line trace."""
    xs, ys = _stepped(result, which)
    return go.Scatter(
        name=name,
        x=xs,
        y=ys,
        mode="lines",
        line={"color": colour, "width": 2, "dash": dash},
        connectgaps=False,
        hovertemplate=f"{name}: %{{y:,.4~g}}<extra></extra>",
    )


def _special_trace(result: SpcResult, signal: str, unit: str) -> go.Scatter | None:
    """Markers over the special-cause points of one kind (None when there are none)."""
    chosen = [p for p in result.points if p.signal == signal]
    if not chosen:
        return None
    improving = signal == "improving"
    colour = IMPROVING_COLOUR if improving else CONCERNING_COLOUR
    return go.Scatter(
        name=IMPROVING_NAME if improving else CONCERNING_NAME,
        x=[p.period_end for p in chosen],
        y=[p.value for p in chosen],
        mode="markers",
        marker={
            "color": colour,
            "size": 13,
            "symbol": IMPROVING_SYMBOL if improving else CONCERNING_SYMBOL,
            "line": {"color": "#000000", "width": 1},
        },
        hovertext=[_hover(p, unit) for p in chosen],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _target_trace(result: SpcResult, target: float, unit: str) -> go.Scatter:
    """The target as a dotted level line across the charted period."""
    first, last = result.points[0].period_end, result.points[-1].period_end
    return go.Scatter(
        name="Target",
        x=[first, last],
        y=[target, target],
        mode="lines",
        line={"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
        hovertemplate=f"Target: {html.escape(amount_text(target, unit))}<extra></extra>",
    )


SUBTITLE_WIDTH = 64  # characters a line: the subtitle fits the narrowest chart too


def _subtitle(result: SpcResult) -> list[str]:
    """The chart in words for the subtitle, as lines of plotly HTML (each escaped and
    wrapped; never raw tags on screen): the summary (the latest point's variation and how
    many points are special causes) and the assurance, then in italics, on lines of their
    own, any limit cut to the natural range and the warning."""
    parts = [result.summary if result.charted else "No SPC chart."]
    parts.append(f"Assurance: {result.assurance}." if result.assurance else "No target.")
    lines = wrap(" ".join(parts), SUBTITLE_WIDTH).split("<br>")
    for cause in result.causes:  # each change point's cause, a line each (docs/events.md)
        said = f"Limits restart {cause}"
        short = said if len(said) <= SUBTITLE_WIDTH else said[: SUBTITLE_WIDTH - 1] + "…"
        lines.append(html.escape(short))
    for note in (result.limit_note, result.warning):
        if note:
            told = note[:1].upper() + note[1:]
            lines += [f"<i>{line}</i>" for line in wrap(told, SUBTITLE_WIDTH).split("<br>")]
    return lines


def spc_figure(
    result: SpcResult,
    unit: str,
    title: str,
    source: str = "",
    events: Sequence[EventView] = (),
) -> go.Figure:
    """The XmR chart of ``result``; ``unit`` names the y axis and formats hover values;
    ``source`` is written under the legend ("Source: ..."), when given; ``events`` on the
    date axis are drawn as dotted lines with a marker at the top, and the subtitle says each
    change point's cause."""
    lines = _subtitle(result)
    # base_layout escapes its subtitle; this one is already HTML (line breaks, italics)
    subtitle = "<br>".join(lines)
    figure = go.Figure(layout=base_layout(title))
    figure.update_layout(
        title_subtitle_text=subtitle,
        margin={"t": 78 + 18 * len(lines)},  # room for every line above the plot
        yaxis={
            "title": {"text": axis_title(unit)},
            "rangemode": "normal",
            "separatethousands": True,
            "exponentformat": "none",
        },
        height=482 + 18 * len(lines),  # the plot keeps its height however long the words
    )
    if not result.points:
        return figure
    days = [p.period_end for p in result.points]
    figure.update_layout(xaxis=date_axis(min(days), max(days)))
    figure.add_trace(
        go.Scatter(
            name="Value",
            x=[p.period_end for p in result.points],
            y=[p.value for p in result.points],
            mode="lines+markers",
            line={"color": VALUE_COLOUR, "width": 2},
            marker={"color": VALUE_COLOUR, "size": 8, "symbol": "circle"},
            hovertext=[_hover(p, unit) for p in result.points],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    if result.charted:
        figure.add_trace(_line(result, "mean", "Mean", "solid", MEAN_COLOUR))
        figure.add_trace(_line(result, "upper_shown", "Upper process limit", "dash", LIMIT_COLOUR))
        figure.add_trace(_line(result, "lower_shown", "Lower process limit", "dash", LIMIT_COLOUR))
    if result.target is not None:
        figure.add_trace(_target_trace(result, result.target, unit))
    for signal in ("improving", "concerning"):
        trace = _special_trace(result, signal, unit)
        if trace is not None:
            figure.add_trace(trace)
    top = highest(figure)
    if top is not None:
        add_event_marks(figure, in_range(events, *figure.layout.xaxis.range), top)
    if source:
        lay_out_foot(figure, source, x_title="Period ending")
    else:
        figure.update_layout(xaxis_title_text="Period ending")
    return figure
