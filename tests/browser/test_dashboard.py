"""Real-browser tests of the dashboard: navigation, deep links, accessibility, downloads.

All tests share one server (the session-scoped ``app_server``, fresh SQLite database). Every
screenshot is written to ``test-artifacts/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import openpyxl
from helpers import (
    assert_no_exception,
    expect_rerun,
    format_violations,
    open_app,
    run_axe,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import Locator, Page, expect

ENGLAND = "E92000001"
EYDCP_LINK = f"initiative?initiative=eydcp&measure=new-childcare-places&area={ENGLAND}"
RSU_LINK = f"initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count&area={ENGLAND}"


def query(page: Page) -> dict[str, str]:
    """The page's current query parameters (one value each)."""
    return {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}


def assert_axe_clean(page: Page) -> None:
    """No serious or critical axe violations on the page as it is now."""
    violations = run_axe(page)
    assert not violations, f"axe on {page.url}:\n{format_violations(violations)}"


def status_heading(page: Page, words: str) -> Locator:
    """The initiative page's status heading ("### ★ Achieved"), found by its words."""
    return page.get_by_role("heading", name=re.compile(re.escape(words)))


def selectbox(page: Page, label: str) -> Locator:
    """The Streamlit selectbox whose label is ``label``."""
    return page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(f"^{label}$"))
    )


def test_overview_renders_accessibly(page: Page, narrow_page: Page, app_server: str) -> None:
    """The overview loads without an exception, passes axe, and is captured at two widths."""
    open_app(page, f"{app_server}/")
    expect(page.get_by_role("heading", name="Joined-up public services: overview")).to_be_visible()
    expect(page.get_by_role("heading", name="Rough Sleepers Unit")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    assert_no_exception(page)
    assert_axe_clean(page)
    screenshot(page, "overview-desktop")

    open_app(narrow_page, f"{app_server}/overview")
    expect(narrow_page.get_by_role("heading", name="British Trade International")).to_be_visible()
    assert_no_exception(narrow_page)
    screenshot(narrow_page, "overview-narrow")


def test_page_link_and_history(page: Page, app_server: str) -> None:
    """The overview's page link opens the initiative; back and forward move between them."""
    open_app(page, f"{app_server}/")
    with expect_rerun(page):
        page.get_by_role("link", name="Open Rough Sleepers Unit").click()
    expect(page).to_have_url(re.compile(r"/initiative\?(.*&)?initiative=rough-sleepers-unit"))
    expect(status_heading(page, "On track")).to_be_visible()
    assert_no_exception(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"^[^?]*/(overview)?(\?.*)?$"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Joined-up public services: overview")).to_be_visible()

    page.go_forward()
    expect(page).to_have_url(re.compile(r"/initiative\?(.*&)?initiative=rough-sleepers-unit"))
    wait_for_app(page)
    expect(status_heading(page, "On track")).to_be_visible()
    assert_no_exception(page)


def test_deep_link_renders_accessibly(page: Page, narrow_page: Page, app_server: str) -> None:
    """A pasted link opens EYDCP's new childcare places: Achieved, axe clean, two widths."""
    open_app(page, f"{app_server}/{EYDCP_LINK}")
    assert_no_exception(page)
    expect(status_heading(page, "Achieved")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    assert query(page) == {
        "initiative": "eydcp",
        "measure": "new-childcare-places",
        "area": ENGLAND,
    }
    assert_axe_clean(page)
    screenshot(page, "initiative-desktop")

    open_app(narrow_page, f"{app_server}/{EYDCP_LINK}")
    expect(status_heading(narrow_page, "Achieved")).to_be_visible()
    assert_no_exception(narrow_page)
    screenshot(narrow_page, "initiative-narrow")


def test_measure_choice_updates_url(page: Page, app_server: str) -> None:
    """Choosing another measure in the selectbox rewrites ``measure=`` in the URL."""
    open_app(page, f"{app_server}/{EYDCP_LINK}")
    assert query(page)["measure"] == "new-childcare-places"
    selectbox(page, "Measure").click()
    with expect_rerun(page):
        page.get_by_role("option", name="3 year olds with a free part-time nursery place").click()
    expect(page).to_have_url(re.compile(r"[?&]measure=nursery-places-3-year-olds(&|$)"))
    assert query(page)["initiative"] == "eydcp"
    expect(status_heading(page, "At risk")).to_be_visible()
    assert_no_exception(page)


def test_excel_download_has_the_figures(page: Page, app_server: str) -> None:
    """The initiative page's "Figures (Excel)" file holds rough sleeping's 1,850 and 700."""
    open_app(page, f"{app_server}/{RSU_LINK}")
    assert_no_exception(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Figures (Excel)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    content = Path(download.path()).read_bytes()  # the path has no .xlsx suffix openpyxl wants
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        assert "Figures" in workbook.sheetnames
        values = [cell for row in workbook["Figures"].iter_rows(values_only=True) for cell in row]
    finally:
        workbook.close()
    numbers = {v for v in values if isinstance(v, int | float) and not isinstance(v, bool)}
    assert {1850, 700} <= numbers, f"figures in the workbook: {sorted(numbers)}"
