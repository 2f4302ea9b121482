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
    open_tab,
    run_axe,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import Locator, Page, expect

ENGLAND = "E92000001"
EYDCP_LINK = f"initiative?initiative=eydcp&measure=new-childcare-places&area={ENGLAND}"
OVERVIEW_TITLE = "Joined-up public services: overview"


def query(page: Page) -> dict[str, str]:
    """The page's current query parameters (one value each)."""
    return {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}


def status_heading(page: Page, words: str) -> Locator:
    """The initiative page's status heading ("### ★ Achieved"), found by its words."""
    return page.get_by_role("heading", name=re.compile(re.escape(words)))


def selectbox(page: Page, label: str) -> Locator:
    """The Streamlit selectbox whose label is ``label``."""
    return page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(f"^{label}$"))
    )


SHOWN_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter((chart) => {
        const panel = chart.closest('[role="tabpanel"]');
        return panel === null || panel.checkVisibility();
    })
    .every((chart) => chart.querySelector('.main-svg') !== null)"""
"""True once every chart not in a hidden tab has drawn its SVG (a hidden tab's charts are
drawn when the tab is opened)."""


def wait_rendered(page: Page) -> None:
    """Wait until every element has replaced its loading skeleton and every chart is drawn.

    ``wait_for_app`` returns once the script has finished, but Streamlit draws tables, charts,
    page links and buttons from lazily loaded code, showing grey skeletons until then; a
    screenshot or axe run before that sees placeholders. Charts in tabs not shown are not
    waited for.
    """
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=30_000)
    page.wait_for_function(SHOWN_CHARTS_DRAWN, timeout=30_000, polling=50)


def open_rendered(page: Page, url: str | None = None) -> None:
    """Open ``url``, wait for the script run and for everything to be drawn; no exception.

    Without ``url``, wait for the page already navigated (see :func:`start_loading`).
    """
    if url is None:
        page.wait_for_load_state("domcontentloaded")
        wait_for_app(page)
    else:
        open_app(page, url)
    wait_rendered(page)
    assert_no_exception(page)


def start_loading(page: Page, url: str) -> None:
    """Start navigating ``page`` without waiting, so that two viewports load side by side."""
    page.goto(url, wait_until="commit")


def test_overview_renders(page: Page, narrow_page: Page, app_server: str) -> None:
    """The overview loads without an exception and is captured at 1366 and 800 px."""
    start_loading(narrow_page, f"{app_server}/")
    open_rendered(page, f"{app_server}/")
    expect(page.get_by_role("heading", name=OVERVIEW_TITLE)).to_be_visible()
    for name in ("Rough sleepers", "Rough Sleepers Unit", "British Trade International"):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stTable"]')).to_have_count(6)  # 5 initiatives, costs
    screenshot(page, "overview-desktop")

    open_rendered(narrow_page)
    expect(narrow_page.get_by_role("heading", name="British Trade International")).to_be_visible()
    screenshot(narrow_page, "overview-narrow")


def test_overview_is_the_home_page(page: Page, app_server: str) -> None:
    """The overview is the default page, served at "/", with no "Page not found" dialog."""
    open_rendered(page, f"{app_server}/initiative")
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name=OVERVIEW_TITLE)).to_be_visible()
    assert page.url.rstrip("/") == app_server
    dialogs = page.get_by_role("dialog").all_inner_texts()
    assert not dialogs, f"dialog on the overview: {dialogs}"


def test_pages_pass_axe(page: Page, app_server: str) -> None:
    """axe finds no serious or critical violation on the overview or an initiative page."""
    found: list[str] = []
    for path in ("/", f"/{EYDCP_LINK}"):
        open_rendered(page, f"{app_server}{path}")
        violations = run_axe(page)
        if violations:
            found.append(f"axe on {path}:\n{format_violations(violations)}")
    assert not found, "\n".join(found)


def open_rough_sleepers_from_overview(page: Page, app_server: str) -> None:
    """Open the overview and follow its "Open Rough Sleepers Unit" page link."""
    open_app(page, f"{app_server}/")
    with expect_rerun(page):
        page.get_by_role("link", name="Open Rough Sleepers Unit").click()
    expect(page).to_have_url(re.compile(r"/initiative\?(.*&)?initiative=rough-sleepers-unit"))
    wait_for_app(page)


def test_page_link_opens_initiative_with_excel_figures(page: Page, app_server: str) -> None:
    """The overview's page link lands on rough sleeping, at risk; its Excel has 1,850 and 700."""
    open_rough_sleepers_from_overview(page, app_server)
    assert urlparse(page.url).path == "/initiative"
    assert query(page)["initiative"] == "rough-sleepers-unit"
    assert query(page)["measure"] == "rough-sleepers-count"
    expect(status_heading(page, "Amber")).to_be_visible()
    assert_no_exception(page)

    open_tab(page, "Figures")
    with page.expect_download() as info:
        page.get_by_role("button", name="Figures (Excel)").click()
    download = info.value
    assert download.suggested_filename == f"jwmetrics-rough-sleepers-count-{ENGLAND}.xlsx"
    content = Path(download.path()).read_bytes()  # the path has no .xlsx suffix openpyxl wants
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        assert "Figures" in workbook.sheetnames
        values = [cell for row in workbook["Figures"].iter_rows(values_only=True) for cell in row]
    finally:
        workbook.close()
    numbers = {v for v in values if isinstance(v, int | float) and not isinstance(v, bool)}
    assert {1850, 700} <= numbers, f"figures in the workbook: {sorted(numbers)}"


def test_back_and_forward(page: Page, app_server: str) -> None:
    """After the page link, Back shows the overview and Forward the initiative again."""
    open_rough_sleepers_from_overview(page, app_server)

    page.go_back()
    wait_for_app(page)
    assert urlparse(page.url).path in ("/", "/overview"), f"Back went to {page.url}"
    assert "initiative" not in query(page), f"Back went to {page.url}"
    expect(page.get_by_role("heading", name=OVERVIEW_TITLE)).to_be_visible()

    page.go_forward()
    wait_for_app(page)
    assert urlparse(page.url).path == "/initiative", f"Forward went to {page.url}"
    assert query(page)["initiative"] == "rough-sleepers-unit"
    expect(status_heading(page, "Amber")).to_be_visible()
    assert_no_exception(page)


def test_deep_link_opens_initiative(page: Page, narrow_page: Page, app_server: str) -> None:
    """A pasted link opens EYDCP's new childcare places, Achieved; captured at two widths."""
    start_loading(narrow_page, f"{app_server}/{EYDCP_LINK}")
    open_rendered(page, f"{app_server}/{EYDCP_LINK}")
    expect(status_heading(page, "Achieved")).to_be_visible()
    assert query(page) == {
        "initiative": "eydcp",
        "measure": "new-childcare-places",
        "area": ENGLAND,
    }
    screenshot(page, "initiative-desktop")

    open_rendered(narrow_page)
    expect(status_heading(narrow_page, "Achieved")).to_be_visible()
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
    expect(status_heading(page, "Amber")).to_be_visible()
    assert_no_exception(page)
