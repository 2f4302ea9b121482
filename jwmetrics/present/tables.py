"""Tables for the screen: statuses, a series' figures, partners and track records.

British formatting, status as symbol and words (colour is added by
:func:`jwmetrics.present.status.coloured_status`). Downloads use
:mod:`jwmetrics.present.files` instead, which keeps numbers as numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from jwmetrics import text
from jwmetrics.briefing.ratings import DIVERGENT_STEPS, steps_apart
from jwmetrics.periods import format_date, format_month
from jwmetrics.present.assessment import (
    age_text,
    chance_text,
    latest_text,
    other_targets_text,
    progress_text,
    reason_with_quality,
    short_reason,
    target_text,
    why_text,
)
from jwmetrics.present.status import badge

if TYPE_CHECKING:  # types only: series and track records load only on the initiative page
    from jwmetrics.assess.detail import SeriesDetail
    from jwmetrics.assess.portfolio import Assessment
    from jwmetrics.assess.track_record import TrackRecord
    from jwmetrics.briefing.ratings import Rating
    from jwmetrics.catalogue.profiles import InitiativeProfile
    from jwmetrics.returns.schedule import ScheduleReport


def partners_table(profile: InitiativeProfile) -> pd.DataFrame:
    """Partners with their kind, role and source."""
    return pd.DataFrame(
        [(p.name, p.kind, p.role, p.source) for p in profile.partners],
        columns=["Partner", "Kind", "Role", "Source"],
    )


def overview_table(
    rows: list[Assessment], judged: Mapping[tuple[str, str], Rating] | None = None
) -> pd.DataFrame:
    """One line per measure and area, formatted for reading: its first target (the nearest
    still open, as the status table orders them), with the others beside it, and the
    delivery confidence judged for it (``judged``, by measure and area; "–" when none)."""
    first: dict[tuple[str, str], Assessment] = {}
    others: dict[tuple[str, str], list[Assessment]] = {}
    for row in rows:
        key = (row.measure, row.area_code)
        if key in first:
            others.setdefault(key, []).append(row)
        else:
            first[key] = row
    return pd.DataFrame(
        [
            {
                "Status": badge(row.status),
                "Judged": judged_cell((judged or {}).get(key), row.status),
                "Measure": row.measure_name,
                "Area": row.area_name,
                "Latest": latest_text(row),
                "Period": row.latest_period or "–",
                "Age of latest figure": age_text(row),
                "Target": target_text(row),
                "Chance of meeting it": chance_text(row),
                "Progress to target": progress_text(row.progress),
                "Other targets": other_targets_text(others.get(key, [])),
                "As known on": format_date(row.as_of),
                "Why": why_text(row),
                "Reason": reason_with_quality(row),
            }
            for key, row in first.items()
        ],
        columns=[
            "Status", "Judged", "Measure", "Why", "Area", "Latest", "Period",
            "Age of latest figure", "Target", "Chance of meeting it", "Progress to target",
            "Other targets", "As known on", "Reason",
        ],
    )  # fmt: skip


def judged_cell(rating: Rating | None, status: str) -> str:
    """The judged rating as a table shows it: "Red", "Red (2 steps from the status)" when
    the judgement and the rule are far apart, or "–" when nobody has judged it."""
    if rating is None:
        return "–"
    apart = steps_apart(rating.rating, status)
    if apart is not None and apart >= DIVERGENT_STEPS:
        return f"{rating.rating} ({apart} steps from the status)"
    return rating.rating


def cost_table(rows: list[Assessment]) -> pd.DataFrame:
    """Cost-effectiveness lines (cost per unit of outcome): what they are, not a status."""
    return pd.DataFrame(
        [
            {
                "Initiative": row.initiative_name,
                "Measure": row.measure_name,
                "Latest": latest_text(row),
                "Period": row.latest_period or "–",
                "Note": short_reason(row.reason),
            }
            for row in rows
        ],
        columns=["Initiative", "Measure", "Latest", "Period", "Note"],
    )


def observations_table(detail: SeriesDetail) -> pd.DataFrame:
    """The figures behind a trend chart with where each came from: which figure first
    (period, value, status), then when it was published and where it came from; days stay
    dates, so the table sorts by them."""
    return pd.DataFrame(
        [
            {
                "Period": view.period.label,
                "Value": text.value(view.value, detail.unit, view.qualifier, view.marker),
                "Status": view.data_status,
                "Published": view.published_on,
                "Return and row": (
                    f"return {view.return_id}, row {view.row_number}" if view.return_id else "–"
                ),
                "Source": view.source,
                "Recorded": view.recorded_at.date(),
                "Note": view.note or "–",
            }
            for view in detail.observations
        ],
        columns=[
            "Period", "Value", "Status", "Published", "Return and row", "Source", "Recorded",
            "Note",
        ],
    )  # fmt: skip


def area_status_table(rows: list[Assessment]) -> pd.DataFrame:
    """One line per area for a measure; numbers kept numeric so the table sorts by them."""
    return pd.DataFrame(
        [
            {
                "Area": row.area_name,
                "Status": badge(row.status),
                "Latest": row.latest_value,
                "Period": row.latest_period or "–",
                "Target": row.target_value,
                "Progress to target (%)": None if row.progress is None else row.progress * 100,
                "Reason": reason_with_quality(row),
                "Area code": row.area_code,
            }
            for row in rows
        ],
        columns=[
            "Area", "Status", "Latest", "Period", "Target", "Progress to target (%)", "Reason",
            "Area code",
        ],
    )  # fmt: skip


def track_record_summary(record: TrackRecord) -> pd.DataFrame:
    """One line per target: its outcome and how its earlier calls turned out."""
    return pd.DataFrame(
        [
            {
                "Measure": target.measure_name,
                "Area": target.area_name,
                "Target": text.number(target.target_value) if target.target_value is not None
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


def track_record_words(record: TrackRecord) -> pd.DataFrame:
    """Every word scored: for each status word called, the targets it was said of and the
    share of them then met (each target counts once)."""
    return pd.DataFrame(
        [
            {
                "Call": badge(word),
                "Targets": score.targets,
                "Then met": text.percent(score.share_met),
            }
            for word, score in record.by_word().items()
        ],
        columns=["Call", "Targets", "Then met"],
    )


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


def schedule_table(report: ScheduleReport) -> pd.DataFrame:
    """One line per partner and initiative: what was expected and how much came, and when.

    Counts and percentages stay numbers, so the table sorts by them.
    """
    return pd.DataFrame(
        [
            {
                "Partner": s.partner,
                "Initiative": s.initiative_name,
                "Expected": s.expected,
                "On time": s.count("on time"),
                "Late": s.count("late"),
                "Overdue": s.count("overdue"),
                "Awaiting approval": s.awaiting_approval,
                "Completeness (%)": s.completeness_pct,
                "Timeliness (%)": s.timeliness_pct,
            }
            for s in report.summaries
        ],
        columns=[
            "Partner", "Initiative", "Expected", "On time", "Late", "Overdue",
            "Awaiting approval", "Completeness (%)", "Timeliness (%)",
        ],
    )  # fmt: skip


def overdue_table(report: ScheduleReport) -> pd.DataFrame:
    """Every overdue figure: which area, period and due day first, then the measure, who owes
    it and the area's code."""
    return pd.DataFrame(
        [
            {
                "Area": f.area_name,
                "Period": f.period.label,
                "Due": f.due,
                "Measure": f.measure_name,
                "Partner": s.partner,
                "Initiative": s.initiative_name,
                "Area code": f.area_code,
            }
            for s in report.summaries
            for f in s.overdue_items
        ],
        columns=["Area", "Period", "Due", "Measure", "Partner", "Initiative", "Area code"],
    )
