"""The Help page's text: written for analysts, kept in ``docs/help/``.

The developers' documents (``docs/status.md``, ``docs/spc.md``, ``docs/returns.md``, with
code names and thresholds) stay in ``docs/``; the Help page shows the analysts' versions in
``docs/help/``, whose links to one another are turned into links to the Help page's topics,
so nothing on screen points at a file path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
HELP_DOCS = DOCS / "help"

HELP_TOPICS: dict[str, tuple[str, str]] = {
    "start": ("Using the dashboard", "start.md"),
    "status": ("How a status is decided", "status.md"),
    "spc": ("Reading an SPC chart", "spc.md"),
    "returns": ("Sending a return", "returns.md"),
    "value": ("Value for money", "value.md"),
}
"""Topic id -> (title, file under docs/help/)."""
DEFAULT_TOPIC = "start"

_DOC_LINK = re.compile(r"\]\((?:docs/)?(?:help/)?(start|status|spc|returns|value)\.md(#[^)]*)?\)")


def help_url(topic: str) -> str:
    """The app's URL path of a help topic: "help?topic=returns"."""
    return f"help?topic={topic}"


@lru_cache(maxsize=8)
def help_markdown(topic: str) -> str:
    """The analysts' text of ``topic`` as Markdown, its links to other topics made in-app."""
    _title, name = HELP_TOPICS[topic]
    path = HELP_DOCS / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return f"The help text for this topic ({name}) is missing from this installation."
    if text.startswith("# "):  # the topic's own title: the page's topic picker names it
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return _DOC_LINK.sub(lambda m: f"]({help_url(m.group(1))})", text).strip() + "\n"
