"""Overview: which initiatives are on track, which are not, and why, by client group."""

from __future__ import annotations

import streamlit as st

from app_cache import cached_national_status, cached_profiles
from app_chrome import as_of_picker, route_through_app
from jwmetrics.portfolio import filter_assessments
from jwmetrics.present.assessment import known_on_text, reasons_markdown
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.files import XLSX_MIME, assessments_frame, to_csv_bytes, to_xlsx_bytes
from jwmetrics.present.status import STYLES, badge, coloured_status
from jwmetrics.present.summary_chart import status_summary_figure
from jwmetrics.present.tables import overview_table
from jwmetrics.present.text import plain, plain_frame
from jwmetrics.status import Status

route_through_app()
st.title("Joined-up public services: overview")
st.caption(
    "About this data: the five initiatives of the National Audit Office report *Joining Up to "
    "Improve Public Services* (HC 383, 2001-02) with their targets and results, plus any returns "
    "partners have sent since. Status is judged by the rules in docs/status.md; each status says "
    "why. Status is shown by symbol and words as well as colour."
)

profiles = cached_profiles()
groups = {p.client_group: p.client_group_name for p in profiles}
departments = sorted({d for p in profiles for d in p.lead_departments})

filters = st.columns([2, 2, 2, 1.5])
chosen_groups = filters[0].multiselect(
    "Client group", list(groups), format_func=groups.__getitem__, placeholder="All client groups"
)
chosen_departments = filters[1].multiselect(
    "Lead department", departments, placeholder="All lead departments"
)
chosen_statuses = filters[2].multiselect(
    "Status", [str(s) for s in Status], format_func=badge, placeholder="All statuses"
)
with filters[3]:
    as_of = as_of_picker()

rows = cached_national_status(as_of)  # national figures; areas are on the initiative page
shown_profiles = [
    p
    for p in profiles
    if (not chosen_groups or p.client_group in chosen_groups)
    and (not chosen_departments or set(p.lead_departments) & set(chosen_departments))
]
rows = filter_assessments(rows, [p.slug for p in shown_profiles], chosen_statuses)
if rows:
    st.subheader(f"Status of {len(rows)} measures in England, {known_on_text(rows)}")
    st.plotly_chart(status_summary_figure(rows), config=CHART_CONFIG)
    legend = " · ".join(f"{badge(k)}: {s.meaning}" for k, s in STYLES.items())
    st.caption(f"Key: {legend}")
else:
    st.info("No measures match these filters.")

for group_slug, group_name in groups.items():
    members = [p for p in shown_profiles if p.client_group == group_slug]
    members = [p for p in members if any(r.initiative == p.slug for r in rows)]
    if not members:
        continue
    st.header(plain(group_name))
    st.caption(plain(members[0].client_group_description))
    for profile in members:
        mine = [r for r in rows if r.initiative == profile.slug]
        with st.container(border=True):
            st.subheader(plain(profile.name))
            st.page_link(
                "pages/initiative.py",
                label=f"Open {plain(profile.name)}",
                icon=":material/arrow_forward:",
                query_params={
                    "initiative": profile.slug,
                    "measure": mine[0].measure,
                    "area": mine[0].area_code,
                },
            )
            spend = "; ".join(s.text for s in profile.spend) or "not stated"
            st.markdown(f"**Purpose:** {plain(profile.purpose)}  \n**Spend:** {plain(spend)}")
            st.caption(f"Figures {known_on_text(mine)}.")
            table = overview_table(mine).drop(columns=["Reason", "Area"])
            st.table(coloured_status(plain_frame(table, keep=("Status",))).hide(axis="index"))
            with st.expander("Why these statuses?"):
                st.markdown(reasons_markdown(mine))  # one element, not two per measure

if rows:
    st.subheader("Download")
    note = {"About": f"jwmetrics status table, {known_on_text(rows)}."}
    left, right = st.columns(2)
    left.download_button(  # both files are built only when clicked
        "Status table (CSV)",
        lambda: to_csv_bytes(assessments_frame(rows)),
        "jwmetrics-status.csv",
        "text/csv",
    )
    right.download_button(
        "Status table (Excel)",
        lambda: to_xlsx_bytes({"Status": assessments_frame(rows)}, note),
        "jwmetrics-status.xlsx",
        XLSX_MIME,
    )
