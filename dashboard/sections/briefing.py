"""Briefing on the pages: commentary beside the figures, pack downloads, changes since.

- :func:`show_commentary`: the initiative page's commentary on the chosen measure and area,
  newest version of each, earlier versions on request, and a form for whoever may comment
  (approvers and admins when signed in; everyone in local mode).
- :func:`show_pack_downloads`: one click for the briefing pack (HTML or PDF) of the portfolio
  or of one initiative; each pack is built when clicked and recorded.
- :func:`show_changes_panel`: the overview's "Changes since" panel, from a date the analyst
  picks (by default the day of the last pack).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

import dashboard.auth as app_auth
from dashboard.as_of import first_data_day
from dashboard.cache import (
    cached_change_counts,
    cached_change_page,
    cached_comments,
    cached_last_pack_day,
    cached_names,
    cached_profiles,
    clear_caches,
    get_metrics,
    latest_data_date,
)
from dashboard.tables import DAY_FORMAT, show_table
from dashboard.typed_day import day_field
from jwmetrics.assess import Assessment
from jwmetrics.briefing import COUNT_CAP, PAGE, ChangePage, Comment
from jwmetrics.governance import Action, PermissionDenied
from jwmetrics.periods import format_date
from jwmetrics.present.assessment import short_reason
from jwmetrics.present.change_table import (
    COLUMN_WIDTHS,
    KEY_COLUMNS,
    change_rows,
    changes_in_full,
)
from jwmetrics.present.commentary_text import to_html
from jwmetrics.problems import InputError
from jwmetrics.text import moment, plain

PDF_MIME = "application/pdf"
COMMENT_CHARS = 120  # of a comment's first line in a table's Why column


def comments_for(measure: str, area_code: str) -> list[Comment]:
    """The newest version of each comment on this measure and area, newest period first."""
    mine = [c for c in cached_comments() if c.measure == measure and c.area_code == area_code]
    return sorted(mine, key=lambda c: c.period_end, reverse=True)


def with_commentary(rows: list[Assessment]) -> list[Assessment]:
    """``rows`` carrying each one's newest commentary (its first line, the latest period's),
    for the overview's Why column on request."""
    lines: dict[tuple[str, str], str] = {}
    for comment in sorted(cached_comments(), key=lambda c: c.period_end):
        first = short_reason(comment.text.strip().splitlines()[0], COMMENT_CHARS)
        lines[(comment.measure, comment.area_code)] = f"Commentary ({comment.period}): {first}"
    return [replace(r, commentary=lines.get((r.measure, r.area_code), "")) for r in rows]


def show_commentary(measure: str, area_code: str, period_choices: list[str]) -> None:
    """Commentary on this measure and area, and the form to write or edit one
    (``period_choices``: the series' periods, newest first; the first is the default, and
    only these can be chosen, so a period never outlives the measure it was chosen for)."""
    st.subheader("Commentary")
    shown = comments_for(measure, area_code)
    if not shown:
        st.caption("No commentary yet on this measure in this area.")
    for comment in shown:
        with st.container(border=True):
            _show_comment(comment)
            if comment.versions > 1:
                with st.expander("Earlier versions"):
                    versions = get_metrics().comment_versions(measure, area_code, comment.period)
                    for old in versions[:-1]:
                        _show_comment(old)
    _comment_form(measure, area_code, period_choices)


def _show_comment(comment: Comment) -> None:
    """One version: period, author, when, which version; then the text, safely rendered."""
    version = f" (version {comment.version} of {comment.versions})" if comment.versions > 1 else ""
    st.caption(
        f"{plain(comment.period)}: by {plain(comment.author)} on "
        f"{moment(comment.written_at)}{version}"
    )
    st.html(to_html(comment.text))  # the safe subset: no HTML passes, no link is live


def _comment_form(measure: str, area_code: str, period_choices: list[str]) -> None:
    """Write commentary (a new version when the period has one), for whoever may."""
    actor = app_auth.current_actor()
    if not actor.may(Action.COMMENT):
        st.caption("Approvers and administrators write commentary.")
        return
    if not period_choices:
        st.caption(
            "Commentary is written on a period with a figure; this measure has none in this "
            "area yet."
        )
        return
    with st.form(f"comment_{measure}_{area_code}", clear_on_submit=True, border=True):
        period = st.selectbox(  # this measure's periods only: a new measure, a new list
            "Commentary on the period",
            period_choices,
            index=0,
            key=f"comment_period_{measure}_{area_code}",
            help="The periods this measure has figures for in this area, newest first. Writing "
            "on a period that has commentary adds a version; every one is kept.",
        )
        text = st.text_area(
            "Commentary",
            max_chars=10_000,
            help="Plain text; **strong**, *emphasis* and lists starting '- ' are kept. HTML and "
            "links are shown as text.",
            key="comment_text",
        )
        if st.form_submit_button("Save commentary"):
            try:
                written = get_metrics().add_comment(
                    measure, area_code, period, text, by=actor.name, actor=actor
                )
            except (InputError, PermissionDenied) as exc:
                problems = getattr(exc, "problems", None)
                st.error(plain(problems[0].message if problems else str(exc)))
            else:
                clear_caches()
                st.success(f"Commentary saved (version {written.version}).")


def show_pack_downloads(initiative: str | None, as_of: date | None, key: str) -> None:
    """The briefing pack of ``initiative`` (None: the portfolio) as HTML and PDF; each built,
    and recorded, when its button is clicked."""
    metrics, actor = get_metrics(), app_auth.current_actor()
    day = as_of or latest_data_date()
    since = cached_last_pack_day(initiative)
    stem = f"jwmetrics-briefing-{initiative or 'portfolio'}-{day.isoformat()}"
    st.caption(
        f"Briefing pack as known on {format_date(day)}: the status, reason, chart, latest "
        "figure, commentary and sources of each measure"
        + (f", and what changed since the last pack ({format_date(since)})." if since else ".")
    )
    left, right = st.columns(2)

    def build(file_format: str) -> bytes:
        made = metrics.add_pack(
            initiative, day, file_format=file_format, by=actor.name, actor=actor
        )
        return made.data

    left.download_button(
        "Briefing pack (HTML)",
        lambda: build("html"),
        f"{stem}.html",
        "text/html",
        key=f"{key}_html",
    )
    right.download_button(
        "Briefing pack (PDF)", lambda: build("pdf"), f"{stem}.pdf", PDF_MIME, key=f"{key}_pdf"
    )


CHANGES_SINCE_DAY = "changes_since_day"  # the day typed into "Changes since", if any
CHANGES_PANEL = "changes_panel"  # the panel's expander: open or closed
CHANGES_MORE = "changes_more"  # {"window": (since, day), "after": [per page, per kind]}


def show_changes_panel(as_of: date | None) -> None:
    """The overview's "Changes since" panel: how many statuses, figures, targets and
    commentary changed, and the newest of each a page at a time ("Show more").

    Worked out only while the panel is open (a closed expander costs nothing), and each
    page is a bounded query, so the panel costs the same on a seed database and on millions
    of figures published on one day.
    """
    panel = st.expander(
        "Changes since…", icon=":material/difference:", key=CHANGES_PANEL, on_change="rerun"
    )
    if not panel.open:
        return
    day = as_of or latest_data_date()
    default = cached_last_pack_day(None) or day - timedelta(days=365)
    last = day - timedelta(days=1)
    first = min(first_data_day(), last)  # any day from the first figure
    with panel:
        since = max(first, min(st.session_state.get(CHANGES_SINCE_DAY) or default, last))
        day_field(
            "Changes since",
            "changes_since",
            since,
            store=CHANGES_SINCE_DAY,
            first=first,
            last=last,
            help=f"Any day from {format_date(first)}, typed day first (31/12/2001), then "
            "Enter. By default the day of the last briefing pack.",
        )
        _show_changes(since, day)


def _show_changes(since: date, day: date) -> None:
    """The counts by kind, then the pages shown so far of each kind, and "Show more"."""
    counts = cached_change_counts(since, day)
    if not any(c.count for c in counts):
        st.caption(f"Nothing changed between {format_date(since)} and {format_date(day)}.")
        return
    st.caption(
        f"Between {format_date(since)} and {format_date(day)}: "
        + ", ".join(f"{c.text} {CHANGE_WORDS[c.kind]}" for c in counts)
        + f". The newest {PAGE} of each are listed; figures are counted up to "
        f"{COUNT_CAP:,}, and the command `python -m jwmetrics changes` lists them all."
    )
    pages = _pages_shown(since, day, [c.kind for c in counts if c.count])
    names = cached_names()
    units = {m.slug: m.unit for p in cached_profiles() for m in p.measures}
    changes = [c for page in pages for c in page.records]
    show_table(
        change_rows(changes, names, units),
        key_columns=KEY_COLUMNS,
        column_config=_change_columns(),
    )
    in_full = changes_in_full(changes, names, units)
    if in_full:
        with st.expander("Each reason and target in full"):
            st.markdown("\n".join(in_full))  # one element, not one per change
    newest = {page.kind: page.next_after for page in pages}  # each kind's last page
    more = {kind: after for kind, after in newest.items() if after is not None}
    if more:
        st.button(
            f"Show {PAGE} more",
            key="changes_show_more",
            on_click=_show_more,
            args=(since, day, more),
        )


CHANGE_WORDS = {
    "status": "statuses",
    "figure": "figures",
    "target": "targets",
    "comment": "comments",
}


def _pages_shown(since: date, day: date, kinds: list[str]) -> list[ChangePage]:
    """Every page asked for so far in this window, of each kind in turn (the first page of
    each, then one more per "Show more"), each read once and cached."""
    state = st.session_state.get(CHANGES_MORE)
    asked: list[dict[str, tuple[str, int]]] = (
        state["after"] if state and state["window"] == (since, day) else []
    )
    pages = []
    for kind in kinds:
        pages.append(cached_change_page(kind, since, day, None))
        pages.extend(cached_change_page(kind, since, day, a[kind]) for a in asked if kind in a)
    order = {kind: index for index, kind in enumerate(kinds)}
    return sorted(pages, key=lambda p: order[p.kind])  # stable: each kind's pages in turn


def _show_more(since: date, day: date, after: dict[str, tuple[str, int]]) -> None:
    """Ask for the next page of every kind that has more (kept per window)."""
    state = st.session_state.get(CHANGES_MORE)
    asked = state["after"] if state and state["window"] == (since, day) else []
    st.session_state[CHANGES_MORE] = {"window": (since, day), "after": [*asked, after]}


def _change_columns() -> dict[str, object]:
    """The panel's column widths (:data:`COLUMN_WIDTHS`), its days written the app's way."""
    config: dict[str, object] = {name: {"width": width} for name, width in COLUMN_WIDTHS.items()}
    config["When"] = {
        **st.column_config.DateColumn(format=DAY_FORMAT),
        "width": COLUMN_WIDTHS["When"],
    }
    return config
