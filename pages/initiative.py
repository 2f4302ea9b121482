"""Drill-down: one initiative, then one measure and one area, with the reason for its status.

Titled by the initiative and measure; the status and its reason come first, then the rest
in tabs (:data:`dashboard.sections.initiative.SECTIONS`), so the page is one screen long.
Only the open tab's sections run and are drawn; the tab is in the URL (``?tab=Areas``).

The URL names the view (``?initiative=…&measure=…&area=…``) so a link can be pasted into
an email; ids or names are accepted, and the URL follows every change of selection.
"""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import as_of_picker, chosen_day, url_tabs
from dashboard.cache import (
    cached_areas,
    cached_detail,
    cached_events,
    cached_judgement_record,
    cached_profiles,
    cached_spc,
    defined_measures,
)
from dashboard.chrome import route_through_app
from dashboard.page_end import end_page
from dashboard.sections.actions import show_actions
from dashboard.sections.balancing import show_balancing
from dashboard.sections.briefing import show_commentary, show_pack_downloads
from dashboard.sections.compare import show_comparison_offer
from dashboard.sections.events import show_events
from dashboard.sections.inbox import show_follow
from dashboard.sections.initiative import (
    SECTIONS,
    page_title,
    pick,
    show_area_comparison,
    show_area_table,
    show_charts,
    show_figures,
    show_profile,
    show_status,
    show_track_record,
)
from dashboard.sections.ratings import show_judgement, show_judgement_record, show_ratings
from dashboard.sections.self_assessment import show_self_assessment
from dashboard.sections.value import show_value_for_money
from jwmetrics.text import plain

route_through_app()
title = st.empty()  # named once the initiative and measure are chosen below
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
    title.title(plain(profile.name))
    st.info(f"None of {plain(profile.name)}'s measures was defined yet on the date chosen below.")
    as_of_picker("initiative_as_of")
    end_page()
with top[1]:
    measure = pick("Measure", list(measure_names), measure_names, "measure")
title.title(page_title(profile.name, measure_names[measure]))
areas = cached_areas(measure)
bottom = st.columns(2)
with bottom[0]:
    area = pick("Area", list(areas), areas, "area")
with bottom[1]:
    as_of = as_of_picker("initiative_as_of")

detail = cached_detail(measure, area, as_of)
events = cached_events(measure, area, detail.assessment.as_of)  # drawn on every chart
show_comparison_offer(as_of, measure)  # which measures' areas can be compared, with links
show_status(detail)
show_follow(slug, profile.name, measure, area)
show_judgement(detail)
shown, tab = url_tabs(SECTIONS, key="initiative_tab")  # only the open tab's sections run
with tab:
    if shown == "Trend":
        show_charts(detail, cached_spc(measure, area, as_of), events)
        show_balancing(detail, as_of, events)
    elif shown == "Figures":
        show_figures(detail)
    elif shown == "Commentary and actions":
        show_commentary(measure, area, [v.period.label for v in reversed(detail.observations)])
        show_actions(detail)
        show_ratings(detail)
        show_events(detail, events)
    elif shown == "Areas":
        show_area_comparison(detail, as_of)
        if len(areas) > 1:
            show_area_table(measure, detail.measure_name, as_of)
    elif shown == "Self-assessment":
        show_self_assessment(slug, area, as_of)
    elif shown == "Value for money":
        show_value_for_money(slug, measure, as_of)
    elif shown == "About":
        st.subheader(f"About {plain(profile.name)}")
        show_profile({p.slug: p for p in cached_profiles(as_of)}[slug])  # as known then
        record = cached_judgement_record(slug)
        show_track_record(record.rule)
        show_judgement_record(record)
    elif shown == "Briefing":
        st.subheader("Briefing")
        show_pack_downloads(slug, as_of, key="initiative_pack")
