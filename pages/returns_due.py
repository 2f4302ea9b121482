"""Returns due: what each partner owes each initiative, what came on time, late, or not at all."""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import as_of_picker
from dashboard.cache import cached_schedule
from dashboard.chrome import route_through_app
from dashboard.downloads import download
from dashboard.tables import show_table
from jwmetrics.periods import format_date
from jwmetrics.present.assessment import percent_text
from jwmetrics.present.files import to_csv_bytes
from jwmetrics.present.tables import overdue_table, schedule_table
from jwmetrics.text import number, plain

route_through_app()
st.title("Returns due")
st.caption(
    "Which partner owes which figures, from the returns schedule in the catalogue "
    "(`data/returns_schedule.csv`; add to it with `python -m jwmetrics catalogue FILE`). A "
    "figure is due a set number of days after its period ends, and counts as received on the "
    "day it was **published**, not the day it was loaded here. **On time**: published by its "
    "due date; **late**: published after it; **overdue**: not received and its due date has "
    "passed. A figure awaiting approval counts as received. **Completeness** is the share of "
    "expected figures received; **timeliness** the share of those received that came on time."
)

left, _ = st.columns([1, 3])
with left:
    as_of = as_of_picker("returns_due_as_of")
report = cached_schedule(as_of)
when = format_date(report.as_of)
st.subheader(f"Returns due as of {when}" + ("" if as_of else " (today)"))
if as_of is None:
    st.caption(
        "“As known on” is at the newest data, so returns are counted as of today. Pick an "
        "earlier date to count them as they stood then."
    )

if not report.summaries:
    st.info(
        "No returns schedule: no partner owes any return yet. The shipped schedule (the "
        "local authorities' annual rough sleeping snapshot) is added once the snapshot's "
        "measures are loaded (`python -m jwmetrics load-snapshot`)."
    )
else:
    for summary in report.summaries:
        with st.container(border=True):
            st.markdown(f"**{plain(summary.partner)}** · {plain(summary.initiative_name)}")
            for words in summary.schedules:  # which schedule these figures belong to
                st.caption(f"Schedule: {plain(words)}.")
            cards = st.columns(4)
            cards[0].metric(
                "Completeness",
                percent_text(summary.completeness_pct),
                help=f"{number(summary.received)} of {number(summary.expected)} expected "
                "figures received",
            )
            cards[1].metric(
                "Timeliness",
                percent_text(summary.timeliness_pct),
                help=f"{number(summary.count('on time'))} of {number(summary.received)} "
                "received figures came by their due date",
            )
            cards[2].metric("Overdue", number(len(summary.overdue_items)))
            cards[3].metric("Awaiting approval", number(summary.awaiting_approval))

    st.subheader("Per partner and initiative")
    table = schedule_table(report)
    show_table(
        table,
        key_columns=("Partner", "Initiative"),
        column_config={
            name: st.column_config.NumberColumn(format="%.1f%%")
            for name in ("Completeness (%)", "Timeliness (%)")
        },
    )
    overdue = overdue_table(report)
    st.subheader(f"Overdue figures ({number(len(overdue))})")
    if overdue.empty:
        st.success("Nothing is overdue.")
    else:
        st.caption("Every figure not received by its due date, earliest due first.")
        show_table(
            overdue,
            key_columns=("Area",),
            column_config={"Measure": st.column_config.TextColumn(width="medium")},
        )

    st.subheader("Download")
    stem = f"jwmetrics-returns-due-{report.as_of.isoformat()}"
    first, second = st.columns(2)
    dated, due_csv, late_csv = {"as_of": as_of}, to_csv_bytes(table), to_csv_bytes(overdue)
    download(first, "Returns due (CSV)", "returns-due.csv", dated, f"{stem}.csv", due_csv)
    download(second, "Overdue figures (CSV)", "overdue.csv", dated, f"{stem}-overdue.csv", late_csv)
