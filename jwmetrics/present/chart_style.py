"""What every dashboard chart shares: colours, fonts, layout, axis titles and label text.

The figures themselves are in :mod:`~jwmetrics.present.trend_chart`,
:mod:`~jwmetrics.present.summary_chart` and :mod:`~jwmetrics.present.spc_chart`. Colours come
from the Okabe-Ito colour-blind-safe palette, as the status colours in
:data:`jwmetrics.present.status.STYLES` do. Text put into a figure is escaped: plotly renders
a little HTML (links among it), and names come from catalogue files.
"""

from __future__ import annotations

import html
import textwrap
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
