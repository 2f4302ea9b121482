"""Sections of the upload page, each a thin view over library results.

Kept out of ``pages/upload.py`` so the page reads top to bottom as the steps a partner
takes: get the template, upload and check a file, read its report and preview, commit.
"""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from dashboard.cache import cached_names
from dashboard.downloads import download
from dashboard.tables import show_table
from dashboard.writes import WriteOutcome, show_success
from jwmetrics.present.files import to_csv_bytes
from jwmetrics.present.return_check import (
    changes_frame,
    error_summary,
    problem_anchor,
    problems_frame,
    report_text,
    row_heading,
    sheet_names,
    summary_text,
)
from jwmetrics.text import plain, plain_frame, plural

if TYPE_CHECKING:
    import pandas as pd
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    from jwmetrics.catalogue import InitiativeProfile
    from jwmetrics.returns import Limits, ReturnCheck

TABLE_ROWS = 50  # problems shown in full up to this many; a scrolling grid beyond
STALE_WARNING = (
    "Another return changed the stored figures after this file was checked, so it was "
    "not committed. It has been checked again against the figures stored now: review "
    "the preview below and commit again."
)


def template_downloads(profiles: list[InitiativeProfile]) -> None:
    """Step 1: pick an initiative and download its return template as CSV or Excel."""
    names = {p.slug: p.name for p in profiles}
    pick, buttons = st.columns([3, 2], vertical_alignment="bottom")
    initiative = pick.selectbox(
        "Initiative for the template", list(names), format_func=names.__getitem__
    )
    row = buttons.container(horizontal=True)
    for label, kind in (("CSV", "csv"), ("Excel", "xlsx")):
        name = f"jwmetrics-return-{initiative}.{kind}"
        download(row, f"Template ({label})", f"template.{kind}", {"initiative": initiative}, name)


PARTNER_HELP = (
    "Who sent the figures (an organisation, such as a council or a charity), for rows without "
    "a partner of their own. You, the uploader, are recorded separately."
)
PARTNER_NEEDED = (
    "Who sent these figures? No partner is named for {rows} of the file: type the "
    "partner in the Partner box above (the organisation that sent the return, not you) to "
    "commit it."
)


def partner_needed(rows: int) -> str:
    """What the page says when ``rows`` rows of a file name no partner and none is typed."""
    return PARTNER_NEEDED.format(rows=plural(rows, "row"))


def upload_inputs(
    limits: Limits, partners: tuple[str, ...] = ()
) -> tuple[UploadedFile | None, str, date, DeltaGenerator]:
    """Step 2's inputs: the file, the partner, the publication day; and the column beside.

    The partner is the uploader's assignment when they have one (fixed when it is one,
    chosen from a list when several); free text for the local user or an uploader with no
    partner assigned.
    """
    left, right = st.columns([3, 2])
    upload = left.file_uploader(  # the size limit is stated once, in the page's caption
        "Return file", type=["csv", "xlsx"], help="A CSV or Excel (.xlsx) file."
    )
    partner = partner_input(right, partners)
    published_on = right.date_input(
        "Published on",
        value=date.today(),
        min_value=date(1990, 1, 1),  # Streamlit's default floor is ten years back
        max_value=date.today(),
        format="DD/MM/YYYY",
        key="published_on",
        help="The day these figures became public. Status 'as known on' a date counts only "
        "figures published by then. Never in the future.",
    )
    return upload, partner, published_on, right


def partner_input(column: DeltaGenerator, partners: tuple[str, ...]) -> str:
    """The partner a return is sent for: assigned, chosen among the assigned, or typed."""
    if len(partners) == 1:
        column.caption(f"**Partner:** {plain(partners[0])} (assigned to you)")
        return partners[0]
    if partners:
        chosen: str = column.selectbox("Partner", list(partners), help=PARTNER_HELP)
        return chosen
    return column.text_input(
        "Partner", help=PARTNER_HELP, placeholder="Who sent it, e.g. Westminster City Council"
    )


def sheet_choice(upload: UploadedFile, data: bytes, column: DeltaGenerator) -> str | None:
    """For a workbook, which sheet holds the return (None: let the check find it)."""
    if not upload.name.lower().endswith(".xlsx"):
        return None
    sheets = sheet_names(data)
    chosen: str | None = column.selectbox(
        "Sheet",
        [None, *sheets],
        format_func=lambda s: "Find the sheet with the return" if s is None else s,
    )
    return chosen


def show_committed(outcome: WriteOutcome) -> None:
    """The file was committed: what it recorded and where to see the new figures."""
    show_success(outcome)
    if outcome.link:
        st.page_link(
            "pages/initiative.py",
            label="See the new figures on the initiative page",
            icon=":material/arrow_forward:",
            query_params=outcome.link,
        )
    st.caption("To send another return, choose another file above.")


def show_error_summary(check: ReturnCheck) -> None:
    """GOV.UK's error summary: "There is a problem", each error a link to its row below.

    Written as HTML with every word from the file escaped, so the only links are the
    summary's own, to anchors on this page.
    """
    if not check.errors:
        return
    many = len(check.problems) > TABLE_ROWS  # beyond that one grid, without row anchors
    with st.container(border=True, key="error_summary"):
        st.subheader(":red[There is a problem]", anchor="there-is-a-problem")
        shown = error_summary(check, cached_names())
        items = [
            f'<li><a href="#{"problems" if many else anchor}">{html.escape(words)}</a></li>'
            for anchor, words in shown[:TABLE_ROWS]
        ]
        if len(shown) > TABLE_ROWS:
            items.append(f"<li>… and {len(shown) - TABLE_ROWS:,} more errors in the list.</li>")
        st.html(f'<ul class="error-summary">{"".join(items)}</ul>')


def show_problems(check: ReturnCheck, problems: pd.DataFrame) -> None:
    """Every error and warning, row by row, each row under its own anchor."""
    heading = f"Errors ({len(check.errors)}) and warnings ({len(check.warnings)})"
    st.subheader(heading, anchor="problems")
    if len(problems) > TABLE_ROWS:
        show_table(problems, key_columns=("Row",))
        return
    names = cached_names()
    rows = list(dict.fromkeys(p.row for p in check.problems))
    for row in rows:
        heading = html.escape(row_heading(check, row, names))  # from the file: escaped
        st.html(f'<p id="{problem_anchor(row)}" class="problem-row">{heading}</p>')  # link target
        mine = (
            problems.loc[problems["Row"].isna()]
            if row is None
            else problems.loc[problems["Row"] == row]
        )
        st.table(plain_frame(mine), hide_index=True)  # st.table renders Markdown: plain text


def show_report(check: ReturnCheck, file_name: str) -> None:
    """The check's summary, every error and warning, and the report and problems to download."""
    show_error_summary(check)
    st.markdown(plain(summary_text(check)))  # names the file and sheet: shown as written
    problems = problems_frame(check)
    if check.problems:
        show_problems(check, problems)
    stem = file_name.rsplit(".", 1)[0]
    downloads = st.container(horizontal=True)
    downloads.download_button(
        "Download this report",
        report_text(check),
        f"{stem}-report.txt",
        "text/plain",
        on_click="ignore",
    )
    downloads.download_button(
        "Problems (CSV)",
        to_csv_bytes(problems),
        f"{stem}-problems.csv",
        "text/csv",
        on_click="ignore",
    )


def show_preview(check: ReturnCheck) -> None:
    """Step 3: how many values are new, revised and unchanged, and each of them."""
    st.subheader("3. Preview")
    counts = check.counts
    metrics = st.columns(3)
    for column, kind in zip(metrics, ("new", "revised", "unchanged"), strict=True):
        column.metric(f"{kind.capitalize()} values", f"{counts[kind]:,}")
    names = cached_names()
    new = changes_frame(check, ("new",), names).drop(columns=["Change", "Old value"])
    revised = changes_frame(check, ("revised",), names).drop(columns=["Change"])
    if len(new):
        st.markdown("**New values**")
        show_table(new)
    if len(revised):
        st.markdown("**Revised values (old → new)**")
        show_table(revised)
    if counts["unchanged"]:
        with st.expander(f"Unchanged values ({counts['unchanged']:,})"):
            show_table(
                changes_frame(check, ("unchanged",), names).drop(columns=["Change", "Old value"])
            )
