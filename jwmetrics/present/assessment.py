"""One series' assessment in words: its latest figure, target, progress, age, when judged.

Short texts for metrics, headings, captions and the command line, written the British way
(:mod:`jwmetrics.text`); a dash where there is nothing to say.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from jwmetrics import text
from jwmetrics.periods import format_date, format_month
from jwmetrics.present.status import badge

if TYPE_CHECKING:
    from jwmetrics.assess.detail import SeriesDetail
    from jwmetrics.assess.portfolio import Assessment
    from jwmetrics.returns.schedule import ReturnsSummary


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


AGE_IN_DAYS_BELOW = 61
"""Younger figures are aged in days ("45 days"); older ones in whole months ("14 months"),
counted as the data quality notes count them ("based on a figure 14 months old")."""


def age_text(row: Assessment) -> str:
    """Age of the latest figure at the reporting date, said one way everywhere: "45 days",
    "14 months", "305 months" (the whole months of :func:`~jwmetrics.assess.quality.months_old`,
    as the reason's "305 months old"), or a dash."""
    days = row.latest_age_days
    if days is None or row.latest_period_end is None:
        return text.DASH
    if days < AGE_IN_DAYS_BELOW:
        return text.plural(days, "day")
    from jwmetrics.assess.quality import months_old  # loaded with the status table anyway

    return text.plural(months_old(row.latest_period_end, row.as_of), "month")


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


def quality_text(row: Assessment) -> str:
    """The data quality notes as one sentence ("Based on a figure 14 months old; the return
    for 2023 is overdue."), or "" when there are none."""
    if not row.quality:
        return ""
    joined = "; ".join(row.quality)
    return joined[0].upper() + joined[1:] + "."


def reason_with_quality(row: Assessment) -> str:
    """The reason, then "Data quality: …" when the status rests on a weak figure."""
    notes = quality_text(row)
    return f"{row.reason} Data quality: {notes}" if notes else row.reason


def why_text(row: Assessment) -> str:
    """A table's short "Why": the reason's first sentence, any data quality notes, and the
    analyst's commentary when the page asked for it ("Commentary (April 2002): …").

    Plain words only: the commentary's Markdown is reduced to its words (a table cell shows
    no markup), and no emoji marks it, since a reader's fonts may lack one.
    """
    notes = quality_text(row)
    short = short_reason(row.reason)
    why = f"{short} ⚠ {notes}" if notes else short
    return f"{why} {text.unmarked(row.commentary)}" if row.commentary else why


def percent_text(share: float | None) -> str:
    """A percentage for completeness or timeliness to one decimal place, halves rounded up
    as a reader would ("81.25" is "81.3%"), a whole one without it ("100%"), or a dash.

    Never rounded up to 100% when something is missing.
    """
    if share is None:
        return "–"
    tenths = Decimal(repr(share)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if share < 100 and tenths >= 100:
        tenths = Decimal("99.9")
    shown = f"{tenths:,.1f}"
    return f"{shown[:-2] if shown.endswith('.0') else shown}%"


def returns_text(summary: ReturnsSummary | None) -> str:
    """An initiative's returns in a line: "Returns: 81.3% complete, 927 overdue"."""
    if summary is None:
        return "Returns: no returns schedule"
    if summary.expected == 0:
        return "Returns: none due yet"
    overdue = len(summary.overdue_items)
    return (
        f"Returns: {percent_text(summary.completeness_pct)} complete, "
        f"{text.number(overdue)} overdue"
    )


def reasons_markdown(rows: list[Assessment]) -> str:
    """Each status with why, as Markdown paragraphs: "**✔ Green — Measure** (Area)", reason.

    One block of Markdown for all the rows, so a page draws one element rather than two per
    row. Names and reasons come from catalogues and files, so they are escaped
    (:func:`~jwmetrics.text.plain`); the badge is the dashboard's own. Data quality
    notes follow the reason they qualify.
    """
    return "\n\n".join(
        f"**{badge(row.status)} — {text.plain(row.measure_name)}** ({text.plain(row.area_name)})"
        f"\n\n{text.plain(row.reason)}"
        + (f"\n\n⚠ *Data quality:* {text.plain(quality_text(row))}" if row.quality else "")
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


def chance_text(row: Assessment) -> str:
    """The chance of meeting the target in words: "about 3 in 5 (62%)"; "–" once the verdict
    is in or where no chance can be read (the reason says why)."""
    if row.probability_met is None or row.status in ("Achieved", "Missed"):
        return "–"
    from jwmetrics.assess.reasons import chance_words  # loaded with the status table anyway

    return chance_words(row.probability_met)


def other_targets_text(rows: list[Assessment]) -> str:
    """A series' other targets beside its first: "400 by June 2004: Amber; ..." or "–"."""
    if not rows:
        return "–"
    return "; ".join(f"{target_text(row)}: {row.status}" for row in rows)
