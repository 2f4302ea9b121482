"""What every page shares: the cached database handle, cached library calls, the sidebar.

Caching lives here, in the app layer, around library calls; :func:`clear_caches` is called
after every write so pages show new figures at once.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from jwmetrics.db import Database, open_database
from jwmetrics.detail import SeriesDetail, areas_for_measure, series_detail
from jwmetrics.display import as_of_text
from jwmetrics.portfolio import ENGLAND, Assessment, reporting_time, status_table
from jwmetrics.profiles import InitiativeProfile, all_profiles

CACHE_SECONDS = 300


@st.cache_resource(show_spinner=False)
def get_db() -> Database:
    """One database handle per server process (opened, migrated and seeded once)."""
    return open_database()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_national_status(as_of: date | None) -> list[Assessment]:
    """The status of every measure for England as at ``as_of`` (None: the newest data)."""
    return status_table(get_db(), as_of=as_of, area_codes=[ENGLAND])


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_profiles() -> list[InitiativeProfile]:
    """Every initiative's profile."""
    return all_profiles(get_db())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_detail(measure: str, area: str, as_of: date | None) -> SeriesDetail:
    """One series in full."""
    return series_detail(get_db(), measure, area, as_of)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def latest_data_date() -> date:
    """When the newest figure was recorded: the default reporting date."""
    with get_db().session() as session:
        return reporting_time(session).date()


def clear_caches() -> None:
    """Forget every cached result; call after any write."""
    st.cache_data.clear()


def render_sidebar() -> None:
    """The database in use (no secrets) and the date of the latest data."""
    db = get_db()
    with st.sidebar:
        st.caption(f"**Database:** {db.description}")
        st.caption(f"**Latest data:** {as_of_text(latest_data_date())}")
        st.caption(
            "Source: National Audit Office, *Joining Up to Improve Public Services* "
            "(HC 383, 2001-02). Each figure cites its paragraph or figure."
        )


def as_of_picker(key: str = "as_of") -> date | None:
    """An "as known on" date; None means the newest data."""
    newest = latest_data_date()
    chosen = st.date_input(
        "As known on",
        value=newest,
        min_value=date(1990, 1, 1),
        format="DD/MM/YYYY",
        key=key,
        help="Show the figures and statuses as they stood on this date.",
    )
    return None if chosen == newest else chosen


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_areas(measure: str) -> dict[str, str]:
    """Areas to offer for a measure: code to name."""
    return areas_for_measure(get_db(), measure)
