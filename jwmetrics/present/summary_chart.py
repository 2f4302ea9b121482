"""The status of a portfolio as a plotly figure: per initiative, how many measures have each
status (pure; the overview page draws it).

Nothing is shown by colour alone: each status is a named trace with its symbol and word, and
the count is written in each segment in black or white, whichever contrasts more.
"""

from __future__ import annotations

import html
import textwrap
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from jwmetrics.assess.words import Status
from jwmetrics.present.chart_style import REPORT_SOURCE, add_source_note, base_layout
from jwmetrics.present.status import STYLES, badge, text_colour

if TYPE_CHECKING:
    from jwmetrics.assess.portfolio import Assessment


def _initiatives(rows: Sequence[Assessment]) -> list[str]:
    """Initiative names in the order the rows first mention them."""
    return list(dict.fromkeys(row.initiative_name for row in rows))


def _wrap_label(words: str, width: int = 28) -> str:
    """A long initiative name broken over lines so the bars keep their width."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(words, width))


def _empty_summary(figure: go.Figure) -> go.Figure:
    """The figure with a "No measures to show" note and no axes: never a blank chart."""
    figure.add_annotation(
        text="No measures to show", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False
    )
    figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=300)
    return figure


def _status_bar(
    status: Status, names: list[str], counts: Counter[tuple[str, str]], slugs: dict[str, str]
) -> go.Bar:
    """One status's segments across the initiatives, in its colour, counts written inside.

    Each segment carries its initiative's id (``customdata``), so a click on it can open
    that initiative.
    """
    style = STYLES[status]
    label = badge(status)
    values = [counts[(name, str(status))] for name in names]
    return go.Bar(
        name=label,
        orientation="h",
        x=values,
        y=names,
        customdata=[slugs[name] for name in names],
        marker={"color": style.colour, "line": {"color": "#FFFFFF", "width": 1.5}},
        text=[str(v) if v else "" for v in values],
        textposition="inside",
        insidetextanchor="middle",
        textfont={"color": text_colour(style.colour), "size": 14},
        hovertemplate=f"%{{y}}<br>{html.escape(label)}: %{{x}}<br>Click to open<extra></extra>",
    )


def status_summary_figure(rows: list[Assessment]) -> go.Figure:
    """Horizontal stacked bars: per initiative, how many measures have each status.

    One trace per status that occurs, in the order of :class:`Status`, named by its label and
    symbol ("✔ On track") and coloured from :data:`STYLES`; the count is written in each
    segment. Initiatives run top to bottom in the order of ``rows``. A source note is
    written at the foot.
    """
    figure = go.Figure(layout=base_layout("Status of measures by initiative"))
    names = _initiatives(rows)
    if not names:
        return _empty_summary(figure)
    counts = Counter((row.initiative_name, row.status) for row in rows)
    slugs = {row.initiative_name: row.initiative for row in rows}
    for status in Status:
        if any(counts[(name, str(status))] for name in names):
            figure.add_trace(_status_bar(status, names, counts, slugs))
    figure.update_layout(
        barmode="stack",
        xaxis={"title": {"text": "Number of measures"}, "dtick": 1, "rangemode": "tozero"},
        yaxis={
            "autorange": "reversed",
            "tickvals": names,
            "ticktext": [_wrap_label(name) for name in names],
            "automargin": True,
        },
        legend={"traceorder": "normal"},
        showlegend=True,  # even with one status: the key names it
        height=max(360, 190 + 60 * len(names)),
        clickmode="event+select",
    )
    add_source_note(figure, f"Source: {REPORT_SOURCE}.")
    return figure
