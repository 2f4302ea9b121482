"""Real-browser test of the fair comparison: clicking a funnel point opens that area.

The server has its own SQLite database with the official 2010-2022 local snapshot loaded
(real data, through the CLI as a user would), so the funnel plot has every local authority.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from helpers import (
    REPO_ROOT,
    assert_no_exception,
    expect_rerun,
    open_app,
    open_tab,
    start_streamlit,
    wait_for_charts,
)
from playwright.sync_api import Page, expect

CITY_OF_LONDON = "E09000001"
LINK = (
    "initiative?initiative=rough-sleepers-unit&measure=rough-sleeping-snapshot"
    "&area=E92000001&level=local-authorities"
)


@pytest.fixture(scope="module")
def snapshot_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a database holding the report's figures and the official snapshot."""
    url = f"sqlite:///{tmp_path_factory.mktemp('snapshot') / 'snapshot.sqlite'}"
    for command in (["init"], ["load-snapshot", "--user", "browser test"]):
        subprocess.run(
            [sys.executable, "-m", "jwmetrics", "--database-url", url, *command],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )
    with start_streamlit({"JWMETRICS_DATABASE_URL": url}) as base_url:
        yield base_url


def point_of(page: Page, area_code: str) -> tuple[int, int, int]:
    """(chart, trace, point) of ``area_code``'s marker, from the figures' own data: the
    funnel plot is the chart whose points carry area codes."""
    found = page.evaluate(
        """(code) => {
            const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                .map((chart) => chart.querySelector('.js-plotly-plot'));
            for (const [c, plot] of plots.entries()) {
                for (const [t, trace] of (plot ? plot.data : []).entries()) {
                    const data = trace.customdata || [];
                    const index = data.findIndex((d) => Array.isArray(d) && d[0] === code);
                    if (index >= 0) return [c, t, index];
                }
            }
            return null;
        }""",
        area_code,
    )
    assert found is not None, f"{area_code} is not a point of any chart"
    return found[0], found[1], found[2]


def test_clicking_a_funnel_point_opens_that_area(page: Page, snapshot_server: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    open_app(page, f"{snapshot_server}/{LINK}")
    assert_no_exception(page)
    open_tab(page, "Areas")
    expect(page.get_by_text("Click an area's point to see its series above.")).to_be_visible()
    wait_for_charts(page)
    chart, trace, index = point_of(page, CITY_OF_LONDON)
    funnel = page.locator('[data-testid="stPlotlyChart"]').nth(chart)
    funnel.scroll_into_view_if_needed()
    point = funnel.locator(".scatterlayer .trace").nth(trace).locator("path.point").nth(index)
    with expect_rerun(page):
        point.click(force=True)  # a marker under the hover layer: the click goes through it
    expect(page).to_have_url(re.compile(rf"[?&]area={CITY_OF_LONDON}(&|$)"))
    area = page.get_by_role("combobox", name="Area", exact=True)
    expect(area).to_have_value("City of London")
    assert_no_exception(page)


def test_the_overview_links_to_the_comparison(page: Page, snapshot_server: str) -> None:
    """A newcomer finds the comparison from the overview: the sentence names the measures
    whose areas can be compared and its link opens the initiative page on the snapshot,
    whose table shows the verdict in use (allowing for over-dispersion) beside each area."""
    page.set_viewport_size({"width": 800, "height": 900})
    open_app(page, f"{snapshot_server}/")
    assert_no_exception(page)
    expect(page.get_by_text("Compare areas fairly:")).to_be_visible()
    link = page.get_by_role("link", name=re.compile(r"^Compare areas: People sleeping rough on"))
    link.scroll_into_view_if_needed()
    with expect_rerun(page):
        link.click()
    expect(page).to_have_url(re.compile(r"[?&]measure=rough-sleeping-snapshot(&|$)"))
    expect(page.get_by_text("This measure's areas can be compared fairly")).to_be_visible()
    expect(page.get_by_role("tab", name="Areas", exact=True)).to_have_attribute(
        "aria-selected", "true"
    )  # the link opens the page on its Areas tab
    heading = page.locator("#areas-compared")
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    expect(page.get_by_text("Verdicts in use: allowing for over-dispersion")).to_be_visible()
    assert_no_exception(page)
