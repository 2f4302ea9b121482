"""Tables as the pages show them: British formatting, status as symbol and words.

Downloads use :mod:`jwmetrics.export` instead, which keeps numbers as numbers.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from pandas.io.formats.style import Styler

from jwmetrics import fmt
from jwmetrics.detail import SeriesDetail
from jwmetrics.periods import format_date, format_month
from jwmetrics.portfolio import Assessment
from jwmetrics.profiles import InitiativeProfile
from jwmetrics.status import badge, badge_css
from jwmetrics.track_record import TrackRecord


def latest_text(row: Assessment) -> str:
    """The latest figure with its qualifier, or a dash."""
    if row.latest_value is None:
        return "–"
    return fmt.value(row.latest_value, row.unit, row.latest_qualifier)


def target_text(row: Assessment) -> str:
    """The target value and date: "617 by April 2002", or a dash."""
    if row.target_value is None:
        return "–"
    text = fmt.value(row.target_value, row.unit)
    return f"{text} by {format_month(row.target_date)}" if row.target_date else text


def target_value_text(row: Assessment) -> str:
    """The target value alone ("617"), for a narrow metric; the date goes in its help."""
    return "–" if row.target_value is None else fmt.value(row.target_value, row.unit)


def series_text(detail: SeriesDetail) -> str:
    """A short series in a line: "around £120,000 (1998 to 1999) → around £70,000 (…)"."""
    parts = [
        f"{fmt.value(v.value, detail.unit, v.qualifier, v.marker)} ({v.period.label})"
        for v in detail.observations
    ]
    return " → ".join(parts) or "no figure yet"


def partners_table(profile: InitiativeProfile) -> pd.DataFrame:
    """Partners with their kind, role and source."""
    return pd.DataFrame(
        [(p.name, p.kind, p.role, p.source) for p in profile.partners],
        columns=["Partner", "Kind", "Role", "Source"],
    )


def age_text(days: int | None) -> str:
    """Age of the latest figure at the reporting date: "160 days", "2.1 years"."""
    if days is None:
        return "–"
    if days < 730:
        return f"{days:,} days"
    return f"{days / 365.25:.1f} years"


def progress_text(share: float | None) -> str:
    """Share of the required change achieved, as per cent."""
    return "–" if share is None else fmt.percent(share)


def overview_table(rows: list[Assessment]) -> pd.DataFrame:
    """One line per measure and area, formatted for reading."""
    return pd.DataFrame(
        [
            {
                "Status": badge(row.status),
                "Measure": row.measure_name,
                "Area": row.area_name,
                "Latest": latest_text(row),
                "Period": row.latest_period or "–",
                "Age of latest figure": age_text(row.latest_age_days),
                "Target": target_text(row),
                "Progress to target": progress_text(row.progress),
                "As known on": format_date(row.as_of),
                "Reason": row.reason,
            }
            for row in rows
        ],
        columns=[
            "Status", "Measure", "Area", "Latest", "Period", "Age of latest figure", "Target",
            "Progress to target", "As known on", "Reason",
        ],
    )  # fmt: skip


def observations_table(detail: SeriesDetail) -> pd.DataFrame:
    """The figures behind a trend chart with where each came from."""
    return pd.DataFrame(
        [
            {
                "Period": view.period.label,
                "Value": fmt.value(view.value, detail.unit, view.qualifier, view.marker),
                "Status": view.data_status,
                "Source": view.source,
                "Return and row": (
                    f"return {view.return_id}, row {view.row_number}" if view.return_id else "–"
                ),
                "Published": format_date(view.published_on),
                "Recorded": format_date(view.recorded_at.date()),
                "Note": view.note,
            }
            for view in detail.observations
        ],
        columns=[
            "Period", "Value", "Status", "Source", "Return and row", "Published", "Recorded",
            "Note",
        ],
    )  # fmt: skip


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


def area_status_table(rows: list[Assessment]) -> pd.DataFrame:
    """One line per area for a measure; numbers kept numeric so the table sorts by them."""
    return pd.DataFrame(
        [
            {
                "Area": row.area_name,
                "Area code": row.area_code,
                "Status": badge(row.status),
                "Latest": row.latest_value,
                "Period": row.latest_period or "–",
                "Target": row.target_value,
                "Progress to target (%)": None if row.progress is None else row.progress * 100,
                "Reason": row.reason,
            }
            for row in rows
        ],
        columns=[
            "Area", "Area code", "Status", "Latest", "Period", "Target",
            "Progress to target (%)", "Reason",
        ],
    )  # fmt: skip


def coloured_status(frame: pd.DataFrame, column: str = "Status") -> Styler:
    """The frame with its status cells in their colours (symbol and words stay as text)."""
    return frame.style.map(badge_css, subset=[column])


def track_record_summary(record: TrackRecord) -> pd.DataFrame:
    """One line per target: its outcome and how its earlier calls turned out."""
    return pd.DataFrame(
        [
            {
                "Measure": target.measure_name,
                "Area": target.area_name,
                "Target": fmt.number(target.target_value) if target.target_value is not None
                else "–",
                "Due": format_month(target.target_date) if target.target_date else "no date",
                "Outcome": badge(target.outcome),
                "Known on": format_date(target.outcome_known_on),
                "Calls": len(target.calls),
                "Right": sum(c.right is True for c in target.calls),
                "Wrong": sum(c.right is False for c in target.calls),
                "Hedged (Amber)": sum(c.call == "Amber" for c in target.calls),
            }
            for target in record.targets
        ],
        columns=[
            "Measure", "Area", "Target", "Due", "Outcome", "Known on", "Calls", "Right",
            "Wrong", "Hedged (Amber)",
        ],
    )  # fmt: skip


def track_record_table(record: TrackRecord) -> pd.DataFrame:
    """One line per call: the target, the day, what was shown, and whether it proved right."""
    verdicts = {True: "right", False: "wrong", None: "hedge or no call"}
    return pd.DataFrame(
        [
            {
                "Measure": target.measure_name,
                "Area": target.area_name,
                "Outcome": badge(target.outcome),
                "Outcome known on": format_date(target.outcome_known_on),
                "Call on": format_date(call.as_of),
                "Shown": badge(call.status),
                "Call counted": badge(call.call),
                "Proved": verdicts[call.right],
            }
            for target in record.targets
            for call in target.calls
        ],
        columns=[
            "Measure", "Area", "Outcome", "Outcome known on", "Call on", "Shown",
            "Call counted", "Proved",
        ],
    )  # fmt: skip
