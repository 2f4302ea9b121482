"""Real-browser tests of the upload and returns-log pages, through the real file picker.

These tests write to the database, so they start their own server with a fresh SQLite
database (``start_streamlit()``) instead of sharing the session's ``app_server``; the other
browser tests keep seeing the report's figures only. Screenshots go to
``test-artifacts/screenshots/`` (upload-desktop, upload-errors, returns-log-desktop).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from helpers import (
    assert_no_exception,
    expect_rerun,
    format_violations,
    open_app,
    open_tab,
    run_axe,
    screenshot,
    wait_for_app,
    wait_for_charts,
    warmed_streamlit,
)
from playwright.sync_api import Browser, Page, expect

ENGLAND = "E92000001"
MESSY = (
    "Rough Sleepers Unit: return for June 2002\r\n"
    "\r\n"
    "Initiative;Measure;Area Code;Area Name;Period;Value;Note\r\n"
    f"rough-sleepers-unit;rough-sleepers-count;{ENGLAND};England;June 2002;532;"
    "street count, cost £1.2m\r\n"
    f"rough-sleepers-unit;rough-sleepers-count;{ENGLAND};England;June 2001;650;re-counted\r\n"
).encode("cp1252")
WITH_ERRORS = (
    "initiative,measure,area_code,period,value\n"
    f"rough-sleepers-unit,rough-sleeper-count,{ENGLAND},June 2002,532\n"
    "rough-sleepers-unit,rough-sleepers-count,E99999999,June 2003,-5\n"
).encode()


@pytest.fixture(scope="module")
def upload_server(browser: Browser) -> Iterator[str]:
    """A server of its own, on a fresh SQLite database, for tests that commit returns.

    The entry point is opened once first, so these tests do not depend on the one-off
    rerun with which a page routes the server's very first request through app.py
    (``route_through_app``; tests/browser/test_first_request.py covers that case).
    """
    with warmed_streamlit(browser) as base_url:
        yield base_url


def assert_axe_clean(page: Page) -> None:
    """No serious or critical axe violations on the page as it is now."""
    violations = run_axe(page)
    assert not violations, f"axe on {page.url}:\n{format_violations(violations)}"


def choose_file(page: Page, name: str, data: bytes) -> None:
    """Pick ``data`` as ``name`` in the "Return file" uploader and wait for the check."""
    uploader = page.locator('[data-testid="stFileUploader"]')
    with expect_rerun(page):
        uploader.locator('input[type="file"]').set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": data}
        )
    wait_for_app(page)


def enter_partner(page: Page, name: str) -> None:
    """Type the partner and commit it with Enter.

    On a loaded machine the browser sometimes sends the first keystrokes before the page's
    widgets are live, and that Enter starts no rerun; the value is then entered once more.
    """
    partner = page.get_by_role("textbox", name="Partner")
    for attempt in range(2):
        try:
            with expect_rerun(page, timeout_ms=15_000):
                partner.fill("")
                partner.fill(name)
                partner.press("Enter")
            return
        except AssertionError:
            if attempt:
                raise


def test_upload_messy_csv_and_commit(page: Page, upload_server: str) -> None:
    """A Windows-1252, semicolon, title-row CSV is read, previewed and committed."""
    open_app(page, f"{upload_server}/upload")
    expect(page.get_by_role("heading", name="Upload a return")).to_be_visible()
    expect(page.get_by_text("at most 20 MB and 200,000 rows").first).to_be_visible()
    expect(page.get_by_role("button", name="Template (CSV)")).to_be_visible()
    assert_no_exception(page)
    assert_axe_clean(page)
    # The page ends early until a file is chosen; its sidebar still links every page.
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Overview")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Returns log")).to_be_visible()

    enter_partner(page, "Rough Sleepers Unit")
    choose_file(page, "rough-sleeping-june-2002.csv", MESSY)
    assert_no_exception(page)
    expect(page.get_by_text("(cp1252, delimiter ';')", exact=False)).to_be_visible()
    expect(page.get_by_text("Would record 1 new and 1 revised value,")).to_be_visible()
    expect(page.get_by_text("New values", exact=True).first).to_be_visible()
    commit = page.get_by_role("button", name="Commit this return")
    # Revising June 2001's final 700 is a warning: the box must be ticked before the commit.
    expect(page.get_by_text("revises a value marked final (was 700)")).to_be_visible()
    warnings = page.get_by_test_id("stCheckbox").filter(has_text="I have checked the warnings")
    expect(warnings).to_be_visible()  # waits, unlike a count(), for the end of the rerun
    expect(commit).to_be_disabled()
    with expect_rerun(page):
        warnings.get_by_text("I have checked the warnings").click()
    expect(warnings.get_by_role("checkbox")).to_be_checked()
    expect(commit).to_be_enabled()
    assert_axe_clean(page)
    screenshot(page, "upload-desktop")

    with expect_rerun(page):
        commit.click()
    expect(page.get_by_text("Return 1 committed: 1 new, 1 revised, 0 unchanged")).to_be_visible()
    assert_no_exception(page)

    with expect_rerun(page):
        page.get_by_role("link", name="See the new figures on the initiative page").click()
    expect(page).to_have_url(re.compile(r"/initiative\?.*measure=rough-sleepers-count"))
    wait_for_app(page)
    figures = page.locator('[data-testid="stMetric"]').filter(has_text=re.compile("^Latest figure"))
    expect(figures).to_contain_text("532")
    assert_no_exception(page)


def test_upload_errors_block_the_commit(page: Page, upload_server: str) -> None:
    """A file with mistakes lists each with its row and column; commit stays disabled."""
    open_app(page, f"{upload_server}/upload")
    choose_file(page, "with-errors.csv", WITH_ERRORS)
    assert_no_exception(page)
    expect(page.get_by_text("Commit is not possible: fix the 3 errors")).to_be_visible()
    expect(page.get_by_role("button", name="Commit this return")).to_be_disabled()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download this report").click()
    report = info.value.path().read_text(encoding="utf-8")
    assert "ERROR: with-errors.csv, row 2, column 'measure'" in report
    with page.expect_download() as info:
        page.get_by_role("button", name="Problems (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert [(r["Row"], r["Column"]) for r in rows] == [
        ("2", "measure"),
        ("3", "area_code"),
        ("3", "value"),
    ]
    # GOV.UK's error summary: each error a link to its row's entry in the problems list.
    summary = page.locator(".st-key-error_summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    links = summary.locator('a[href*="#problem"]')  # not the heading's own anchor link
    expect(links).to_have_count(3)
    expect(links.nth(1)).to_contain_text("Row 3: People counted sleeping rough in England")
    expect(links.nth(1)).to_contain_text("area E99999999")
    assert links.nth(1).get_attribute("href").endswith("#problem-row-3")
    links.nth(1).click()
    expect(page).to_have_url(re.compile(r"#problem-row-3$"))
    expect(page.locator("#problem-row-3")).to_be_attached()
    entry = page.locator("#problem-row-3")
    expect(entry).to_have_text("Row 3: People counted sleeping rough in England, area E99999999")
    expect(entry).to_be_in_viewport()
    assert_axe_clean(page)
    screenshot(page, "upload-errors")


def test_returns_log_lists_and_downloads(page: Page, upload_server: str) -> None:
    """The log shows the committed return, what it changed, and downloads as CSV."""
    open_app(page, f"{upload_server}/returns")
    expect(page.get_by_role("heading", name="Returns log")).to_be_visible()
    assert_no_exception(page)
    expect(page.get_by_role("button", name="Withdraw this return")).to_be_disabled()
    with page.expect_download() as info:
        page.get_by_role("button", name="Log (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert [(r["Id"], r["File"], r["Partner"], r["Outcome"]) for r in rows] == [
        ("1", "rough-sleeping-june-2002.csv", "Rough Sleepers Unit", "committed")
    ]
    assert_axe_clean(page)
    screenshot(page, "returns-log-desktop")


LONDON = "E12000007"
WITH_GAPS = (
    "initiative,measure,area_code,period,value\n"
    f"rough-sleepers-unit,rough-sleepers-count,{LONDON},June 2002,300\n"
    f"rough-sleepers-unit,rough-sleepers-count,{LONDON},June 2003,..\n"
    f"rough-sleepers-unit,rough-sleepers-count,{LONDON},June 2004,x\n"
    f"rough-sleepers-unit,rough-sleepers-count,{LONDON},June 2005,250\n"
    f"rough-sleepers-unit,rough-sleepers-count,{LONDON},June 2006,240\n"
).encode()


def test_missing_markers_are_never_plotted(page: Page, upload_server: str) -> None:
    """ ".." and "x" from a return are gaps on the chart, noted at the foot, never a value."""
    open_app(page, f"{upload_server}/upload")
    enter_partner(page, "Greater London Authority")
    choose_file(page, "london-gaps.csv", WITH_GAPS)
    with expect_rerun(page):
        page.get_by_role("button", name="Commit this return").click()
    expect(page.get_by_text(re.compile("^Return 2 committed"))).to_be_visible()

    link = f"initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count&area={LONDON}"
    open_app(page, f"{upload_server}/{link}")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".main-svg").first).to_be_visible()
    actual = chart.evaluate(
        "(el) => el.querySelector('.js-plotly-plot').data.find((t) => t.name === 'Actual')"
    )
    assert actual is not None, chart.evaluate(
        "(el) => el.querySelector('.js-plotly-plot').data.map((t) => t.name)"
    )
    assert actual["y"] == [300, None, None, 250, 240]
    notes = chart.evaluate(
        "(el) => el.querySelector('.js-plotly-plot').layout.annotations.map((a) => a.text)"
    )
    assert ".." in notes and "x" in notes
    assert_no_exception(page)
    screenshot(page, "initiative-gaps")


def test_area_level_travels_in_the_link(page: Page, upload_server: str) -> None:
    """``level=`` opens that list of areas; choosing another puts it in the URL."""
    link = (
        "initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count"
        f"&area={LONDON}&level={LONDON}"
    )
    open_app(page, f"{upload_server}/{link}")
    open_tab(page, "Areas")  # the initiative page's areas are a tab of their own
    level = page.get_by_role("combobox", name="Areas under")
    expect(level).to_have_value("London: its local authorities")
    # Chosen by keyboard, as a screen-reader user would: type into the combobox and press
    # Enter. The list sits below the charts, and a pointer click raced their drawing (the
    # list opened, then closed as the page grew under it).
    wait_for_charts(page)
    level.focus()
    level.press_sequentially("England: the regions")
    expect(page.get_by_role("option", name="England: the regions")).to_be_visible()
    with expect_rerun(page):
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]level={ENGLAND}(&|$)"))
    assert_no_exception(page)
