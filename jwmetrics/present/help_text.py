"""The project's documents as help text for the app's Help page.

``docs/status.md``, ``docs/spc.md`` and ``docs/returns.md`` are read from the repository and
their links to one another are turned into links to the Help page's topics, so nothing on
screen points at a file path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"

HELP_TOPICS: dict[str, tuple[str, str]] = {
    "status": ("How a status is decided", "status.md"),
    "spc": ("Reading an SPC chart", "spc.md"),
    "returns": ("The format of a return", "returns.md"),
}
"""Topic id -> (title, file under docs/)."""

_DOC_LINK = re.compile(r"\]\((?:docs/)?(status|spc|returns)\.md(#[^)]*)?\)")


def help_url(topic: str) -> str:
    """The app's URL path of a help topic: "help?topic=returns"."""
    return f"help?topic={topic}"


@lru_cache(maxsize=8)
def help_markdown(topic: str) -> str:
    """The document of ``topic`` as Markdown, its links to the other documents made in-app."""
    _title, name = HELP_TOPICS[topic]
    path = DOCS / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return f"The help text for this topic ({name}) is missing from this installation."
    return _DOC_LINK.sub(lambda m: f"]({help_url(m.group(1))})", text)
