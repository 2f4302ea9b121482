"""Alerts in a real browser (issue 24): Follow a measure, upload a return that turns it
Red, see the bell's count rise in the sidebar and the alert in the inbox, and its link open
the initiative page on that series as known on the day.

A server of its own on a fresh SQLite database (the test writes). Local mode: the user is
the local analyst, and with no mail server the inbox is where alerts arrive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from helpers import (
    assert_no_exception,
    expect_rerun,
    open_app,
    screenshot,
    wait_for_app,
    warmed_streamlit,
)
from playwright.sync_api import Browser, Page, expect

ENGLAND = "E92000001"
SERIES = f"initiative=rough-sleepers-unit&measure=rough-sleepers-count&area={ENGLAND}"
RED_RETURN = (
    "initiative,measure,area_code,period,value,note\n"
    f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},December 2001,1500,synthetic test row\n"
).encode()


@pytest.fixture(scope="module")
def alerts_server(browser: Browser) -> Iterator[str]:
    with warmed_streamlit(browser) as base_url:
        yield base_url


def test_follow_upload_red_and_the_bell_counts_it(page: Page, alerts_server: str) -> None:
    open_app(page, f"{alerts_server}/initiative?{SERIES}", timeout_ms=90_000)
    nav = page.get_by_role("navigation", name="Pages")
    expect(nav.get_by_role("link", name=re.compile(r"Inbox$"))).to_be_visible(timeout=90_000)
    with expect_rerun(page, timeout_ms=60_000):
        page.get_by_role("button", name="Follow this measure here").click()
    expect(page.get_by_role("button", name="Unfollow this measure here")).to_be_visible()
    screenshot(page, "alerts-follow", full_page=False)

    open_app(page, f"{alerts_server}/upload", timeout_ms=90_000)
    partner = page.get_by_role("textbox", name="Partner")
    with expect_rerun(page, timeout_ms=60_000):
        partner.fill("Rough Sleepers Unit")
        partner.press("Enter")
    with expect_rerun(page, timeout_ms=60_000):  # the day field's segments take digits
        page.get_by_role("spinbutton", name="day, Published on").click()
        page.keyboard.type("15012002")
        page.keyboard.press("Escape")  # the calendar the typing opened
        page.get_by_role("heading", name="Upload a return").click()  # leave the field
    published = page.get_by_test_id("stDateInput").filter(has_text="Published on")
    expect(published.locator("input")).to_have_value("2002-01-15")
    with expect_rerun(page, timeout_ms=60_000):
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            {"name": "red.csv", "mimeType": "text/csv", "buffer": RED_RETURN}
        )
    wait_for_app(page)
    warnings = page.get_by_test_id("stCheckbox").filter(has_text="I have checked the warnings")
    if warnings.count():
        with expect_rerun(page, timeout_ms=60_000):
            warnings.get_by_text("I have checked the warnings").click()
    with expect_rerun(page, timeout_ms=60_000):
        page.get_by_role("button", name="Commit this return").click()
    expect(page.get_by_text("Return 1 committed", exact=False)).to_be_visible()

    with expect_rerun(page, timeout_ms=60_000):
        page.get_by_role("link", name="See the new figures on the initiative page").click()
    expect(page.get_by_text("✖ Red").first).to_be_visible(timeout=90_000)
    bell = nav.get_by_role("link", name=re.compile(r"Inbox · 1 unread$"))
    expect(bell).to_be_visible(timeout=90_000)  # the count rose with the commit
    with expect_rerun(page, timeout_ms=60_000):
        bell.click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.get_by_text("Red call:", exact=False).first).to_be_visible()
    expect(page.get_by_text("changed from Amber to Red", exact=False)).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "alerts-inbox")
    with expect_rerun(page, timeout_ms=60_000):  # the alert's deep link, with its day
        page.get_by_role("link", name="Open the page, as known on the day").first.click()
    # The link names the day; it is the newest data's, so the app shows it as "latest"
    # and leaves as_of out of the address it writes back.
    expect(page).to_have_url(re.compile(r"/initiative\?.*measure=rough-sleepers-count"))
    expect(page.get_by_role("textbox", name="As known on")).to_have_value("15/01/2002")
    expect(page.get_by_text("✖ Red").first).to_be_visible(timeout=90_000)
