"""A deep link as the very first request to a fresh server still opens the full app.

Streamlit keeps its older ``pages/`` behaviour until ``st.navigation`` has run once in the
process; without the guard in ``app_chrome.route_through_app`` such a first request ran
the page file alone, with no navigation menu and no sidebar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import assert_no_exception, open_app, start_streamlit
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_deep_link_as_first_request(page: Page) -> None:
    with start_streamlit() as base_url:
        url = f"{base_url}/initiative?initiative=eydcp&measure=new-childcare-places&area=E92000001"
        open_app(page, url)
        nav = page.get_by_role("navigation", name="Pages")  # the sidebar's page links
        # The guard reruns once; wait for the rerun's navigation rather than the first run.
        expect(nav.get_by_role("link", name="Upload a return")).to_have_count(1, timeout=30_000)
        expect(nav.get_by_role("link", name="Overview")).to_have_count(1)
        expect(page.get_by_text("★ Achieved").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Database:").first).to_be_visible()
        assert_no_exception(page)
        assert "initiative=eydcp" in page.url
