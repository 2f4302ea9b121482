"""Where the reader is in time, and the URL that says so.

The "As known on" field is kept in step with the ``as_of`` query parameter, so a link
carries the date and Back and Forward restore it; when the date is not the latest, a banner
at the top of the page says so ("Showing figures as they stood on 1 June 2001 · Show
latest"), and the sidebar says the same. The day is one per session, whichever page shows
the field, and every link the app draws carries it (:func:`with_as_of`, and the sidebar's
page links in :mod:`dashboard.chrome`). A date typed into the field applies on Enter or on
leaving it (:mod:`dashboard.typed_day` says why it is a text field).

Every page's wanted query parameters are gathered during the run (:func:`want_param`, and
the filters of :func:`url_multiselect` and :func:`url_selectbox`) and written once at its
end (:func:`write_url`): one history entry per choice, however many parameters it changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.cache import cached_first_days, latest_data_date
from dashboard.typed_day import day_field, forget_typing
from jwmetrics.periods import format_date

AS_OF_PARAM = "as_of"
AS_OF_DAY = "as_of_day"  # the day every page shows: None for the newest data
SYNCED_AS_OF = "synced_as_of"  # the as_of query parameter as this session last wrote it
TYPED_AS_OF = "as_of_typed"  # a day just typed: see _typed
PAGE_KEY = "url_page"  # the URL path of the page this run (and, in a callback, the last run) shows
WANTED_KEY = "url_wanted"
EARLIEST_AS_OF = date(1990, 1, 1)
TAB_PARAM = "tab"  # the tab a link opens a page on ("?tab=Areas")

ParamValue = str | list[str]
"""A query parameter's value: one, or a list for a parameter repeated (``?status=A&status=B``)."""

_run = threading.local()  # this script run's slots (each run has its own thread)


# The URL ----------------------------------------------------------------------------------


def begin_url(page: str) -> None:
    """Start a run through app.py of the page at URL path ``page``: nothing wanted of the
    URL yet. A typed day's guard (:func:`_typed`) lasts the run it was typed in and the next."""
    st.session_state[WANTED_KEY] = {}
    st.session_state[PAGE_KEY] = page
    typed = st.session_state.get(TYPED_AS_OF)
    if typed is not None:
        if typed["runs"] <= 0:
            del st.session_state[TYPED_AS_OF]
        else:
            typed["runs"] -= 1
    _run.collecting = True


def _one_or_all(values: list[str]) -> ParamValue:
    return values[0] if len(values) == 1 else values


def current_params() -> dict[str, ParamValue]:
    """The query parameters as they are now, a repeated one as a list."""
    return {name: _one_or_all(st.query_params.get_all(name)) for name in st.query_params}


def want_param(name: str, value: ParamValue | None) -> None:
    """Ask for the query parameter ``name`` to be ``value`` (None or []: absent) after this
    run. A page run without app.py (as ``AppTest.switch_page`` runs it) writes at once."""
    value = _one_or_all(value) if isinstance(value, list) and value else value or None
    if getattr(_run, "collecting", False):
        st.session_state.setdefault(WANTED_KEY, {})[name] = value
    elif current_params().get(name) != value:
        if value is None:
            st.query_params.pop(name, None)
        else:
            st.query_params[name] = value


def write_url() -> dict[str, ParamValue]:
    """Write the wanted query parameters, all at once and only if they changed; return the
    query parameters the page is left with. ``as_of`` is always the day shown, on a page
    without the "As known on" field too.

    Also ends the run's slots: a later run on this thread starts afresh.
    """
    _run.collecting = False
    _run.banner = None
    _run.sidebar_day = None
    wanted: dict[str, ParamValue | None] = st.session_state.get(WANTED_KEY) or {}
    if AS_OF_PARAM not in wanted:  # a page without the field keeps the day in its URL too
        day = chosen_day()
        wanted[AS_OF_PARAM] = st.session_state[SYNCED_AS_OF] = day.isoformat() if day else None
    current = current_params()
    new = {k: v for k, v in current.items() if k not in wanted}
    new.update({k: v for k, v in wanted.items() if v is not None})
    if new != current:
        st.query_params.from_dict(new)
    st.session_state[WANTED_KEY] = {}
    return new


def url_multiselect(
    label: str,
    options: list[str],
    param: str,
    *,
    format_func: Callable[[str], str] = str,
    placeholder: str | None = None,
    key: str | None = None,
) -> list[str]:
    """A multiselect kept in step with the repeated query parameter ``param``.

    A URL that changed since this session last wrote it (a pasted link, Back, Forward, a
    page link) moves the choice; a choice moves the URL. Unknown values in the URL are
    ignored, and letter case does not matter.
    """
    key, synced = key or f"pick_{param}", f"synced_{param}"
    in_url = st.query_params.get_all(param)
    if in_url != st.session_state.get(synced) or key not in st.session_state:
        asked = {value.casefold() for value in in_url}
        st.session_state[key] = [o for o in options if o.casefold() in asked]
    chosen = list(
        st.multiselect(label, options, key=key, format_func=format_func, placeholder=placeholder)
    )
    st.session_state[synced] = chosen
    want_param(param, chosen)
    return chosen


def url_selectbox(label: str, options: list[str], param: str, default: str, *, key: str) -> str:
    """A selectbox kept in step with the query parameter ``param``, which is left out while
    the choice is ``default`` (so a link follows the default as it moves on)."""
    synced = f"synced_{param}"
    in_url = st.query_params.get(param)
    if in_url != st.session_state.get(synced) or st.session_state.get(key) not in options:
        st.session_state[key] = in_url if in_url in options else default
    choice = str(st.selectbox(label, options, key=key))
    written = None if choice == default else choice
    st.session_state[synced] = written
    want_param(param, written)
    return choice


def url_tabs(labels: Sequence[str], *, key: str) -> tuple[str, DeltaGenerator]:
    """Tabs kept in step with the query parameter ``tab`` (absent for the first tab); return
    the open tab's label and container, so a page runs only the open tab's sections.

    Why: every tab's charts and tables cost the browser time to draw even when hidden, and
    a link can open a page on a tab ("?tab=Areas", the overview's "Compare areas" links). A
    URL that changed since this session last wrote it moves the tab; a click on a tab moves
    the URL (one rerun, as for any choice).
    """
    synced = f"synced_{TAB_PARAM}"
    in_url = st.query_params.get(TAB_PARAM)
    if in_url != st.session_state.get(synced) or st.session_state.get(key) not in labels:
        st.session_state[key] = in_url if in_url in labels else labels[0]
    containers = st.tabs(list(labels), key=key, on_change="rerun")
    chosen = str(st.session_state[key])
    written = None if chosen == labels[0] else chosen
    st.session_state[synced] = written
    want_param(TAB_PARAM, written)
    return chosen, containers[list(labels).index(chosen)]


def with_as_of(params: Mapping[str, str] | None = None) -> dict[str, str]:
    """``params`` for a link to another page, with the day shown when it is not the latest."""
    linked = dict(params or {})
    day = chosen_day()
    if day is not None:
        linked[AS_OF_PARAM] = day.isoformat()
    return linked


# The date ---------------------------------------------------------------------------------


def _parse_iso(text: str | None) -> date | None:
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


def _typed() -> None:
    """A day was typed (the field's callback, before the run). Leaving the field by a click
    on a link commits the text and follows the link at once, and the link was drawn with the
    day before. So, for this run and the next, a URL on another page that still carries the
    day before is that stale link, not a choice: the typed day stands. (Back on the page
    itself still moves the day.)"""
    st.session_state[TYPED_AS_OF] = {
        "before": st.session_state.get(SYNCED_AS_OF),
        "page": st.session_state.get(PAGE_KEY),
        "runs": 2,
    }


def stale_link(raw: str | None, typed: Mapping[str, Any] | None, page: str | None) -> bool:
    """Whether ``raw``, the URL's ``as_of`` on ``page``, comes from a link drawn before the
    day ``typed`` (:func:`_typed`) was typed on another page."""
    return typed is not None and raw == typed["before"] and typed["page"] != page


def show_latest(key: str) -> None:
    """The banner's "Show latest": back to the newest data, and the URL without ``as_of``."""
    st.session_state[AS_OF_DAY] = None
    st.session_state[SYNCED_AS_OF] = None
    st.session_state.pop(TYPED_AS_OF, None)
    forget_typing(key)
    st.query_params.pop(AS_OF_PARAM, None)


def first_data_day() -> date:
    """The first day any figure or baseline covers: how far back "Changes since" may go."""
    return min(cached_first_days().values(), default=EARLIEST_AS_OF)


def chosen_day(key: str = "as_of") -> date | None:
    """The day the pages show this run (None: the newest), read before the field is drawn,
    so widgets above it can already follow it (the measure choice).

    A URL that changed since this session last wrote it (a pasted link, Back, Forward)
    moves the day, unless it is a link drawn before a day was just typed (:func:`_typed`);
    the links keep it. ``key``, the page's field, loses any refused text when the URL moves
    the day.
    """
    raw = st.query_params.get(AS_OF_PARAM)
    typed, page = st.session_state.get(TYPED_AS_OF), st.session_state.get(PAGE_KEY)
    moved = raw != st.session_state.get(SYNCED_AS_OF) and not stale_link(raw, typed, page)
    if moved or AS_OF_DAY not in st.session_state:
        st.session_state[AS_OF_DAY] = _parse_iso(raw)
        st.session_state[SYNCED_AS_OF] = raw
        forget_typing(key)
    day: date | None = st.session_state[AS_OF_DAY]
    return None if day == latest_data_date() else day


def as_of_picker(key: str = "as_of") -> date | None:
    """An "As known on" field in step with the URL's ``as_of``; None means the newest data.

    A URL that changed since this session last wrote it (a pasted link, Back, Forward)
    moves the day; a day typed into the field (Enter or Tab) moves the URL. When the day is
    not the newest, the banner and the sidebar say so.
    """
    newest = latest_data_date()
    past = chosen_day(key)
    day_field(
        "As known on",
        key,
        past or newest,
        store=AS_OF_DAY,
        first=EARLIEST_AS_OF,
        latest_ok=True,
        applied=_typed,
        help="Show the figures and statuses as they stood on this date: only figures "
        "published by then count. Type a date, day first (31/12/2001 or 31 Dec 2001), and "
        "press Enter. Left at the newest date (or blank), each series is judged as known on "
        "the day its own newest figure was published.",
    )
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
