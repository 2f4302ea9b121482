"""No chart prints words over words: the trend and SPC charts on screen at 1366 and 800 px,
and the briefing pack printed to PDF.

On screen: every ``<text>`` element of a chart's SVG (tick labels, point labels, legend,
axis titles, source note) is measured with ``getBoundingClientRect`` in headless Chromium and
no two boxes may overlap. On paper: the pack is printed by Chromium as the app prints it,
``pdftotext -bbox`` (poppler) gives every word's box on each page, and no two words may
overlap. The series is the crowded case a reviewer found: the latest figure, the target and
the forecast all near the target date, with a provisional figure keyed in the legend.

These tests write to a database of their own, so they start their own server.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from helpers import (
    RUN_COUNTER_JS,
    assert_no_exception,
    open_app,
    screenshot,
    wait_for_charts,
    warmed_streamlit,
)
from playwright.sync_api import Browser, Page, expect

from jwmetrics.metrics.face import Metrics

ENGLAND = "E92000001"
RSU = f"initiative?initiative=rough-sleepers-unit&measure=rough-sleepers-count&area={ENGLAND}"
RETURN = (
    "initiative,measure,area_code,period,value,status\n"
    f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},December 2001,560,provisional\n"
    f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},April 2002,520,final\n"
).encode()
"""The reviewer's return: a provisional December count and the April 2002 count, so the
latest figure, the target (617) and the forecast all sit at the target date."""
WIDTHS = {"wide": {"width": 1366, "height": 900}, "narrow": {"width": 800, "height": 900}}
TOLERANCE_PX = 1.0  # glyph boxes may touch; they may not overlap by more than this

TEXT_BOXES_JS = """
(chart) => [...chart.querySelectorAll('svg.main-svg text')]
  .filter((t) => t.textContent.trim() && t.getClientRects().length > 0)
  .map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent.trim(), left: r.left, top: r.top, right: r.right,
            bottom: r.bottom};
  })
  .filter((b) => b.right - b.left > 0 && b.bottom - b.top > 0)
"""


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each pair of boxes that overlap by more than :data:`TOLERANCE_PX` both ways."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            across = min(a["right"], b["right"]) - max(a["left"], b["left"])
            down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if across > TOLERANCE_PX and down > TOLERANCE_PX:
                found.append((a["text"], b["text"]))
    return found


@pytest.fixture(scope="module")
def crowded_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A seeded SQLite database with the reviewer's return committed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('chart-text') / 'charts.sqlite'}"
    with Metrics.open(url) as metrics:
        check = metrics.check_return(
            RETURN, "rsu-2002.csv", partner="Rough Sleepers Unit", published_on=date(2002, 6, 1)
        )
        outcome = metrics.commit_return(check, uploaded_by="test", confirm_warnings=True)
        assert outcome.return_id is not None, outcome
    return url


@pytest.fixture(scope="module")
def crowded_server(browser: Browser, crowded_database: str) -> Iterator[str]:
    """The app on the crowded database, opened once (the first request routes through
    app.py, which tests/browser/test_first_request.py covers)."""
    with warmed_streamlit(browser, {"JWMETRICS_DATABASE_URL": crowded_database}) as base_url:
        yield base_url


def chart_text(page: Page, index: int) -> list[dict[str, Any]]:
    """The text boxes of the ``index``-th plotly chart on the page."""
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(index)
    expect(chart.locator(".main-svg").first).to_be_visible()
    return list(chart.evaluate(TEXT_BOXES_JS))


@pytest.mark.parametrize("size", list(WIDTHS))
def test_trend_and_spc_charts_print_no_text_over_text(
    browser: Browser, crowded_server: str, size: str
) -> None:
    context = browser.new_context(viewport=WIDTHS[size])  # type: ignore[arg-type]
    context.set_default_timeout(60_000)
    context.add_init_script(RUN_COUNTER_JS)
    page = context.new_page()
    try:
        open_app(page, f"{crowded_server}/{RSU}", timeout_ms=60_000)
        wait_for_charts(page)
        assert_no_exception(page)
        trend = chart_text(page, 0)
        words = " ".join(box["text"] for box in trend)
        for expected in ("Latest 520 people", "Target 617 people", "Source:", "Provisional"):
            assert expected in words, f"{expected!r} not drawn at {size}: {words}"
        assert not overlapping(trend), f"trend chart at {size}: {overlapping(trend)}"
        screenshot(page, f"chart-text-trend-{size}", full_page=False)

        page.get_by_role("tab", name="SPC (XmR) chart").click()  # drawn in the browser
        spc_chart = page.locator('[data-testid="stPlotlyChart"]', has_text="process limit")
        expect(spc_chart.locator(".main-svg").first).to_be_visible()
        page.wait_for_timeout(500)  # plotly redraws at the tab's width once it is shown
        spc = list(spc_chart.evaluate(TEXT_BOXES_JS))
        spc_words = " ".join(box["text"] for box in spc)
        assert "Source:" in spc_words and "Upper process limit" in spc_words
        assert "<br>" not in spc_words and "<i>" not in spc_words  # markup is drawn, not shown
        assert not overlapping(spc), f"SPC chart at {size}: {overlapping(spc)}"
    finally:
        context.close()


def pdf_words(pdf: Path) -> list[list[dict[str, Any]]]:
    """Every word of every page with its box, from ``pdftotext -bbox`` (poppler)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.fromstring(html)
    return [
        [
            {
                "text": word.text or "",
                "left": float(word.attrib["xMin"]),
                "top": float(word.attrib["yMin"]),
                "right": float(word.attrib["xMax"]),
                "bottom": float(word.attrib["yMax"]),
            }
            for word in page.iterfind("x:word", namespace)
        ]
        for page in root.iterfind(".//x:page", namespace)
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils' pdftotext")
def test_the_pdf_pack_prints_no_word_over_a_word(crowded_database: str, tmp_path: Path) -> None:
    """The printed pack of the crowded initiative: on every page, no two words overlap
    (chart labels, legend, source note and the text around them)."""
    with Metrics.open(crowded_database) as metrics:
        pack = metrics.add_pack("rough-sleepers-unit", date(2002, 6, 30), file_format="pdf")
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pack.data)
    pages = pdf_words(pdf)
    words = [w["text"] for page in pages for w in page]
    assert "Latest" in words and "Forecast" in words and "Source:" in words
    # Shrink each box a little: pdftotext's boxes include the font's full ascent and descent.
    problems = []
    for number, page in enumerate(pages, start=1):
        shrunk = [
            {**w, "top": w["top"] + 1.5, "bottom": w["bottom"] - 1.5} for w in page if w["text"]
        ]
        problems += [(number, *pair) for pair in overlapping(shrunk)]
    assert not problems, f"overlapping words in the PDF pack (page, word, word): {problems}"
