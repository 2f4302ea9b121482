"""What the browser draws on each page the page-speed bench times: a census, not a timing.

``.venv/bin/python bench/page_census.py``

Why: ``bench/page_speed.py`` shows that most of the dashboard's extra time is the client's
(Chromium drawing), not the server's. This says what there is to draw on each page it
times: elements in the document, plotly charts (and how many are visible), grids
(``st.dataframe``, drawn on a canvas by glide), static tables, Markdown blocks, iframes and
widgets; with Chromium's own counters (``Performance.getMetrics`` over CDP) of the time it
spent on script, layout and style for the step. One sample each, on a warm server: the
counts are exact, the times only indicative.

It reuses the bench's seeding, serving and settling (:mod:`page_speed`), so a page is
counted in the same state the bench times it in.
"""

from __future__ import annotations

import functools
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import page_speed  # noqa: E402
import scale_bench  # noqa: E402
from helpers import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, Page

COUNTS_JS = """() => {
  const count = (selector) => document.querySelectorAll(selector).length;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return {
    elements: count('*'),
    charts: charts.length,
    visible_charts: charts.filter((chart) => chart.checkVisibility()).length,
    svg_nodes: count('[data-testid="stPlotlyChart"] svg *'),
    grids: count('[data-testid="stDataFrame"]'),
    tables: count('[data-testid="stTable"]'),
    markdown: count('[data-testid="stMarkdown"]'),
    element_containers: count('[data-testid="stElementContainer"]'),
    iframes: count('iframe'),
    widgets: count('[data-testid="stWidgetLabel"]'),
    page_links: count('[data-testid="stPageLink"]'),
    expanders: count('[data-testid="stExpander"]'),
  };
}"""

METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")
"""Chromium's cumulative seconds of script, layout, style and all main-thread tasks."""


def cdp_metrics(session: CDPSession) -> dict[str, float]:
    """Chromium's performance counters of the page now (``Performance.getMetrics``)."""
    answer = session.send("Performance.getMetrics")
    return {m["name"]: float(m["value"]) for m in answer["metrics"] if m["name"] in METRICS}


def census(page: Page, session: CDPSession, before: dict[str, float], what: str) -> None:
    """Print the counts of the settled page and the CDP seconds spent since ``before``."""
    counts: dict[str, Any] = page.evaluate(COUNTS_JS)
    after = cdp_metrics(session)
    spent = ", ".join(
        f"{name.removesuffix('Duration').lower()} {after[name] - before.get(name, 0):.2f}"
        for name in METRICS
        if name in after
    )
    print(f"{what}\n  {counts}\n  Chromium s: {spent}", flush=True)


def count_pages(server: page_speed.Server) -> None:
    """A fresh overview, then in the same session the initiative page, back, and the
    initiative page's deep link in a fresh session: each counted once settled."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for path, steps in (
                ("/", ("Initiative", "Overview")),
                (page_speed.INITIATIVE_PATH, ()),
            ):
                context, page = page_speed.new_page(browser)
                session = context.new_cdp_session(page)
                session.send("Performance.enable")
                before: dict[str, float] = {}
                url = server.base + path
                page_speed.timed(page, server, (server,), (functools.partial(page.goto, url), path))
                census(page, session, before, f"fresh {path}")
                for title in steps:
                    before = cdp_metrics(session)
                    action = page_speed.sidebar_link(title)(page)
                    page_speed.timed(page, server, (server,), action)
                    census(page, session, before, f"then the sidebar link {title}")
                context.close()
        finally:
            browser.close()


def main() -> int:
    """Seed, serve the app, warm it with one pass, then count each page."""
    with tempfile.TemporaryDirectory(prefix="jwm-page-census-") as folder:
        url = page_speed.seed_database(Path(folder))
        with page_speed.serve(scale_bench.APP_PATH, url) as server:
            print("warm-up pass (not printed)", flush=True)
            stdout, sys.stdout = sys.stdout, open("/dev/null", "w")  # noqa: SIM115
            try:
                count_pages(server)
            finally:
                sys.stdout.close()
                sys.stdout = stdout
            count_pages(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
