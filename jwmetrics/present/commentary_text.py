"""Commentary as safe HTML: simple Markdown (emphasis, lists, paragraphs) and nothing else.

Analysts write plain text with a little Markdown. This renders exactly that subset, the
same in the app and in every briefing pack: ``**strong**``, ``*emphasis*`` or
``_emphasis_``, lines starting ``- ``, ``* `` or ``1. `` as lists, blank lines between
paragraphs. Everything else is text: HTML is escaped (``<script>`` shows as written), and a
Markdown link ``[x](javascript:...)`` or a bare address stays words, never a live link.
"""

from __future__ import annotations

import html
import re

STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])")
BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


def inline(text: str) -> str:
    """One line's text, escaped, with strong and emphasis marked up."""
    escaped = html.escape(text, quote=True)
    escaped = STRONG.sub(r"<strong>\1</strong>", escaped)
    return EMPHASIS.sub(r"<em>\1</em>", escaped)


def to_html(text: str) -> str:
    """The comment as HTML: paragraphs and lists of escaped, emphasised text."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    kind = ""

    def close() -> None:
        nonlocal kind
        if paragraph:
            blocks.append("<p>" + "<br>".join(inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            cells = "".join(f"<li>{inline(item)}</li>" for item in items)
            blocks.append(f"<{kind}>{cells}</{kind}>")
            items.clear()
        kind = ""

    for line in text.splitlines():
        bullet = BULLET.match(line)
        item = bullet or NUMBERED.match(line)
        if not line.strip():
            close()
        elif item is not None:
            wanted = "ul" if bullet else "ol"
            if paragraph or (items and kind != wanted):
                close()
            kind = wanted
            items.append(item.group(1))
        else:
            if items:
                close()
            paragraph.append(line.strip())
    close()
    return "\n".join(blocks)
