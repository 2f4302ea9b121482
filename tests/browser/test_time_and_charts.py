"""Real-browser tests of issue 10's fixes on the shared, read-only server: where the reader
is in time (the banner, ``as_of`` in links, Back and Forward), the status first on the
initiative page, a status bar that opens its initiative, and honest charts (value cards for
one or two figures, a bound drawn as an open arrow).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from helpers import (
    assert_no_exception,
    expect_rerun,
    open_app,
    open_tab,
    screenshot,
    wait_for_app,
)
from playwright.sync_api import Locator, Page, expect

ENGLAND = "E92000001"
RSU = f"initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count&area={ENGLAND}"
NURSERY_3 = f"initiative?initiative=eydcp&measure=nursery-places-3-year-olds&area={ENGLAND}"
BANNER = "Showing figures as they stood on 1 June 2001"


def query(page: Page) -> dict[str, str]:
    """The page's current query parameters (one value each)."""
    return {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}


def expect_date(page: Page, shown: str) -> None:
    """The "As known on" field shows ``shown`` ("01/06/2001")."""
    expect(page.get_by_role("textbox", name="As known on")).to_have_value(shown)


def banner(page: Page) -> Locator:
    """The as-known-on banner."""
    return page.get_by_text(BANNER)


def test_as_of_link_shows_the_banner_and_show_latest(page: Page, app_server: str) -> None:
    """``?as_of=`` opens the past, says so on the page and in the sidebar; Show latest and
    Back and Forward move between the two, one history entry each."""
    open_app(page, f"{app_server}/{RSU}&as_of=2001-06-01")
    expect(banner(page)).to_be_visible()
    expect_date(page, "01/06/2001")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("1 June 2001 (not the latest)")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "initiative-as-of-banner")

    with expect_rerun(page):
        page.get_by_role("button", name="Show latest").click()
    expect(banner(page)).to_have_count(0)
    assert "as_of" not in query(page)
    assert query(page)["initiative"] == "rough-sleepers-unit"
    expect_date(page, "07/12/2001")

    page.go_back()  # one step back: the past again, not an intermediate URL
    wait_for_app(page)
    assert query(page).get("as_of") == "2001-06-01", page.url
    expect(banner(page)).to_be_visible()
    expect_date(page, "01/06/2001")
    page.go_forward()
    wait_for_app(page)
    assert "as_of" not in query(page)
    expect(banner(page)).to_have_count(0)


def test_overview_link_carries_the_date(page: Page, app_server: str) -> None:
    """On the overview in the past, an initiative's link keeps the date."""
    open_app(page, f"{app_server}/?as_of=2001-06-01")
    expect(banner(page)).to_be_visible()
    with expect_rerun(page):
        page.get_by_role("link", name="Open Rough Sleepers Unit").click()
    expect(page).to_have_url(re.compile(r"/initiative\?.*as_of=2001-06-01"))
    wait_for_app(page)
    expect(banner(page)).to_be_visible()
    assert_no_exception(page)


def test_initiative_page_shows_status_before_chart_and_profile(page: Page, app_server: str) -> None:
    """Titled by the initiative and measure; the status on the first screen, then the
    sections as tabs, the trend first; the figures and the profile a tab away."""
    open_app(page, f"{app_server}/{RSU}")
    title = "Rough Sleepers Unit: People counted sleeping rough in England"
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    status = page.get_by_role("heading", name=re.compile("Amber"))
    tabs = page.get_by_role("tab", name="Trend", exact=True)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    for item in (status, tabs, chart):
        expect(item).to_be_visible()
    tops = [item.bounding_box()["y"] for item in (status, tabs, chart)]  # type: ignore[index]
    assert tops == sorted(tops), f"not status, tabs, chart: {tops}"
    assert tops[0] < 700, "the status should be on the first screen"
    open_tab(page, "Figures")
    expect(page.get_by_text("Figures and where they came from")).to_be_visible()
    open_tab(page, "About")
    expect(page.get_by_role("heading", name="About Rough Sleepers Unit")).to_be_visible()


def test_status_bar_opens_its_initiative(page: Page, app_server: str) -> None:
    """A click on a bar of the overview's status chart opens that initiative."""
    open_app(page, f"{app_server}/")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".main-svg").first).to_be_visible()
    chart.scroll_into_view_if_needed()  # below "Off track and why": a click must see it
    # The top row of bars is Rough Sleepers Unit; a zero count draws an empty segment.
    segments = chart.locator(".barlayer .point path")
    boxes = [segments.nth(i).bounding_box() for i in range(segments.count())]
    drawn = [b for b in boxes if b and b["width"] > 2 and b["height"] > 2]
    top = min(drawn, key=lambda b: b["y"])
    with expect_rerun(page):
        page.mouse.click(top["x"] + top["width"] / 2, top["y"] + top["height"] / 2)
    expect(page).to_have_url(re.compile(r"/initiative\?.*initiative=rough-sleepers-unit"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile("^Rough Sleepers Unit: "))).to_be_visible()
    assert_no_exception(page)


def test_one_figure_is_a_value_card_and_a_bound_an_open_arrow(page: Page, app_server: str) -> None:
    """ "Over 50%" is a value card saying so, and on the chart an open arrow, not a point."""
    open_app(page, f"{app_server}/{NURSERY_3}")
    cards = page.locator('[data-testid="stMetric"]').filter(has_text="March 2001")
    expect(cards).to_contain_text("over 50%")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".main-svg").first).to_be_visible()
    actual = chart.evaluate(
        "(el) => el.querySelector('.js-plotly-plot').data.find((t) => t.name === 'Actual')"
    )
    assert actual["marker"]["symbol"] == ["triangle-up-open"]
    assert "lines" not in actual["mode"]  # one figure is no line
    assert any("over 50%" in h for h in actual["hovertext"])
    notes = chart.evaluate(
        "(el) => el.querySelector('.js-plotly-plot').layout.annotations.map((a) => a.text)"
    )
    assert any(n.startswith("Source:") for n in notes)
    screenshot(page, "initiative-bound")


def test_narrow_window_collapses_the_sidebar_and_truncates_nothing(
    page: Page, narrow_page: Page, app_server: str
) -> None:
    """At 800 px the sidebar starts collapsed (at 1366 open); no metric or label truncates."""
    open_app(page, f"{app_server}/{RSU}")
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "false")
    open_app(narrow_page, f"{app_server}/{RSU}")
    sidebar = narrow_page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(narrow_page.locator('[data-testid="stMetric"]').first).to_be_visible()
    clipped = narrow_page.evaluate(
        """() => [...document.querySelectorAll(
            '[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *, '
            + '[data-testid="stWidgetLabel"] *')]
          .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
          .map((e) => e.textContent)"""
    )
    assert clipped == [], f"truncated at 800 px: {clipped}"
    screenshot(narrow_page, "initiative-narrow-sidebar")
