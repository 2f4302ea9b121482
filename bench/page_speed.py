"""Page speed in headless Chromium: the dashboard against a minimal Streamlit app, side by side.

``.venv/bin/python bench/page_speed.py [--repeat 5] [--profile] [--skip-browser]``

Why: issue 20 (item 11) asks that on the seeded database a fresh overview and a fresh
initiative page each settle within 1.5x of a minimal Streamlit app with the same imports
drawing one chart (``bench/minimal_app.py``), and that navigating within a session takes
within 1.2x of a rerun of that app. Every figure is a ratio of two timings taken in turns on
the same machine, so a busy (shared, 2-core) machine slows both sides alike.

What it does: seeds a fresh SQLite database in a temporary directory with
``python -m jwmetrics init`` (the report's figures), serves ``app.py`` on it and
``bench/minimal_app.py`` beside it (``helpers.start_streamlit`` of the browser tests), warms
both servers once (those first, **cold** times are printed but not compared), then measures,
``--repeat`` rounds, app and baseline alternating which goes first:

- fresh overview: a new browser context opens ``/``; baseline: a new context opens the
  minimal app;
- fresh initiative page: a new context opens the Rough Sleepers Unit deep link; baseline:
  the minimal app again, in a new context;
- in-session navigation, in the context already on the page: the sidebar link "Initiative"
  from the overview, the sidebar link "Overview" back, and another choice in the initiative
  page's Measure selectbox; baseline each time: a rerun of the minimal app in its session
  (the "r" key, Streamlit's own rerun shortcut; the minimal app has no widget).

A page counts as settled when the server has reported the script run finished (the run
counter of ``tests/browser/helpers.py``), the app is idle and connected with nothing stale,
no loading skeleton (``[data-testid=stSkeleton]``) is left and every *visible* plotly chart
has drawn its SVG (the initiative page keeps charts in tabs; a hidden panel's chart need not
be drawn), all of which held for 0.5 s. The page itself checks every 25 ms (an init
script), and the time is taken to the moment that state began, so neither the 0.5 s nor
Playwright's own delays are counted. Beside each time: the CPU seconds the server used
meanwhile, and the client side's (Chromium, Playwright's driver and this script), to show
which side a slow page waits for. All timed runs are on warm servers (the cached library
calls of ``dashboard.cache`` filled; they expire after 300 s, so a run that falls on the
expiry pays for a refill: the median is compared, the best is printed beside it).

``--profile`` runs, in this process under cProfile, a fresh overview (a new
``AppTest`` session on warm caches) and, in that session, the switch to the initiative page,
and prints the 25 entries with the most cumulative time and the project's own top entries:
what runs on every rerun whatever is cached. No test asserts on these times.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

# scale_bench puts the repository root and tests/browser on sys.path for the imports below.
import scale_bench  # noqa: E402
from helpers import (  # noqa: E402
    _APP_IDLE_JS,
    _FINISHED_SCRIPT_STATES,
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    RUN_COUNTER_JS,
    assert_no_exception,
    start_streamlit,
)

from jwmetrics.db.engine import URL_ENV  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

REPO_ROOT = scale_bench.REPO_ROOT
INITIATIVE_QUERY = "&".join(
    f"{key}={value}" for key, value in {**scale_bench.RSU_VIEW, "area": scale_bench.ENGLAND}.items()
)
INITIATIVE_PATH = f"/initiative?{INITIATIVE_QUERY}"
VIEWPORT = {"width": 1366, "height": 900}
HOLD_MS = 500
"""How long the settled state must hold before a page counts as settled (not timed)."""
TIMEOUT_MS = 180_000
FRESH_GOAL = 1.5
NAVIGATION_GOAL = 1.2

POLL_MS = 25
"""How often the page checks whether it has settled (the resolution of every time)."""

# Settled: the script run the action started has finished (the run counter of helpers.py,
# compared with the count noted before the action; a new document starts from zero), the
# app is idle (helpers' own idle test, without its settle time), no skeleton is left and
# every visible chart has its SVG. The page checks this itself every POLL_MS from the start
# of each document (an init script), so the moment is not delayed by Playwright (a click
# can return after the rerun it started has finished); window.__benchSince holds the epoch
# time (ms) at which the settled state began, null while it does not hold.
_WATCH_JS = f"""
(() => {{
  const idle = ({_APP_IDLE_JS.strip()});
  const finished = {json.dumps(list(_FINISHED_SCRIPT_STATES))};
  window.__benchSince = null;
  setInterval(() => {{
    const ready = idle([finished, 0])
      && (window.__jwFinishedRuns ?? 0) > (window.__jwCountBase ?? 0)
      && document.querySelector('[data-testid="stSkeleton"]') === null
      && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
        .filter((chart) => chart.checkVisibility())
        .every((chart) => chart.querySelector('.main-svg') !== null);
    if (!ready) window.__benchSince = null;
    else if (window.__benchSince == null)
      window.__benchSince = performance.timeOrigin + performance.now();
  }}, {POLL_MS});
}})();
"""

_HELD_JS = """([holdMs]) => window.__benchSince != null
  && performance.timeOrigin + performance.now() - window.__benchSince >= holdMs"""

_CHARTS_JS = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return [charts.filter((chart) => chart.checkVisibility()).length, charts.length];
}"""


# --------------------------------------------------------------------------------------------
# Samples and the table
# --------------------------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed action: wall seconds to settled; CPU seconds meanwhile of the server and of
    the client side (Chromium, Playwright's driver and this script)."""

    seconds: float
    server_cpu: float
    client_cpu: float
    note: str = ""


@dataclass
class Line:
    """One row of the table: the app's samples against the baseline's, and the goal."""

    label: str
    goal: float
    app: list[Sample] = field(default_factory=list)
    baseline: list[Sample] = field(default_factory=list)

    @staticmethod
    def _median(samples: list[Sample]) -> float:
        return statistics.median(s.seconds for s in samples)

    @staticmethod
    def _best(samples: list[Sample]) -> float:
        return min(s.seconds for s in samples)

    @property
    def ratio(self) -> float:
        """Median app seconds over median baseline seconds: what the goal is checked on."""
        return self._median(self.app) / self._median(self.baseline)

    def row(self) -> str:
        """The line's row of the Markdown table printed at the end."""
        app, base = self.app, self.baseline
        best_ratio = self._best(app) / self._best(base)
        server = [statistics.median(s.server_cpu for s in side) for side in (app, base)]
        client = [statistics.median(s.client_cpu for s in side) for side in (app, base)]
        verdict = "PASS" if self.ratio <= self.goal else "OVER"
        return (
            f"| {self.label} | {self._median(app):.2f} ({self._best(app):.2f}) "
            f"| {self._median(base):.2f} ({self._best(base):.2f}) "
            f"| **{self.ratio:.2f}x** ({best_ratio:.2f}x) | {server[0]:.2f} / {server[1]:.2f} "
            f"| {client[0]:.2f} / {client[1]:.2f} "
            f"| <= {self.goal:g}x | {verdict} |"
        )


TABLE_HEADER = (
    "| Warm server | App s, median (best) | Baseline s, median (best) "
    "| App / baseline, median (best) | Server CPU s, app / baseline "
    "| Client CPU s, app / baseline | Goal | |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
)


def loadavg() -> str:
    """The three load averages of /proc/loadavg (what else is running on the machine)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --------------------------------------------------------------------------------------------
# Database and servers
# --------------------------------------------------------------------------------------------


def seed_database(folder: Path) -> str:
    """A fresh SQLite database holding the report's figures (``python -m jwmetrics init``)."""
    url = str(scale_bench.sqlite_url(folder / "page_speed.sqlite"))
    subprocess.run(
        [sys.executable, "-m", "jwmetrics", "init"],
        cwd=REPO_ROOT,
        env={**os.environ, URL_ENV: url},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return url


@dataclass
class Server:
    """A served Streamlit app: its base URL and the pid whose CPU time is read."""

    base: str
    pid: int

    def cpu(self) -> float:
        """CPU seconds used so far by the server and its children."""
        return float(scale_bench.cpu_seconds(self.pid))


@contextlib.contextmanager
def serve(app: Path, database_url: str) -> Iterator[Server]:
    """Serve ``app`` on ``database_url`` (the minimal app reads none, but gets the same)."""
    with start_streamlit({URL_ENV: database_url}, app_path=app, timeout_s=300) as base:
        yield Server(base, scale_bench._server_pid(int(base.rsplit(":", 1)[1])))


# --------------------------------------------------------------------------------------------
# Driving Chromium
# --------------------------------------------------------------------------------------------


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """A fresh context (a new Streamlit session) with the run counter and the watch."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RUN_COUNTER_JS)
    context.add_init_script(_WATCH_JS)
    return context, context.new_page()


Action = tuple[Callable[[], object], str]
"""What to do (a callable) and what it is (for the log)."""


def client_cpu(servers: tuple[Server, ...]) -> float:
    """CPU seconds so far of this process and its children other than the servers: this
    script, Playwright's driver and Chromium (the page's work on the client side)."""
    return float(scale_bench.cpu_seconds(os.getpid())) - sum(s.cpu() for s in servers)


def timed(page: Page, server: Server, servers: tuple[Server, ...], action: Action) -> Sample:
    """Seconds from the action until the page settled (the holding time not counted).

    The run count is noted first, so only a run that finishes after the action counts (a
    new document starts counting from zero); the end is the browser's clock at the moment
    the settled state began (``_WATCH_JS``), the same machine clock as ``time.time``.
    """
    if page.url != "about:blank":
        page.evaluate(
            "() => { window.__jwCountBase = window.__jwFinishedRuns; window.__benchSince = null; }"
        )
    do, what = action
    cpu, client = server.cpu(), client_cpu(servers)
    started = time.time()
    do()
    page.wait_for_function(_HELD_JS, arg=[HOLD_MS], timeout=TIMEOUT_MS, polling=100)
    settled_ms = float(page.evaluate("() => window.__benchSince"))
    used, client = server.cpu() - cpu, client_cpu(servers) - client
    assert_no_exception(page)
    visible, charts = page.evaluate(_CHARTS_JS)
    seconds = settled_ms / 1000 - started
    if seconds <= 0:  # the watch saw an older settled state: a bug here, not a fast page
        raise RuntimeError(f"{what}: settled {seconds:.2f} s after the action")
    return Sample(seconds, used, client, f"{what}; charts {visible} shown of {charts}")


def sidebar_link(title: str) -> Callable[[Page], Action]:
    """Clicking the sidebar's link to the page ``title`` (an in-session navigation)."""

    def make(page: Page) -> Action:
        link = page.get_by_role("navigation", name="Pages").get_by_role("link", name=title)
        link.wait_for(state="visible")
        return link.click, f"link {title}"

    return make


def other_measure(page: Page) -> Action:
    """Open the Measure selectbox (untimed); the action chooses the first other measure."""
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text="Measure")
    )
    box.first.click()
    option = page.locator('[role="option"]:not([aria-selected="true"])').first
    option.wait_for(state="visible")
    return option.click, f"Measure: {option.inner_text().strip()}"


def press_r(page: Page) -> Action:
    """Rerunning the minimal app from the keyboard ("r", Streamlit's rerun shortcut)."""
    return (lambda: page.keyboard.press("r")), "key r"


@dataclass(frozen=True)
class Step:
    """One line's action on each side: a path opens a fresh context (a new session) there,
    a function makes the action to time in the side's open page."""

    key: str
    label: str
    goal: float
    app: str | Callable[[Page], Action]
    baseline: str | Callable[[Page], Action]


STEPS = (
    Step("overview", "fresh overview (new session)", FRESH_GOAL, "/", "/"),
    Step(
        "to initiative",
        "navigate: sidebar link Overview -> Initiative",
        NAVIGATION_GOAL,
        sidebar_link("Initiative"),
        press_r,
    ),
    Step(
        "to overview",
        "navigate: sidebar link Initiative -> Overview",
        NAVIGATION_GOAL,
        sidebar_link("Overview"),
        press_r,
    ),
    Step(
        "initiative",
        "fresh initiative page (new session, deep link)",
        FRESH_GOAL,
        INITIATIVE_PATH,
        "/",
    ),
    Step("measure", "change the Measure selectbox", NAVIGATION_GOAL, other_measure, press_r),
)
"""A round, in order: each navigation acts on the page the step before it left open."""


class Side:
    """One server and the browser session (context and page) currently open on it."""

    def __init__(self, browser: Browser, server: Server, servers: tuple[Server, ...]) -> None:
        self.browser, self.server, self.servers = browser, server, servers
        self.context: BrowserContext | None = None
        self.page: Page | None = None

    def close(self) -> None:
        """Close the open context, if any."""
        if self.context is not None:
            self.context.close()
        self.context = self.page = None

    def run(self, what: str | Callable[[Page], Action]) -> Sample:
        """Open the path ``what`` in a fresh context, or time the action it makes here."""
        if isinstance(what, str):
            self.close()
            self.context, page = new_page(self.browser)
            self.page = page
            url = self.server.base + what
            return timed(
                page,
                self.server,
                self.servers,
                ((lambda: page.goto(url, wait_until="commit")), what),
            )
        if self.page is None:
            raise RuntimeError("an in-session step needs a page opened by the step before")
        return timed(self.page, self.server, self.servers, what(self.page))


def run_round(app: Side, baseline: Side, lines: dict[str, Line], number: int) -> None:
    """Every step once on both sides; which side goes first alternates step by step and
    round by round, so that drift in the machine's load falls on both alike."""
    try:
        for index, step in enumerate(STEPS):
            line = lines.setdefault(step.key, Line(step.label, step.goal))
            app_first = (number + index) % 2 == 0
            for side in ("app", "baseline") if app_first else ("baseline", "app"):
                if side == "app":
                    line.app.append(app.run(step.app))
                else:
                    line.baseline.append(baseline.run(step.baseline))
            a, b = line.app[-1], line.baseline[-1]
            print(
                f"  {step.key:<13} app {a.seconds:6.2f} s (CPU server {a.server_cpu:.2f}, "
                f"client {a.client_cpu:.2f})  baseline {b.seconds:5.2f} s (CPU server "
                f"{b.server_cpu:.2f}, client {b.client_cpu:.2f})  [{a.note} | {b.note}]",
                flush=True,
            )
    finally:
        app.close()
        baseline.close()


def bench_browser(repeat: int) -> dict[str, Line]:
    """Seed, serve both apps, warm them with one round (printed as cold), then time
    ``repeat`` rounds; return the timed lines."""
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="jwm-page-speed-") as folder,
        sync_playwright() as playwright,
    ):
        started = time.perf_counter()
        url = seed_database(Path(folder))
        print(f"seeded {url} in {time.perf_counter() - started:.1f} s", flush=True)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
        )
        try:
            with (
                serve(scale_bench.APP_PATH, url) as app_server,
                serve(scale_bench.MINIMAL_APP, url) as minimal_server,
            ):
                servers = (app_server, minimal_server)
                app = Side(browser, app_server, servers)
                baseline = Side(browser, minimal_server, servers)
                print(
                    "warm-up round: COLD (the first request to each server, then the first "
                    "time each page runs in the server process); not compared",
                    flush=True,
                )
                run_round(app, baseline, {}, 0)
                lines: dict[str, Line] = {}
                for number in range(repeat):
                    print(f"round {number + 1} of {repeat} (warm servers)", flush=True)
                    run_round(app, baseline, lines, number)
        finally:
            browser.close()
    return lines


def print_table(lines: dict[str, Line], repeat: int) -> None:
    """The results table (Markdown), then one PASS/OVER line per goal."""
    print(f"\nWarm servers, median of {repeat} (best in brackets); load average {loadavg()}")
    print(TABLE_HEADER)
    for line in lines.values():
        print(line.row())
    print()
    for line in lines.values():
        verdict = "PASS" if line.ratio <= line.goal else "OVER"
        print(f"[{verdict}] {line.label}: {line.ratio:.2f}x (goal <= {line.goal:g}x)")


# --------------------------------------------------------------------------------------------
# --profile: what runs on every rerun, in this process
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def profiling_script_runs(profiler: cProfile.Profile) -> Iterator[None]:
    """Profile every AppTest script run inside the block.

    AppTest runs the script in a thread of its own, which a profiler enabled in this thread
    would not see, so the thread's entry point is wrapped for the duration.
    """
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    original = LocalScriptRunner._run_script_thread

    def run_profiled(self: Any) -> None:
        profiler.runcall(original, self)

    LocalScriptRunner._run_script_thread = run_profiled  # type: ignore[method-assign]
    try:
        yield
    finally:
        LocalScriptRunner._run_script_thread = original  # type: ignore[method-assign]


def where(code: CodeType | str) -> str:
    """``file:line(function)`` with the file relative to the repository or site-packages."""
    if isinstance(code, str):
        return code
    name = code.co_filename
    for root in (f"{REPO_ROOT}/", "site-packages/", "lib/python3.11/"):
        if root in name:
            name = name.split(root, 1)[1]
            break
    return f"{name}:{code.co_firstlineno}({code.co_name})"


def print_profile(title: str, profiler: cProfile.Profile, top: int = 25, own: int = 15) -> None:
    """The ``top`` entries by cumulative time, then the ``own`` top ones in the project's
    own code (app.py, dashboard/, pages/, jwmetrics/): where to cache or precompute."""
    entries = sorted(profiler.getstats(), key=lambda e: e.totaltime, reverse=True)
    project = [
        e
        for e in entries
        if isinstance(e.code, CodeType)
        and e.code.co_filename.startswith(f"{REPO_ROOT}/")
        and "/.venv/" not in e.code.co_filename
    ]
    for heading, chosen in (
        (f"top {top} by cumulative time (s cumulative, s own, calls)", entries[:top]),
        (f"top {own} in the project's own code", project[:own]),
    ):
        print(f"\n{title}: {heading}")
        for e in chosen:
            print(f"  {e.totaltime:7.3f} {e.inlinetime:7.3f} {e.callcount:7d}  {where(e.code)}")


def profile_reruns(database_url: str) -> None:
    """cProfile a fresh overview and the switch to the initiative page, on warm caches.

    Both pages are run once first (``scale_bench._open_page``: caches emptied, then filled),
    so the profiled runs show what every new session and every navigation pays while the
    cached library calls are fresh. No browser: the frontend's share is not here.
    """
    from streamlit.testing.v1 import AppTest

    params = {**scale_bench.RSU_VIEW, "area": scale_bench.ENGLAND}
    scale_bench._open_page(database_url, params)  # fills the caches of both pages
    for label, profiled in (("unprofiled", False), ("profiled", True)):
        overview, initiative = cProfile.Profile(), cProfile.Profile()
        at = AppTest.from_file(str(scale_bench.APP_PATH), default_timeout=600)
        started = time.perf_counter()
        with profiling_script_runs(overview) if profiled else contextlib.nullcontext():
            at.run()
        middle = time.perf_counter()
        at.switch_page(scale_bench.INITIATIVE_PAGE)
        at.query_params.update(params)
        with profiling_script_runs(initiative) if profiled else contextlib.nullcontext():
            at.run()
        ended = time.perf_counter()
        if at.exception:
            raise RuntimeError(f"the app raised: {[e.message for e in at.exception]}")
        print(
            f"AppTest, warm caches, {label}: fresh overview {middle - started:.2f} s, "
            f"then the initiative page in the same session {ended - middle:.2f} s",
            flush=True,
        )
    print_profile("fresh overview (new AppTest session, warm caches)", overview)
    print_profile("initiative page (switch_page in the same session, warm caches)", initiative)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table and the goals; with ``--profile`` add the profiles."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (median, best)")
    parser.add_argument("--profile", action="store_true", help="cProfile the reruns (AppTest)")
    parser.add_argument("--skip-browser", action="store_true", help="only --profile")
    args = parser.parse_args(argv)

    print(f"nproc {os.cpu_count()}, load average {loadavg()} at the start", flush=True)
    if not args.skip_browser:
        lines = bench_browser(args.repeat)
        print_table(lines, args.repeat)
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="jwm-page-speed-profile-") as folder:
            profile_reruns(seed_database(Path(folder)))
    print(f"load average {loadavg()} at the end", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
