"""The initiative page's fair comparison of areas: a funnel plot, a ranked view, the table.

Drawn for the chosen measure when its areas can be compared (a count with a population, or
a share with its denominator); otherwise it says why not. Clicking an area's point opens that
area's series above (the same session key the area table uses).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.cache import cached_comparable_periods, cached_comparison
from dashboard.tables import show_table
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.compare_charts import funnel_figure, ranked_figure
from jwmetrics.present.comparison_table import comparison_frame
from jwmetrics.present.files import to_csv_bytes
from jwmetrics.problems import InputError
from jwmetrics.text import plain

FUNNEL_KEY = "compare_funnel"


def open_clicked_area() -> None:
    """A point of the funnel plot clicked: show that area's series (code in customdata)."""
    points = st.session_state[FUNNEL_KEY].selection.points
    codes = [p["customdata"][0] for p in points if p.get("customdata")]
    if codes:
        st.session_state["pick_area"] = codes[0]


def show_comparison(measure: str, measure_name: str, as_of: date | None) -> None:
    """The comparison section, or a sentence saying why this measure has none."""
    st.subheader(f"{plain(measure_name)}: areas compared fairly")
    try:
        periods = cached_comparable_periods(measure, as_of)
    except InputError as exc:
        st.caption(f"Areas are not compared for this measure: {plain(exc.problems[0].message)}")
        return
    if not periods:
        st.caption("No area has a figure for this measure yet, so there is nothing to compare.")
        return
    comparison = cached_comparison(measure, None, as_of)  # the newest period with rates
    default = comparison.period.label
    index = periods.index(default) if default in periods else 0
    period = st.selectbox("Period to compare", periods, index=index, key="compare_period")
    if period != default:  # the default is already worked out: never compare it twice
        comparison = cached_comparison(measure, period, as_of)
    frame = comparison_frame(comparison)
    if not comparison.rated:  # nothing to plot: say so, and list each area's reason
        st.caption(plain(comparison.summary_text))
        with st.expander("Areas and why none has a rate"):
            show_table(frame, key_columns=("Area",))  # cells are text, never Markdown
        return
    st.markdown(plain(comparison.summary_text))  # its last sentence is the note, if any
    funnel, ranked = st.tabs(["Funnel plot", "Areas ranked, with intervals"])
    with funnel:
        st.plotly_chart(
            funnel_figure(comparison, show_adjusted=bool(comparison.adjusted_limits)),
            config=CHART_CONFIG,
            key=FUNNEL_KEY,
            on_select=open_clicked_area,
            selection_mode="points",
        )
        st.caption("Click an area's point to see its series above.")
    with ranked:
        st.plotly_chart(ranked_figure(comparison), config=CHART_CONFIG)
    show_table(frame, key_columns=("Area",))  # cells are text, never Markdown
    st.download_button(
        "Comparison (CSV)",
        to_csv_bytes(frame),
        f"jwmetrics-{measure}-{period}-areas-compared.csv".replace(" ", "-"),
        "text/csv",
    )
