"""How a status is shown: its symbol, colour and meaning, as a badge, a cell style, a word.

Never by colour alone: a badge is the symbol and the word ("✔ Green"), and the colour
behind it comes from the Okabe-Ito colour-blind-safe palette with black or white text,
whichever contrasts more (WCAG). The statuses themselves, and how they are decided, are in
:mod:`jwmetrics.assess.status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jwmetrics.assess.words import Status

if TYPE_CHECKING:  # pandas' Styler (and jinja2) load only when a table is coloured
    import pandas as pd
    from pandas.io.formats.style import Styler


@dataclass(frozen=True)
class StatusStyle:
    """How a status is shown: never by colour alone, so its word and a symbol too."""

    symbol: str
    colour: str  # Okabe-Ito colour-blind-safe palette
    meaning: str  # what the word means, for legends


STYLES: dict[Status, StatusStyle] = {
    Status.ACHIEVED: StatusStyle("★", "#0072B2", "target met"),
    Status.GREEN: StatusStyle("✔", "#009E73", "on track"),
    Status.AMBER: StatusStyle("▲", "#E69F00", "at risk, or too little evidence to say"),
    Status.RED: StatusStyle("✖", "#D55E00", "off track"),
    Status.MISSED: StatusStyle("⊘", "#CC79A7", "target date passed, not met"),
    Status.AWAITING: StatusStyle("◐", "#F0E442", "target date passed, figure not yet out"),
    Status.GREY: StatusStyle("○", "#999999", "too early, no data, or data too old to judge"),
    Status.NO_TARGET: StatusStyle("–", "#56B4E9", "no target set"),
}


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` ("#RRGGBB"), per WCAG."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def badge(status: str | Status) -> str:
    """A status as symbol and word, never colour alone: "✔ Green"."""
    known = Status(status)
    return f"{STYLES[known].symbol} {known}"


def badge_css(text: str) -> str:
    """CSS for a table cell holding a badge: the status colour behind its symbol and word."""
    for status, style in STYLES.items():
        if text == badge(status):
            colours = f"background-color: {style.colour}; color: {text_colour(style.colour)}"
            return f"{colours}; white-space: nowrap"
    return ""


def coloured_status(frame: pd.DataFrame, column: str = "Status") -> Styler:
    """The frame with its status cells in their colours (symbol and words stay as text)."""
    return frame.style.map(badge_css, subset=[column])


def status_label(status: str) -> str:
    """The canonical status word, the same as on screen and in the CLI ("Green").

    Downloads carry the word without the symbol; text that is not a status is kept as it is.
    """
    known = {str(item): item for item in Status}
    return str(known[status]) if status in known else status
