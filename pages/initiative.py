"""Drill-down: one initiative, then one measure and one area, with the reason for its status.

The URL names the view (``?initiative=…&measure=…&area=…``) so a link can be pasted into
an email; ids or names are accepted, and the URL follows every change of selection.
"""

from __future__ import annotations

import streamlit as st

from app_common import (
    as_of_picker,
    cached_area_choices,
    cached_area_table,
    cached_areas,
    cached_detail,
    cached_profiles,
    route_through_app,
)
from jwmetrics.charts import CHART_CONFIG, trend_figure
from jwmetrics.display import (
    age_text,
    area_status_table,
    as_of_text,
    latest_text,
    observations_table,
    partners_table,
    progress_text,
    series_text,
    target_text,
    target_value_text,
)
from jwmetrics.export import assessments_frame, observations_frame, to_csv_bytes, to_xlsx_bytes
from jwmetrics.fmt import plain, plain_frame
from jwmetrics.portfolio import ENGLAND, filter_assessments
from jwmetrics.profiles import match_key
from jwmetrics.status import Status, badge

route_through_app()
st.title("Initiative drill-down")
st.caption(
    "About this data: the report's figures cite their paragraph or figure; figures from "
    "partners' returns name the return and row they came from. The trend shows the actual "
    "figures, the baseline, the target, the straight-line trajectory to it and a forecast."
)

profiles = cached_profiles()
by_slug = {p.slug: p for p in profiles}
params = st.query_params


def pick(label: str, options: list[str], names: dict[str, str], param: str) -> str:
    """A selectbox kept in step with the URL parameter ``param`` (an id or a name).

    A URL that changed since this page last wrote it (a pasted link, back or forward)
    moves the selectbox; a choice in the selectbox moves the URL.
    """
    key, synced = f"pick_{param}", f"synced_{param}"
    wanted = match_key(params.get(param, ""), names)
    if params.get(param) != st.session_state.get(synced) and wanted in options:
        st.session_state[key] = wanted
    if st.session_state.get(key) not in options:
        st.session_state[key] = wanted if wanted in options else options[0]
    choice = st.selectbox(label, options, format_func=names.__getitem__, key=key)
    if params.get(param) != choice:  # an unchanged write would still add a history entry
        params[param] = choice
    st.session_state[synced] = choice
    return choice


def open_area(frame_key: str, codes: list[str]) -> None:
    """Table row picked: show that area's trend."""
    rows = st.session_state[frame_key].selection.rows
    if rows:
        st.session_state["pick_area"] = codes[rows[0]]


top = st.columns(2)
with top[0]:
    slug = pick("Initiative", list(by_slug), {k: v.name for k, v in by_slug.items()}, "initiative")
profile = by_slug[slug]
measure_names = {m.slug: m.name for m in profile.measures}
with top[1]:
    measure = pick("Measure", list(measure_names), measure_names, "measure")
areas = cached_areas(measure)
bottom = st.columns(2)
with bottom[0]:
    area = pick("Area", list(areas), areas, "area")
with bottom[1]:
    as_of = as_of_picker("initiative_as_of")

st.header(plain(profile.name))
with st.container():
    st.markdown(
        f"**Client group:** {plain(profile.client_group_name)}  \n"
        f"**Purpose:** {plain(profile.purpose)}  \n"
        f"**Form of joint working:** {plain(profile.joint_working_form)}  \n"
        f"**Lead department(s):** {plain('; '.join(profile.lead_departments))}"
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

detail = cached_detail(measure, area, as_of)
row = detail.assessment
st.subheader(plain(f"{detail.measure_name} — {detail.area_name}"))
st.markdown(f"### {badge(row.status)}")
st.markdown(plain(row.reason))
metrics = st.columns(4)
metrics[0].metric("Latest figure", latest_text(row), help=row.latest_period or None)
metrics[1].metric("Target", target_value_text(row), help=target_text(row))
metrics[2].metric("Progress to target", progress_text(row.progress))
metrics[3].metric("Age of latest figure", age_text(row.latest_age_days))
st.caption(
    f"Judged {as_of_text(row.as_of)}. Target wording: {plain(detail.target_wording or 'none')}."
)

st.plotly_chart(trend_figure(detail), config=CHART_CONFIG)
if detail.observations:
    st.markdown("**Figures and where they came from**")
    st.dataframe(observations_table(detail), hide_index=True)
    frame = observations_frame(detail)
    left, right = st.columns(2)
    stem = f"jwmetrics-{detail.measure_slug}-{detail.area_code}"
    left.download_button("Figures (CSV)", to_csv_bytes(frame), f"{stem}.csv", "text/csv")
    right.download_button(
        "Figures (Excel)",
        lambda: to_xlsx_bytes(  # built only when clicked
            {"Figures": frame},
            {"About": f"{detail.measure_name}, {detail.area_name}, {as_of_text(row.as_of)}."},
        ),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
else:
    st.info(plain(row.reason))

costs = [m for m in profile.measures if m.kind == "cost"]
if costs:
    st.subheader("Cost per unit of outcome")
    st.caption("As the report states them (paragraph 18); costs are in real terms.")
    for cost in costs:
        cost_detail = cached_detail(cost.slug, ENGLAND, as_of)
        st.markdown(f"- **{plain(cost.name)}:** {plain(series_text(cost_detail))}")

if len(areas) > 1:
    st.subheader(f"{plain(detail.measure_name)} by area")
    choices = cached_area_choices()
    left, right = st.columns([2, 3])
    parent = left.selectbox(
        "Areas under", list(choices), format_func=choices.__getitem__, key="area_parent"
    )
    wanted = right.multiselect(
        "Status", [str(s) for s in Status], format_func=badge, placeholder="All statuses"
    )
    area_rows = filter_assessments(cached_area_table(measure, parent, as_of), statuses=wanted)
    if area_rows:
        st.caption(
            f"{len(area_rows)} areas with figures or targets. Sort by any column; pick a row "
            "to see that area's trend above."
        )
        codes = [r.area_code for r in area_rows]
        st.dataframe(
            area_status_table(area_rows),
            hide_index=True,
            on_select=lambda: open_area("area_table", codes),
            selection_mode="single-row",
            key="area_table",
        )
        frame = assessments_frame(area_rows)
        st.download_button(
            "Area table (CSV)", to_csv_bytes(frame), f"jwmetrics-{measure}-areas.csv", "text/csv"
        )
    else:
        st.info("No area under this choice has a figure or a target for this measure.")
