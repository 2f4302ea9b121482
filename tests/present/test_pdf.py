"""Packs are printed with as little as they need: no request leaves Chromium, and no script
runs but those the caller names (the pack's own plotly.js and chart scripts).

A local HTTP server records every request; the page printed points at it in every way a
page can (an image, a style sheet, a font, a frame, a script, a fetch) and carries a script
that would write a marker into the page. Chromium and pdftotext are needed (``make test``
installs both); without them the tests are skipped, except under CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from jwmetrics.present.pdf import content_policy, html_to_pdf, plotly_scripts, with_policy

needs_chromium_and_pdftotext = pytest.mark.skipif(
    (shutil.which("pdftotext") is None or shutil.which("chromium") is None)
    and not os.environ.get("CI"),
    reason="Chromium and pdftotext (poppler-utils) are needed; make test installs them",
)


class Recorder(BaseHTTPRequestHandler):
    """Answers every GET with a tiny body and records its path."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"/* recorded */")

    def log_message(self, *_args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    """A local HTTP server's base URL; its requests are in ``Recorder.seen``."""
    Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def hostile_page(base: str, allowed: str = "") -> str:
    """A page that reaches for ``base`` in every way, and a script writing a marker."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{base}/style.css">
<style>@font-face {{ font-family: far; src: url({base}/font.woff2); }}
body {{ font-family: far, sans-serif; }}</style>
<script src="{base}/script.js"></script>
</head><body><h1>Pack printed offline</h1>
<img src="{base}/image.png" alt="remote image">
<iframe src="{base}/frame.html"></iframe>
<p id="marker">untouched</p>
<script>{allowed}</script>
<script>document.getElementById("marker").textContent = "INJECTED SCRIPT RAN";
fetch("{base}/fetch"); new Image().src = "{base}/beacon.png";</script>
</body></html>"""


def pdf_text(pdf: bytes, folder: Path) -> str:
    """The printed PDF's text, one space between words."""
    path = folder / "printed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


@needs_chromium_and_pdftotext
def test_a_page_printed_without_scripts_makes_no_request_and_runs_no_script(
    server: str, tmp_path: Path
) -> None:
    text = pdf_text(html_to_pdf(hostile_page(server)), tmp_path)
    assert "Pack printed offline" in text and "untouched" in text
    assert "INJECTED SCRIPT RAN" not in text
    assert Recorder.seen == []


@needs_chromium_and_pdftotext
def test_only_the_scripts_named_run_and_they_reach_nothing(server: str, tmp_path: Path) -> None:
    """As a pack is printed: its own script runs (and its fetch goes nowhere); another
    script in the page does not."""
    allowed = (
        'document.getElementById("marker").textContent = "OWN SCRIPT RAN";'
        f'fetch("{server}/own-fetch").catch(() => {{}});'
    )
    text = pdf_text(html_to_pdf(hostile_page(server, allowed), scripts=[allowed]), tmp_path)
    assert "OWN SCRIPT RAN" in text
    assert "INJECTED SCRIPT RAN" not in text
    assert Recorder.seen == []


def test_the_policy_loads_nothing_from_outside_and_names_each_script_by_hash() -> None:
    policy = content_policy(["a()", "b()", "a()"])
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert policy.count("'sha256-") == 2 and "img-src data:;" in policy
    assert "script-src 'none'" in content_policy([])
    page = with_policy("<html><head><title>t</title></head></html>", [])
    assert page.startswith('<html><head><meta http-equiv="Content-Security-Policy"')


def test_a_pack_names_only_its_own_scripts() -> None:
    """The plotly.js bundle and plotly's chart calls; not another script in the page."""
    chart = '\n  window.PLOTLYENV=window.PLOTLYENV || {}; Plotly.newPlot("c", []);'
    page = f"<script>BUNDLE</script><div><script>{chart}</script></div><script>evil()</script>"
    assert plotly_scripts(page, "BUNDLE") == ["BUNDLE", chart]
