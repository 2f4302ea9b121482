"""Caching for the pages: the database handle and every cached library call.

Caching lives here, in the app layer, around library calls; :func:`clear_caches` is called
after every write so pages show new figures at once. A checked upload is kept per session
(:func:`checked_return`), not in the shared cache, because it is one user's and goes out of
date when a return is committed or withdrawn.

Only what every page needs is imported up front (the database and the status of the
portfolio); each library module behind one page's data (a series in full, its SPC chart, the
track record, returns) is imported by the cached function that uses it, so a server's first
page does not wait for the others' modules.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from jwmetrics.db import Database, open_database
from jwmetrics.observations import KnownAt
from jwmetrics.portfolio import ENGLAND, Assessment, reporting_day, status_table
from jwmetrics.profiles import InitiativeProfile, all_profiles

if TYPE_CHECKING:
    import pandas as pd

    from jwmetrics.detail import SeriesDetail
    from jwmetrics.returns import RecordedChange, ReturnCheck
    from jwmetrics.spc import SpcResult
    from jwmetrics.track_record import TrackRecord

CACHE_SECONDS = 300
CHECKS_KEY = "upload_checks"
"""Session key of the checked upload: ``{"key": (sha256, name, sheet, partner, day), ...}``."""


@st.cache_resource(show_spinner=False)
def get_db() -> Database:
    """One database handle per server process (opened, migrated and seeded once)."""
    return open_database()


def clear_caches() -> None:
    """Forget every cached result; call after any write."""
    st.cache_data.clear()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def latest_data_date() -> date:
    """When the newest figure was recorded: the default reporting date."""
    with get_db().session() as session:
        return reporting_day(session)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_national_status(as_of: date | None) -> list[Assessment]:
    """The status of every measure for England as at ``as_of`` (None: the newest data)."""
    return status_table(get_db(), as_of=as_of, area_codes=[ENGLAND])


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_profiles(as_of: date | None = None) -> list[InitiativeProfile]:
    """Every initiative's profile: partners and spend as known on ``as_of`` (None: now)."""
    return all_profiles(get_db(), KnownAt.on(as_of).cutoff if as_of else None)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_detail(measure: str, area: str, as_of: date | None) -> SeriesDetail:
    """One series in full."""
    from jwmetrics.detail import series_detail

    return series_detail(get_db(), measure, area, as_of)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_spc(measure: str, area: str, as_of: date | None) -> SpcResult:
    """The XmR chart of one series."""
    from jwmetrics.spc_series import spc_for_series

    return spc_for_series(get_db(), measure, area, as_of)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_track_record(initiative: str) -> TrackRecord:
    """The track record of one initiative's targets."""
    from jwmetrics.track_record import track_record

    return track_record(get_db(), initiative)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_areas(measure: str) -> dict[str, str]:
    """Areas to offer for a measure: code to name."""
    from jwmetrics.detail import areas_for_measure

    return areas_for_measure(get_db(), measure)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_area_choices() -> dict[str, str]:
    """England, each region, or every local authority: what an area table can list."""
    from jwmetrics.detail import area_choices

    return area_choices(get_db())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_area_table(measure: str, parent: str, as_of: date | None) -> list[Assessment]:
    """Each area under ``parent`` with its latest figure and status for ``measure``."""
    from jwmetrics.detail import area_table

    return area_table(get_db(), measure, parent, as_of)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_template(initiative: str, kind: str) -> bytes:
    """The return template of ``initiative`` as "csv" or "xlsx" bytes."""
    from jwmetrics.return_template import template_csv, template_xlsx

    make = template_xlsx if kind == "xlsx" else template_csv
    return make(get_db(), initiative)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_returns_log() -> pd.DataFrame:
    """Every return, newest first, as a frame with dates as values."""
    from jwmetrics.present.returns_log import returns_log_frame
    from jwmetrics.returns import returns_log

    return returns_log_frame(returns_log(get_db()))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_return_changes(return_id: int) -> list[RecordedChange]:
    """What one return recorded, beside the values current just before it."""
    from jwmetrics.returns import return_changes

    return return_changes(get_db(), return_id)


def checked_return(
    data: bytes, file_name: str, sheet: str | None, partner: str, published_on: date | None = None
) -> ReturnCheck:
    """Check an uploaded file once per content, sheet, partner and publication day.

    Held in ``st.session_state``, not ``st.cache_data``: a check is one user's and goes out of
    date when a return is committed or withdrawn (:func:`forget_checks`).
    """
    from jwmetrics.returns import check_return, sha256_of

    key = (sha256_of(data), file_name, sheet, partner, published_on)
    held = st.session_state.get(CHECKS_KEY)
    if held is None or held["key"] != key:
        check = check_return(
            get_db(), data, file_name, sheet=sheet, partner=partner, published_on=published_on
        )
        held = {"key": key, "check": check}
        st.session_state[CHECKS_KEY] = held
    return held["check"]


def forget_checks() -> None:
    """Drop the session's checked upload; call after a commit or a withdrawal."""
    st.session_state.pop(CHECKS_KEY, None)
