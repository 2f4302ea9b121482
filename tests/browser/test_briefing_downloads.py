"""Real-browser test of the briefing pack buttons: the files arrive and are real packs.

A server of its own (packs are recorded in its database). The HTML pack must open offline
and hold the statuses; the PDF must be a PDF.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import assert_no_exception, open_app, open_tab, start_streamlit
from playwright.sync_api import Page, expect

LINK = "initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count&area=E92000001"


@pytest.fixture(scope="module")
def pack_server() -> Iterator[str]:
    with start_streamlit() as base_url:
        yield base_url


def download(page: Page, label: str) -> bytes:
    """Click the download button ``label`` and return the file's bytes."""
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=90_000) as event:
        button.click()
    path = event.value.path()
    return path.read_bytes()


def test_the_portfolio_pack_downloads_as_html_and_pdf(page: Page, pack_server: str) -> None:
    open_app(page, f"{pack_server}/")
    expect(page.get_by_role("button", name="Briefing pack (HTML)")).to_be_visible()
    html = download(page, "Briefing pack (HTML)").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Briefing: Joined-up initiatives</h1>" in html
    assert "People counted sleeping rough in England" in html and "▲ Amber" in html
    pdf = download(page, "Briefing pack (PDF)")
    assert pdf.startswith(b"%PDF-")
    assert_no_exception(page)


def test_the_initiative_pack_downloads(page: Page, pack_server: str) -> None:
    open_app(page, f"{pack_server}/{LINK}")
    open_tab(page, "Briefing")
    html = download(page, "Briefing pack (HTML)").decode("utf-8")
    assert "<h1>Briefing: Rough Sleepers Unit</h1>" in html
    assert "Sure Start" not in html.split("</script>", 1)[1]  # one initiative only
    assert_no_exception(page)
