"""Plotly figures of a comparison of areas: the funnel plot and the ranked dot plot.

Pure functions of a :class:`~jwmetrics.compare.areas.Comparison`: each returns a ``go.Figure`` so a
page only draws it and tests can read its data. Every area's point carries its area code in
``customdata`` (``customdata[0]``), so a page can click through to the area's series, and a
hover naming the area, its rate and both verdicts. Points are marked by the verdict in use
(allowing for over-dispersion when the areas are over-dispersed). Nothing is shown by colour
alone: each verdict has its own marker symbol and legend entry, and the limit lines differ
by dash. Colours are the Okabe-Ito colour-blind-safe palette.

One extreme area must not squash the rest: the funnel's rate axis stops a little above the
bulk of the areas (:func:`rate_ceiling`) and an area beyond it is drawn at the top edge,
labelled with its name and rate. The ranked dot plot is drawn a page of areas at a time
(:func:`ranked_pages`: the highest first, then the lowest, then the rest in rank order).
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
        f"Verdict: {row.verdict} ({row.verdict_basis or 'plain limits'})",
    ]
    if row.ci_lower_95 is not None and row.ci_upper_95 is not None:
        lines.append(
            f"95% interval {number(row.ci_lower_95, 2)} to {number(row.ci_upper_95, 2)} "
            f"({html.escape(row.interval_method)})"
        )
    if row.verdict_plain and row.verdict_basis != "plain limits":
        lines.append(f"Against the plain limits: {row.verdict_plain}")
    elif row.verdict_adjusted is not None:
        lines.append(f"Allowing for over-dispersion: {row.verdict_adjusted}")
    return "<br>".join(lines)


def _subtitle(comparison: Comparison) -> str:
    benchmark = comparison.benchmark
    against = (
        f"England {rate_text(benchmark.rate, comparison.unit)}"
        if benchmark is not None and benchmark.basis == "England"
        else "pooled rate of the areas"
    )
    return (
        f"{comparison.within_name}, {comparison.period.label}; benchmark {against}; "
        f"points marked by the verdict {comparison.verdict_basis}"
    )


def _rate_axis(comparison: Comparison) -> str:
    return "Per cent" if comparison.unit == "%" else f"Rate {comparison.unit}"


def rate_ceiling(comparison: Comparison) -> float | None:
    """The top of the funnel's rate axis when one or two extreme areas would squash the rest
    (None: every area fits). A little above the bulk: 1.4 times the rate of the area at
    the 97.5th percentile, and at least 3 times the benchmark."""
    rates = sorted((row.rate for row in comparison.rated if row.rate is not None), reverse=True)
    if len(rates) < 10:
        return None
    benchmark = comparison.benchmark.rate if comparison.benchmark is not None else 0.0
    top = max(1.4 * rates[math.ceil(0.025 * len(rates))], 3.0 * benchmark)
    if comparison.unit == "%":
        top = min(top, 100.0)
    return top if rates[0] > 1.2 * top else None


def _points(
    comparison: Comparison, x_of: str, rows: list[ComparedArea] | None = None
) -> list[go.Scatter]:
    """One trace per verdict in use, so each is named in the legend with its own symbol.
    On the funnel, an area above :func:`rate_ceiling` is drawn at the ceiling."""
    traces = []
    chosen = comparison.rated if rows is None else rows
    ceiling = rate_ceiling(comparison) if x_of == "denominator" else None
    for verdict, (colour, symbol) in VERDICT_STYLES.items():
        group = [row for row in chosen if row.verdict == verdict]
        if not group:
            continue
        rates = [row.rate or 0.0 for row in group]
        extra: dict[str, Any] = {}
        if x_of == "denominator":
            x: list[Any] = [row.denominator for row in group]
            y: list[Any] = [min(rate, ceiling) if ceiling else rate for rate in rates]
            marker_symbol: Any = [
                "arrow-bar-up" if ceiling and rate > ceiling else symbol for rate in rates
            ]
        else:
            edge = _ranked_edge(comparison, chosen)
            x = [min(rate, edge) if edge else rate for rate in rates]
            y = [ranked_label(row, comparison.unit) for row in group]
            marker_symbol = [
                "arrow-bar-right" if edge and rate > edge else symbol for rate in rates
            ]
            tops = [min(r.ci_upper_95 or 0, edge) if edge else r.ci_upper_95 or 0 for r in group]
            extra["error_x"] = {
                "type": "data",
                "symmetric": False,
                "array": [max(0.0, top - at) for top, at in zip(tops, x, strict=True)],
                "arrayminus": [
                    max(0.0, at - (r.ci_lower_95 or 0)) for r, at in zip(group, x, strict=True)
                ],
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
                marker={"color": colour, "symbol": marker_symbol, "size": 9, "line": {"width": 1}},
                customdata=[[row.area_code] for row in group],
                hovertext=[area_hover(row, comparison.unit) for row in group],
                hoverinfo="text",
                **extra,
            )
        )
    return traces


def _ceiling_labels(comparison: Comparison, ceiling: float) -> list[dict[str, Any]]:
    """An annotation for each area drawn at the ceiling: its name and real rate."""
    beyond = [row for row in comparison.rated if (row.rate or 0.0) > ceiling]
    low, high = _log_range(comparison) or [0.0, 1.0]
    notes = []
    for index, row in enumerate(beyond):
        place = (math.log10(row.denominator or 1.0) - low) / ((high - low) or 1.0)
        right = place < 0.6  # the label on the roomier side, with a line to its point
        notes.append(
            {
                "x": math.log10(row.denominator or 1.0),
                "y": ceiling,
                "xref": "x",
                "yref": "y",
                "text": f"{html.escape(row.area_name)}: "
                f"{number(row.rate or 0.0, 1 if comparison.unit == '%' else 2)} (off the scale)",
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1,
                "arrowcolor": "#555555",
                "standoff": 6,
                "ax": 30 if right else -30,
                "ay": 18 + 18 * index,
                "xanchor": "left" if right else "right",
                "font": {"size": 12, "color": "#222222"},
                "bgcolor": "rgba(255, 255, 255, 0.8)",
            }
        )
    return notes


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


def log_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Tick values 1, 2 and 5 times a power of ten between 10**low and 10**high, written in
    full ("20,000", "1,000,000"): a log axis otherwise labels every minor tick."""
    values = [
        step * 10.0**power
        for power in range(math.floor(low), math.ceil(high) + 1)
        for step in (1, 2, 5)
        if low <= math.log10(step * 10.0**power) <= high
    ]
    if len(values) > 10:  # a wide range: the powers of ten only
        values = [v for v in values if math.log10(v).is_integer()]
    return values, [f"{v:,.0f}" for v in values]


def funnel_figure(comparison: Comparison, show_adjusted: bool | None = None) -> go.Figure:
    """The funnel plot: each area's rate against its denominator (log scale), England's rate
    as a line, and the exact 95% and 99.8% control limits; with ``show_adjusted`` (by
    default when that verdict is in use) the over-dispersion-adjusted limits too, labelled.
    Areas above :func:`rate_ceiling` are drawn at the top edge with their rate written."""
    if show_adjusted is None:
        show_adjusted = comparison.verdict_basis == funnel.ADJUSTED
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
    x_range = _log_range(comparison)
    layout["xaxis"] = {"title": {"text": x_title}, "type": "log", "range": x_range}
    if x_range is not None:
        values, labels = log_ticks(*x_range)
        layout["xaxis"].update(tickvals=values, ticktext=labels)
    layout["yaxis"] = {"title": {"text": _rate_axis(comparison)}, "rangemode": "tozero"}
    ceiling = rate_ceiling(comparison)
    if ceiling is not None:
        layout["yaxis"]["range"] = [0, ceiling * 1.04]
        layout["annotations"] = _ceiling_labels(comparison, ceiling)
    layout["height"] = 600
    figure.update_layout(**layout)
    return figure


PAGE_SIZE = 20


def ranked_label(row: ComparedArea, unit: str = "") -> str:
    """An area's name with its rate and verdict beside it, as the ranked chart's row label:
    "Westminster: 127.43 (above 99.8%)"."""
    rate = "" if row.rate is None else f": {number(row.rate, 1 if unit == '%' else 2)}"
    return f"{row.area_name}{rate} ({row.verdict})"


def _ranked_edge(comparison: Comparison, rows: list[ComparedArea]) -> float | None:
    """The right edge of a ranked page when an extreme area would squash the rest (None:
    all fit): a little beyond the widest interval of the areas under the funnel's ceiling.
    An area beyond it is drawn at the edge, its rate in its label."""
    ceiling = rate_ceiling(comparison)
    if ceiling is None or not any((row.rate or 0.0) > ceiling for row in rows):
        return None
    inside = [row.ci_upper_95 or row.rate or 0.0 for row in rows if (row.rate or 0.0) <= ceiling]
    return 1.1 * max([*inside, ceiling])


def ranked_pages(comparison: Comparison, size: int = PAGE_SIZE) -> dict[str, list[ComparedArea]]:
    """The ranked areas a page at a time: the highest ``size`` first, then the lowest, then
    the ranks between in order; each page's label says which ranks it holds."""
    rated = comparison.rated
    if len(rated) <= size:
        return {f"All {len(rated)} areas": rated}
    total = len(rated)
    pages = {f"Highest {size} rates (ranks 1 to {size})": rated[:size]}
    bottom = max(size, total - size)
    pages[f"Lowest {total - bottom} rates (ranks {bottom + 1} to {total})"] = rated[bottom:]
    for start in range(size, bottom, size):
        stop = min(start + size, bottom)
        pages[f"Ranks {start + 1} to {stop}"] = rated[start:stop]
    return pages


def ranked_figure(comparison: Comparison, rows: list[ComparedArea] | None = None) -> go.Figure:
    """The ranked dot plot of ``rows`` (by default the first page of :func:`ranked_pages`):
    areas from the highest rate down, each with its own 95% interval (exact or Byar's for
    counts, Wilson for shares), its verdict beside its name, and England's rate as a line."""
    if rows is None:
        rows = next(iter(ranked_pages(comparison).values()), [])
    figure = go.Figure()
    figure.add_traces(_points(comparison, "area", rows))
    layout = _layout(f"{comparison.measure_name}: areas ranked", _subtitle(comparison))
    order = [ranked_label(row, comparison.unit) for row in reversed(rows)]  # highest on top
    layout["yaxis"] = {"categoryorder": "array", "categoryarray": order, "automargin": True}
    layout["xaxis"] = {
        "title": {"text": f"{_rate_axis(comparison)}, with each area's 95% interval"},
        "rangemode": "tozero",
        "side": "bottom",
    }
    edge = _ranked_edge(comparison, rows)
    if edge is not None:
        layout["xaxis"]["range"] = [0, edge * 1.02]
        layout["xaxis"]["title"]["text"] += (
            "<br>▶ at the edge: off the scale (its rate is in its label)"
        )
    layout["height"] = max(420, 300 + 24 * len(order))
    layout["legend"]["y"] = -120 / layout["height"] - 0.02
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
