"""Where the reader is in time, and the URL that says so.

The "As known on" picker is kept in step with the ``as_of`` query parameter, so a link
carries the date and Back and Forward restore it; when the date is not the latest, a banner
at the top of the page says so ("Showing figures as they stood on 1 June 2001 · Show
latest"), and the sidebar says the same.

Every page's wanted query parameters are gathered during the run (:func:`want_param`) and
written once at its end (:func:`write_url`): one history entry per choice, however many
parameters it changes.
"""

from __future__ import annotations

import threading
from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.cache import latest_data_date
from jwmetrics.periods import format_date

AS_OF_PARAM = "as_of"
SYNCED_AS_OF = "synced_as_of"  # the as_of query parameter as this session last wrote it
WANTED_KEY = "url_wanted"

_run = threading.local()  # this script run's slots (each run has its own thread)


# The URL ----------------------------------------------------------------------------------


def begin_url() -> None:
    """Start a run through app.py: nothing wanted of the URL yet."""
    st.session_state[WANTED_KEY] = {}
    _run.collecting = True


def want_param(name: str, value: str | None) -> None:
    """Ask for the query parameter ``name`` to be ``value`` (None: absent) after this run.

    A page run without app.py (as ``AppTest.switch_page`` runs it) writes at once.
    """
    if getattr(_run, "collecting", False):
        st.session_state.setdefault(WANTED_KEY, {})[name] = value
    elif st.query_params.get(name) != value:
        if value is None:
            st.query_params.pop(name, None)
        else:
            st.query_params[name] = value


def write_url() -> None:
    """Write the wanted query parameters, all at once and only if they changed.

    Also ends the run's slots: a later run on this thread starts afresh.
    """
    _run.collecting = False
    _run.banner = None
    _run.sidebar_day = None
    wanted: dict[str, str | None] = st.session_state.get(WANTED_KEY) or {}
    current = st.query_params.to_dict()
    new = {k: v for k, v in current.items() if k not in wanted}
    new.update({k: v for k, v in wanted.items() if v is not None})
    if new != current:
        st.query_params.from_dict(new)
    st.session_state[WANTED_KEY] = {}


# The date ---------------------------------------------------------------------------------


def _parse_day(text: str | None) -> date | None:
    """An ISO date from the URL, or None when absent or not a date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def open_banner_slot() -> None:
    """Reserve the banner's place at the top of the page (app.py, before the page runs)."""
    _run.banner = st.container()
    _run.sidebar_day = None


def sidebar_day_line() -> None:
    """The sidebar's "Latest data" line, which the picker rewrites when showing the past."""
    _run.sidebar_day = st.empty()
    _run.sidebar_day.caption(f"**Latest data:** {format_date(latest_data_date())}")


def _slot(name: str) -> DeltaGenerator:
    """A slot :func:`open_slots` reserved, or the page itself when run without app.py."""
    slot: DeltaGenerator | None = getattr(_run, name, None)
    return slot if slot is not None else st.container()


def show_latest(key: str) -> None:
    """The banner's "Show latest": back to the newest data, and the URL without ``as_of``."""
    st.session_state[key] = latest_data_date()
    st.session_state[SYNCED_AS_OF] = None
    st.query_params.pop(AS_OF_PARAM, None)


def chosen_day(key: str) -> date | None:
    """The day the picker ``key`` will show this run (None: the newest), read before the
    picker is drawn, so widgets above it can already follow it (the measure choice)."""
    newest = latest_data_date()
    raw = st.query_params.get(AS_OF_PARAM)
    if raw != st.session_state.get(SYNCED_AS_OF) or key not in st.session_state:
        day = _parse_day(raw) or newest
    else:
        day = st.session_state[key]
    return None if day == newest else day


def as_of_picker(key: str = "as_of") -> date | None:
    """An "as known on" date in step with the URL's ``as_of``; None means the newest data.

    A URL that changed since this session last wrote it (a pasted link, Back, Forward)
    moves the picker; a choice in the picker moves the URL. When the date is not the
    newest, the banner and the sidebar say so.
    """
    newest = latest_data_date()
    raw = st.query_params.get(AS_OF_PARAM)
    if raw != st.session_state.get(SYNCED_AS_OF) or key not in st.session_state:
        st.session_state[key] = _parse_day(raw) or newest
    chosen = st.date_input(
        "As known on",
        min_value=date(1990, 1, 1),
        format="DD/MM/YYYY",
        key=key,
        help="Show the figures and statuses as they stood on this date: only figures "
        "published by then count. Left at the newest date, each series is judged as known on "
        "the day its own newest figure was published.",
    )
    past = None if chosen == newest else chosen
    text = None if past is None else past.isoformat()
    st.session_state[SYNCED_AS_OF] = text
    want_param(AS_OF_PARAM, text)
    if past is not None:
        _time_banner(past, newest, key)
    return past


def _time_banner(day: date, newest: date, key: str) -> None:
    """ "Showing figures as they stood on 1 June 2001 · Show latest", and the sidebar too."""
    words = f"Showing figures as they stood on {format_date(day)}"
    with _slot("banner").container(
        border=True, horizontal=True, vertical_alignment="center", key="as_of_banner"
    ):
        st.markdown(f":material/history: **{words}**")
        st.button("Show latest", on_click=show_latest, args=(key,), key="show_latest")
    _slot("sidebar_day").caption(
        f"**Showing:** {format_date(day)} (not the latest)  \n"
        f"**Latest data:** {format_date(newest)}"
    )
