"""The fair comparison of areas: where to find it, and the section itself.

:func:`show_comparison_offer` is one self-contained call for any page (the overview and the
initiative page make it): a sentence naming the measures whose areas can be compared, with
a link to each, or on the initiative page a link down to the comparison of the measure shown.

:func:`show_comparison` is the initiative page's section for the chosen measure: the verdict
in a plain sentence with the outliers named, a funnel plot, the ranked areas a page at a
time, and the table with both verdicts (the one in use marked); otherwise why there is none.
Clicking an area's point opens that area's series above (the session key the area table
uses).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard.as_of import TAB_PARAM, url_selectbox
from dashboard.cache import (
    cached_comparable_measures,
    cached_comparable_periods,
    cached_comparison,
)
from dashboard.downloads import download
from dashboard.sections.passport import passport_link
from dashboard.tables import show_table
from jwmetrics.compare import Comparison
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.compare_charts import funnel_figure, ranked_figure, ranked_pages
from jwmetrics.present.comparison_table import comparison_frame
from jwmetrics.problems import InputError
from jwmetrics.text import DASH, plain

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

FUNNEL_KEY = "compare_funnel"
ANCHOR = "areas-compared"
INITIATIVE_PAGE = "pages/initiative.py"
ENGLAND = "E92000001"


def show_comparison_offer(as_of: date | None, current: str | None = None) -> None:
    """Say which measures' areas can be compared, with a link to each (nothing when none
    can). On the page of such a measure (``current``), a link down to its comparison."""
    measures = cached_comparable_measures(as_of)
    if not measures:
        return
    if current in {m.measure for m in measures}:
        st.markdown(
            ":material/compare_arrows: This measure's areas can be compared fairly: "
            "see the **Areas** tab below."
        )
        return
    names = "; ".join(plain(m.measure_name) for m in measures)
    many = "measures have" if len(measures) > 1 else "measure has"
    st.markdown(
        f"**Compare areas fairly:** {len(measures)} {many} figures for local areas and "
        f"populations to compare them by, against England with funnel-plot limits: {names}."
    )
    for measure in measures:
        params = {
            "initiative": measure.initiative,
            "measure": measure.measure,
            "area": ENGLAND,
            TAB_PARAM: "Areas",  # the page opens on its Areas tab
        }
        if as_of is not None:
            params["as_of"] = as_of.isoformat()
        st.page_link(
            INITIATIVE_PAGE,
            label=f"Compare areas: {plain(measure.measure_name)} ({measure.periods[0]})",
            icon=":material/compare_arrows:",
            query_params=params,
        )


def open_clicked_area() -> None:
    """A point of the funnel plot clicked: show that area's series (code in customdata)."""
    points = st.session_state[FUNNEL_KEY].selection.points
    codes = [p["customdata"][0] for p in points if p.get("customdata")]
    if codes:
        st.session_state["pick_area"] = codes[0]


def _shown(frame: pd.DataFrame) -> Styler:
    """``frame`` as the page shows it: numbers kept as numbers (so columns sort as numbers)
    but written the British way; a column with nothing in it is left out."""
    empty = [name for name in frame.columns if (frame[name].isna() | (frame[name] == "")).all()]
    frame = frame.drop(columns=empty)
    two = "{:,.2f}".format
    formats: dict[str, Callable[[float], str]] = {
        name: two for name in frame.columns if "rate" in name.lower() or "interval" in name
    }
    formats["Difference from England"] = "{:+,.2f}".format
    formats["Figure"] = lambda v: f"{v:,.2f}".rstrip("0").rstrip(".")
    formats["Denominator"] = "{:,.0f}".format
    present = {name: f for name, f in formats.items() if name in frame.columns}
    return frame.style.format(present, na_rep=DASH)


def _unrated(comparison: Comparison) -> pd.DataFrame:
    """The areas with no rate: the name, the figure if any, and why (as words, so nothing
    shows as "None")."""
    rows = [
        {
            "Area": row.area_name,
            "Figure": DASH if row.value is None else f"{row.value:,g}",
            "Why no verdict": row.why,
            "Area code": row.area_code,
        }
        for row in comparison.unrated
    ]
    return pd.DataFrame(rows)


def _table(comparison: Comparison, as_of: date | None = None) -> None:
    """The rated areas with both verdicts beside the name (pinned, so a narrow screen keeps
    it), then the areas with no rate and why; the CSV holds every area and the numbers."""
    frame = comparison_frame(comparison)
    config = {"Area": st.column_config.TextColumn(width="medium", pinned=True)}
    rated = frame.iloc[: len(comparison.rated)]
    show_table(_shown(rated), key_columns=("Area",), column_config=config)  # never Markdown
    if comparison.unrated:
        with st.expander(f"Areas with no rate, and why ({len(comparison.unrated)})"):
            show_table(_unrated(comparison), key_columns=("Area",), column_config=config)
    period = comparison.period.label
    name = f"jwmetrics-{comparison.measure}-{period}-areas-compared.csv".replace(" ", "-")
    which = {"measure": comparison.measure, "period": period, "as_of": as_of}
    download(st.container(), "Comparison (CSV)", "comparison.csv", which, name)


def _other_periods(measure: str, as_of: date | None) -> None:
    """Under a period with no rates: the periods that have them, or the measures that do."""
    found = {m.measure: m for m in cached_comparable_measures(as_of)}
    if measure not in found:
        show_comparison_offer(as_of)
        return
    periods = found[measure].periods
    shown = ", ".join(periods[:8]) + (" …" if len(periods) > 8 else "")
    st.caption(f"Areas have rates to compare in {shown}: choose one above.")


def show_comparison(measure: str, measure_name: str, as_of: date | None) -> None:
    """The comparison section, or a sentence saying why this measure has none."""
    st.subheader(f"{plain(measure_name)}: areas compared fairly", anchor=ANCHOR)
    try:
        periods = cached_comparable_periods(measure, as_of)
    except InputError as exc:
        st.caption(f"Areas are not compared for this measure: {plain(exc.problems[0].message)}")
        show_comparison_offer(as_of)
        return
    if not periods:
        st.caption("No area has a figure for this measure yet, so there is nothing to compare.")
        show_comparison_offer(as_of)
        return
    comparison = cached_comparison(measure, None, as_of)  # the newest period with rates
    default = comparison.period.label
    first = default if default in periods else periods[0]  # in the URL only when not this
    period = url_selectbox("Period to compare", periods, "period", first, key="compare_period")
    if period != default:  # the default is already worked out: never compare it twice
        comparison = cached_comparison(measure, period, as_of)
    if not comparison.rated:  # nothing to plot: say so, and list each area's reason
        st.caption(plain(comparison.summary_text))
        _other_periods(measure, as_of)
        with st.expander("Areas and why none has a rate"):
            show_table(_unrated(comparison), key_columns=("Area",))  # text, never Markdown
        return
    st.markdown(plain(comparison.headline))
    st.caption(
        f"Verdicts in use: {comparison.verdict_basis}. The table gives both verdicts; "
        "the statistics behind them are under the table."
    )
    funnel, ranked = st.tabs(["Funnel plot", "Areas ranked, with intervals"])
    with funnel:
        st.plotly_chart(
            funnel_figure(comparison),
            config=CHART_CONFIG,
            key=FUNNEL_KEY,
            on_select=open_clicked_area,
            selection_mode="points",
        )
        st.caption("Click an area's point to see its series above.")
        passport_link(comparison.measure)
    with ranked:
        pages = ranked_pages(comparison)
        shown = st.selectbox("Areas shown", list(pages), key="compare_ranked_page")
        st.plotly_chart(ranked_figure(comparison, pages[shown]), config=CHART_CONFIG)
        passport_link(comparison.measure)
    _table(comparison, as_of)
    with st.expander("The statistics behind the verdicts"):
        st.markdown(plain(comparison.summary_text))  # its last sentence is the note, if any
