"""Real-browser tests of issue 20's dates that stick and keyboard use (items 1 and 10):
a typed "As known on" day applies on Enter, on Tab and on a click elsewhere; the sidebar's
page links keep the day and each page's view; "Changes since" reaches back to the first
figure; the skip link takes the keyboard to the main content; charts are out of the tab
order and described in words; focus is visible.

All on the shared, read-only server (latest data 7 December 2001).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from helpers import assert_no_exception, expect_rerun, open_app, wait_for_app, wait_for_charts
from playwright.sync_api import Locator, Page, expect

ENGLAND = "E92000001"
RSU = f"initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count&area={ENGLAND}"


def query(page: Page) -> dict[str, list[str]]:
    """The page's current query parameters, each with all its values."""
    return parse_qs(urlparse(page.url).query)


def as_known_on(page: Page) -> Locator:
    """The "As known on" text field."""
    return page.get_by_role("textbox", name="As known on")


def banner(page: Page, day: str) -> Locator:
    """The as-known-on banner for ``day`` ("1 June 2001")."""
    return page.get_by_text(f"Showing figures as they stood on {day}")


def sidebar_link(page: Page, title: str) -> Locator:
    """The sidebar's link to the page ``title``."""
    return page.get_by_role("navigation", name="Pages").get_by_role("link", name=title)


def test_a_typed_date_applies_on_enter_and_on_tab(page: Page, app_server: str) -> None:
    open_app(page, f"{app_server}/")
    field = as_known_on(page)
    expect(field).to_have_value("07/12/2001")
    field.fill("1 June 2001")
    with expect_rerun(page):
        field.press("Enter")
    expect(banner(page, "1 June 2001")).to_be_visible()
    expect(field).to_have_value("01/06/2001")  # read the British way, shown one way
    assert query(page)["as_of"] == ["2001-06-01"]

    field.fill("31/03/01")
    with expect_rerun(page):
        field.press("Tab")
    expect(banner(page, "31 March 2001")).to_be_visible()
    assert query(page)["as_of"] == ["2001-03-31"]
    expect(field).not_to_be_focused()  # Tab went on to the next control

    field.fill("31/02/2001")  # no such day: said so, and nothing changes
    with expect_rerun(page):
        field.press("Enter")
    expect(page.get_by_text("'31/02/2001' is not a real day")).to_be_visible()
    expect(banner(page, "31 March 2001")).to_be_visible()
    assert query(page)["as_of"] == ["2001-03-31"]
    assert_no_exception(page)


def test_a_typed_date_then_a_click_on_a_page_link(page: Page, app_server: str) -> None:
    """Typing a day and clicking a sidebar link at once: the click opens the page (it is not
    spent on applying the day), and the day goes with it."""
    open_app(page, f"{app_server}/")
    as_known_on(page).fill("01/06/2001")
    box = sidebar_link(page, "Initiative").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    with expect_rerun(page):
        page.mouse.down()  # leaving the field applies the day...
    with expect_rerun(page):
        page.mouse.up()  # ...and the click still follows the link
    expect(page).to_have_url(re.compile(r"/initiative\?"))
    wait_for_app(page)
    expect(banner(page, "1 June 2001")).to_be_visible()
    expect(as_known_on(page)).to_have_value("01/06/2001")
    assert query(page)["as_of"] == ["2001-06-01"]
    assert_no_exception(page)


def test_the_sidebar_links_keep_the_date_and_the_view(page: Page, app_server: str) -> None:
    """From a past day with a status filter, the sidebar's Initiative link keeps the day;
    its Overview link brings back the day and the filter; a page without the field too."""
    open_app(page, f"{app_server}/?as_of=2001-06-01&status=Grey&status=Amber")
    expect(banner(page, "1 June 2001")).to_be_visible()
    status = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Status")
    expect(status).to_contain_text("○ Grey", timeout=15_000)  # the chips draw after the run
    expect(status).to_contain_text("▲ Amber")

    with expect_rerun(page):
        sidebar_link(page, "Initiative").click()
    expect(page).to_have_url(re.compile(r"/initiative\?(.*&)?as_of=2001-06-01"))
    wait_for_app(page)
    expect(banner(page, "1 June 2001")).to_be_visible()
    expect(sidebar_link(page, "Initiative")).to_have_attribute("aria-current", "page")
    overview = re.compile(r"^/\?(.*&)?as_of=2001-06-01")  # a real address, for a new tab
    expect(sidebar_link(page, "Overview")).to_have_attribute("href", overview)

    with expect_rerun(page):
        sidebar_link(page, "Help").click()  # a page with no date of its own keeps it too
    expect(page).to_have_url(re.compile(r"/help\?(.*&)?as_of=2001-06-01"))
    wait_for_app(page)

    with expect_rerun(page):
        sidebar_link(page, "Overview").click()
    wait_for_app(page)
    assert query(page)["as_of"] == ["2001-06-01"]
    assert query(page)["status"] == ["Amber", "Grey"]  # in the order of the list
    expect(banner(page, "1 June 2001")).to_be_visible()
    assert_no_exception(page)


def test_changes_since_accepts_a_day_in_1998(page: Page, app_server: str) -> None:
    """The figures start in the 1990s: "Changes since" takes 1 January 1998 (it used to stop
    ten years before the day shown)."""
    open_app(page, f"{app_server}/")
    page.get_by_text("Changes since…").click()
    field = page.get_by_role("textbox", name="Changes since")
    field.fill("01/01/1998")
    with expect_rerun(page):
        field.press("Enter")
    expect(field).to_have_value("01/01/1998")
    expect(page.get_by_text("Choose a day")).to_have_count(0)
    changes = page.locator('[data-testid="stExpander"]').filter(has_text="Changes since")
    expect(changes.locator('[data-testid="stDataFrame"]')).to_be_visible()  # 1998 onwards
    assert_no_exception(page)


def test_the_skip_link_reaches_the_main_content_by_keyboard(page: Page, app_server: str) -> None:
    open_app(page, f"{app_server}/{RSU}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    outline = skip.evaluate("(e) => getComputedStyle(e).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2, outline  # the focus can be seen
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="stMain"]')).to_be_focused()
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').contains(document.activeElement)"
    )
    assert inside, "the next Tab after the skip link is not in the main content"


def test_charts_leave_the_tab_order_and_are_described(page: Page, app_server: str) -> None:
    """Plotly's toolbar buttons are not Tab stops; each chart's drawing is an image named
    by its title and figures."""
    open_app(page, f"{app_server}/{RSU}")
    wait_for_charts(page)
    trend = page.locator('[data-testid="stPlotlyChart"]').first
    # plotly adds its toolbar after drawing, and the page's script then takes it out
    expect(trend.locator(".modebar-btn").first).to_have_attribute("tabindex", "-1", timeout=30_000)
    expect(page.locator('.modebar-btn:not([tabindex="-1"])')).to_have_count(0, timeout=30_000)
    drawing = trend.locator('svg.main-svg[role="img"]')
    expect(drawing).to_have_attribute("aria-label", re.compile(r"^Chart: .*Actual: .*1,850"))
