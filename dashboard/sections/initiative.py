"""Sections of the initiative drill-down page, each a thin view over library results.

Kept out of ``pages/initiative.py`` so the page reads top to bottom as what it shows:
pickers kept in step with the URL, the status with its reason, the charts (trend and SPC,
or value cards for one or two figures), the figures, the comparison across areas, the
initiative's profile and the track record.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.as_of import want_param
from dashboard.cache import cached_area_choices, cached_area_table
from dashboard.downloads import download
from dashboard.figures import spc_figure, trend_figure  # kept per data: built once
from dashboard.sections.passport import passport_link, show_revision_note
from dashboard.tables import show_table
from jwmetrics.assess import SeriesDetail, Status, TrackRecord, filter_assessments
from jwmetrics.catalogue import InitiativeProfile
from jwmetrics.events import EventView
from jwmetrics.periods import format_date
from jwmetrics.present.assessment import (
    age_text,
    as_of_text,
    chance_text,
    latest_text,
    other_targets_text,
    progress_text,
    quality_text,
    reason_once,
    target_text,
    target_value_text,
)
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.status import badge
from jwmetrics.present.tables import (
    area_status_table,
    observations_table,
    partners_table,
    track_record_summary,
    track_record_table,
    track_record_words,
)
from jwmetrics.present.trend_marks import MIN_TREND_FIGURES, chart_source
from jwmetrics.spc import SpcResult
from jwmetrics.store import match_key
from jwmetrics.text import plain, plain_frame, plural
from jwmetrics.text import value as value_text


def pick(
    label: str, options: list[str], names: dict[str, str], param: str, key: str | None = None
) -> str:
    """A selectbox kept in step with the URL parameter ``param`` (an id or a name).

    A URL that changed since this page last wrote it (a pasted link, back or forward)
    moves the selectbox; a choice in the selectbox moves the URL.
    """
    params = st.query_params
    key, synced = key or f"pick_{param}", f"synced_{param}"
    wanted = match_key(params.get(param, ""), names)
    if params.get(param) != st.session_state.get(synced) and wanted in options:
        st.session_state[key] = wanted
    if st.session_state.get(key) not in options:
        st.session_state[key] = wanted if wanted in options else options[0]
    choice = st.selectbox(label, options, format_func=names.__getitem__, key=key)
    want_param(param, choice)  # written with the others at the end of the run: one entry
    st.session_state[synced] = choice
    return choice


SECTIONS = (
    "Trend",
    "Figures",
    "Commentary and actions",
    "Areas",
    "Self-assessment",
    "Value for money",
    "About",
    "Briefing",
)
"""The initiative page's tabs, under its status: what was ten sections one under another."""


def page_title(initiative_name: str, measure_name: str) -> str:
    """The page's title: the initiative and the measure, "Rough Sleepers Unit: People
    counted sleeping rough in England" (names from the catalogue: plain text)."""
    return plain(f"{initiative_name}: {measure_name}")


def series_title(measure_name: str, area_name: str) -> str:
    """A measure in an area, without saying the area twice: "People counted sleeping rough
    in England" stays so in England, and becomes "… in England — London" elsewhere."""
    return measure_name if area_name in measure_name else f"{measure_name} — {area_name}"


def show_area_table(measure: str, measure_name: str, as_of: date | None) -> None:
    """The measure in every area under a level, filtered by status; a row picked shows that
    area's trend."""
    st.subheader(f"{plain(measure_name)} by area")
    choices = cached_area_choices()
    left, right = st.columns([2, 3])
    with left:
        parent = pick("Areas under", list(choices), choices, "level", key="area_parent")
    wanted = right.multiselect(
        "Status", [str(s) for s in Status], format_func=badge, placeholder="All statuses"
    )
    area_rows = filter_assessments(cached_area_table(measure, parent, as_of), statuses=wanted)
    if not area_rows:
        st.info("No area under this choice has a figure or a target for this measure.")
        return
    st.caption(
        f"{plural(len(area_rows), 'area')} with figures or targets. Sort by any column; "
        "pick a row to see that area's trend (the Trend tab)."
    )
    codes = [r.area_code for r in area_rows]
    show_table(
        area_status_table(area_rows),
        key_columns=("Area", "Status"),
        on_select=lambda: open_area("area_table", codes),
        selection_mode="single-row",
        key="area_table",
    )
    table = {"measure": measure, "parent": parent, "as_of": as_of, "status": wanted}
    download(
        st.container(),
        "Area table (CSV)",
        "area-table.csv",
        table,
        f"jwmetrics-{measure}-areas.csv",
    )


def open_area(frame_key: str, codes: list[str]) -> None:
    """Table row picked: show that area's trend."""
    rows = st.session_state[frame_key].selection.rows
    if rows:
        st.session_state["pick_area"] = codes[rows[0]]


def show_profile(profile: InitiativeProfile) -> None:
    """Purpose, form of joint working, departments, features, measurement, spend, partners.

    Catalogue text can come from a user's CSV, so it is shown as plain text, never Markdown.
    """
    st.markdown(
        f"**Client group:** {plain(profile.client_group_name)}  \n"
        f"**Purpose:** {plain(profile.purpose)}  \n"
        f"**Form of joint working:** {plain(profile.joint_working_form)}  \n"
        f"**Lead {'department' if len(profile.lead_departments) == 1 else 'departments'}:** "
        f"{plain('; '.join(profile.lead_departments))}"
    )
    st.markdown(
        "**Key features of joint working**\n"
        + "\n".join(f"- {plain(f)}" for f in profile.key_features)
    )
    st.markdown(f"**How performance is measured:** {plain(profile.performance_measurement)}")
    st.markdown(
        f"**How client satisfaction is assessed:** {plain(profile.satisfaction_assessment)}"
    )
    st.markdown(
        "**Expenditure:** " + plain("; ".join(s.text for s in profile.spend) or "not stated")
    )
    st.caption(f"Source: {plain(profile.source)}")
    st.markdown("**Partners and their roles**")
    st.table(plain_frame(partners_table(profile)))


def show_status(detail: SeriesDetail) -> None:
    """The status badge with any data quality notes beside it, its reason, the key numbers
    and when they are as known on."""
    row = detail.assessment
    st.subheader(f"Status in {plain(detail.area_name)}")
    st.markdown(f"### {badge(row.status)}")
    if row.quality:
        st.markdown(f":material/warning: **Data quality:** {plain(quality_text(row))}")
    if row.trend_status:
        st.markdown(f"**Call while the verdict is awaited:** {badge(row.trend_status)}")
    if chance_text(row) != "–":
        st.markdown(f"**Chance of meeting the target:** {chance_text(row)}")
    st.markdown(plain(reason_once(row.reason)))
    if detail.other_targets:
        others = other_targets_text(list(detail.other_targets))
        st.caption(plain(f"This series has other targets too: {others}."))
    metrics = st.columns(4)
    metrics[0].metric("Latest figure", latest_text(row), help=row.latest_period or None)
    metrics[1].metric("Target", target_value_text(row), help=target_text(row))
    metrics[2].metric("Progress to target", progress_text(row.progress))
    metrics[3].metric("Age of latest figure", age_text(row))
    published = (
        f" Latest figure published {format_date(row.published_on)}." if row.published_on else ""
    )
    st.caption(
        f"Judged {as_of_text(row.as_of)}.{published} "
        f"Target wording: {plain(detail.target_wording or 'none')}."
    )


def show_value_cards(detail: SeriesDetail) -> None:
    """One or two figures as value cards, not a line: too few for a trend."""
    views = [v for v in detail.observations if v.value is not None]
    st.markdown(f"**{'The figure' if len(views) == 1 else 'The two figures'} so far**")
    cards = st.columns(max(len(views), 2))
    for card, view in zip(cards, views, strict=False):
        card.metric(
            view.period.label,
            value_text(view.value, detail.unit, view.qualifier, view.marker),
            help=f"{view.data_status.capitalize()} figure. Source: {view.source}",
            border=True,
        )
    st.caption(f"{chart_source(detail)} A trend needs 3 figures or more.")


CHART_TABS = ("Trend and target", "SPC (XmR) chart")
CHART_TAB_KEY = "chart_tab"
"""Session key of the open chart tab: only its chart is drawn (a click on the other reruns)."""


def show_charts(detail: SeriesDetail, spc: SpcResult, events: list[EventView]) -> None:
    """The trend chart and, in a second tab, the SPC (XmR) chart of the same series; only
    the open tab's chart is built and drawn.

    Without any figure nothing is drawn (the status's reason says why, once); with one or
    two, value cards, and a chart only to show them against a target. ``events`` (those
    that apply as known on the page's day) are drawn on both charts.
    """
    valued = [v for v in detail.observations if v.value is not None]
    if not valued:
        return
    if len(valued) < MIN_TREND_FIGURES:
        show_value_cards(detail)
        if detail.target is None or detail.target.value is None:  # no chart: notes here
            show_revision_note(detail)
            passport_link(detail.measure_slug)
            return
    tabs = st.tabs(list(CHART_TABS), key=CHART_TAB_KEY, on_change="rerun")
    if st.session_state.get(CHART_TAB_KEY) != CHART_TABS[1]:  # only the open tab's chart is
        with tabs[0]:  # drawn: a chart in a hidden tab costs the browser as much as a shown one
            figure = trend_figure(detail, tuple(events))
            st.plotly_chart(figure, config=CHART_CONFIG, key="trend_chart")
            show_revision_note(detail)
            passport_link(detail.measure_slug)
        return
    with tabs[1]:
        st.caption(
            "Statistical process control (NHS Making Data Count): is a change signal or noise? "
            "Limits are the mean ± 2.66 × the mean moving range; the rules and icons are on "
            "the Help page."
        )
        if not spc.points or spc.mean is None:
            st.info(plain(spc.warning or "Too few figures for an SPC chart (3 needed)."))
            return
        title = series_title(detail.measure_name, detail.area_name)
        figure = spc_figure(spc, detail.unit, title, chart_source(detail), tuple(events))
        st.plotly_chart(figure, config=CHART_CONFIG, key="spc")
        passport_link(detail.measure_slug)
        assurance = spc.assurance or "no target to assure against"
        st.markdown(f"**Variation:** {plain(spc.summary)} **Assurance:** {assurance}.")
        if spc.limit_note:
            st.caption(plain(spc.limit_note))
        for cause in spc.causes:  # each change point's cause in full (docs/events.md)
            st.caption(plain(f"Limits restart {cause}."))
        if spc.warning:
            st.warning(plain(spc.warning))


def show_figures(detail: SeriesDetail) -> None:
    """The figures behind the chart, where each came from, and downloads of them."""
    if not detail.observations:
        return
    st.markdown("**Figures and where they came from**")
    show_table(observations_table(detail), key_columns=("Period", "Value"))
    show_revision_note(detail)  # beside the provisional figures in the table
    left, right = st.columns(2)
    stem = f"jwmetrics-{detail.measure_slug}-{detail.area_code}"
    series = {"measure": detail.measure_slug, "area": detail.area_code}
    series["as_of"] = detail.assessment.as_of.isoformat()  # the day the page shows
    download(left, "Figures (CSV)", "figures.csv", series, f"{stem}.csv")
    download(right, "Figures (Excel)", "figures.xlsx", series, f"{stem}.xlsx")


def show_area_comparison(detail: SeriesDetail, as_of: date | None) -> None:
    """The fair comparison of this measure's areas, right after the figures
    (:mod:`dashboard.sections.compare`)."""
    from dashboard.sections.compare import (
        show_comparison,
    )  # its charts load only when a page shows them

    show_comparison(detail.measure_slug, detail.measure_name, as_of)


def show_track_record(record: TrackRecord) -> None:
    """How the calls made before each known outcome turned out."""
    st.subheader("Track record")
    st.caption(
        "For each target whose date has passed and whose outcome is known: the call the "
        "dashboard would have shown on each earlier publication day, judged with only what "
        "was public then, and whether the outcome bore it out. Amber is a hedge."
    )
    if not record.targets:
        st.info("No target of this initiative has both passed its date and a known outcome.")
        return
    right = "–" if record.share_right is None else f"{record.share_right:.0%}"
    hedged = "–" if record.share_hedged is None else f"{record.share_hedged:.0%}"
    cols = st.columns(2)
    cols[0].metric(
        "Decisive calls right", right, help=f"{record.right_calls} of {record.decisive_calls}"
    )
    cols[1].metric("Calls that hedged (Amber)", hedged, help=f"{record.hedged_calls} calls")
    show_table(track_record_words(record), key_columns=("Call",))  # every word scored
    show_table(track_record_summary(record), key_columns=("Measure", "Outcome"))
    with st.expander("Every call"):
        show_table(track_record_table(record), key_columns=("Measure", "Call on"))
