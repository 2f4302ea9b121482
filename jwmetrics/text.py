"""Text: numbers, money and periods written the British way, for reasons, tables and charts.

Also :func:`plain`: text from files and catalogues made safe to put into Markdown, and
:func:`sentence` for messages shown as sentences.
"""

from __future__ import annotations

import re
from typing import Any

from jwmetrics.periods import format_date

QUALIFIER_WORDS = {"exact": "", "over": "over ", "under": "under ", "around": "around "}


def number(value: float, decimals: int | None = None) -> str:
    """1850 -> "1,850"; 616.67 -> "617"; 55.4 -> "55.4" (one decimal when not whole)."""
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def money(value: float) -> str:
    """Pounds: 200,000,000 -> "£200m"; 1,200,000,000 -> "£1.2bn"; 70,000 -> "£70,000"."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e9:
        return f"{sign}£{number(value / 1e9, 0 if (value / 1e9).is_integer() else 1)}bn"
    if value >= 1e6:
        return f"{sign}£{number(value / 1e6, 0 if (value / 1e6).is_integer() else 1)}m"
    return f"{sign}£{number(value, 0)}"


def value(
    amount: float | None, unit: str, qualifier: str = "exact", marker: str | None = None
) -> str:
    """A value in its unit with its qualifier: "over 50%", "around £70,000", "1,850 people"."""
    if amount is None:
        return {"..": "not available (..)", "x": "suppressed (x)", "-": "nil (-)"}.get(
            marker or "", "no figure"
        )
    prefix = QUALIFIER_WORDS.get(qualifier, "")
    if unit == "percent":
        return f"{prefix}{number(amount)}%"
    if unit == "GBP":
        return f"{prefix}{money(amount)}"
    return f"{prefix}{number(amount)}"


def difference(amount: float, unit: str) -> str:
    """A gap between two values: percentages differ by percentage points, not per cent."""
    if unit == "percent":
        return f"{number(amount)} percentage points"
    return value(amount, unit)


def percent(share: float, decimals: int = 0) -> str:
    """A share (0.62) as per cent text ("62%")."""
    return f"{share * 100:,.{decimals}f}%"


def sentence(text: str) -> str:
    """``text`` with its first letter made capital (the rest untouched, unlike ``capitalize``)."""
    return text[:1].upper() + text[1:]


# What Markdown (CommonMark, GitHub's extensions and Streamlit's own) reads as markup, each
# escaped with a backslash, which CommonMark then shows as the character itself: emphasis
# and code (* _ ` ~), links and images ([ ]), HTML and autolinks (<), LaTeX ($), entities
# (&amp;), Streamlit directives and emoji (":red[", ":material/", ":smile:"), bare links
# ("http://", "www.", "a@b"), and a heading, quote or list marker at the start.
_ALWAYS = re.compile(r"([\\`*_~\[\]<$@|])|(&)(?=[#A-Za-z])|(:)(?=[A-Za-z/\[])|(?<=www)(\.)", re.I)
_AT_START = re.compile(r"^(\s*|\s*\d+)((?<=\d)[.)]|(?<!\d)[#>+\-=])")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def plain(text: object) -> str:
    """``text`` escaped so that Markdown (``st.markdown``, ``st.caption``, ``st.table`` cells,
    ``st.error`` ...) shows it exactly as written and never as a link, image or markup.

    Line breaks become spaces (a new line could start a heading or a list); "<" is escaped,
    so no HTML gets through either. Ordinary punctuation ("Pre-school", "(HC 383)", "12:30")
    is left alone.
    """
    flat = _LINE_BREAKS.sub(" ", str(text))
    escaped = _ALWAYS.sub(lambda m: "\\" + m.group(0), flat)
    return _AT_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def plain_frame(frame: Any, keep: tuple[str, ...] = ()) -> Any:
    """A copy of a pandas frame with :func:`plain` applied to every text cell (for
    ``st.table``, which renders cells as Markdown); the columns in ``keep`` stay as they are.
    """
    from pandas.api.types import is_object_dtype, is_string_dtype

    safe = frame.copy()
    for column in safe.columns:
        dtype = safe[column].dtype
        if column not in keep and (is_object_dtype(dtype) or is_string_dtype(dtype)):
            safe[column] = safe[column].map(lambda v: plain(v) if isinstance(v, str) else v)
    return safe


__all__ = [
    "difference", "format_date", "money", "number", "percent", "plain", "plain_frame",
    "sentence", "value",
]  # fmt: skip
