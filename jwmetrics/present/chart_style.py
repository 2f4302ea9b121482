"""What every dashboard chart shares: colours, fonts, layout, axis titles and label text.

The figures themselves are in :mod:`~jwmetrics.present.trend_chart`,
:mod:`~jwmetrics.present.summary_chart` and :mod:`~jwmetrics.present.spc_chart`. Colours come
from the Okabe-Ito colour-blind-safe palette, as the status colours in
:data:`jwmetrics.present.status.STYLES` do. Text put into a figure is escaped: plotly renders
a little HTML (links among it), and names come from catalogue files.
"""

from __future__ import annotations

import calendar
import html
import math
import textwrap
from datetime import date, timedelta
from typing import Any

from jwmetrics import text

CHART_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "filename": "jwmetrics-chart", "scale": 2},
}
"""``config`` for ``st.plotly_chart``: no logo, and the toolbar camera saves a sharp PNG."""

# Okabe-Ito colours for the parts of a trend chart (status colours live in STYLES).
ACTUAL_COLOUR = "#0072B2"  # blue
BASELINE_COLOUR = "#000000"  # black
TARGET_COLOUR = "#D55E00"  # vermillion
TRAJECTORY_COLOUR = "#555555"  # dark grey
# Indigo (Paul Tol's palette): never the reddish purple of the "Missed" status.
FORECAST_COLOUR = "#332288"
INTERVAL_COLOUR = "rgba(51, 34, 136, 0.3)"  # the forecast colour, see-through
# Darker shades for text on white, so labels reach WCAG AA contrast (4.5:1).
TARGET_TEXT = "#A64A00"
FORECAST_TEXT = "#332288"

FONT = "Arial, Helvetica, sans-serif"
HOVER_WIDTH = 60  # characters per line of long hover text (sources, target wording)

AXIS_TITLES = {
    "people": "Number of people",
    "places": "Number of places",
    "percent": "Share (per cent)",
    "GBP": "Amount (£)",
}


def wrap(words: str, width: int = HOVER_WIDTH) -> str:
    """Escape ``words`` for plotly's HTML-like labels and break them into lines of ``width``."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(words, width))


def axis_title(unit: str) -> str:
    """The y-axis title naming the unit: "Number of people", "Share (per cent)", "Amount (£)"."""
    return AXIS_TITLES.get(unit, f"Value ({unit})" if unit else "Value")


def amount_text(
    value: float | None, unit: str, qualifier: str = "exact", marker: str | None = None
) -> str:
    """A value for a label: British formatting, with the unit word for counts ("700 people")."""
    words = text.value(value, unit, qualifier, marker)
    if value is None or unit in ("percent", "GBP", ""):
        return words
    return f"{words} {unit}"


SOURCE_MARGIN = 150  # pixels below the plot: axis title, legend, then the source note
REPORT_SOURCE = "NAO, Joining Up to Improve Public Services (HC 383, 2001-02); partners' returns"
SOURCE_WIDTH = 70  # characters a line: the note fits under the plot area at 800 px too

# The foot of a chart, laid out in pixels so nothing in it overprints anything else at any
# width: the date axis's labels, its title, the legend in fixed columns, then the source note.
MIN_PLOT_WIDTH_PX = 420
"""The narrowest plot area a chart is drawn in (an 800 px window with the sidebar open; at
800 px with it closed the plot is about 660 px, in the pack's A4 page 580): labels, date
ticks and legend columns are laid out to fit it."""
TICK_FONT_PX, LEGEND_FONT_PX, NOTE_FONT_PX = 12, 12, 12
X_TICKS_PX = 24  # the date labels under the plot
X_TITLE_PX = 24  # the axis title under them
LEGEND_ROW_PX, LEGEND_PAD_PX = 21, 10  # plotly's legend: each row, and its padding
LEGEND_ICON_PX = 44  # the symbol and gaps before an entry's words
MIN_PLOT_HEIGHT_PX = 240  # the figure grows rather than squash its plot under a long legend
NOTE_LINE_PX = 16
GAP_PX = 10


def text_width_px(words: str, size_px: float) -> float:
    """A generous estimate of how wide ``words`` is in Arial (or Liberation Sans, which has
    Arial's metrics) at ``size_px``: per-character widths, then 8% to spare."""
    ems = 0.0
    for char in words:
        if char in " .,;:'|!iIjlft()[]-":
            ems += 0.3
        elif char in "mwMW%@":
            ems += 0.9
        elif char.isupper() or char in "£&":
            ems += 0.68
        else:
            ems += 0.56
    return ems * size_px * 1.08


def legend_names(figure: Any) -> list[str]:
    """The names the legend of ``figure`` shows, in order."""
    return [
        str(trace.name)
        for trace in figure.data
        if trace.name and trace.showlegend is not False and trace.visible is not False
    ]


def legend_columns(names: list[str]) -> int:
    """How many columns the legend can have (1 to 4) so that its longest entry fits a column
    of the narrowest plot; rows are then fixed whatever the width."""
    widest = max((text_width_px(n, LEGEND_FONT_PX) + LEGEND_ICON_PX for n in names), default=1)
    return max(1, min(4, int(MIN_PLOT_WIDTH_PX // widest)))


def lay_out_foot(
    figure: Any, source: str, *, x_title: str = "", min_plot_px: int = MIN_PLOT_HEIGHT_PX
) -> None:
    """Put the legend and the source note under the plot, one above the other, never over each
    other or the axis, at any width, on screen, in the HTML pack and on paper.

    The legend gets fixed columns (:func:`legend_columns`, as fractions of the plot width), so
    its number of rows is known; the bottom margin is then the sum of the axis labels, the
    axis title ``x_title`` (if any), the legend and the note, and the title, legend and note
    are placed in pixels under the plot (the title as a note of its own: plotly's own axis
    title moves with the theme's fonts). ``figure`` must have its height and top margin set
    already; it is made taller when the plot would otherwise be under ``min_plot_px`` high.
    """
    names = legend_names(figure)
    columns = legend_columns(names)
    rows = math.ceil(len(names) / columns) if names and figure.layout.showlegend is not False else 0
    note = wrap(source if source.startswith("Source:") else f"Source: {source}", SOURCE_WIDTH)
    lines = note.count("<br>") + 1
    axis_px = X_TICKS_PX + (X_TITLE_PX if x_title else 0)
    legend_px = rows * LEGEND_ROW_PX + LEGEND_PAD_PX if rows else 0
    legend_top = axis_px + GAP_PX
    note_top = legend_top + legend_px + (GAP_PX if rows else 0)
    bottom = note_top + lines * NOTE_LINE_PX + GAP_PX
    top = int(figure.layout.margin.t if figure.layout.margin.t is not None else 90)
    height = max(int(figure.layout.height or 450), top + bottom + min_plot_px)
    plot_px = height - top - bottom
    figure.update_layout(
        height=height,
        margin={"b": bottom},
        showlegend=bool(rows),  # plotly hides a one-entry legend: the rows counted must show
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": -legend_top / plot_px,
            "yanchor": "top",
            "yref": "paper",
            "entrywidth": 1 / columns - 1e-6,
            "entrywidthmode": "fraction",
            "font": {"family": FONT, "size": LEGEND_FONT_PX},
        },
    )
    if x_title:
        figure.update_layout(xaxis_title_text="")
        _below_plot(
            figure, html.escape(x_title), "x axis title", yshift=-X_TICKS_PX, x=0.5,
            xanchor="center", font={"size": TICK_FONT_PX + 1, "color": "#444444"},
        )  # fmt: skip
    _below_plot(
        figure, note, "source", yshift=-note_top, x=0, xanchor="left", align="left",
        font={"size": NOTE_FONT_PX, "color": "#595959"},
    )  # fmt: skip


def _below_plot(
    figure: Any, words: str, name: str, *, yshift: float, font: dict[str, Any], **place: Any
) -> None:
    """A line of text under the plot area, ``yshift`` pixels below its bottom edge (the x
    axis title, the source note): placed in paper coordinates so it keeps to the layout's
    pixel budget at every width."""
    figure.add_annotation(
        text=words, xref="paper", yref="paper", y=0, yanchor="top", yshift=yshift,
        showarrow=False, font={"family": FONT, **font}, name=name, **place,
    )  # fmt: skip


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def date_axis(first: date, last: date, *, min_days: int = 365, pad: float = 0.06) -> dict[str, Any]:
    """A date axis from ``first`` to ``last``, written the British way and never crowded.

    At least ``min_days`` are shown, centred on the figures (one figure is not a blur, and its
    axis is not a fortnight of "Nov 4 2001"); ticks fall on whole months or years, as "2001" or
    "March 2001", few enough to fit the narrowest plot, and none right at an end, where it
    would meet the value axis's labels. Plotly's own thinning is off (the ticks are given).
    """
    span = (last - first).days
    if span < min_days:
        centre = first + timedelta(days=span / 2)
        first, last = centre - timedelta(days=min_days / 2), centre + timedelta(days=min_days / 2)
        span = min_days
    margin = timedelta(days=round(span * pad))
    low, high = first - margin, last + margin
    width = (high - low).days
    months = _month_index(high) - _month_index(low)
    for step in (1, 2, 3, 6, 12, 24, 60, 120, 240):
        yearly = step >= 12
        label_px = text_width_px("2000" if yearly else "September 2000", TICK_FONT_PX) + 16
        if (months / step + 1) * label_px <= MIN_PLOT_WIDTH_PX:
            break
    start = _month_index(low) + 1
    ticks = [
        _month_start(i)
        for i in range(start, _month_index(high) + 1)
        if i % step == 0 and low < _month_start(i) < high
    ]
    # No tick within half a label (and a little) of either end, even on the narrowest plot.
    edge = width * (label_px / 2 + 12) / MIN_PLOT_WIDTH_PX
    ticks = [t for t in ticks if (t - low).days > edge and (high - t).days > edge]
    labels = [
        str(t.year) if step >= 12 else f"{calendar.month_name[t.month]} {t.year}" for t in ticks
    ]
    return {
        "type": "date",
        "range": [low, high],
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": labels,
        "tickangle": 0,
        "tickfont": {"family": FONT, "size": TICK_FONT_PX},
        "automargin": False,
        "showgrid": False,
        "hoverformat": "%-d %B %Y",
    }


def add_source_note(figure: Any, source: str) -> None:
    """Write "Source: …" at the foot of ``figure``, inside it, so its PNG export carries it.

    A plotly annotation below the legend, left-aligned; the bottom margin grows to fit it.
    """
    note = source if source.startswith("Source:") else f"Source: {source}"
    figure.add_annotation(
        text=wrap(note, SOURCE_WIDTH),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-(SOURCE_MARGIN - 45),
        showarrow=False,
        align="left",
        font={"size": 12, "color": "#595959"},
        name="source",
    )
    figure.update_layout(margin={"b": SOURCE_MARGIN})


def base_layout(title: str, subtitle: str = "") -> dict[str, Any]:
    """Layout shared by every figure: title, plain background, legend below the chart."""
    return {
        "title": {
            "text": html.escape(title, quote=False),
            "subtitle": {"text": html.escape(subtitle, quote=False)},
            "x": 0,
            "xanchor": "left",
        },
        "font": {"family": FONT, "size": 14, "color": "#222222"},
        "template": "plotly_white",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "left", "x": 0},
        "margin": {"l": 70, "r": 30, "t": 90, "b": 110},
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "align": "left"},
    }
