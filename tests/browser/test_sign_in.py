"""Sign-in through a real OpenID Connect provider running on this machine.

The provider (oidc-provider-mock) and the app servers with sign-in are started by the
fixtures in conftest.py and oidc.py. A browser that is not signed in sees only the sign-in
screen, whatever link it opens; a signed-in user sees the pages with their e-mail and role
in the sidebar; with ``JWMETRICS_UNKNOWN_USERS=none`` a signed-in stranger sees no data.
Screenshots go to ``test-artifacts/screenshots/`` (sign-in-screen, sign-in-provider-form,
overview-signed-in, sign-in-no-access).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from helpers import (
    assert_no_exception,
    expect_rerun,
    format_violations,
    open_app,
    run_axe,
    screenshot,
    wait_for_app,
)
from oidc import (
    ADMIN,
    APPROVER,
    UPLOADER,
    VIEWER,
    SignInApp,
    sign_in,
    sign_out,
    start_sign_in_app,
)
from playwright.sync_api import Page, expect

ENGLAND = "E92000001"
INITIATIVE_LINK = (
    f"initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count&area={ENGLAND}"
)
INITIATIVE_TITLE = "Rough Sleepers Unit: People counted sleeping rough in England"
SIGN_IN_SENTENCE = (
    "This dashboard of joined-up public services is open to signed-in staff only: sign in "
    "with your organisation's account to see it."
)
NEW_FIGURE = (  # the partner in the file: an uploader with none assigned names it
    "initiative,measure,area_code,period,value,partner\n"
    f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2002,532,Voluntary organisations\n"
).encode()


@pytest.fixture(scope="module")
def strict_app(oidc_provider: str) -> Iterator[SignInApp]:
    """A second sign-in server where unknown users have no access
    (``JWMETRICS_UNKNOWN_USERS=none``). Its first request is the anonymous deep link of
    :func:`test_first_request_deep_link_is_gated` (the first test here to use it)."""
    with start_sign_in_app(oidc_provider, unknown_users="none") as app:
        yield app


def assert_axe_clean(page: Page) -> None:
    """No serious or critical axe violations on the page as it is now."""
    violations = run_axe(page)
    assert not violations, f"axe on {page.url}:\n{format_violations(violations)}"


def assert_sign_in_screen_only(page: Page) -> None:
    """The sign-in screen and nothing else: no menu, no sidebar, no data."""
    expect(page.get_by_role("heading", name="Sign in to jwmetrics")).to_be_visible()
    expect(page.get_by_text(SIGN_IN_SENTENCE)).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_no_data(page)


def assert_no_data(page: Page) -> None:
    """Nothing from the database on the page: no tables, figures, charts, log or sidebar."""
    for test_id in (
        "stTable",
        "stDataFrame",
        "stMetric",
        "stPlotlyChart",
        "stDownloadButton",
        "stSidebar",
        "stSidebarNav",
    ):
        expect(page.get_by_test_id(test_id)).to_have_count(0)
    body = page.locator("body")
    for words in ("Database:", "Latest data", "Rough Sleepers", "Returns log", "Sure Start"):
        expect(body).not_to_contain_text(words)
    assert_no_exception(page)


def test_first_request_deep_link_is_gated(page: Page, strict_app: SignInApp) -> None:
    """A fresh server's very first request, a deep link with data, by an anonymous browser:
    Streamlit runs that page file alone (app_chrome.route_through_app), and it is gated."""
    open_app(page, f"{strict_app.url}/{INITIATIVE_LINK}")
    assert_sign_in_screen_only(page)


def test_anonymous_browser_sees_no_data(page: Page, sign_in_app: SignInApp) -> None:
    """Not signed in: the overview, a deep link to a series and the returns log all show
    the sign-in screen only."""
    open_app(page, f"{sign_in_app.url}/")
    assert_sign_in_screen_only(page)
    assert_axe_clean(page)
    screenshot(page, "sign-in-screen")
    for link in (INITIATIVE_LINK, "returns", "upload"):
        open_app(page, f"{sign_in_app.url}/{link}")
        assert_sign_in_screen_only(page)


def test_viewer_signs_in_sees_the_overview_and_signs_out(
    page: Page, sign_in_app: SignInApp
) -> None:
    """A listed viewer signs in through the provider's form, sees the overview with their
    e-mail and role in the sidebar, and signing out returns to the sign-in screen."""
    open_app(page, f"{sign_in_app.url}/")
    sign_in(page, sign_in_app, VIEWER, form_screenshot="sign-in-provider-form")
    expect(page.get_by_role("heading", name=re.compile("overview"))).to_be_visible()
    expect(page.get_by_test_id("stTable").first).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"Signed in as {VIEWER}")
    expect(sidebar).to_contain_text("Role: viewer")
    expect(sidebar).not_to_contain_text("Sign-in is not configured")
    expect(sidebar.get_by_role("button", name="Sign out")).to_be_visible()
    assert_no_exception(page)
    assert_axe_clean(page)
    screenshot(page, "overview-signed-in", full_page=False)

    # Still signed in on a deep link (the cookie), then signed out everywhere.
    open_app(page, f"{sign_in_app.url}/{INITIATIVE_LINK}")
    expect(page.get_by_role("heading", name=INITIATIVE_TITLE)).to_be_visible()
    sign_out(page, sign_in_app)
    assert_sign_in_screen_only(page)
    open_app(page, f"{sign_in_app.url}/returns")
    assert_sign_in_screen_only(page)


def test_unknown_user_is_a_viewer_by_default(page: Page, sign_in_app: SignInApp) -> None:
    """A signed-in e-mail that is not a user: the viewer role, said so in the sidebar."""
    open_app(page, f"{sign_in_app.url}/")
    sign_in(page, sign_in_app, "stranger@example.org")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Signed in as stranger@example.org")
    expect(sidebar).to_contain_text("Role: viewer (not a listed user)")
    expect(page.get_by_test_id("stTable").first).to_be_visible()


def test_unknown_user_has_no_access_when_so_configured(page: Page, strict_app: SignInApp) -> None:
    """JWMETRICS_UNKNOWN_USERS=none: a stranger sees whom to ask and Sign out, no data,
    also on a deep link; a listed user still gets in."""
    open_app(page, f"{strict_app.url}/")
    sign_in(page, strict_app, "stranger@example.org")
    expect(page.get_by_role("heading", name="You do not have access to jwmetrics")).to_be_visible()
    expect(page.get_by_text("signed in as stranger@example.org")).to_be_visible()
    expect(page.get_by_text(f"ask an administrator: {ADMIN}")).to_be_visible()
    assert_no_data(page)
    assert_axe_clean(page)
    screenshot(page, "sign-in-no-access")
    open_app(page, f"{strict_app.url}/{INITIATIVE_LINK}")
    expect(page.get_by_role("heading", name="You do not have access to jwmetrics")).to_be_visible()
    assert_no_data(page)
    sign_out(page, strict_app)
    sign_in(page, strict_app, VIEWER)
    expect(page.get_by_test_id("stTable").first).to_be_visible()


def test_uploader_submits_an_approver_approves_and_the_figure_counts(
    page: Page, strict_app: SignInApp
) -> None:
    """The whole flow through a real OpenID Connect provider: an uploader signs in and
    commits a return, which with sign-in configured waits for approval (its figure does not
    count); the uploader signs out, an approver signs in, approves it on the Returns log,
    and the figure counts on the initiative page."""
    open_app(page, f"{strict_app.url}/")
    sign_in(page, strict_app, UPLOADER)
    open_app(page, f"{strict_app.url}/upload")
    expect(page.get_by_role("heading", name="Upload a return")).to_be_visible()
    uploader = page.get_by_test_id("stFileUploader")
    with expect_rerun(page):
        uploader.locator('input[type="file"]').set_input_files(
            {"name": "june-2002.csv", "mimeType": "text/csv", "buffer": NEW_FIGURE}
        )
    wait_for_app(page)
    with expect_rerun(page):
        page.get_by_role("button", name="Commit this return").click()
    submitted = re.compile(r"^Return \d+ submitted for approval: 1 new, 0 revised, 0 unchanged")
    expect(page.get_by_text(submitted)).to_be_visible()
    assert_no_exception(page)

    open_app(page, f"{strict_app.url}/{INITIATIVE_LINK}")
    latest = page.get_by_test_id("stMetric").filter(has_text=re.compile("^Latest figure"))
    expect(latest).to_be_visible()
    expect(latest).not_to_contain_text("532")

    sign_out(page, strict_app)
    sign_in(page, strict_app, APPROVER)
    open_app(page, f"{strict_app.url}/returns")
    expect(
        page.get_by_text(re.compile(r"waits for approval and none of its figures"))
    ).to_be_visible()
    with expect_rerun(page):
        page.get_by_role("button", name="Approve this return").click()
    approved = re.compile(rf"^Return \d+ approved by {re.escape(APPROVER)}")
    expect(page.get_by_text(approved)).to_be_visible()
    assert_no_exception(page)

    open_app(page, f"{strict_app.url}/{INITIATIVE_LINK}")
    latest = page.get_by_test_id("stMetric").filter(has_text=re.compile("^Latest figure"))
    expect(latest).to_contain_text("532")
    screenshot(page, "sign-in-approved-figure-counts")


def test_local_mode_says_so_in_the_sidebar(page: Page, app_server: str) -> None:
    """The embedded default, no sign-in configured: the data, and the sidebar's warning
    that everyone is an administrator; no Sign in or Sign out anywhere."""
    open_app(page, f"{app_server}/")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(
        "Sign-in is not configured: everyone using this app is an administrator"
    )
    expect(page.get_by_test_id("stTable").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Sign (in|out)$"))).to_have_count(0)
