"""An HTML pack printed to PDF by headless Chromium: A4, the pack's own page numbers.

Why Chromium: the tests already install Debian's ``chromium``; it draws the pack's plotly
charts exactly as a browser does and prints them as vector graphics, and it honours CSS
``@page`` margin boxes, which number the pages. WeasyPrint would need the charts as images
first (Kaleido, which drives a Chromium anyway). The browser is found on ``PATH``
(``chromium``, ``chromium-browser``, ``google-chrome``) or named by ``JWMETRICS_CHROMIUM``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

CHROMIUM_ENV = "JWMETRICS_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 120
RENDER_BUDGET_MS = 15_000  # virtual time for the charts' script to draw before printing


class PdfUnavailable(RuntimeError):
    """No Chromium to print with, or it failed; the message says what to do."""


def chromium_path() -> str:
    """The Chromium to print with; :class:`PdfUnavailable` naming how to install one."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable(
        "PDF packs are printed by Chromium, which was not found: install it "
        f"(apt-get install chromium) or set {CHROMIUM_ENV}; the HTML pack needs nothing"
    )


PDF_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")


def stamped(pdf: bytes, moment: datetime) -> bytes:
    """The PDF with its creation and modification dates set to ``moment``.

    Chromium stamps the time it printed; the pack's own time makes a rebuilt pack the same
    bytes as the first. The stamp keeps its length, so the file's byte offsets still hold.
    """
    stamp = f"D:{moment:%Y%m%d%H%M%S}+00'00'".encode()
    return PDF_DATES.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)


def html_to_pdf(document: str, moment: datetime | None = None) -> bytes:
    """Print ``document`` (a self-contained HTML page) to PDF bytes, dated ``moment``
    (default: when it was printed)."""
    browser = chromium_path()
    with tempfile.TemporaryDirectory(prefix="jwmetrics-pdf-") as folder:
        page, output = Path(folder) / "pack.html", Path(folder) / "pack.pdf"
        page.write_text(document, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",  # run as root in containers; the page is our own file
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--print-to-pdf={output}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"Chromium could not print the pack: {exc}") from None
        if not output.is_file() or output.stat().st_size == 0:
            raise PdfUnavailable("Chromium ran but wrote no PDF; try the HTML pack")
        printed = output.read_bytes()
        return printed if moment is None else stamped(printed, moment)
