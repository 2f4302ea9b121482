"""Value for money as plotly figures and table frames (pure: pages only draw them).

* :func:`value_figure`: one measure's cost per unit over time. Every cost is drawn as a
  level across the days it covers: spend per unit of outcome across its financial year,
  spend per unit of change across the days of the change, and the report's own cost
  figures (paragraph 18) across their periods, as reference markers. Nothing is told by
  colour alone: each kind has its own marker, dash and legend name, and each point its value.
* :func:`portfolio_figure`: spend by financial year, one panel per form of joint working
  (Figure 1): money is comparable across initiatives, so it is what is set side by side.
The tables under them are in :mod:`jwmetrics.present.value_tables`.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from jwmetrics import text as fmt
from jwmetrics.periods import parse_period
from jwmetrics.present.chart_style import (
    ACTUAL_COLOUR,
    FORECAST_COLOUR,
    REPORT_SOURCE,
    SOURCE_MARGIN,
    TARGET_COLOUR,
    TARGET_TEXT,
    add_source_note,
    base_layout,
    wrap,
)
from jwmetrics.present.value_tables import NO_YEAR
from jwmetrics.value.for_money import (
    InitiativeValue,
    ReferencePoint,
    ValueRecord,
    ValueReport,
    change_word,
    unit_word,
)


def comparable_references(item: InitiativeValue, unit: str) -> list[ReferencePoint]:
    """The report's cost figures that can sit on a chart of a measure in ``unit``.

    The report's costs are per person or per place; beside a share (per cent) they would
    compare pounds per place with pounds per percentage point, so they are left off there.
    """
    return [] if unit == "percent" else list(item.references)


def _records(item: InitiativeValue, measure: str) -> list[ValueRecord]:
    return [r for r in item.records if r.measure == measure]


def has_costs(item: InitiativeValue, measure: str) -> bool:
    """True when some record of ``measure`` has a cost per unit or per unit of change."""
    return any(
        r.cost_per_unit is not None or r.cost_per_unit_change is not None
        for r in _records(item, measure)
    )


def chart_measure(item: InitiativeValue, wanted: str) -> str | None:
    """The measure to chart: ``wanted`` if it has a cost, else the first that has one."""
    if has_costs(item, wanted):
        return wanted
    return next((m for m in item.measures() if has_costs(item, m)), None)


def _level_trace(
    name: str,
    spans: Sequence[tuple[date, date, float, str]],
    colour: str,
    dash: str,
    symbol: str,
    text_colour: str,
    label_at: str | list[str] = "top center",
) -> list[go.Scatter]:
    """Levels across their spans (a line) with a labelled marker at each span's middle."""
    xs: list[date | None] = []
    ys: list[float | None] = []
    for start, end, value, _ in spans:
        xs += [start, end, None]
        ys += [value, value, None]
    line = go.Scatter(
        name=name,
        legendgroup=name,
        x=xs,
        y=ys,
        mode="lines",
        line={"color": colour, "width": 3, "dash": dash},
        hoverinfo="skip",
    )
    middles = [start + (end - start) / 2 for start, end, _, _ in spans]
    marks = go.Scatter(
        name=name,
        legendgroup=name,
        showlegend=False,
        x=middles,
        y=[value for _, _, value, _ in spans],
        mode="markers+text",
        marker={"color": colour, "size": 12, "symbol": symbol},
        text=[html.escape(fmt.money(value)) for _, _, value, _ in spans],
        textposition=label_at,
        textfont={"color": text_colour},
        cliponaxis=False,
        hovertext=[hover for _, _, _, hover in spans],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    return [line, marks]


def _unit_spans(records: list[ValueRecord]) -> list[tuple[date, date, float, str]]:
    spans = []
    for r in records:
        if r.cost_per_unit is None or r.year is None:
            continue
        year = parse_period(r.year)
        figure = fmt.value(r.outcome, r.unit, r.outcome_qualifier)
        hover = (
            f"<b>{html.escape(r.year)}: {html.escape(fmt.money(r.cost_per_unit))} per "
            f"{html.escape(unit_word(r.unit))}</b><br>"
            + wrap(f"Spend {fmt.money(r.spend or 0)} ÷ {figure} ({r.outcome_period}); {r.basis}")
        )
        spans.append((year.start, year.end, r.cost_per_unit, hover))
    return spans


def _change_spans(records: list[ValueRecord]) -> list[tuple[date, date, float, str]]:
    spans = []
    for r in records:
        if r.cost_per_unit_change is None or r.change_start is None or r.change_end is None:
            continue
        words = f"{fmt.money(r.cost_per_unit_change)} per {change_word(r.unit, r.change or 0)}"
        detail = (
            f"Spend {fmt.money(r.change_spend or 0)} ÷ a change of "
            f"{fmt.difference(abs(r.change or 0), r.unit)} since {r.change_since}; {r.basis}."
        )
        note = f" {fmt.sentence(r.note)}." if r.note else ""
        hover = f"<b>{html.escape(words)}</b><br>{wrap(detail + note)}"
        spans.append((r.change_start, r.change_end, r.cost_per_unit_change, hover))
    return spans


def _reference_spans(references: list[ReferencePoint]) -> list[tuple[date, date, float, str]]:
    spans = []
    for ref in references:
        words = f"The report: {ref.text}"
        hover = (
            f"<b>{html.escape(words)}</b><br>{wrap(ref.name)}<br>{wrap('Source: ' + ref.source)}"
        )
        if ref.note:
            hover += "<br>" + wrap(ref.note)
        spans.append((ref.period.start, ref.period.end, ref.value, hover))
    return spans


def _reference_labels(spans: Sequence[tuple[date, date, float, str]]) -> list[str]:
    """Where each reference's label goes: below its marker, away from the costs worked out
    (drawn above); two at the same date (£650 and £640) to its left and its right."""
    middles = [start + (end - start) / 2 for start, end, _, _ in spans]
    places = []
    for index, middle in enumerate(middles):
        shared = middles.count(middle) > 1
        first = middles.index(middle) == index
        places.append(("middle left" if first else "middle right") if shared else "bottom center")
    return places


def value_figure(item: InitiativeValue, measure: str, known: str) -> go.Figure:
    """Cost per unit of ``measure`` over time, with the report's cost figures as reference
    markers, a subtitle with the basis and ``known`` ("as known on 7 December 2001"), and a
    source note."""
    records = _records(item, measure)
    name = records[0].measure_name if records else measure
    unit = records[0].unit if records else ""
    basis = records[0].basis if records else "nominal"
    subtitle = f"{item.name}; {basis} pounds; {known}"
    figure = go.Figure(layout=base_layout(f"Cost per unit of outcome: {name}", subtitle))
    traces = [
        ("Spend per unit of outcome (that year)", _unit_spans(records), ACTUAL_COLOUR, "solid"),
        (
            "Spend per unit of change (over its days)",
            _change_spans(records),
            FORECAST_COLOUR,
            "dot",
        ),
    ]
    for (label, spans, colour, dash), symbol in zip(traces, ("circle", "square"), strict=True):
        if spans:
            figure.add_traces(_level_trace(label, spans, colour, dash, symbol, colour))
    references = comparable_references(item, unit)
    if references:
        spans = _reference_spans(references)
        figure.add_traces(
            _level_trace(
                "The report's figure (paragraph 18)",
                spans,
                TARGET_COLOUR,
                "dash",
                "diamond",
                TARGET_TEXT,
                label_at=_reference_labels(spans),
            )
        )
    figure.update_xaxes(type="date")
    figure.update_yaxes(
        title_text=f"Pounds (£) per {unit_word(unit)}", tickprefix="£", tickformat=",.0f"
    )
    figure.update_yaxes(rangemode="tozero")
    cited = " The report's own costs: paragraph 18 (each cited in its hover)." if references else ""
    add_source_note(
        figure,
        f"Source: {REPORT_SOURCE}. Spend: Figure 4, spread to financial years pro rata by "
        f"days ({basis}).{cited}",
    )
    figure.update_layout(margin={"b": SOURCE_MARGIN + 30})  # room for a third line of note
    return figure


def _year_order(items: Sequence[InitiativeValue]) -> list[str]:
    """The financial years ``items`` have spend in, in order, then "No year stated"."""
    years = {y for item in items for y in item.spend_by_year()}
    dated = sorted(y for y in years if y is not None)
    return dated + ([NO_YEAR] if None in years else [])


FORM_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
"""Okabe-Ito colours, one per form of joint working, in the order the forms first appear."""


def portfolio_figure(report: ValueReport, known: str) -> go.Figure:
    """Spend by financial year: one small panel per initiative, the panels of one form of
    joint working together under its name and in its colour, in the report's order.

    Bars of planned spend are hatched; spend stated "a year" without a year is a bar marked
    "No year stated". The panels share the money axis: spend is comparable in pounds.
    ``known`` says when ("as known on 7 December 2001").
    """
    groups = report.by_form()
    items = [(form, item) for form, members in groups.items() for item in members]
    widths = [max(len(item.spend_by_year()), 1.6) for _, item in items] or [1.0]  # room for titles
    figure = make_subplots(
        rows=1,
        cols=len(widths),
        shared_yaxes=True,
        subplot_titles=["<br>".join(textwrap.wrap(html.escape(i.name), 24)) for _, i in items],
        column_widths=[width / sum(widths) for width in widths],
        horizontal_spacing=0.03,
    )
    colour_of = dict(zip(groups, FORM_COLOURS * 4, strict=False))
    for column, (form, item) in enumerate(items, start=1):
        figure.add_trace(_spend_bar(item, colour_of[form]), row=1, col=column)
        order = _year_order([item])
        figure.update_xaxes(type="category", categoryarray=order, row=1, col=column)
    top = max((v[0] for _, i in items for v in i.spend_by_year().values()), default=0.0)
    figure.update_layout(
        base_layout(
            "Spend by financial year, by form of joint working",
            f"{report.basis.capitalize()} pounds; {known}; hatched bars are planned",
        )
    )
    figure.update_layout(height=600, showlegend=False, margin={"t": 200})
    figure.update_layout(title={"y": 0.98, "yref": "container", "yanchor": "top"})
    figure.update_annotations(font={"size": 13})  # the initiatives' names over the panels
    figure.update_yaxes(
        title_text="Spend (£ million)",
        tickprefix="£",
        ticksuffix="m",
        col=1,
    )
    figure.update_yaxes(range=[0, top / 1e6 * 1.18])  # room for the labels over the bars
    _form_labels(figure, groups, colour_of)
    add_source_note(
        figure,
        f"Source: {REPORT_SOURCE}. Spend as stated in Figure 4, spread to financial years "
        "pro rata by days; forms of joint working: Figure 1 and paragraph 6.",
    )
    figure.update_annotations(selector={"name": "source"}, yshift=-50)  # no legend above it
    return figure


def _form_labels(
    figure: go.Figure,
    groups: dict[str, list[InitiativeValue]],
    colour_of: dict[str, str],
) -> None:
    """Each form's name over its panels, in its colour."""
    column = 0
    for form, members in groups.items():
        first = figure.layout[_axis_name(column + 1)].domain[0]
        last = figure.layout[_axis_name(column + len(members))].domain[1]
        column += len(members)
        figure.add_annotation(
            text=f"<b>{html.escape(form)}</b>",
            xref="paper",
            yref="paper",
            x=(first + last) / 2,
            xanchor="center",  # plotly's "auto" anchors a label near the right edge at its end
            y=1.0,
            yshift=78,
            showarrow=False,
            font={"color": _text_colour(colour_of[form]), "size": 15},
        )


def _axis_name(column: int) -> str:
    return "xaxis" if column == 1 else f"xaxis{column}"


def _text_colour(colour: str) -> str:
    """A darker shade for text (orange on white is too faint to read)."""
    return {"#E69F00": "#8A5A00"}.get(colour, colour)


def _spend_bar(item: InitiativeValue, colour: str) -> go.Bar:
    spend = item.spend_by_year()
    years = list(spend)
    labels = [year or NO_YEAR for year in years]
    values = [spend[year][0] for year in years]
    planned = [spend[year][1] == "planned" for year in years]
    hover = [
        f"<b>{html.escape(item.name)}</b><br>{html.escape(label)}: "
        f"{html.escape(fmt.money(value))}{' (planned)' if plan else ''}"
        + ("<br>stated as a year's spend, year not given" if label == NO_YEAR else "")
        for label, value, plan in zip(labels, values, planned, strict=True)
    ]
    return go.Bar(
        name=html.escape(item.name),
        x=labels,
        y=[value / 1e6 for value in values],  # in £ million, as the axis says
        marker={
            "color": colour,
            "pattern": {"shape": ["/" if p else "" for p in planned], "fgcolor": "#FFFFFF"},
            "line": {"color": colour, "width": 1.5},
        },
        text=[html.escape(fmt.money(v)) for v in values],
        textposition="outside",
        textfont={"size": 12},
        constraintext="none",
        cliponaxis=False,
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )
