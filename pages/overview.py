"""Overview: which initiatives are on track, which are not, and why, by client group."""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import as_of_picker, url_multiselect, with_as_of
from dashboard.cache import (
    cached_judged_ratings,
    cached_national_status,
    cached_profiles,
    cached_schedule,
    defined_by,
)
from dashboard.chrome import route_through_app
from dashboard.downloads import LinkValue, download
from dashboard.sections.actions import show_actions_overview
from dashboard.sections.briefing import show_changes_panel, show_pack_downloads, with_commentary
from dashboard.sections.compare import show_comparison_offer
from dashboard.sections.overview import (
    show_costs,
    show_initiative,
    show_off_track,
    show_status_chart,
)
from jwmetrics.assess import Status, filter_assessments
from jwmetrics.present.status import badge
from jwmetrics.text import plain

route_through_app()
st.title("Joined-up public services: overview")
st.caption(
    "About this data: the five initiatives of the National Audit Office report *Joining Up to "
    "Improve Public Services* (HC 383, 2001-02) with their targets and results, plus any returns "
    "partners have sent since. Each status says why; status is shown by symbol and words as "
    "well as colour."
)
st.page_link(
    "pages/help.py",
    label="How a status is decided",
    icon=":material/help:",
    query_params=with_as_of({"topic": "status"}),
)
first = st.container()  # "Off track and why", filled once the filters below are read

profiles = cached_profiles()
groups = {p.client_group: p.client_group_name for p in profiles}
departments = sorted({d for p in profiles for d in p.lead_departments})
cost_measures = {m.slug for p in profiles for m in p.measures if m.kind == "cost"}

filters = st.columns([2, 2, 2, 1.5])
with filters[0]:  # each filter is in the URL (?group=…&department=…&status=…): a link keeps it
    chosen_groups = url_multiselect(
        "Client group",
        list(groups),
        "group",
        format_func=groups.__getitem__,
        placeholder="All client groups",
    )
with filters[1]:
    chosen_departments = url_multiselect(
        "Lead department", departments, "department", placeholder="All lead departments"
    )
with filters[2]:
    chosen_statuses = url_multiselect(
        "Status", [str(s) for s in Status], "status", format_func=badge, placeholder="All statuses"
    )
with filters[3]:
    as_of = as_of_picker()

with_comments = st.toggle(
    "Show commentary in the Why column",
    key="why_comments",
    help="Each measure's newest commentary after its reason.",
)
show_changes_panel(as_of)

every = defined_by(cached_national_status(as_of), as_of)  # England; areas: initiative page
if with_comments:
    every = with_commentary(every)
shown_profiles = [
    p
    for p in profiles
    if (not chosen_groups or p.client_group in chosen_groups)
    and (not chosen_departments or set(p.lead_departments) & set(chosen_departments))
]
slugs = [p.slug for p in shown_profiles]
with first:  # above the fold: every Red, Missed or overdue measure, whatever the status filter
    show_off_track(filter_assessments(every, slugs), as_of)
every = filter_assessments(every, slugs, chosen_statuses)
rows = [r for r in every if r.measure not in cost_measures]
costs = [r for r in every if r.measure in cost_measures]
if rows:
    show_status_chart(rows, as_of)
else:
    st.info("No measures match these filters.")
show_comparison_offer(as_of)  # which measures' areas can be compared, with links

show_actions_overview(rows)

schedule = cached_schedule(as_of)
judged = cached_judged_ratings(every[0].as_of) if every else {}
for group_slug, group_name in groups.items():
    members = [p for p in shown_profiles if p.client_group == group_slug]
    members = [p for p in members if any(r.initiative == p.slug for r in rows)]
    if not members:
        continue
    st.header(plain(group_name))
    st.caption(plain(members[0].client_group_description))
    for profile in members:
        mine = [r for r in rows if r.initiative == profile.slug]
        show_initiative(profile, mine, as_of, schedule.for_initiative(profile.slug), judged)

show_costs(costs)

st.subheader("Briefing")
show_pack_downloads(None, as_of, key="portfolio_pack")

if every:
    st.subheader("Download")
    shown: dict[str, LinkValue] = {"as_of": as_of, "status": chosen_statuses}
    shown |= {"initiatives": slugs if len(slugs) < len(profiles) else None}
    shown["comments"] = "1" if with_comments else None
    left, right = st.columns(2)
    download(left, "Status table (CSV)", "status.csv", shown, "jwmetrics-status.csv")
    download(right, "Status table (Excel)", "status.xlsx", shown, "jwmetrics-status.xlsx")
