"""Every page's tables and words, walked with AppTest: no cell reads "None", no "(s)" plural,
no raw Markdown or emoji in the overview's Why column, dates the British long way.

The database has what makes empty cells likely: the official snapshot (areas with no target,
no progress, no population), a return with a provisional figure, one self-assessment round
(no earlier score, no change), a remedial action, commentary in Markdown, and value for money
with years of no figure. A grid (``st.dataframe``) may hold a missing value only when it
shows a placeholder other than "None" (:func:`dashboard.tables.show_table` shows a dash); a
Markdown table (``st.table``) may hold none at all.

Conventions of ``tests/app/test_app.py``: a fresh database per test, SQLite (and PostgreSQL
when a server is given), empty Streamlit caches.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest
import streamlit as st
from app_tabs import show_tab
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    ENGLAND,
    app_database,
    assert_no_exception,
    new_app,
)

from dashboard.sections.initiative import SECTIONS
from jwmetrics.metrics.face import Metrics

RETURN = (
    "initiative,measure,area_code,period,value,status\n"
    f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},December 2001,560,provisional\n"
    f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},April 2002,520,final\n"
).encode()
INITIATIVE = "pages/initiative.py"
PAGES: list[tuple[str, dict[str, str]]] = [
    ("pages/overview.py", {}),
    (INITIATIVE, {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count"}),
    (INITIATIVE, {"initiative": "rough-sleepers-unit", "measure": "rough-sleeping-snapshot"}),
    (INITIATIVE, {"initiative": "eydcp", "measure": "nursery-places-3-year-olds"}),
    ("pages/upload.py", {}),
    ("pages/returns_log.py", {}),
    ("pages/returns_due.py", {}),
    ("pages/self_assessment.py", {}),
    ("pages/value_for_money.py", {}),
    ("pages/admin.py", {}),
    ("pages/help.py", {}),
]
"""Every page of the app, the initiative page on three kinds of series."""


@pytest.fixture
def full_app(app_database: str) -> Iterator[str]:  # noqa: F811
    """The seeded database with a bit of everything in it, caches emptied after."""
    with Metrics.open(app_database) as metrics:
        metrics.add_snapshot(uploaded_by="test")
        check = metrics.check_return(
            RETURN, "rsu-2002.csv", partner="Rough Sleepers Unit", published_on=date(2002, 6, 1)
        )
        metrics.commit_return(check, uploaded_by="test", confirm_warnings=True)
        metrics.add_comment(
            "rough-sleepers-count", ENGLAND, "April 2002", "**Target met.** The count fell."
        )
        metrics.add_action(
            "nursery-places-3-year-olds", ENGLAND, "EYDCP lead", "2027-01-04", "Ask for counts"
        )
        template = metrics.self_assessment_template("rough-sleepers-unit").decode("utf-8-sig")
        rows = [r for r in csv.DictReader(io.StringIO(template)) if r["area_code"] == ENGLAND]
        for number, row in enumerate(rows):
            row.update(score=str(1 + number % 4), answered_on="2002-03-01", answered_by="RSU")
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        metrics.add_self_assessment(out.getvalue().encode(), "rsu-board.csv", by="test")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield app_database
    st.cache_data.clear()
    st.cache_resource.clear()


def none_cells(frame: pd.DataFrame, placeholder: str | None) -> list[str]:
    """Where a table reads "None": a cell that says so, or a missing value with no
    placeholder (or "None" as one) to show instead."""
    found = []
    shows_missing = bool(placeholder) and placeholder != "None"
    for column in frame.columns:
        for value in frame[column]:
            missing = value is None or (not isinstance(value, (list, tuple)) and pd.isna(value))
            says_none = not missing and str(value).strip() in ("None", "nan", "<NA>")
            if says_none or (missing and not shows_missing):
                found.append(f"{column}: {value!r}")
    return found


def page_words(at: AppTest) -> str:
    """The page's sentences: headings, markdown, captions, alerts."""
    parts = [*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.info]
    parts += [*at.success, *at.warning, *at.error]
    return "\n".join(str(p.value) for p in parts)


def open_page(path: str, params: dict[str, str]) -> AppTest:
    """A page as a pasted link opens it, in a fresh session."""
    at = new_app().run()
    if path != "pages/overview.py":
        at.switch_page(path)
        at.query_params.clear()
        at.query_params.update({**params, **({"area": ENGLAND} if params else {})})
        at.run()
    assert_no_exception(at)
    return at


def every_view(path: str, params: dict[str, str]) -> Iterator[tuple[str, AppTest]]:
    """The page, and on the initiative page each of its tabs in turn (only the open tab's
    sections run), each with where it is."""
    at = open_page(path, params)
    where = f"{path} {params.get('measure', '')}".strip()
    yield where, at
    if path == INITIATIVE:
        for tab in SECTIONS[1:]:
            show_tab(at, tab)
            assert_no_exception(at)
            yield f"{where}, tab {tab}", at


def test_no_table_on_any_page_reads_none(full_app: str) -> None:
    problems: list[str] = []
    for where, at in (view for path, params in PAGES for view in every_view(path, params)):
        grids = list(at.dataframe)
        for grid in grids:
            found = none_cells(grid.value, grid.proto.placeholder)
            problems += [f"{where}, grid: {cell}" for cell in found]
        for table in at.table:
            problems += [f"{where}, table: {cell}" for cell in none_cells(table.value, None)]
        # The SPC warning "1 figure(s) given as bounds" is jwmetrics/spc's, being reworded there.
        words = page_words(at).replace("figure(s) given as bounds", "")
        problems += [f"{where}: {m}" for m in re.findall(r".{0,30}\w\(s\).{0,10}", words)]
    assert not problems, "\n".join(problems)


def test_the_why_column_shows_commentary_as_words(full_app: str) -> None:
    """Markdown is reduced to its words and no emoji marks the commentary."""
    at = new_app().run()
    at.toggle(key="why_comments").set_value(True).run()
    assert_no_exception(at)
    whys = [str(w) for t in at.table for w in t.value.get("Why", [])]
    mine = [w for w in whys if "The count fell" in w]
    assert mine, whys
    assert all("**" not in w and "\\*" not in w and "💬" not in w for w in whys), mine
    assert "Commentary (April 2002): Target met. The count fell." in mine[0]


def test_dates_in_grids_read_the_british_long_way(full_app: str) -> None:
    """A day column is written "7 December 2026" and a moment "7 December 2026, 13:38"."""
    from dashboard.tables import DAY_FORMAT, MOMENT_FORMAT

    formats: dict[str, str] = {}
    chosen = [PAGES[1], PAGES[5], PAGES[6], PAGES[7], PAGES[9]]
    for _, at in (view for path, params in chosen for view in every_view(path, params)):
        for grid in at.dataframe:
            for name, config in json.loads(grid.proto.columns or "{}").items():
                shown = (config.get("type_config") or {}).get("format")
                if shown:
                    formats[name.removeprefix("col:")] = shown
    assert formats.get("Published") == DAY_FORMAT  # the figures behind a chart
    assert formats.get("When") == MOMENT_FORMAT  # the returns log and the audit log
    assert formats.get("Due") == DAY_FORMAT  # overdue figures
    assert formats.get("Assessed on") == DAY_FORMAT  # self-assessment
    dates = [f for f in formats.values() if "YYYY" in f]
    assert all(f in (DAY_FORMAT, MOMENT_FORMAT) for f in dates), formats


def test_a_pinned_name_column_is_wide_enough_for_its_longest_name(full_app: str) -> None:
    """Streamlit sizes a column by its first rows: the overdue figures' Area column, pinned,
    starts "Adur", "Allerdale" and would clip "Barking and Dagenham"; it gets a medium width."""
    at = open_page("pages/returns_due.py", {})
    widths = {}
    for grid in at.dataframe:
        for name, config in json.loads(grid.proto.columns or "{}").items():
            widths[name.removeprefix("col:")] = (config.get("width"), config.get("pinned"))
    assert widths.get("Area") == ("medium", True), widths
