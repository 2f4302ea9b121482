"""One series' assessment in words: its latest figure, target, progress, age, when judged.

Short texts for metrics, headings, captions and the command line, written the British way
(:mod:`jwmetrics.present.text`); a dash where there is nothing to say.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.periods import format_date, format_month
from jwmetrics.present import text
from jwmetrics.present.status import badge

if TYPE_CHECKING:
    from jwmetrics.detail import SeriesDetail
    from jwmetrics.portfolio import Assessment


def latest_text(row: Assessment) -> str:
    """The latest figure with its qualifier, or a dash."""
    if row.latest_value is None:
        return "–"
    return text.value(row.latest_value, row.unit, row.latest_qualifier)


def target_text(row: Assessment) -> str:
    """The target value and date: "617 by April 2002", or a dash."""
    if row.target_value is None:
        return "–"
    words = text.value(row.target_value, row.unit)
    return f"{words} by {format_month(row.target_date)}" if row.target_date else words


def target_value_text(row: Assessment) -> str:
    """The target value alone ("617"), for a narrow metric; the date goes in its help."""
    return "–" if row.target_value is None else text.value(row.target_value, row.unit)


def series_text(detail: SeriesDetail) -> str:
    """A short series in a line: "around £120,000 (1998 to 1999) → around £70,000 (…)"."""
    parts = [
        f"{text.value(v.value, detail.unit, v.qualifier, v.marker)} ({v.period.label})"
        for v in detail.observations
    ]
    return " → ".join(parts) or "no figure yet"


def age_text(days: int | None) -> str:
    """Age of the latest figure at the reporting date: "160 days", "2.1 years"."""
    if days is None:
        return "–"
    if days < 730:
        return f"{days:,} days"
    return f"{days / 365.25:.1f} years"


def progress_text(share: float | None) -> str:
    """Share of the required change achieved, as per cent."""
    return "–" if share is None else text.percent(share)


def as_of_text(day: date) -> str:
    """The reporting date for headings: "as known on 7 December 2001"."""
    return f"as known on {format_date(day)}"


def known_on_text(rows: list[Assessment]) -> str:
    """When a set of statuses is judged: one day, or each series at its own newest figure.

    "as known on 7 December 2001", or "each as known on its newest figure (7 December 2001
    to 1 May 2010)".
    """
    days = sorted({row.as_of for row in rows})
    if not days:
        return ""
    if len(days) == 1:
        return as_of_text(days[0])
    return f"each as known on its newest figure ({format_date(days[0])} to {format_date(days[-1])})"


def reasons_markdown(rows: list[Assessment]) -> str:
    """Each status with why, as Markdown paragraphs: "**✔ Green — Measure** (Area)", reason.

    One block of Markdown for all the rows, so a page draws one element rather than two per
    row. Names and reasons come from catalogues and files, so they are escaped
    (:func:`~jwmetrics.present.text.plain`); the badge is the dashboard's own.
    """
    return "\n\n".join(
        f"**{badge(row.status)} — {text.plain(row.measure_name)}** ({text.plain(row.area_name)})"
        f"\n\n{text.plain(row.reason)}"
        for row in rows
    )


SHORT_REASON_CHARS = 90


def short_reason(reason: str, limit: int = SHORT_REASON_CHARS) -> str:
    """The first sentence of a reason, cut at a word to at most ``limit`` characters.

    For a table's "Why" column; the full reason is a click away.
    """
    first = reason.split(". ", 1)[0].strip().rstrip(".")
    if len(first) <= limit:
        return first + "."
    cut = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


_TOO_EARLY = ("too early", "too soon")


def reason_once(reason: str) -> str:
    """The reason with "too early" said once: later sentences that only say it again
    ("It is too soon to measure the impact…") are dropped; every other sentence is kept."""
    sentences = [part for part in reason.split(". ") if part]
    kept: list[str] = []
    said = False
    for part in sentences:
        early = any(words in part.lower() for words in _TOO_EARLY)
        if early and said:
            continue
        said = said or early
        kept.append(part)
    return ". ".join(kept)
