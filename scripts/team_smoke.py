"""Team smoke test: the README's "Running it for a team" on one machine, in a real browser.

    .venv/bin/python scripts/team_smoke.py        # run by scripts/run_tests.sh (make test)

It starts a throwaway PostgreSQL 15, two app processes at once and nginx with
``deploy/nginx.conf`` (``scripts/team_stack.py``), then in headless Chromium: uploads a
one-row return through the proxy, checks the figure reaches the OTHER process within 10 s,
kills the process the browser's session is on and checks the session carries on through
the proxy, downloads included. Each check is printed with its time; the exit code is 1
when a check fails. Everything is stopped and removed on exit, also on Ctrl-C or SIGTERM,
and the whole run is cut at :data:`TOTAL_LIMIT_S`.

A check named in :data:`PENDING_CHECKS` (none now) runs and prints but does not fail the
run unless ``TEAM_SMOKE_STRICT=1``: the way to land a check before the work it needs.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from helpers import (  # the browser tests' launch flags and waiting helpers
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    RUN_COUNTER_JS,
    assert_no_exception,
    expect_rerun,
    in_ci,
    open_app,
    open_tab,
    wait_for_app,
)
from team_stack import AppProcess, app_processes, health, nginx, postgres, tail

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

# ---- checks that may fail without failing the run (for work not yet landed) -------------------
PENDING_CHECKS: frozenset[str] = frozenset()
# -----------------------------------------------------------------------------------------------
STRICT = os.environ.get("TEAM_SMOKE_STRICT", "") not in ("", "0")
FRESHNESS_LIMIT_S = 10.0  # the "within 10 s" on the other process
TOTAL_LIMIT_S = 170  # the whole run, set-up and clean-up included, stays under 3 minutes
TIMEOUT_MS = 30_000
FIRST_LOAD_MS = 60_000  # a process's first page: imports, and on a fresh database migrations
VALUE = "596"
RETURN_CSV = (
    "initiative,measure,area_code,period,value\n"
    f"rough-sleepers-unit,rough-sleepers-count,E92000001,June 2002,{VALUE}\n"
).encode()
INITIATIVE_PATH = "/initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count"
LATEST = re.compile("^Latest figure")
UNDER_LIMIT_BYTES = 20 * 1024 * 1024 - 4096  # a return just under JWMETRICS_MAX_UPLOAD_BYTES
OVER_LIMIT_BYTES = 22 * 1024 * 1024  # above deploy/nginx.conf's client_max_body_size 21m
SOCKET_COUNTER_JS = """
(() => {
  // Counts the WebSocket connections this document opened, so the check after the kill
  // can wait for the reconnection (through nginx, to the other process) before it clicks.
  window.__jwSocketOpens = 0;
  const Inner = window.WebSocket;
  window.WebSocket = class extends Inner {
    constructor(...args) {
      super(...args);
      window.__jwSocket = this;
      this.addEventListener('open', () => { window.__jwSocketOpens += 1; });
    }
  };
})();
"""


class StopRun(Exception):
    """A check that later checks need failed: the run stops (it was printed already)."""


@dataclass
class Checks:
    """The checks run so far, printed as they finish; times from the start of the run."""

    started: float = field(default_factory=time.monotonic)
    failed: list[str] = field(default_factory=list)
    pending_failed: list[str] = field(default_factory=list)
    passed: int = 0

    def run(self, key: str, title: str, body: Callable[[], str]) -> bool:
        """Run one check; print PASS/FAIL, its duration and what it saw; True if it passed.

        A failed check in :data:`PENDING_CHECKS` is printed as PENDING and not counted
        (unless ``TEAM_SMOKE_STRICT=1``).
        """
        begun = time.monotonic()
        try:
            detail, ok = body(), True
        except Exception as exc:  # any failure is the check's result, printed in full
            detail, ok = f"{type(exc).__name__}: {exc}".strip()[:1500], False
        took, at = time.monotonic() - begun, time.monotonic() - self.started
        pending = key in PENDING_CHECKS and not STRICT
        word = "PASS" if ok else ("PENDING" if pending else "FAIL")
        print(f"{word:7} at {at:6.1f} s (took {took:5.1f} s)  {title}: {detail}", flush=True)
        if ok:
            self.passed += 1
        elif pending:
            self.pending_failed.append(key)
        else:
            self.failed.append(key)
        return ok

    def require(self, key: str, title: str, body: Callable[[], str]) -> None:
        """:meth:`run`, then stop the run if the check failed (later checks need it)."""
        if not self.run(key, title, body) and key not in self.pending_failed:
            raise StopRun(key)


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """A fresh browser context (no cookies: a new user) and a page in it."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RUN_COUNTER_JS)
    context.add_init_script(SOCKET_COUNTER_JS)
    return context, context.new_page()


def route_cookie(context: BrowserContext) -> str:
    """The value of nginx's ``jwm_route`` cookie in ``context`` ("" when unset)."""
    return next((c["value"] for c in context.cookies() if c["name"] == "jwm_route"), "")


def latest_figure(page: Page, timeout_ms: float = TIMEOUT_MS) -> str:
    """The text of the initiative page's "Latest figure" metric, once it is drawn."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=LATEST).first
    metric.wait_for(state="visible", timeout=timeout_ms)
    return " ".join(metric.inner_text().split())


def open_initiative(browser: Browser, base_url: str) -> tuple[BrowserContext, Page]:
    """Start loading ``base_url``'s initiative page in a new session; return as soon as the
    server has answered, so that other work can go on while the page is drawn."""
    context, page = new_page(browser)
    page.goto(base_url + INITIATIVE_PATH, wait_until="commit", timeout=FIRST_LOAD_MS)
    return context, page


def read_figure(context: BrowserContext, page: Page, timeout_ms: float) -> str:
    """The latest figure once ``page`` (from :func:`open_initiative`) is drawn; closes it."""
    try:
        wait_for_app(page, timeout_ms=timeout_ms)
        assert_no_exception(page)
        return latest_figure(page, timeout_ms)
    finally:
        context.close()


def enter_partner(page: Page, name: str) -> None:
    """Type the partner and commit it with Enter; once more if no rerun followed (on a
    loaded machine the first keystrokes can reach the page before its widgets are live, as
    tests/browser/test_upload.py found)."""
    partner = page.get_by_role("textbox", name="Partner")
    for attempt in range(2):
        try:
            with expect_rerun(page, timeout_ms=15_000):
                partner.fill("")
                partner.fill(name)
                partner.press("Enter")
            return
        except AssertionError:
            if attempt:
                raise


def check_return(page: Page) -> str:
    """Upload :data:`RETURN_CSV` on the Upload page (already open), up to the commit."""
    from playwright.sync_api import expect

    enter_partner(page, "Rough Sleepers Unit")
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    with expect_rerun(page):
        uploader.set_input_files(
            {"name": "smoke-return.csv", "mimeType": "text/csv", "buffer": RETURN_CSV}
        )
    wait_for_app(page)
    assert_no_exception(page)
    preview = page.get_by_text("Would record 1 new")
    expect(preview).to_be_visible()
    warnings = page.get_by_test_id("stCheckbox").filter(has_text="I have checked the warnings")
    if warnings.count():
        with expect_rerun(page):
            warnings.get_by_text("I have checked the warnings").click()
    return " ".join(preview.inner_text().split())


def commit_return(page: Page) -> str:
    """Commit the checked return; the app's confirmation."""
    from playwright.sync_api import expect

    with expect_rerun(page):
        page.get_by_role("button", name="Commit this return").click()
    done = page.get_by_text(re.compile(r"Return \d+ committed: 1 new"))
    expect(done).to_be_visible()
    return done.inner_text()


def download_figures(page: Page) -> tuple[str, str]:
    """Open the Figures tab and fetch "Figures (CSV)", a signed link any process answers
    (``dashboard/server.py``'s ``/download/...``), with the page's cookies: (its URL, its text)."""
    open_tab(page, "Figures")
    link = page.get_by_role("link", name="Figures (CSV)")
    url = urllib.parse.urljoin(page.url, link.get_attribute("href") or "")
    response = page.request.get(url)
    assert response.status == 200, f"GET {url}: HTTP {response.status}"
    return url, response.text().lstrip("\ufeff")


def wait_for_figure(browser: Browser, base_url: str, since: float) -> str:
    """Poll new sessions on ``base_url`` until the new figure shows, for the freshness limit
    counted from ``since`` (the commit). Each poll is a whole page load, which must also end
    within the limit."""
    from playwright.sync_api import Error as PlaywrightError

    seen = "no page drawn"
    while (left_ms := (since + FRESHNESS_LIMIT_S - time.monotonic()) * 1000) > 500:
        try:
            seen = read_figure(*open_initiative(browser, base_url), left_ms)
        except PlaywrightError:
            break  # the page was not drawn within the limit
        if VALUE in seen:
            return f"{seen!r} {time.monotonic() - since:.1f} s after the commit"
    raise AssertionError(f"after {FRESHNESS_LIMIT_S:.0f} s the other process shows {seen!r}")


def socket_opens(page: Page) -> int:
    """How many WebSocket connections the page has opened so far."""
    return int(page.evaluate("() => window.__jwSocketOpens ?? 0"))


def failover(page: Page, route_before: str, opens_before: int) -> str:
    """After the kill: the page reconnects (through the proxy, to the other process), and
    a click on the Trend tab runs the page there (nginx's cookie now names it)."""
    begun = time.monotonic()
    page.wait_for_function(
        "(n) => window.__jwSocketOpens > n && window.__jwSocket.readyState === 1",
        arg=opens_before,
        polling=100,
    )
    wait_for_app(page)
    reconnected = time.monotonic() - begun
    open_tab(page, "Trend")
    assert_no_exception(page)
    latest = latest_figure(page)
    route_after = route_cookie(page.context)
    assert route_after and route_after != route_before, f"jwm_route stayed {route_after!r}"
    return (
        f"reconnected in {reconnected:.1f} s; Trend tab drawn with {latest!r};"
        f" jwm_route {route_before} -> {route_after}"
    )


def fresh_after_failover(page: Page) -> str:
    """The session, now on the other process, still shows the figure it committed."""
    latest = latest_figure(page)
    assert VALUE in latest, f"the session now shows {latest!r}"
    return repr(latest)


def csv_download(url: str, text: str, header: str) -> str:
    """Check a downloaded figures CSV: its header is ``header``; describe it."""
    lines = text.splitlines()
    assert lines and lines[0] == header, f"not the figures CSV: {text[:200]!r}"
    has = "with" if VALUE in text else "without"
    return f"{len(lines)} lines, {has} {VALUE}, from {url.split('/')[-1]}"


def old_link_answers(page: Page, url: str, expected: str) -> str:
    """The download link drawn by the killed process, fetched again through the proxy."""
    response = page.request.get(url)
    assert response.status == 200, f"GET {url} through the proxy: HTTP {response.status}"
    assert response.text().lstrip("\ufeff") == expected, "a different file came back"
    return f"HTTP 200 from {url}"


def put_status(url: str, size_bytes: int) -> int:
    """The HTTP status nginx or the app answers to a PUT of ``size_bytes`` to ``url``."""
    request = urllib.request.Request(url, data=b"x" * size_bytes, method="PUT")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def upload_limit(proxy: str) -> str:
    """nginx lets an upload of just under the app's 20 MiB through (to the app, which refuses
    this one for its missing XSRF token) and refuses one over its own 21 MiB with 413."""
    url = f"{proxy}/_stcore/upload_file/smoke-session/smoke-file"
    below, above = put_status(url, UNDER_LIMIT_BYTES), put_status(url, OVER_LIMIT_BYTES)
    assert below != 413 and above == 413, f"PUT {UNDER_LIMIT_BYTES}: {below}, {above}"
    return f"{UNDER_LIMIT_BYTES:,} bytes reach the app (HTTP {below}), {OVER_LIMIT_BYTES:,}: 413"


def scenario(browser: Browser, apps: list[AppProcess], proxy: str, checks: Checks) -> None:
    """The checks, in order; a failed check that later ones need stops the run."""
    checks.require("proxy-health", "health through nginx", lambda: f"{health(proxy)!r}")
    checks.run("upload-limit", "nginx's upload limit", lambda: upload_limit(proxy))
    context, page = new_page(browser)

    def open_upload() -> str:
        open_app(page, f"{proxy}/upload", timeout_ms=FIRST_LOAD_MS)
        page.get_by_role("heading", name="Upload a return").wait_for()
        assert_no_exception(page)
        return f"Upload page drawn over the WebSocket, jwm_route={route_cookie(context)!r}"

    checks.require("proxy-session", "session through nginx", open_upload)
    route = route_cookie(context)
    mine, other = (apps[0], apps[1]) if route == "a" else (apps[1], apps[0])
    # The other process draws its first page (and fills its cache) while the return is
    # checked, so the freshness check below starts from a warm cache, as in real use.
    warming = open_initiative(browser, other.url)
    checks.require("check", f"return checked through nginx (on :{mine.port})",
                   lambda: check_return(page))  # fmt: skip
    checks.require("other-before", f"other process :{other.port}, directly, before the commit",
                   lambda: repr(read_figure(*warming, FIRST_LOAD_MS)))  # fmt: skip
    checks.require("upload", "commit through nginx", lambda: commit_return(page))
    committed = time.monotonic()
    checks.run("freshness", f"figure on the other process :{other.port} within 10 s",
               lambda: wait_for_figure(browser, other.url, committed))  # fmt: skip
    link: list[tuple[str, str]] = []

    def same_session() -> str:
        with expect_rerun(page):
            page.get_by_role("link", name="See the new figures on the initiative page").click()
        latest = latest_figure(page)
        assert VALUE in latest, latest
        link.append(download_figures(page))
        assert VALUE in link[0][1], f"the CSV lacks {VALUE}: {link[0][1][:300]!r}"
        return f"{latest!r}; {csv_download(*link[0], link[0][1].splitlines()[0])}"

    checks.require("same-session", "the new figure in the uploading session", same_session)
    opens = socket_opens(page)
    checks.require("kill", f"SIGKILL the session's process :{mine.port}",
                   lambda: (mine.kill(), f"exit code {mine.proc.returncode}")[1])  # fmt: skip
    checks.require("failover", "the session carries on after a click",
                   lambda: failover(page, route, opens))  # fmt: skip
    checks.run("fresh-after-failover", "the committed figure still shown after the failover",
               lambda: fresh_after_failover(page))  # fmt: skip
    header = link[0][1].splitlines()[0]
    checks.run("download-after-failover", "Figures (CSV) downloaded after the failover",
               lambda: csv_download(*download_figures(page), header))  # fmt: skip
    checks.run("download-any-process", "the CSV link drawn by the killed process",
               lambda: old_link_answers(page, *link[0]))  # fmt: skip
    context.close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Debian chromium with the browser tests' flags."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def on_signal(signum: int, _frame: FrameType | None) -> None:
    """SIGTERM, SIGHUP or the time limit's SIGALRM: leave through the clean-ups."""
    raise SystemExit(f"team_smoke.py: stopped by signal {signal.Signals(signum).name}")


def print_logs(work: Path, apps: list[AppProcess]) -> None:
    """The ends of nginx's and the app processes' logs, to see why a check failed."""
    for log in [work / "nginx" / "logs" / "error.log", *(a.log for a in apps)]:
        print(f"--- {log.name}, the end ---\n{tail(log, 2500)}", flush=True)


def main() -> int:
    """Run the smoke test; 0 when every counted check passed."""
    if not os.access(CHROMIUM_PATH, os.X_OK):  # as the browser tests: skip, but not in CI
        print(f"team_smoke.py: skipped: {CHROMIUM_PATH} not found (install_system_deps.sh)")
        return 1 if in_ci() else 0
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(sig, on_signal)
    signal.alarm(TOTAL_LIMIT_S)
    checks = Checks()
    try:
        with tempfile.TemporaryDirectory(prefix="jwmetrics-smoke-") as tmp:
            work = Path(tmp)
            work.chmod(0o755)  # PostgreSQL and nginx run as other users and need to reach it
            with postgres(work) as url, app_processes(url, work) as apps:
                checks.run("apps", "two app processes started at once",
                           lambda: ", ".join(f":{a.port} ok" for a in apps))  # fmt: skip
                try:
                    with nginx(work, apps[0].port, apps[1].port) as proxy, chromium() as browser:
                        scenario(browser, apps, proxy, checks)
                finally:
                    if checks.failed or os.environ.get("TEAM_SMOKE_LOGS"):
                        print_logs(work, apps)
    except StopRun as stop:
        print(f"team_smoke.py: stopped after the failed check {stop}", flush=True)
    except Exception:
        traceback.print_exc()
        checks.failed.append("set-up")
    finally:
        signal.alarm(0)
    pending = f"{len(checks.pending_failed)} pending {checks.pending_failed}" + (
        " (not counted; TEAM_SMOKE_STRICT=1 counts them)"
    )
    print(
        f"team_smoke.py: {checks.passed} passed, {len(checks.failed)} failed {checks.failed},"
        f" {pending}; {time.monotonic() - checks.started:.0f} s in all"
    )
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
