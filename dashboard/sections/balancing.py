"""The initiative page's balancing measures: what could get worse while the target is chased.

Paragraph 16 of the report: a target defined too narrowly can have a perverse effect. When
the catalogue pairs the chosen measure with balancing measures, :func:`show_balancing`
draws the target and each balancing measure on one shared time axis, says for each whether
it moved the wrong way by more than its threshold (or has no data yet), and why it is
watched. A thin view over :meth:`jwmetrics.metrics.face.Metrics.balancing`.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.cache import cached_balancing
from dashboard.figures import balancing_figure  # kept per data: built once
from dashboard.sections.passport import passport_links
from dashboard.tables import show_table
from jwmetrics.assess import NO_DATA, ONE_FIGURE, WITHIN, WRONG_WAY, BalancingCheck, SeriesDetail
from jwmetrics.events import EventView
from jwmetrics.present.chart_style import CHART_CONFIG, amount_text
from jwmetrics.text import difference, plain

STATE_LABELS = {
    NO_DATA: "○ no data yet",
    ONE_FIGURE: "· one figure so far",
    WITHIN: "✔ within its threshold",
    WRONG_WAY: "⚠ beyond its threshold",
}


def is_synthetic(checks: list[BalancingCheck]) -> bool:
    """True when any balancing figure's source or note says it is synthetic."""
    return any(v.is_synthetic for c in checks for v in c.figures)


def check_row(check: BalancingCheck) -> dict[str, str]:
    """One line of the balancing table: reference, latest, the wrong-way move and the state."""
    unit = check.pair.unit
    ref, latest = check.reference, check.latest
    worse = check.worse_by
    return {
        "Balancing measure": check.pair.name,
        "State": STATE_LABELS.get(check.state, check.state),
        "Compared with": f"{amount_text(ref.value, unit)}, {ref.period.label}" if ref else "–",
        "Latest": f"{amount_text(latest.value, unit)}, {latest.period.label}" if latest else "–",
        "Moved the wrong way by": "–" if worse is None else difference(worse, unit),
        "Threshold": difference(check.pair.threshold, unit),
        "Better when": "lower" if check.pair.direction == "down" else "higher",
    }


def show_balancing(detail: SeriesDetail, as_of: date | None, events: list[EventView]) -> None:
    """The balancing measures of the chosen series, if the catalogue pairs any with it."""
    checks = cached_balancing(detail.measure_slug, detail.area_code, as_of)
    if not checks:
        return
    st.subheader("Balancing measures")
    st.caption(
        "What could get worse if the target were chased narrowly (paragraph 16 of the report), "
        "drawn on the same time axis. Each is compared with its figure at the target's "
        "baseline (or its first figure); moving the wrong way by more than its threshold puts "
        "a sentence in the status reason. How it is decided: the Help page."
    )
    if is_synthetic(checks):
        st.warning(
            "Synthetic data: some balancing figures here are synthetic (made up for a "
            "demonstration), not real results.",
            icon=":material/science:",
        )
    st.plotly_chart(
        balancing_figure(detail, checks, tuple(events)), config=CHART_CONFIG, key="balancing"
    )
    passport_links(
        {detail.measure_slug: detail.measure_name} | {c.pair.slug: c.pair.name for c in checks}
    )
    show_table([check_row(c) for c in checks], key_columns=("Balancing measure", "State"))
    for check in checks:
        if check.alert:
            st.markdown(f":material/warning: {plain(check.sentence())}")
    with st.expander("Why these are watched"):
        st.markdown(
            "\n".join(
                f"- **{plain(c.pair.name)}**: {plain(c.pair.why)} *Source: {plain(c.pair.source)}.*"
                for c in checks
            )
        )
