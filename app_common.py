"""What every page shares: the cached database handle, cached library calls, the sidebar.

Caching lives here, in the app layer, around library calls; :func:`clear_caches` is called
after every write so pages show new figures at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import streamlit as st
from sqlalchemy.exc import OperationalError
from streamlit.navigation.page import StreamlitPage

from jwmetrics.db import Database, is_busy_error
from jwmetrics.detail import (
    SeriesDetail,
    area_choices,
    area_table,
    areas_for_measure,
    series_detail,
)
from jwmetrics.display import as_of_text
from jwmetrics.fmt import plain
from jwmetrics.portfolio import ENGLAND, Assessment, reporting_day, status_table
from jwmetrics.profiles import InitiativeProfile, all_profiles
from jwmetrics.seed import open_seeded
from jwmetrics.spc import SpcResult
from jwmetrics.spc_series import spc_for_series
from jwmetrics.store.known import KnownAt
from jwmetrics.track_record import TrackRecord, track_record

CACHE_SECONDS = 300


@st.cache_resource(show_spinner=False)
def get_db() -> Database:
    """One database handle per server process (opened, migrated and seeded once)."""
    return open_seeded()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_national_status(as_of: date | None) -> list[Assessment]:
    """The status of every measure for England as at ``as_of`` (None: the newest data)."""
    return status_table(get_db(), as_of=as_of, area_codes=[ENGLAND])


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_profiles(as_of: date | None = None) -> list[InitiativeProfile]:
    """Every initiative's profile: partners and spend as known on ``as_of`` (None: now)."""
    return all_profiles(get_db(), KnownAt.on(as_of) if as_of else None)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_detail(measure: str, area: str, as_of: date | None) -> SeriesDetail:
    """One series in full."""
    return series_detail(get_db(), measure, area, as_of)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def latest_data_date() -> date:
    """When the newest figure was recorded: the default reporting date."""
    with get_db().session() as session:
        return reporting_day(session)


def clear_caches() -> None:
    """Forget every cached result; call after any write."""
    st.cache_data.clear()


# Streamlit fades captions with opacity 0.6, which puts them below WCAG AA's 4.5:1 contrast
# for small text (3.9:1 on white); grey #595959 at full opacity is 7:1.
READABLE_CAPTIONS = (
    "<style>[data-testid='stCaptionContainer'] {opacity: 1 !important;} "
    "[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p "
    "{color: #595959 !important;}</style>"
)


def style_page() -> None:
    """Page-wide style fixes: readable caption contrast."""
    st.html(READABLE_CAPTIONS)


def render_sidebar() -> None:
    """The database in use (no secrets) and the date of the latest data."""
    db = get_db()
    with st.sidebar:
        st.caption(f"**Database:** {plain(db.description)}")
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
        help="Show the figures and statuses as they stood on this date: only figures "
        "published by then count. Left at the newest date, each series is judged as known on "
        "the day its own newest figure was published.",
    )
    return None if chosen == newest else chosen


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_spc(measure: str, area: str, as_of: date | None) -> SpcResult:
    """The XmR chart of one series."""
    return spc_for_series(get_db(), measure, area, as_of)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_track_record(initiative: str) -> TrackRecord:
    """The track record of one initiative's targets."""
    return track_record(get_db(), initiative)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_areas(measure: str) -> dict[str, str]:
    """Areas to offer for a measure: code to name."""
    return areas_for_measure(get_db(), measure)


# --------------------------------------------------------------------------------------------
# Returns: templates, checks of uploaded files, the returns log
# --------------------------------------------------------------------------------------------

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # kept here, beside the functions that need them
    import pandas as pd

    from jwmetrics.returns import RecordedChange, ReturnCheck

CHECKS_KEY = "upload_checks"
"""Session key of the checked upload: ``{"key": (sha256, sheet, partner), "check": ...}``."""


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_template(initiative: str, kind: str) -> bytes:
    """The return template of ``initiative`` as "csv" or "xlsx" bytes."""
    from jwmetrics.return_template import template_csv, template_xlsx

    make = template_xlsx if kind == "xlsx" else template_csv
    return make(get_db(), initiative)


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


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_returns_log() -> pd.DataFrame:
    """Every return, newest first, as a frame with dates as values."""
    from jwmetrics.returns import returns_log
    from jwmetrics.returns_view import returns_log_frame

    return returns_log_frame(returns_log(get_db()))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_return_changes(return_id: int) -> list[RecordedChange]:
    """What one return recorded, beside the values current just before it."""
    from jwmetrics.returns import return_changes

    return return_changes(get_db(), return_id)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_area_choices() -> dict[str, str]:
    """England, each region, or every local authority: what an area table can list."""
    return area_choices(get_db())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached_area_table(measure: str, parent: str, as_of: date | None) -> list[Assessment]:
    """Each area under ``parent`` with its latest figure and status for ``measure``."""
    return area_table(get_db(), measure, parent, as_of)


def build_pages() -> list[StreamlitPage]:
    """The app's pages, in menu order (used by app.py and by :func:`route_through_app`)."""
    return [
        st.Page(
            "pages/overview.py",
            title="Overview",
            icon=":material/dashboard:",
            default=True,  # served at "/": Streamlit gives the default page no path of its own
        ),
        st.Page(
            "pages/initiative.py",
            title="Initiative",
            icon=":material/query_stats:",
            url_path="initiative",
        ),
        st.Page(
            "pages/upload.py",
            title="Upload a return",
            icon=":material/upload_file:",
            url_path="upload",
        ),
        st.Page(
            "pages/returns_log.py",
            title="Returns log",
            icon=":material/history:",
            url_path="returns",
        ),
    ]


_navigation = {"ready": False}


def mark_navigation_ready() -> None:
    """Called by app.py once ``st.navigation`` has run in this server process."""
    _navigation["ready"] = True


def route_through_app() -> None:
    """Rerun through app.py if Streamlit started this page directly.

    Streamlit 1.67 keeps its older multipage behaviour for an app with a ``pages/`` folder
    until ``st.navigation`` has run once in the process: the very first request after the
    server starts, if it is a deep link such as ``/initiative?...``, executes the page file
    alone, without app.py's navigation and sidebar. Each page calls this first; on that one
    run it declares the navigation (which switches the old behaviour off) and reruns, so
    app.py runs and opens this page with its URL and query parameters intact.
    """
    if not _navigation["ready"]:
        st.navigation(build_pages(), position="hidden")
        mark_navigation_ready()
        st.rerun()


BUSY_MESSAGE = (
    "The database is busy with another upload or reader. Nothing was lost; please try "
    "again in a moment."
)


@contextmanager
def database_busy_guard() -> Iterator[None]:
    """Show a busy database as a message with a retry button, never as a raw error.

    SQLite waits up to 30 seconds for a lock before giving up, PostgreSQL until a
    connection is free; past that the reader gets this message instead of a traceback.
    """
    try:
        yield
    except OperationalError as exc:
        if not is_busy_error(exc):
            raise
        st.warning(BUSY_MESSAGE, icon=":material/hourglass_top:")
        st.button("Try again", key="busy_retry")
