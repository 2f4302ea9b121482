"""Value for money in the app: the initiative page's section and the portfolio page's groups.

Thin views over :mod:`jwmetrics.value.for_money` (through ``Metrics.value_for_money``) and
the figures and frames of :mod:`jwmetrics.present.value_chart`. The cached call is
:func:`dashboard.cache.cached_value`, which names the value types for type checking only, so
the overview never imports any of this.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.cache import cached_value
from dashboard.downloads import download
from dashboard.sections.passport import passport_link
from dashboard.tables import show_table
from jwmetrics.periods import format_date
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.value_chart import chart_measure, value_figure
from jwmetrics.present.value_tables import cost_words, portfolio_frame, spend_text, value_frame
from jwmetrics.text import plain
from jwmetrics.value import NOMINAL, InitiativeValue, ValueReport

MONEY_COLUMNS = ("Spend per unit (£)", "Spend per unit of change (£)")
MILLIONS_COLUMNS = ("Spend (£m)", "Spend over the change (£m)")

HOW = (
    "Spend per unit of outcome, by financial year: the initiative's spend lines (Figure 4) "
    "spread to financial years pro rata by days, divided by the measure's figure that year; "
    "and per unit of change: the spend over the days since the figure before (or the "
    "baseline) divided by how far the figure moved. Where a cost cannot be worked out the "
    "table says why."
)
WHY_DIFFERENT = (
    "The report's own figures divide a spend it does not state (“the expenditure on rough "
    "sleeping over these years”, footnote 6); the costs here divide Figure 4's spend lines by "
    "the figures known, so the two differ: docs/value_for_money.md says by how much and why."
)


def basis_words(report: ValueReport) -> str:
    """ "Nominal pounds: no deflator is given in data/" or the real-terms basis."""
    if report.basis == NOMINAL:
        return "Nominal pounds: no GDP deflator is given in `data/`, so nothing is in real terms."
    return (
        f"In {report.basis} where the deflator covers the year ({plain(report.deflator_source)})."
    )


def show_references(item: InitiativeValue) -> None:
    """The report's own cost figures, as it states them: the reference points."""
    if not item.references:
        return
    st.markdown("**The report's own figures** (reference points)")
    st.caption("As the report states them (paragraph 18); costs are in real terms.")
    by_name: dict[str, list[str]] = {}
    for ref in item.references:
        by_name.setdefault(ref.name, []).append(ref.text)
    for name, texts in by_name.items():
        st.markdown(f"- **{plain(name)}:** {plain(' → '.join(texts))}")


def show_value_for_money(slug: str, measure: str, as_of: date | None) -> None:
    """The initiative page's "Value for money" section: chart, table, the report's figures."""
    st.subheader("Value for money")
    report = cached_value(slug, as_of)
    item = report.initiatives[0]
    st.caption(f"{HOW} {basis_words(report)}")
    chosen = chart_measure(item, measure)
    if chosen is None:
        first = next((r.why for r in item.records if r.why), "there is no spend line")
        st.info(f"No cost per unit can be worked out for {plain(item.name)} yet: {plain(first)}")
    else:
        if chosen != measure:
            names = item.measures()
            st.caption(
                f"Drawn for {plain(names[chosen])}: no cost could be worked out for the "
                "measure chosen above."
            )
        known = f"as known on {format_date(as_of)}" if as_of else "with everything known now"
        figure = value_figure(item, chosen, known)
        st.plotly_chart(figure, config=CHART_CONFIG, key="value_chart")
        passport_link(chosen)
    show_references(item)
    if item.references:
        st.caption(WHY_DIFFERENT)
    if not item.records:
        return
    columns = {name: st.column_config.NumberColumn(format="£%,.0f") for name in MONEY_COLUMNS}
    columns |= {name: st.column_config.NumberColumn(format="£%,.1fm") for name in MILLIONS_COLUMNS}
    columns["Why none, or a caveat"] = st.column_config.TextColumn(width="large")
    frame = value_frame(item)
    for number, (name, table) in enumerate(frame.groupby("Measure", sort=False)):
        st.markdown(f"**{plain(name)}**")  # one table a measure: narrow enough to read
        shown = table.drop(columns="Measure")
        show_table(shown, key_columns=("Year",), column_config=columns, key=f"value_table_{number}")
    for record in item.records:  # the caveats of the costs given, out of the wide table
        if record.note:
            st.caption(
                f"**{plain(record.year or '')}, {plain(record.measure_name)}:** "
                f"{plain(record.note)}."
            )
    which, name = {"initiative": slug, "as_of": as_of}, f"jwmetrics-{slug}-value-for-money.csv"
    download(st.container(), "Value for money (CSV)", "value-for-money.csv", which, name)


def show_initiative_card(item: InitiativeValue) -> None:
    """One initiative of a form: its spend, and each measure's latest costs or why none."""
    with st.container(border=True):
        st.markdown(f"**{plain(item.name)}**")
        st.markdown(f"**Spend:** {plain(spend_text(item.spend_by_year()))}")
        for measure, name in item.measures().items():
            records = [r for r in item.records if r.measure == measure]
            latest = ([r for r in records if r.outcome is not None] or records)[-1]
            st.markdown(f"- {plain(name)}: {plain(cost_words(latest))}")
        if item.references:
            stated = "; ".join(f"{r.text}" for r in item.references)
            st.caption(f"The report's own figures (paragraph 18): {plain(stated)}")


def show_form_groups(report: ValueReport) -> None:
    """Each form of joint working with its initiatives side by side, in the report's order."""
    for form, items in report.by_form().items():
        st.subheader(plain(form))
        for start in range(0, len(items), 3):
            row = items[start : start + 3]
            for column, item in zip(st.columns(3), row, strict=False):
                with column:
                    show_initiative_card(item)


def show_portfolio_table(report: ValueReport, as_of: date | None = None) -> None:
    """Every initiative and measure in one table, with a download (as known on ``as_of``)."""
    frame = portfolio_frame(report)
    show_table(frame, key_columns=("Initiative", "Measure"), key="portfolio_value_table")
    name = "jwmetrics-value-for-money.csv"
    download(
        st.container(),
        "Value for money, every initiative (CSV)",
        "value-for-money.csv",
        {"as_of": as_of},
        name,
    )
