"""An HTML pack printed to PDF by headless Chromium: A4, the pack's own page numbers.

Why Chromium: the tests already install Debian's ``chromium``; it draws the pack's plotly
charts exactly as a browser does and prints them as vector graphics, and it honours CSS
``@page`` margin boxes, which number the pages. WeasyPrint would need the charts as images
first (Kaleido, which drives a Chromium anyway). The browser is found on ``PATH``
(``chromium``, ``chromium-browser``, ``google-chrome``) or named by ``JWMETRICS_CHROMIUM``.

Printed with as little as the pack needs. No network: every host resolves to nothing
(``--host-resolver-rules``), every request goes to a proxy that is not there, and the
page's Content-Security-Policy (added here) lets it load nothing but itself (``data:``
images and fonts). Scripts only when the caller names them: the pack's own plotly.js
bundle and chart scripts, allowed by their SHA-256 in the policy, so any other script in the
page is not run; with none named, the policy runs no script at all. (The pack's charts are
drawn by plotly.js, so the pack needs its own scripts; Chromium's own switch for JavaScript,
``--blink-settings=scriptEnabled=false``, stops headless Chromium writing any PDF.) The
sandbox is on where the kernel allows it: Chromium is started without ``--no-sandbox``
first, and only when it cannot start sandboxed (as root, as in most containers) is it
started again without the sandbox, with a warning in the log; the choice is remembered for
the process.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

CHROMIUM_ENV = "JWMETRICS_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 120
RENDER_BUDGET_MS = 15_000  # virtual time for the charts' script to draw before printing
NO_NETWORK = (
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no host name resolves
    "--proxy-server=http://127.0.0.1:9",  # and an address typed in goes to a closed port
    "--proxy-bypass-list=<-loopback>",  # loopback too (Chromium bypasses proxies for it)
)
_LOGGER = logging.getLogger(__name__)
_SANDBOX = {"works": True}  # False once Chromium could not start sandboxed in this process


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


def plotly_scripts(document: str, bundle: str) -> list[str]:
    """The scripts a pack writes itself, which alone may run when it is printed: the
    plotly.js ``bundle`` and each chart's call to draw it (plotly's own text, starting
    ``window.PLOTLYENV``). Everything from the database is escaped, so no other script can
    be in a pack; were one there, it would not be named here and would not run."""
    return [
        code for code in _SCRIPT.findall(document) if code == bundle or _CHART_SCRIPT.match(code)
    ]


_SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.DOTALL)
_CHART_SCRIPT = re.compile(r"\s*window\.PLOTLYENV\s*=")


def content_policy(scripts: Sequence[str]) -> str:
    """A Content-Security-Policy that loads nothing from outside the page and runs only
    ``scripts`` (their exact text, allowed by SHA-256); none when empty."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
        for code in dict.fromkeys(scripts)
    ]
    allowed = " ".join(hashes) if hashes else "'none'"
    return (
        f"default-src 'none'; script-src {allowed}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )


def with_policy(document: str, scripts: Sequence[str]) -> str:
    """``document`` with :func:`content_policy` as the first thing in its head."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_policy(scripts)}">'
    head = re.search(r"<head[^>]*>", document, re.IGNORECASE)
    if head is None:
        return meta + document
    return document[: head.end()] + meta + document[head.end() :]


def html_to_pdf(
    document: str, moment: datetime | None = None, scripts: Sequence[str] = ()
) -> bytes:
    """Print ``document`` (a self-contained HTML page) to PDF bytes, dated ``moment``
    (default: when it was printed), with no network and running only ``scripts`` (the
    exact text of inline scripts the page may run; none: no script runs)."""
    browser = chromium_path()
    with tempfile.TemporaryDirectory(prefix="jwmetrics-pdf-") as folder:
        page, output = Path(folder) / "pack.html", Path(folder) / "pack.pdf"
        page.write_text(with_policy(document, scripts), encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            *NO_NETWORK,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--print-to-pdf={output}",
        ]
        printed = _print(command, page, output)
        return printed if moment is None else stamped(printed, moment)


def _print(command: list[str], page: Path, output: Path) -> bytes:
    """Run Chromium sandboxed if it can start so, else without the sandbox (logged)."""
    if _SANDBOX["works"]:
        result = _run([*command, page.as_uri()])
        if output.is_file() and output.stat().st_size > 0:
            return output.read_bytes()
        if "sandbox" not in result.lower():
            raise PdfUnavailable("Chromium ran but wrote no PDF; try the HTML pack")
        _SANDBOX["works"] = False
        _LOGGER.warning(
            "Chromium cannot start sandboxed here (%s); printing packs without its sandbox. "
            "Run the app as a user other than root to keep the sandbox on.",
            result.strip().splitlines()[-1][:200] if result.strip() else "no reason given",
        )
    _run([*command, "--no-sandbox", page.as_uri()])
    if not output.is_file() or output.stat().st_size == 0:
        raise PdfUnavailable("Chromium ran but wrote no PDF; try the HTML pack")
    return output.read_bytes()


def _run(command: list[str]) -> str:
    """Run Chromium; what it wrote to stderr."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PdfUnavailable(f"Chromium could not print the pack: {exc}") from None
    return done.stderr.decode("utf-8", "replace")
