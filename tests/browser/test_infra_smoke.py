"""Smoke tests of the browser-test infrastructure itself (fixtures and helpers).

They run a tiny throwaway Streamlit app written into a tmp dir — not the real ``app.py`` — so
that a failure here points at the infrastructure (chromium, Playwright, Streamlit startup,
the wait/axe/screenshot helpers) and not at the dashboard.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import (
    DATABASE_ENV_VAR,
    SCREENSHOT_DIR,
    assert_no_exception,
    expect_rerun,
    open_app,
    run_axe,
    screenshot,
    start_streamlit,
    wait_for_app,
)
from playwright.sync_api import Page, expect

TINY_APP = textwrap.dedent(
    """
    import os

    import plotly.express as px
    import streamlit as st

    st.title("Infra smoke app")
    st.caption(f"db={os.environ.get('JWMETRICS_DATABASE_URL')}")
    st.plotly_chart(px.line(x=[1, 2, 3, 4], y=[3, 1, 4, 2], title="A tiny line"))
    if st.button("Boom"):
        raise RuntimeError("boom from the smoke app")
    """
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tiny_app_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny app's source, written into a fresh tmp dir."""
    app_dir = tmp_path_factory.mktemp("tiny-app")
    app_path = app_dir / "app.py"
    app_path.write_text(TINY_APP)
    return app_path


@pytest.fixture(scope="module")
def tiny_app(tiny_app_path: Path) -> Iterator[str]:
    """The tiny app served once for this module (default env: a throwaway SQLite URL)."""
    with start_streamlit({}, app_path=tiny_app_path, cwd=tiny_app_path.parent) as base_url:
        yield base_url


def test_marker_is_applied(request: pytest.FixtureRequest) -> None:
    """conftest marks every test in tests/browser as ``browser``."""
    assert request.node.get_closest_marker("browser") is not None


def test_tiny_app_renders(page: Page, tiny_app: str) -> None:
    """The app loads, wait_for_app returns, the chart renders, no exception, axe runs."""
    page.goto(tiny_app)
    wait_for_app(page)
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.get_by_role("heading", name="Infra smoke app")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    db_caption = page.get_by_text("db=sqlite:///")
    expect(db_caption).to_contain_text("browser.sqlite")
    assert_no_exception(page)

    violations = run_axe(page)
    assert isinstance(violations, list)
    assert all(v["impact"] in ("serious", "critical") for v in violations)

    shot = screenshot(page, "infra_smoke_tiny_app")
    assert shot.parent == SCREENSHOT_DIR
    assert shot.read_bytes()[:8] == PNG_MAGIC


def test_exception_is_detected(page: Page, tiny_app: str) -> None:
    """Clicking the button raises in the script; assert_no_exception must then fail."""
    open_app(page, tiny_app)
    assert_no_exception(page)
    with expect_rerun(page):
        page.get_by_role("button", name="Boom").click()
    with pytest.raises(AssertionError, match="boom from the smoke app"):
        assert_no_exception(page)
    screenshot(page, "infra_smoke_exception")


def test_narrow_page_viewport(narrow_page: Page, tiny_app: str) -> None:
    """narrow_page has an 800x900 viewport and the app renders in it."""
    assert narrow_page.viewport_size == {"width": 800, "height": 900}
    open_app(narrow_page, tiny_app)
    expect(narrow_page.get_by_role("heading", name="Infra smoke app")).to_be_visible()


def test_env_overrides_reach_the_app(page: Page, tiny_app_path: Path) -> None:
    """start_streamlit passes env_overrides to the server process."""
    url = "sqlite:////nonexistent/override.sqlite"
    with start_streamlit({DATABASE_ENV_VAR: url}, app_path=tiny_app_path) as base_url:
        open_app(page, base_url)
        expect(page.get_by_text(f"db={url}")).to_be_visible()


def test_server_failure_reports_stderr(tmp_path: Path) -> None:
    """A server that dies during startup raises with its stderr in the message."""
    missing = tmp_path / "no_such_app.py"
    with (
        pytest.raises(RuntimeError, match=r"(?s)exited with code.*stderr.*does not exist"),
        start_streamlit({}, app_path=missing, cwd=tmp_path, timeout_s=30),
    ):
        pass
