"""Pytest fixtures for real-browser tests of the Streamlit app (Playwright, sync API).

Fixtures:
- ``app_server`` (session): the real ``app.py`` served on a free port with a fresh SQLite
  database; yields the base URL.
- ``browser`` (session): headless Debian chromium (``/usr/bin/chromium``).
- ``page`` (function): a new context + page at 1366x768; ``narrow_page`` at 800x900.
- ``oidc_provider`` (session): a local OpenID Connect provider (oidc-provider-mock); yields
  its URL. ``sign_in_app`` (session): ``app.py`` with sign-in through it, its own SQLite
  database and the users of ``oidc.USERS``; yields an ``oidc.SignInApp``. Sign in and out
  with ``oidc.sign_in`` / ``oidc.sign_out``.

Every test in this directory gets the ``browser`` marker. When chromium, axe-core or
playwright is missing the tests are skipped with the reason — unless the environment variable
CI is set, where they fail instead, so a broken CI setup cannot pass silently.
On a failing test that used a page fixture, a screenshot is saved under test-artifacts/.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:  # also under --import-mode=importlib
    sys.path.insert(0, str(_HERE))

from helpers import (  # noqa: E402
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    DATABASE_ENV_VAR,
    RUN_COUNTER_JS,
    in_ci,
    missing_browser_deps,
    screenshot,
    start_streamlit,
)
from oidc import SignInApp, start_oidc_provider, start_sign_in_app  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["start_streamlit"]  # re-exported for convenience; tests import it from helpers

WIDE_VIEWPORT = {"width": 1366, "height": 768}
NARROW_VIEWPORT = {"width": 800, "height": 900}
DEFAULT_TIMEOUT_MS = 30_000
# Assertions wait for the app's state up to the same ceiling as actions: Playwright's own
# default of 5 s failed a sign-in test on a loaded 2-core machine while the page was still
# drawing its sidebar (the state came, later). A ceiling, not a sleep: a passing check
# returns as soon as its element is there.
expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``browser`` marker for ``--strict-markers``, unless pyproject.toml does."""
    if not any(str(line).startswith("browser:") for line in config.getini("markers")):
        config.addinivalue_line("markers", "browser: drives the real app in headless Chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test collected from this directory with ``browser``."""
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    """Remember each phase's report on the item, for the screenshot-on-failure teardown."""
    report = yield
    setattr(item, f"_jw_report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _require_browser_deps() -> None:
    """Skip (locally) or fail (CI) when a browser-test prerequisite is missing.

    Session-scoped so it runs before the session-scoped ``browser``/``app_server`` fixtures.
    """
    missing = missing_browser_deps()
    if not missing:
        return
    reason = "browser tests need: " + "; ".join(missing)
    if in_ci():
        pytest.fail(reason + " (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the repository's ``app.py`` with a fresh SQLite database; yield the base URL."""
    db_dir = tmp_path_factory.mktemp("browser-db")
    env = {DATABASE_ENV_VAR: f"sqlite:///{db_dir / 'browser.sqlite'}"}
    with start_streamlit(env) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """A real OpenID Connect provider on 127.0.0.1 (oidc-provider-mock); yield its URL."""
    with start_oidc_provider() as url:
        yield url


@pytest.fixture(scope="session")
def sign_in_app(oidc_provider: str) -> Iterator[SignInApp]:
    """``app.py`` with sign-in through ``oidc_provider``, a fresh SQLite database and the
    users of ``oidc.USERS``; unknown users are viewers, and returns need approval."""
    with start_sign_in_app(oidc_provider) as app:
        yield app


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium, shared by the whole session (launching costs ~1 s)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _page_in_new_context(
    browser: Browser, request: pytest.FixtureRequest, viewport: dict[str, int]
) -> Iterator[Page]:
    """A page in a fresh context (no shared cookies/storage); screenshot it if the test failed."""
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.add_init_script(RUN_COUNTER_JS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "_jw_report_call", None)
        if report is not None and report.failed:
            # Best effort: a broken page must not mask the test's own failure.
            with contextlib.suppress(Exception):
                screenshot(page, f"FAILED-{request.node.name}")
        context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page at a desktop viewport of 1366x768."""
    yield from _page_in_new_context(browser, request, WIDE_VIEWPORT)


@pytest.fixture
def narrow_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page at a narrow viewport of 800x900 (tablet / half screen)."""
    yield from _page_in_new_context(browser, request, NARROW_VIEWPORT)
