"""The frame around every page: navigation, page style, the sidebar, the "As known on"
picker, and the message shown instead of an error when the database is busy.

The sidebar's page links are the app's own (:func:`draw_navigation`), not Streamlit's menu,
which drops every query parameter: each link carries the day shown (``as_of``) and the view
that page was last left with in this session (its initiative, measure, area and filters).

The cached data these read come from :mod:`dashboard.cache`; what a page shows inside the frame is
the page's own business.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import OperationalError
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from dashboard.as_of import AS_OF_PARAM, ParamValue, sidebar_day_line
from dashboard.auth import gate_page_run, sidebar_identity
from dashboard.cache import get_metrics
from dashboard.keyboard import AIDS_SCRIPT, FOCUS_STYLE, NAV_KEY
from dashboard.sections.inbox import bell_label
from jwmetrics.db import is_busy_error
from jwmetrics.text import plain

# Streamlit fades captions with opacity 0.6, which puts them below WCAG AA's 4.5:1 contrast
# for small text (3.9:1 on white); grey #595959 at full opacity is 7:1.
READABLE_CAPTIONS = (
    "<style>[data-testid='stCaptionContainer'] {opacity: 1 !important;} "
    "[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p "
    "{color: #595959 !important;}</style>"
)

BUSY_MESSAGE = (
    "The database is busy with another upload or reader. Nothing was lost; please try "
    "again in a moment."
)


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
        st.Page(
            "pages/returns_due.py",
            title="Returns due",
            icon=":material/event_upcoming:",
            url_path="returns-due",
        ),
        st.Page(
            "pages/self_assessment.py",
            title="Self-assessment",
            icon=":material/fact_check:",
            url_path="self-assessment",
        ),
        st.Page(
            "pages/value_for_money.py",
            title="Value for money",
            icon=":material/savings:",
            url_path="value-for-money",
        ),
        st.Page(
            "pages/passport.py",
            title="Measure passport",
            icon=":material/badge:",
            url_path="passport",
        ),
        st.Page(
            "pages/admin.py",
            title="Administration",
            icon=":material/admin_panel_settings:",
            url_path="admin",
        ),
        st.Page("pages/inbox.py", title="Inbox", icon=":material/notifications:", url_path="inbox"),
        st.Page("pages/help.py", title="Help", icon=":material/help:", url_path="help"),
    ]


PAGE_MODULES: dict[str, tuple[str, ...]] = {
    "": (  # the overview
        "jwmetrics.present.tables",
        "jwmetrics.present.files",
        "jwmetrics.present.summary_chart",
        "pandas.io.formats.style",  # the coloured status cells
    ),
    "initiative": (
        "jwmetrics.present.tables",
        "jwmetrics.present.files",
        "jwmetrics.present.trend_chart",
        "jwmetrics.present.spc_chart",
        "jwmetrics.assess.detail",
        "jwmetrics.spc.series",
        "jwmetrics.assess.track_record",
        "jwmetrics.briefing.judgement_record",
        "jwmetrics.present.value_chart",
        "jwmetrics.present.value_tables",
    ),
    "upload": ("jwmetrics.present.files", "jwmetrics.present.return_check"),
    "returns": ("jwmetrics.present.files", "jwmetrics.present.returns_log"),
    "returns-due": (
        "jwmetrics.present.files",
        "jwmetrics.present.tables",
        "jwmetrics.returns.schedule",
    ),
    "self-assessment": (
        "jwmetrics.present.self_assessment_tables",
        "jwmetrics.present.self_assessment_chart",
    ),
    "value-for-money": (
        "jwmetrics.present.value_chart",
        "jwmetrics.present.value_tables",
        "jwmetrics.value.for_money",
    ),
    "admin": (
        "jwmetrics.present.files",
        "jwmetrics.governance.users",
        "jwmetrics.governance.audit",
    ),
    "passport": ("jwmetrics.present.passport", "jwmetrics.passport.record"),
    "inbox": ("jwmetrics.alerts.outbox", "jwmetrics.alerts.watches"),
    "help": ("jwmetrics.present.help_text",),
}
"""What each page (by URL path) imports beyond the frame, for
:func:`dashboard.startup.preload_modules`.

Only a speed-up: a module missing here is imported by the page when it needs it."""


def page_modules(page: StreamlitPage) -> tuple[str, ...]:
    """The modules ``page`` will import, to load ahead on the server's first run."""
    return PAGE_MODULES.get(page.url_path, ())


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
    app.py runs and opens this page with its URL and query parameters intact. Any other
    run of a page without app.py passes the sign-in gate here
    (:func:`dashboard.auth.gate_page_run`).
    """
    if not _navigation["ready"]:
        st.navigation(build_pages(), position="hidden")
        mark_navigation_ready()
        st.rerun()
    gate_page_run()  # a page run without app.py all the same: the sign-in gate (dashboard.auth)


# Metric values and labels, and widget labels, wrap rather than end in "…" in a narrow column.
NO_TRUNCATION = (
    "<style>[data-testid='stMetricValue'] > div, [data-testid='stMetricLabel'] p, "
    "[data-testid='stMetricLabel'] > div, [data-testid='stWidgetLabel'] p "
    "{white-space: normal !important; overflow: visible !important; "
    "text-overflow: clip !important; overflow-wrap: anywhere;} "
    "[data-testid='stMetricValue'] {font-size: clamp(1.4rem, 2.4vw, 2.25rem);} "
    ".st-key-narrow_sidebar {display: none;} "
    "p.problem-row {font-weight: 600; margin: 0.5rem 0 0;} "
    "ul.error-summary a {color: #B00020; font-weight: 600;} "
    ".st-key-as_of_banner {background-color: #FFF4CE; border-color: #B88600 !important;}</style>"
)

NARROW_WIDTH = 1000
"""At this window width or less the sidebar starts collapsed (Streamlit's own "auto" only
collapses it below 768 px), once per browser session, so a reader can open it again."""

COLLAPSE_ON_NARROW = f"""<script>
try {{
  const top = window.parent, key = "jwmetrics-sidebar-auto";
  if (top.innerWidth <= {NARROW_WIDTH} && !top.sessionStorage.getItem(key)) {{
    const collapse = (tries) => {{
      const button = top.document.querySelector(
        '[data-testid="stSidebarCollapseButton"] button');
      if (button) {{ top.sessionStorage.setItem(key, "1"); button.click(); }}
      else if (tries > 0) setTimeout(() => collapse(tries - 1), 100);
    }};
    collapse(50);
  }}
}} catch (error) {{}}
</script>"""


def style_page() -> None:
    """Page-wide style fixes: readable caption contrast, nothing truncated, a visible focus
    ring, charts described for screen readers (:mod:`dashboard.keyboard`), and on a narrow
    window the sidebar collapsed."""
    st.html(READABLE_CAPTIONS + NO_TRUNCATION + FOCUS_STYLE)
    with st.container(key="narrow_sidebar"):  # hidden; the iframe's script still runs
        st.iframe(COLLAPSE_ON_NARROW + AIDS_SCRIPT, height=1)


PAGE_PARAMS = "page_params"
"""Session key: each page's query parameters (``as_of`` aside) as it was last left, by
URL path, for the sidebar's links."""

_nav = threading.local()  # this run's slot for the page links


def draw_navigation(current: StreamlitPage, params: Mapping[str, ParamValue]) -> None:
    """The sidebar's page links, drawn once the page has run (app.py), from ``params``, the
    query parameters it left: every link carries its ``as_of``, and each page's link the
    parameters that page was last left with (the current page's: these)."""
    slot: DeltaGenerator | None = getattr(_nav, "slot", None)
    _nav.slot = None
    remembered: dict[str, dict[str, ParamValue]] = st.session_state.setdefault(PAGE_PARAMS, {})
    remembered[current.url_path] = {k: v for k, v in params.items() if k != AS_OF_PARAM}
    as_of = params.get(AS_OF_PARAM)
    with slot if slot is not None else st.sidebar:
        for page in build_pages():
            query = dict(remembered.get(page.url_path, {}))
            if as_of:
                query[AS_OF_PARAM] = as_of
            label = bell_label() if page.url_path == "inbox" else page.title
            st.page_link(page, label=label, icon=page.icon, query_params=query or None)


def render_sidebar() -> None:
    """The place of the page links (:func:`draw_navigation` fills it), who is using the app
    (or the local-mode warning), the database in use (no secrets) and the date of the latest
    data."""
    db = get_metrics()
    _nav.slot = st.sidebar.container(key=NAV_KEY)
    with st.sidebar:
        st.divider()
        sidebar_identity()
        st.caption(f"**Database:** {plain(db.description)}")
        sidebar_day_line()
        st.caption(
            "Source: National Audit Office, *Joining Up to Improve Public Services* "
            "(HC 383, 2001-02). Each figure cites its paragraph or figure."
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
