"""Plotly figures of a comparison of areas: the funnel plot and the ranked dot plot.

Pure functions of a :class:`~jwmetrics.compare.areas.Comparison`: each returns a ``go.Figure`` so a
page only draws it and tests can read its data. Every area's point carries its area code in
``customdata`` (``customdata[0]``), so a page can click through to the area's series, and a
hover naming the area, its rate and its verdict. Nothing is shown by colour alone: each
verdict has its own marker symbol and legend entry, and the limit lines differ by dash.
Colours are the Okabe-Ito colour-blind-safe palette.
"""

from __future__ import annotations

import html
import math
from typing import Any

import plotly.graph_objects as go

from jwmetrics.compare import funnel
from jwmetrics.compare.summary import number, rate_text
from jwmetrics.compare.types import ComparedArea, Comparison
from jwmetrics.present.chart_style import base_layout

BENCHMARK_COLOUR = "#000000"
LIMIT_COLOUR = "#555555"
ADJUSTED_COLOUR = "#CC79A7"
INTERVAL_COLOUR = "rgba(0, 114, 178, 0.45)"
VERDICT_STYLES: dict[str, tuple[str, str]] = {  # verdict: (colour, marker symbol)
    funnel.ABOVE_998: ("#D55E00", "triangle-up"),
    funnel.ABOVE_95: ("#E69F00", "triangle-up-open"),
    funnel.WITHIN: ("#0072B2", "circle"),
    funnel.BELOW_95: ("#56B4E9", "triangle-down-open"),
    funnel.BELOW_998: ("#009E73", "triangle-down"),
}
VERDICT_LEGEND = {
    funnel.ABOVE_998: "Above the 99.8% limit",
    funnel.ABOVE_95: "Above the 95% limit only",
    funnel.WITHIN: "Within the limits",
    funnel.BELOW_95: "Below the 95% limit only",
    funnel.BELOW_998: "Below the 99.8% limit",
}


def _layout(title: str, subtitle: str) -> dict[str, Any]:
    """The shared chart layout, with the legend lower: a funnel's legend has two rows of
    limits beside the verdicts, and must clear the log axis's title."""
    layout = base_layout(title, subtitle)
    layout["legend"]["y"] = -0.22
    layout["margin"]["b"] = 150
    return layout


def area_hover(row: ComparedArea, unit: str) -> str:
    """An area's hover: name, rate, count and denominator, verdict, its own interval."""
    assert row.rate is not None
    lines = [
        f"<b>{html.escape(row.area_name)}</b> ({html.escape(row.area_code)})",
        rate_text(row.rate, unit),
        f"{number(row.value or 0, 0)} of {number(row.denominator or 0, 0)}",
        f"Verdict: {row.verdict}",
    ]
    if row.ci_lower_95 is not None and row.ci_upper_95 is not None:
        lines.append(
            f"95% interval {number(row.ci_lower_95, 2)} to {number(row.ci_upper_95, 2)} "
            f"({html.escape(row.interval_method)})"
        )
    if row.verdict_adjusted is not None:
        lines.append(f"Allowing for over-dispersion: {row.verdict_adjusted}")
    return "<br>".join(lines)


def _subtitle(comparison: Comparison) -> str:
    benchmark = comparison.benchmark
    against = (
        f"England {rate_text(benchmark.rate, comparison.unit)}"
        if benchmark is not None and benchmark.basis == "England"
        else "pooled rate of the areas"
    )
    return f"{comparison.within_name}, {comparison.period.label}; benchmark {against}"


def _rate_axis(comparison: Comparison) -> str:
    return "Per cent" if comparison.unit == "%" else f"Rate {comparison.unit}"


def _points(comparison: Comparison, x_of: str) -> list[go.Scatter]:
    """One trace per verdict, so each is named in the legend with its own symbol."""
    traces = []
    for verdict, (colour, symbol) in VERDICT_STYLES.items():
        rows = [row for row in comparison.rated if row.verdict == verdict]
        if not rows:
            continue
        rates = [row.rate for row in rows]
        other = [row.denominator if x_of == "denominator" else row.area_name for row in rows]
        x, y = (other, rates) if x_of == "denominator" else (rates, other)
        extra: dict[str, Any] = {}
        if x_of != "denominator":
            extra["error_x"] = {
                "type": "data",
                "symmetric": False,
                "array": [(r.ci_upper_95 or 0) - (r.rate or 0) for r in rows],
                "arrayminus": [(r.rate or 0) - (r.ci_lower_95 or 0) for r in rows],
                "color": INTERVAL_COLOUR,
                "thickness": 2,
                "width": 0,
            }
        traces.append(
            go.Scatter(
                x=x,
                y=y,
                mode="markers",
                name=VERDICT_LEGEND[verdict],
                marker={"color": colour, "symbol": symbol, "size": 9, "line": {"width": 1}},
                customdata=[[row.area_code] for row in rows],
                hovertext=[area_hover(row, comparison.unit) for row in rows],
                hoverinfo="text",
                **extra,
            )
        )
    return traces


def _limit_lines(
    limits: list[funnel.Limits], label: str, colour: str, dashes: tuple[str, str]
) -> list[go.Scatter]:
    lines = []
    x = [point.denominator for point in limits]
    for level, dash, pair in (
        ("95%", dashes[0], ("lower_95", "upper_95")),
        ("99.8%", dashes[1], ("lower_998", "upper_998")),
    ):
        for index, side in enumerate(pair):
            lines.append(
                go.Scatter(
                    x=x,
                    y=[getattr(point, side) for point in limits],
                    mode="lines",
                    name=f"{level} {label}",
                    legendgroup=f"{level} {label}",
                    showlegend=index == 0,
                    line={"color": colour, "width": 1.5, "dash": dash},
                    hoverinfo="skip",
                )
            )
    return lines


def _log_range(comparison: Comparison) -> list[float] | None:
    """The x range (log10) from just below the smallest area's denominator to just above
    the largest, so the limit lines are not drawn far beyond the areas."""
    sizes = [row.denominator for row in comparison.rated if row.denominator]
    if not sizes:
        return None
    return [math.log10(min(sizes)) - 0.1, math.log10(max(sizes)) + 0.1]


def funnel_figure(comparison: Comparison, show_adjusted: bool = False) -> go.Figure:
    """The funnel plot: each area's rate against its denominator (log scale), England's rate
    as a line, and the exact 95% and 99.8% control limits; with ``show_adjusted`` the
    over-dispersion-adjusted limits too, labelled."""
    figure = go.Figure()
    limits = comparison.limits
    if comparison.benchmark is not None and limits:
        figure.add_trace(
            go.Scatter(
                x=[limits[0].denominator, limits[-1].denominator],
                y=[comparison.benchmark.rate] * 2,
                mode="lines",
                name="England" if comparison.benchmark.basis == "England" else "Pooled rate",
                line={"color": BENCHMARK_COLOUR, "width": 2},
                hoverinfo="skip",
            )
        )
        figure.add_traces(_limit_lines(limits, "limits", LIMIT_COLOUR, ("dash", "dot")))
        if show_adjusted and comparison.adjusted_limits:
            adjusted = "limits allowing for over-dispersion"
            lines = _limit_lines(
                comparison.adjusted_limits, adjusted, ADJUSTED_COLOUR, ("dashdot", "longdash")
            )
            figure.add_traces(lines)
    figure.add_traces(_points(comparison, "denominator"))
    layout = _layout(f"{comparison.measure_name}: funnel plot", _subtitle(comparison))
    x_title = "Population (log scale)" if comparison.kind == funnel.POISSON else "Denominator"
    layout["xaxis"] = {"title": {"text": x_title}, "type": "log", "range": _log_range(comparison)}
    layout["yaxis"] = {"title": {"text": _rate_axis(comparison)}, "rangemode": "tozero"}
    figure.update_layout(**layout)
    return figure


def ranked_figure(comparison: Comparison) -> go.Figure:
    """The ranked dot plot: areas from the highest rate down, each with its own 95% interval
    (exact or Byar's for counts, Wilson for shares) and England's rate as a line."""
    figure = go.Figure()
    figure.add_traces(_points(comparison, "area"))
    layout = _layout(f"{comparison.measure_name}: areas ranked", _subtitle(comparison))
    order = [row.area_name for row in reversed(comparison.rated)]  # highest at the top
    layout["yaxis"] = {"categoryorder": "array", "categoryarray": order, "automargin": True}
    layout["xaxis"] = {"title": {"text": _rate_axis(comparison)}, "rangemode": "tozero"}
    layout["height"] = max(400, 220 + 16 * len(order))
    if comparison.benchmark is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": comparison.benchmark.rate,
                "x1": comparison.benchmark.rate,
                "y0": 0,
                "y1": 1,
                "line": {"color": BENCHMARK_COLOUR, "width": 2},
            }
        ]
    figure.update_layout(**layout)
    return figure
