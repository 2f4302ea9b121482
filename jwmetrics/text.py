"""Text: numbers, money, dates and periods written the British way, for reasons, tables and
charts.

One way of writing each thing on screen: a day as "7 December 2026" (:func:`format_date`), a
moment as "7 December 2026, 13:38" (:func:`moment`), a count with its noun in the right number
(:func:`plural`: "1 measure", "2 returns"), and nothing as a dash (:data:`DASH`), never
"None". Files keep ISO dates (:func:`iso`). Also :func:`plain`: text from files and
catalogues made safe to put into Markdown; :func:`unmarked`: Markdown reduced to its words;
and :func:`sentence` for messages shown as sentences.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from jwmetrics.periods import format_date

DASH = "–"
"""What a table or sentence shows where there is nothing (an en dash), never "None"."""

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


def moment(when: datetime | date | None) -> str:
    """A moment the British way, "7 December 2026, 13:38"; a day alone as "7 December 2026";
    nothing as a dash."""
    if when is None:
        return DASH
    if isinstance(when, datetime):
        return f"{format_date(when.date())}, {when:%H:%M}"
    return format_date(when)


def iso(when: datetime | date | None) -> str:
    """A day or moment for a file: "2026-12-07" or "2026-12-07 13:38:05"; "" for nothing."""
    if when is None:
        return ""
    if isinstance(when, datetime):
        return when.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
    return when.isoformat()


_IRREGULAR = {"is": "are", "was": "were", "has": "have", "person": "people", "its": "their"}


def plural(count: int, singular: str, many: str | None = None) -> str:
    """A count with its noun in the right number: "1 measure", "2 returns", "1,204 figures".

    The plural is ``singular`` + "s" unless given ("1 partnership", "3 analyses" needs
    ``many="analyses"``); a few irregular words are known ("person" -> "people").
    """
    word = singular if count == 1 else (many or _IRREGULAR.get(singular) or f"{singular}s")
    return f"{count:,} {word}"


_MARKDOWN_MARKS = re.compile(r"(\*\*|__|~~|`)|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_START = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-+*]\s+|\d+[.)]\s+)", re.M)


def unmarked(text: str) -> str:
    """Markdown reduced to its words, on one line, for a table cell or a chart label:
    "**Target met.** See [the report](http://…)" -> "Target met. See the report".

    Emphasis, code marks, headings, quotes and list markers go; a link keeps its words.
    """
    words = _MARKDOWN_LINK.sub(r"\1", text)
    words = _MARKDOWN_START.sub("", words)
    words = _MARKDOWN_MARKS.sub("", words)
    return " ".join(words.split())


def sentence(text: str) -> str:
    """``text`` with its first letter made capital (the rest untouched, unlike ``capitalize``)."""
    return text[:1].upper() + text[1:]


# What Markdown (CommonMark, GitHub's extensions and Streamlit's own) reads as markup, each
# escaped with a backslash, which CommonMark then shows as the character itself: emphasis
# and code (* _ ` ~), links and images ([ ]), HTML and autolinks (<), LaTeX ($), entities
# (&amp;), Streamlit directives and emoji (":red[", ":material/", ":smile:"), bare links
# ("http://", "www.", "a@b"), and a heading, quote or list marker at the start.
_ALWAYS = re.compile(
    r"([\\`*_~\[\]<$@|])|(&)(?=[#A-Za-z])|(:)(?=[A-Za-z/\[])|(?<=www\u2060)(\.)", re.I
)
_AT_START = re.compile(r"^(\s*|\s*\d+)((?<=\d)[.)]|(?<!\d)[#>+\-=])")
_LINE_BREAKS = re.compile(r"[\r\n]+")

WORD_JOINER = "\u2060"
"""An invisible character that joins words: put inside "http://" and "www." so that no
autolink rule matches them, and shown as nothing."""
# Where GitHub's autolink literals of web addresses start: "http://" and "https://" (any
# "x:/") and "www.". Backslash escapes do not stop them: Streamlit's Markdown (remark-gfm)
# also finds them after parsing, in the text with escapes resolved, with
# /(https?:\/\/|www(?=\.))([-.\w]+)([^ \t\r\n]*)/gi. An e-mail address ("a@b.org") still
# becomes a mailto link: people copy addresses from the app, and an invisible character in
# one would break it where it is pasted.
_AUTOLINK_STARTS = re.compile(r"(?<=www)(?=\.)|(?=:/)", re.I)


def plain(text: object) -> str:
    """``text`` escaped so that Markdown (``st.markdown``, ``st.caption``, ``st.table`` cells,
    ``st.error`` ...) shows it exactly as written and never as a link, image or markup.

    Line breaks become spaces (a new line could start a heading or a list); "<" is escaped,
    so no HTML gets through either. A bare "http://…" or "www.…" gets an invisible
    :data:`WORD_JOINER` before its ":" or ".": escapes alone do not stop GitHub-style
    autolinks, which are also found in the text after escapes are resolved.
    Ordinary punctuation ("Pre-school", "(HC 383)", "12:30") is left alone.
    """
    flat = _AUTOLINK_STARTS.sub(WORD_JOINER, _LINE_BREAKS.sub(" ", str(text)))
    escaped = _ALWAYS.sub(lambda m: "\\" + m.group(0), flat)
    return _AT_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def plain_frame(frame: Any, keep: tuple[str, ...] = ()) -> Any:
    """A copy of a pandas frame with :func:`plain` applied to every text cell (for
    ``st.table``, which renders cells as Markdown); the columns in ``keep`` stay as they are.
    A missing cell becomes a dash (:data:`DASH`): a table never reads "None" or "<NA>".
    """
    from pandas import isna
    from pandas.api.types import is_object_dtype, is_string_dtype

    safe = frame.copy()
    for column in safe.columns:
        dtype = safe[column].dtype
        if safe[column].isna().any():
            safe[column] = safe[column].astype(object).map(lambda v: DASH if isna(v) else v)
            dtype = safe[column].dtype
        if column not in keep and (is_object_dtype(dtype) or is_string_dtype(dtype)):
            safe[column] = safe[column].map(lambda v: plain(v) if isinstance(v, str) else v)
    return safe


__all__ = [
    "DASH", "WORD_JOINER", "difference", "format_date", "iso", "moment", "money", "number",
    "percent", "plain", "plain_frame", "plural", "sentence", "unmarked", "value",
]  # fmt: skip
