"""Value for money as plotly figures and table frames (pure: pages only draw them).

* :func:`value_figure`: one measure's cost per unit over time. Every cost is drawn as a
  level across the days it covers: spend per unit of outcome across its financial year,
  spend per unit of change across the days of the change, and the report's own cost
  figures (paragraph 18) across their periods, as reference markers. Nothing is told by
  colour alone: each kind has its own marker, dash and legend name, and each point its value.
* :func:`portfolio_figure`: spend by financial year, one panel per form of joint working
  (Figure 1): money is comparable across initiatives, so it is what is set side by side.
* :func:`value_frame` and :func:`portfolio_frame`: the tables under them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from jwmetrics.periods import format_date, format_month, parse_period
from jwmetrics.present import text as fmt
from jwmetrics.present.chart_style import (
    ACTUAL_COLOUR,
    FORECAST_COLOUR,
    REPORT_SOURCE,
    TARGET_COLOUR,
    TARGET_TEXT,
    add_source_note,
    base_layout,
    wrap,
)
from jwmetrics.value_for_money import (
    InitiativeValue,
    ReferencePoint,
    ValueRecord,
    ValueReport,
    change_word,
    unit_word,
)

NO_YEAR = "No year stated"
INITIATIVE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
"""Okabe-Ito colours for the initiatives of the portfolio chart, in the report's order."""


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
        textposition="top center",
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


def value_figure(item: InitiativeValue, measure: str, as_of: date) -> go.Figure:
    """Cost per unit of ``measure`` over time, with the report's cost figures as reference
    markers, a subtitle with the basis and day, and a source note."""
    records = _records(item, measure)
    name = records[0].measure_name if records else measure
    unit = records[0].unit if records else ""
    basis = records[0].basis if records else "nominal"
    subtitle = f"{item.name}; {basis} pounds; as known on {format_date(as_of)}"
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
            )
        )
    figure.update_xaxes(title_text="Period the cost covers", type="date")
    figure.update_yaxes(
        title_text=f"Pounds (£) per {unit_word(unit)}", tickprefix="£", tickformat=",.0f"
    )
    figure.update_yaxes(rangemode="tozero")
    sources = sorted({ref.source for ref in references})
    cited = f" The report's figures: {', '.join(sources)}." if sources else ""
    add_source_note(
        figure,
        f"Source: {REPORT_SOURCE}. Spend: Figure 4, spread to financial years pro rata by "
        f"days ({basis}).{cited}",
    )
    return figure


def _year_order(report: ValueReport) -> list[str]:
    years = {y for item in report.initiatives for y in item.spend_by_year()}
    dated = sorted(y for y in years if y is not None)
    return dated + ([NO_YEAR] if None in years else [])


def portfolio_figure(report: ValueReport) -> go.Figure:
    """Spend by financial year of each initiative, one panel per form of joint working.

    Bars of planned spend are hatched; spend stated "a year" without a year sits at the end
    under "No year stated". The panels share the money axis: spend is comparable in pounds.
    """
    groups = report.by_form()
    forms = list(groups)
    sizes = [max(len(items), 1) for items in groups.values()]
    figure = make_subplots(
        rows=1,
        cols=max(len(forms), 1),
        shared_yaxes=True,
        subplot_titles=[html.escape(form) for form in forms],
        column_widths=[size / sum(sizes) for size in sizes] if sizes else None,
        horizontal_spacing=0.06,
    )
    order = _year_order(report)
    colours = iter(INITIATIVE_COLOURS * 4)
    for column, form in enumerate(forms, start=1):
        for item in groups[form]:
            figure.add_trace(_spend_bar(item, next(colours)), row=1, col=column)
        figure.update_xaxes(categoryorder="array", categoryarray=order, row=1, col=column)
    figure.update_layout(
        base_layout(
            "Spend by financial year, by form of joint working",
            f"{report.basis.capitalize()} pounds; as known on {format_date(report.as_of)}; "
            "hatched bars are planned",
        )
    )
    figure.update_layout(barmode="group", height=520)
    figure.update_yaxes(title_text="Spend (£)", tickprefix="£", tickformat="~s", col=1)
    add_source_note(
        figure,
        f"Source: {REPORT_SOURCE}. Spend as stated in Figure 4, spread to financial years "
        "pro rata by days; forms of joint working: Figure 1 and paragraph 6.",
    )
    return figure


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
        y=values,
        marker={
            "color": colour,
            "pattern": {"shape": ["/" if p else "" for p in planned], "fgcolor": "#FFFFFF"},
            "line": {"color": colour, "width": 1.5},
        },
        text=[html.escape(fmt.money(v)) for v in values],
        textposition="outside",
        cliponaxis=False,
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def value_frame(item: InitiativeValue) -> pd.DataFrame:
    """The initiative's records as a table: one row per measure and year, money in pounds."""
    rows = [
        {
            "Measure": r.measure_name or "No outcome or output measure",
            "Year": r.year or NO_YEAR,
            "Spend (£)": r.spend,
            "Spend is": r.spend_status,
            "Figure": "" if r.outcome is None else _figure_words(r),
            "Spend per unit (£)": r.cost_per_unit,
            "Per": unit_word(r.unit) if r.measure else "",
            "Change": "" if r.change is None else _change_words(r),
            "Spend over the change (£)": r.change_spend,
            "Spend per unit of change (£)": r.cost_per_unit_change,
            "Basis": r.basis,
            "Why none, or a caveat": " ".join(p for p in (r.why, fmt.sentence(r.note)) if p),
        }
        for r in item.records
    ]
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else None)


def _figure_words(record: ValueRecord) -> str:
    amount = fmt.value(record.outcome, record.unit, record.outcome_qualifier)
    return f"{amount} ({record.outcome_period})"


def _change_words(record: ValueRecord) -> str:
    amount = record.change or 0.0
    sign = "+" if amount > 0 else ""
    return f"{sign}{fmt.difference(amount, record.unit)} since {record.change_since}"


def _span_words(record: ValueRecord) -> str:
    if record.change_start is None or record.change_end is None:
        return ""
    span = f"{format_month(record.change_start)} to {format_month(record.change_end)}"
    if record.spend_coverage is not None and record.spend_coverage < 1:
        span += f"; spend stated for {fmt.percent(record.spend_coverage)} of the days"
    return span


def _latest(records: list[ValueRecord]) -> ValueRecord:
    """The newest record with a figure, else the newest."""
    with_figure = [r for r in records if r.outcome is not None]
    return (with_figure or records)[-1]


def portfolio_frame(report: ValueReport) -> pd.DataFrame:
    """One row per initiative and measure, grouped by form of joint working: the latest
    figure and its costs in words (each in its own unit, so a column never ranks them)."""
    rows: list[dict[str, Any]] = []
    for form, items in report.by_form().items():
        for item in items:
            references = "; ".join(f"{r.name}: {r.text}" for r in item.references)
            for measure in dict.fromkeys(r.measure for r in item.records):
                r = _latest([x for x in item.records if x.measure == measure])
                per_change = ""
                if r.cost_per_unit_change is not None:
                    words = change_word(r.unit, r.change or 0)
                    per_change = f"{fmt.money(r.cost_per_unit_change)} per {words}"
                    per_change += f" ({_span_words(r)})"
                cost = r.cost_per_unit
                rows.append(
                    {
                        "Form of joint working": form,
                        "Initiative": item.name,
                        "Measure": r.measure_name or "No outcome or output measure",
                        "Latest figure": _figure_words(r) if r.outcome is not None else "none",
                        "Spend per unit": (
                            "" if cost is None else f"{fmt.money(cost)} per {unit_word(r.unit)}"
                        )
                        + (f" ({r.year})" if cost is not None and r.year else ""),
                        "Spend per unit of change": per_change,
                        "The report's own figures": references,
                        "Why none": r.why or "",
                    }
                )
    return pd.DataFrame(rows)


def spend_text(years: dict[str | None, tuple[float, str, str]]) -> str:
    """ "£66.8m in 1999-00; £66.6m in 2000-01; £650m in 2003-04 (planned)"."""
    parts = []
    for year, (amount, status, _) in years.items():
        when = f"in {year}" if year else "a year (no year stated)"
        parts.append(f"{fmt.money(amount)} {when}" + (" (planned)" if status == "planned" else ""))
    return "; ".join(parts) or "no spend stated"
