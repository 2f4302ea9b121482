"""Drill-down: one initiative, then one measure and one area, with the reason for its status.

The URL names the view (``?initiative=…&measure=…&area=…``) so a link can be pasted into
an email; ids or names are accepted, and the URL follows every change of selection.
"""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import as_of_picker, chosen_day
from dashboard.cache import (
    cached_area_choices,
    cached_area_table,
    cached_areas,
    cached_detail,
    cached_profiles,
    cached_spc,
    cached_track_record,
    defined_measures,
)
from dashboard.chrome import route_through_app
from dashboard.sections.actions import show_actions
from dashboard.sections.balancing import show_balancing
from dashboard.sections.briefing import show_commentary, show_pack_downloads
from dashboard.sections.initiative import (
    open_area,
    pick,
    show_area_comparison,
    show_charts,
    show_figures,
    show_profile,
    show_status,
    show_track_record,
)
from dashboard.sections.self_assessment import show_self_assessment
from dashboard.sections.value import show_value_for_money
from dashboard.tables import show_table
from jwmetrics.assess import Status, filter_assessments
from jwmetrics.present.files import assessments_frame, to_csv_bytes
from jwmetrics.present.status import badge
from jwmetrics.present.tables import area_status_table
from jwmetrics.text import plain, plural

route_through_app()
st.title("Initiative drill-down")
st.caption(
    "About this data: the report's figures cite their paragraph or figure; figures from "
    "partners' returns name the return and row they came from. The trend shows the actual "
    "figures, the baseline, the target, the planned trajectory (through any milestones) and "
    "a forecast within the measure's natural range; the SPC tab says whether a change is "
    "signal or noise. How a status is decided: see the Help page."
)

profiles = cached_profiles()
by_slug = {p.slug: p for p in profiles}

top = st.columns(2)
with top[0]:
    slug = pick("Initiative", list(by_slug), {k: v.name for k, v in by_slug.items()}, "initiative")
profile = by_slug[slug]
measure_names = defined_measures(profile.measures, chosen_day("initiative_as_of"))
if not measure_names:
    st.info(f"None of {profile.name}'s measures was defined yet on the date chosen below.")
    as_of_picker("initiative_as_of")
    st.stop()
with top[1]:
    measure = pick("Measure", list(measure_names), measure_names, "measure")
areas = cached_areas(measure)
bottom = st.columns(2)
with bottom[0]:
    area = pick("Area", list(areas), areas, "area")
with bottom[1]:
    as_of = as_of_picker("initiative_as_of")

detail = cached_detail(measure, area, as_of)
show_status(detail)
show_charts(detail, cached_spc(measure, area, as_of))
show_balancing(detail, as_of)
show_figures(detail)
show_commentary(measure, area, [v.period.label for v in reversed(detail.observations)])
show_actions(detail)
show_area_comparison(detail, as_of)
show_self_assessment(slug, area, as_of)
show_value_for_money(slug, measure, as_of)

if len(areas) > 1:
    st.subheader(f"{plain(detail.measure_name)} by area")
    choices = cached_area_choices()
    left, right = st.columns([2, 3])
    with left:
        parent = pick("Areas under", list(choices), choices, "level", key="area_parent")
    wanted = right.multiselect(
        "Status", [str(s) for s in Status], format_func=badge, placeholder="All statuses"
    )
    area_rows = filter_assessments(cached_area_table(measure, parent, as_of), statuses=wanted)
    if area_rows:
        st.caption(
            f"{plural(len(area_rows), 'area')} with figures or targets. Sort by any column; "
            "pick a row to see that area's trend above."
        )
        codes = [r.area_code for r in area_rows]
        show_table(
            area_status_table(area_rows),
            key_columns=("Area", "Status"),
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

with st.expander(f"About {plain(profile.name)}: purpose, partners, spend"):
    show_profile({p.slug: p for p in cached_profiles(as_of)}[slug])  # as known then

show_track_record(cached_track_record(slug))

st.subheader("Briefing")
show_pack_downloads(slug, as_of, key="initiative_pack")
