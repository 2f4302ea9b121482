"""Value for money across the portfolio: the initiatives grouped by form of joint working
(Figure 1), side by side and never ranked, with the caveats in words."""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import as_of_picker
from dashboard.cache import cached_value
from dashboard.chrome import route_through_app
from dashboard.sections.value import (
    basis_words,
    show_form_groups,
    show_portfolio_table,
)
from jwmetrics.periods import format_date
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.value_chart import portfolio_figure
from jwmetrics.value import CAVEAT

route_through_app()
st.title("Value for money")
st.caption(
    "Recommendation 2 of the report asks departments to weigh the forms of joint working (a "
    "new organisation, a dedicated unit, a formal partnership) by their cost effectiveness. "
    "Here each initiative's spend (Figure 4) is set beside its results: spend per unit of "
    "outcome by financial year, and per unit of change, as on each initiative's page."
)

left, _ = st.columns([1, 3])
with left:
    as_of = as_of_picker("value_as_of")
report = cached_value(None, as_of)

st.subheader("Read these with care")
st.markdown(
    f"- {CAVEAT}\n"
    "- A cost here is spend divided by a count or a share: it says what was spent while an "
    "outcome moved, not what caused it. With one or two figures per measure it is a rough "
    "guide; the report itself makes its comparison “without carrying out a full "
    "evaluation” (paragraph 18).\n"
    "- Forms of joint working are as recorded in the catalogue: the report names British "
    "Trade International a new organisation and Sure Start and Business Link formal "
    "partnerships (paragraph 6); the Rough Sleepers Unit and the Early Years partnerships "
    "are recorded as formal partnerships, our reading of Figure 4, though recommendation 2 "
    "calls the Unit a dedicated single unit.\n"
    "- Spend is as the report states it, planned spend included and marked; spend stated “a "
    "year” without saying which year is shown, but paired with no figure.\n"
    f"- {basis_words(report)}"
)

known = f"as known on {format_date(as_of)}" if as_of else "with everything known now"
st.plotly_chart(portfolio_figure(report, known), config=CHART_CONFIG, key="portfolio_value_chart")
st.caption(
    "Spend is comparable in pounds, so it is what the chart sets side by side; the costs per "
    "unit below are each in their own unit (per person, per place, per percentage point)."
)

show_form_groups(report)

st.subheader("Every initiative and measure")
show_portfolio_table(report, as_of)
