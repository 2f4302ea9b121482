"""Team sizing: N browser sessions at once through nginx to two app processes, on PostgreSQL.

``.venv/bin/python bench/team_load.py [--sessions 1,2,4] [--rounds 2]``

Why: the README's sizing guidance for a team (sessions per process per core, memory per
process and per session) rests on these figures. The set-up is the team smoke test's
(``scripts/team_stack.py``): a throwaway PostgreSQL 15 seeded with the report's figures
(``python -m jwmetrics init``), two app processes, nginx with ``deploy/nginx.conf``.

What it does: one uncounted warm-up journey on each process, then for each N, ``--rounds``
times: N journeys at once, each in a new browser context (a new user) through the proxy:
the overview (``/``), then the Rough Sleepers Unit initiative page (a second page load, a
second Streamlit session). A page counts as loaded when the app is idle and connected with
nothing stale for 250 ms (``tests/browser/helpers.py``), and the 250 ms is subtracted. For
each run it prints the median and longest journey, the server CPU seconds each process used
(``/proc/PID/stat``) per journey, each process's resident memory before the run, with the
run's sessions still open (``VmRSS``) and at its peak (``VmHWM``), and which process each
session went to (nginx's ``jwm_route`` cookie). Chromium runs on the same machine, so on a
small machine the journey times are mostly the browser's; the CPU seconds are the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests" / "browser")]
from helpers import _APP_IDLE_JS, CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from team_stack import AppProcess, app_processes, nginx, postgres  # noqa: E402

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page

SETTLE_MS = 250
INITIATIVE_PATH = "/initiative?initiative=rough-sleepers-unit"
TIMEOUT_MS = 120_000


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of the process in MB (10^6 bytes)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024 / 1e6
    return values["VmRSS"], values["VmHWM"]


async def load(page: Page, url: str) -> float:
    """Open ``url``; seconds until the app was idle (the settle time subtracted)."""
    begun = time.monotonic()
    await page.goto(url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    await page.wait_for_function(
        _APP_IDLE_JS,
        arg=[["notRunning", "compilationError"], SETTLE_MS],
        timeout=TIMEOUT_MS,
        polling=50,
    )
    return time.monotonic() - begun - SETTLE_MS / 1000


async def journey(
    browser: Browser, base_url: str, contexts: list[BrowserContext]
) -> tuple[float, str]:
    """One user's two page loads in a new context, left open; (seconds, route)."""
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    contexts.append(context)
    page = await context.new_page()
    seconds = await load(page, f"{base_url}/") + await load(page, base_url + INITIATIVE_PATH)
    route = next((c["value"] for c in await context.cookies() if c["name"] == "jwm_route"), "?")
    return seconds, route


async def run(browser: Browser, proxy: str, apps: list[AppProcess], sessions: int) -> str:
    """N journeys at once; one line of figures."""
    pids = [a.proc.pid for a in apps]
    rss_before = [memory_mb(p)[0] for p in pids]
    cpu_before = [cpu_seconds(p) for p in pids]
    contexts: list[BrowserContext] = []
    results = await asyncio.gather(*(journey(browser, proxy, contexts) for _ in range(sessions)))
    cpu = [cpu_seconds(p) - c for p, c in zip(pids, cpu_before, strict=True)]
    memory = [memory_mb(p) for p in pids]  # the run's sessions still open
    for context in contexts:
        await context.close()
    times = [seconds for seconds, _ in results]
    routes = "".join(sorted(route for _, route in results))
    mem = " / ".join(
        f"{before:.0f}->{rss:.0f} (peak {hwm:.0f})"
        for before, (rss, hwm) in zip(rss_before, memory, strict=True)
    )
    return (
        f"N={sessions}: journey median {statistics.median(times):.2f} s, max {max(times):.2f} s;"
        f" server CPU {cpu[0]:.1f} + {cpu[1]:.1f} s = {sum(cpu) / sessions:.2f} CPU-s a journey;"
        f" routes {routes}; RSS MB a / b {mem}"
    )


async def measure(proxy: str, apps: list[AppProcess], counts: list[int], rounds: int) -> None:
    """Warm both processes, then print one line per run."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for app in apps:  # warm-up, uncounted: imports, caches, the first run's routing
            contexts: list[BrowserContext] = []
            print(f"warm-up :{app.port}: {(await journey(browser, app.url, contexts))[0]:.2f} s")
            await contexts[0].close()
        for repeat in range(rounds):
            for sessions in counts:
                print(
                    f"round {repeat + 1} " + await run(browser, proxy, apps, sessions), flush=True
                )
        await browser.close()


def main() -> None:
    """Start the team set-up, seed it, measure, stop everything."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="1,2,4", help="numbers of sessions at once")
    parser.add_argument("--rounds", type=int, default=2, help="times each number is run")
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory(prefix="jwmetrics-load-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)
        with postgres(work) as url:
            env = {**os.environ, "JWMETRICS_DATABASE_URL": url}
            subprocess.run(
                [sys.executable, "-m", "jwmetrics", "init"], env=env, cwd=ROOT, check=True
            )
            with app_processes(url, work) as apps, nginx(work, apps[0].port, apps[1].port) as proxy:
                asyncio.run(measure(proxy, apps, counts, args.rounds))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
