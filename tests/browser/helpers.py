"""Helpers for real-browser tests of the Streamlit app (Playwright sync API).

Why a separate module: the fixtures in ``conftest.py`` and the tests both need these functions,
and tests should not import from a conftest. Import them in tests as ``from helpers import ...``
(pytest puts this directory on ``sys.path``; ``conftest.py`` makes sure of it).

What is here:
- starting/stopping a Streamlit server (:func:`start_streamlit`),
- waiting until Streamlit finished running the script (:func:`wait_for_app`,
  :func:`expect_rerun`),
- checks (:func:`assert_no_exception`, :func:`run_axe`) and :func:`screenshot`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # playwright is only needed once a browser test actually runs
    from playwright.sync_api import Browser, Page

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
"""The repository root: the directory holding ``app.py``."""

CHROMIUM_PATH = "/usr/bin/chromium"
"""Debian's chromium; Playwright's own browser download does not work on our machines."""

CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_PATH: Path = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR: Path = REPO_ROOT / "test-artifacts" / "screenshots"
DATABASE_ENV_VAR = "JWMETRICS_DATABASE_URL"
SERVER_START_TIMEOUT_S = 60.0
AXE_BLOCKING_IMPACTS: tuple[str, ...] = ("serious", "critical")

# Values of stApp's data-test-script-state that mean "the script is not running (any more)".
_FINISHED_SCRIPT_STATES = ("notRunning", "compilationError")


# --------------------------------------------------------------------------------------------
# Environment checks
# --------------------------------------------------------------------------------------------


def in_ci() -> bool:
    """True when the environment variable CI is set (to anything but ""/0/false/no).

    In CI a missing browser dependency is an error, locally it only skips the browser tests.
    """
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_browser_deps() -> list[str]:
    """Describe each missing prerequisite of the browser tests (empty list: all present)."""
    missing: list[str] = []
    if not os.access(CHROMIUM_PATH, os.X_OK):
        missing.append(f"{CHROMIUM_PATH} not found")
    if not AXE_PATH.is_file():
        missing.append(f"{AXE_PATH.relative_to(REPO_ROOT)} not found")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("python package playwright not installed")
    if missing:
        missing.append("run scripts/install_system_deps.sh")
    return missing


# --------------------------------------------------------------------------------------------
# Streamlit server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def streamlit_command(app_path: Path, port: int) -> list[str]:
    """The command line that serves ``app_path`` headless on 127.0.0.1:``port``.

    The file watcher is off so that files edited during a test run never trigger reruns.
    """
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip


def _tail(path: Path, max_chars: int = 6000) -> str:
    """The last ``max_chars`` characters of a log file (for failure messages)."""
    try:
        return path.read_text(errors="replace")[-max_chars:]
    except OSError:
        return "<no log>"


def _health_ok(base_url: str) -> bool:
    """True when Streamlit's health endpoint answers "ok"."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _wait_healthy(
    proc: subprocess.Popen[bytes], base_url: str, stderr_log: Path, timeout_s: float
) -> None:
    """Poll the health endpoint until "ok"; raise with the server's stderr if it dies/hangs."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {proc.returncode} before becoming healthy.\n"
                f"--- stderr ---\n{_tail(stderr_log)}"
            )
        if _health_ok(base_url):
            return
        time.sleep(0.2)
    raise RuntimeError(
        f"streamlit at {base_url} not healthy after {timeout_s:.0f} s.\n"
        f"--- stderr ---\n{_tail(stderr_log)}"
    )


def _stop_process_group(proc: subprocess.Popen[bytes], grace_s: float = 10.0) -> None:
    """Terminate ``proc`` and its children (its own process group): TERM, then KILL."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace_s)


@contextlib.contextmanager
def start_streamlit(
    env_overrides: Mapping[str, str] | None = None,
    app_path: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    timeout_s: float = SERVER_START_TIMEOUT_S,
) -> Iterator[str]:
    """Serve a Streamlit app on a free port; yield its base URL; stop it (and children) after.

    ``app_path`` defaults to ``<repo>/app.py`` and ``cwd`` to the app's directory.
    ``env_overrides`` are applied on top of the current environment. Unless they set
    ``JWMETRICS_DATABASE_URL``, it points at a fresh SQLite file in a temporary directory, so
    that a test server never touches a developer's real database.
    Server stdout/stderr go to log files in that temporary directory; the stderr tail is part
    of the error raised when the server dies or is not healthy within ``timeout_s``.
    """
    app = Path(app_path) if app_path is not None else REPO_ROOT / "app.py"
    workdir = Path(cwd) if cwd is not None else app.parent
    with tempfile.TemporaryDirectory(prefix="jwmetrics-streamlit-") as tmp:
        tmpdir = Path(tmp)
        env = {
            **os.environ,
            DATABASE_ENV_VAR: f"sqlite:///{tmpdir / 'browser.sqlite'}",
            "PYTHONUNBUFFERED": "1",
            **(env_overrides or {}),
        }
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        stdout_log, stderr_log = tmpdir / "stdout.log", tmpdir / "stderr.log"
        with stdout_log.open("wb") as out, stderr_log.open("wb") as err:
            proc = subprocess.Popen(  # fixed argv, no shell
                streamlit_command(app.resolve(), port),
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,  # own process group: lets us kill the children too
            )
        try:
            _wait_healthy(proc, base_url, stderr_log, timeout_s)
            yield base_url
        finally:
            _stop_process_group(proc)


# --------------------------------------------------------------------------------------------
# Waiting for Streamlit
# --------------------------------------------------------------------------------------------

# Streamlit 1.67 renders <div data-testid="stApp" data-test-script-state="..."
# data-test-connection-state="...">. script-state is "initial" before the first run, then one
# of notRunning / running / rerunRequested / stopRequested / compilationError. Older versions
# lack the attribute; there the status widget's running icon is the fallback signal. Elements
# of the previous run carry data-stale="true" while a rerun is in progress.
_APP_IDLE_JS = """
([finished, settleMs]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  let idle = app !== null;
  if (idle) {
    const state = app.getAttribute('data-test-script-state');
    if (state !== null) {
      idle = finished.includes(state);
    } else {
      idle = !document.querySelector(
        '[data-testid="stStatusWidget"] [data-testid^="stStatusWidgetRunning"]');
    }
    const conn = app.getAttribute('data-test-connection-state');
    if (conn !== null && conn !== 'CONNECTED' && conn !== 'STATIC_CONNECTED') idle = false;
    if (document.querySelector('[data-stale="true"]')) idle = false;
  }
  if (!idle) { window.__jwIdleSince = null; return false; }
  if (window.__jwIdleSince == null) window.__jwIdleSince = performance.now();
  return performance.now() - window.__jwIdleSince >= settleMs;
}
"""


@contextlib.contextmanager
def warmed_streamlit(
    browser: Browser, env_overrides: Mapping[str, str] | None = None
) -> Iterator[str]:
    """:func:`start_streamlit`, with the entry point opened once in a throwaway context, so
    the tests that follow do not depend on the one-off rerun that routes a server's very
    first request through app.py (tests/browser/test_first_request.py covers that case)."""
    with start_streamlit(env_overrides) as base_url:
        context = browser.new_context()
        try:
            open_app(context.new_page(), f"{base_url}/")
        finally:
            context.close()
        yield base_url


def wait_for_app(page: Page, timeout_ms: float = 30_000, settle_ms: float = 250) -> None:
    """Wait until Streamlit finished running the script and the page is idle.

    Idle means: ``[data-testid="stApp"]`` exists, its ``data-test-script-state`` is
    ``notRunning`` (or ``compilationError``), the websocket is connected and no element is
    stale — and all of that has held for ``settle_ms``. The settle time covers the short gap
    after a widget interaction before the server reports the rerun; for interactions prefer
    :func:`expect_rerun`, which waits for the rerun deterministically.
    """
    page.evaluate("() => { window.__jwIdleSince = null; }")  # settle time counts from now
    page.wait_for_function(
        _APP_IDLE_JS,
        arg=[list(_FINISHED_SCRIPT_STATES), settle_ms],
        timeout=timeout_ms,
        polling=50,
    )


RUN_COUNTER_JS = """
(() => {
  // Count the script runs the server reports finished, from the websocket itself. The
  // stApp attribute data-test-script-state cannot be trusted for this: when a rerun is quick,
  // its "running" and "notRunning" messages can reach React in one batch, so the attribute
  // never changes and a watcher of it waits forever (CI saw this on a page link).
  if (window.__jwRunCounter) return;
  window.__jwRunCounter = true;
  window.__jwFinishedRuns = 0;
  // ForwardMsg's script_finished is field 6 (a varint enum); 2 is FINISHED_EARLY_FOR_RERUN,
  // a run cut short by the next one, which is not the end of the rerun a test waits for.
  const SCRIPT_FINISHED = 6, EARLY_FOR_RERUN = 2;
  function varint(bytes, at) {
    let value = 0, shift = 0, byte;
    do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; }
    while (byte & 0x80 && at < bytes.length);
    return [value, at];
  }
  function finishedStatus(buffer) {  // the top-level script_finished value, or null
    const bytes = new Uint8Array(buffer);
    let at = 0, tag, value;
    while (at < bytes.length) {
      [tag, at] = varint(bytes, at);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) {
        [value, at] = varint(bytes, at);
        if (field === SCRIPT_FINISHED) return value;
      } else if (wire === 2) { [value, at] = varint(bytes, at); at += value; }
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else return null;
    }
    return null;
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      // Registered before Streamlit's own listener, so it sees each message first.
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        const status = finishedStatus(event.data);
        if (status !== null && status !== EARLY_FOR_RERUN) window.__jwFinishedRuns += 1;
      });
    }
  };
})();
"""
"""Init script for every test page (``conftest.py`` adds it to each browser context): it counts
the script runs the Streamlit server reports finished, for :func:`expect_rerun`."""


def finished_runs(page: Page) -> int:
    """How many script runs the server has reported finished to this document."""
    return int(page.evaluate("() => window.__jwFinishedRuns ?? -1"))


@contextlib.contextmanager
def expect_rerun(page: Page, timeout_ms: float = 30_000) -> Iterator[None]:
    """Wait, after the ``with`` body, until the rerun it triggered has finished and rendered.

    Usage::

        with expect_rerun(page):
            page.get_by_role("button", name="Refresh").click()

    The rerun counts as finished when the server's "script finished" message for a run that
    started after the action has reached the page (counted by :data:`RUN_COUNTER_JS`); then
    :func:`wait_for_app` waits until the page shows the script idle. A page link that loads a
    new document counts too: its counter starts again from zero.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    before = finished_runs(page)
    if before < 0:
        raise AssertionError("the run counter is not installed (use the page fixture)")
    page.evaluate("() => { window.__jwCountBase = window.__jwFinishedRuns; }")
    yield
    try:
        # A new document has no __jwCountBase: any finished run there is the one we wait for.
        page.wait_for_function(
            "() => window.__jwFinishedRuns > (window.__jwCountBase ?? 0)",
            timeout=timeout_ms,
            polling=50,
        )
    except PlaywrightTimeoutError as exc:
        raise AssertionError(
            f"no Streamlit script run finished within {timeout_ms:.0f} ms of the action "
            "(did it really change a widget?)"
        ) from exc
    wait_for_app(page, timeout_ms=timeout_ms)


def wait_for_charts(page: Page, timeout_ms: float = 30_000) -> None:
    """Wait until every plotly chart on the page has drawn its SVG.

    Charts draw after the script has finished, and each one that draws changes the page's
    height; a click aimed below them must wait for that, or it can land where an element
    was a moment before. A chart still loading its code shows a grey skeleton, not yet a
    chart element: the wait is also for no skeleton left.
    """
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stSkeleton"]') === null
                 && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                    .every((chart) => chart.querySelector('.main-svg') !== null)""",
        timeout=timeout_ms,
        polling=50,
    )


def open_app(page: Page, url: str, timeout_ms: float = 30_000) -> None:
    """Navigate to ``url`` and wait until the first script run finished."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_for_app(page, timeout_ms=timeout_ms)


# --------------------------------------------------------------------------------------------
# Checks and artefacts
# --------------------------------------------------------------------------------------------


def open_tab(page: Page, name: str) -> None:
    """Show the tab ``name`` of the initiative page: its sections run only when it is open,
    so switching tabs is a script run to wait for (none when it is already open)."""
    from playwright.sync_api import expect

    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.get_attribute("aria-selected") != "true":
        with expect_rerun(page):
            tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    wait_for_app(page)


def assert_no_exception(page: Page) -> None:
    """Fail with the text of every ``st.exception`` box (uncaught errors) on the page."""
    boxes = page.locator('[data-testid="stException"]')
    texts = [text.strip() for text in boxes.all_inner_texts()]
    if texts:
        joined = "\n---\n".join(texts)
        raise AssertionError(f"{len(texts)} Streamlit exception(s) on {page.url}:\n{joined}")


def run_axe(page: Page, impacts: tuple[str, ...] = AXE_BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """Run axe-core on the page; return its violations whose impact is in ``impacts``.

    Each item is axe's violation object (keys id, impact, description, help, helpUrl, nodes).
    axe is injected from ``node_modules/axe-core`` (install: scripts/install_system_deps.sh).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    results: dict[str, Any] = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [v for v in results["violations"] if v.get("impact") in impacts]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """Readable one-block summary of axe violations, for assertion messages."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v.get('id')}: {v.get('help')} ({v.get('helpUrl')})")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    at {json.dumps(node.get('target'))}")
    return "\n".join(lines)


_EXTRA_SCROLL_HEIGHT_JS = """
() => Math.max(0, ...[...document.querySelectorAll('*')]
  .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
  .map((e) => e.scrollHeight - e.clientHeight))
"""
_MAX_SCREENSHOT_HEIGHT = 16_000


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a PNG of the page as ``<repo>/test-artifacts/screenshots/<name>.png``; return it.

    Streamlit scrolls inside ``<main data-testid="stMain">``, not the document, so Playwright's
    own ``full_page`` would only capture the viewport. For a full-page shot the viewport is
    grown temporarily by the hidden scroll height of the tallest scrolling element, then
    restored. The directory is git-ignored; CI can keep it as a build artefact.
    """
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "screenshot"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{safe}.png"
    viewport = page.viewport_size
    extra = int(page.evaluate(_EXTRA_SCROLL_HEIGHT_JS)) if full_page and viewport else 0
    if viewport is None or extra <= 0:
        page.screenshot(path=str(path), full_page=full_page)
        return path
    tall = min(viewport["height"] + extra, _MAX_SCREENSHOT_HEIGHT)
    page.set_viewport_size({"width": viewport["width"], "height": tall})
    try:
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r(null)))")
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path
