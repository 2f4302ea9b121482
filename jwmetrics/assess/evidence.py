"""The numbers behind a status, computed once per series.

:func:`gather` reads one series and its target as known on a day and works out everything
the status rules (:mod:`jwmetrics.assess.status`) and the reason
(:mod:`jwmetrics.assess.reasons`) use:
which figure the call rests on, the planned value for its period, how far behind it is,
the forecast and what its interval says, and, once the target date has passed, the figure
for the target period. The rules only compare these numbers; the words only quote them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise

from jwmetrics.assess.forecast import Forecast, forecast
from jwmetrics.assess.progress import ResolvedTarget, meets, trajectory_value
from jwmetrics.periods import NEARBY_MONTHS, PeriodKind, months_before
from jwmetrics.store.figure import ObservationView

PERIOD_MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.FINANCIAL_YEAR: 12,
    PeriodKind.YEAR: 12,
}
DEFAULT_INTERVAL_MONTHS = 12  # a snapshot day or span with no pattern to read: a year


class Outlook(StrEnum):
    """What the forecast says about reaching the target by its date."""

    NONE = "none"  # no forecast: too few figures, or no target date
    REACHES = "reaches"  # the line reaches the target; too few figures for an interval
    FALLS_SHORT = "falls short"  # the line falls short; too few figures for an interval
    LIKELY = "likely"  # even the worse end of the 95% interval reaches the target
    STRADDLES = "straddles"  # the target lies inside the 95% interval
    UNLIKELY = "unlikely"  # even the better end of the 95% interval falls short


@dataclass(frozen=True)
class Evidence:
    """Everything a status of one series is decided on, in the measure's own unit."""

    day: date
    unit: str
    direction: str
    target: ResolvedTarget
    figures: tuple[ObservationView, ...]  # valued figures after the baseline, oldest first
    judged: ObservationView  # the figure the progress call rests on
    newer_bound: ObservationView | None  # a newer "over"/"under" figure set aside for it
    planned: float | None  # the trajectory (or milestone) value for the judged period
    behind: float | None  # how far the judged figure is behind ``planned`` (< 0: ahead)
    tolerance: float | None  # how far behind still counts as Amber
    trend: Forecast | None
    outlook: Outlook
    trend_figures: int  # figures the forecast could use (exact or approximate)
    interval_months: int
    target_figure: ObservationView | None  # once due: the figure the verdict rests on
    target_figure_is_later: bool  # no figure for the target period: the first after it
    since: ObservationView | None  # the newest figure after the target figure

    @property
    def goal(self) -> float:
        """The target value."""
        return float(self.target.value or 0.0)

    @property
    def due(self) -> bool:
        """True once the target date has passed on the reporting day."""
        return self.target.target_date is not None and self.day > self.target.target_date


def interval_months(views: list[ObservationView]) -> int:
    """How often the series reports, in months: its period length, or its typical gap."""
    kinds = {v.period.kind for v in views}
    if len(kinds) == 1 and (kind := next(iter(kinds))) in PERIOD_MONTHS:
        return PERIOD_MONTHS[kind]
    ends = sorted({v.period.end for v in views})
    if len(ends) < 2:
        return DEFAULT_INTERVAL_MONTHS
    gaps = [_months_between(a, b) for a, b in pairwise(ends)]
    return max(1, round(statistics.median(gaps)))


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def bound_meets(view: ObservationView, goal: float, direction: str) -> bool | None:
    """Whether a figure meets ``goal``: None when it is a bound that cannot tell.

    "over 50%" meets a target of 50% (up is better) and rules out one of at most 50%
    (down is better); "over 40%" against 50% cannot tell.
    """
    value = float(view.value or 0.0)
    if view.qualifier == "over" and value >= goal:
        return direction == "up"
    if view.qualifier == "under" and value <= goal:
        return direction == "down"
    if view.is_bound:
        return None
    return meets(value, goal, direction)


def _behind(value: float, planned: float, direction: str) -> float:
    return value - planned if direction == "down" else planned - value


def gather(
    views: list[ObservationView],
    target: ResolvedTarget,
    unit: str,
    day: date,
    amber_tolerance: float,
    trend_points: int,
) -> Evidence | None:
    """The evidence for one series with a target value; None with no figure after baseline."""
    figures = tuple(
        v
        for v in views
        if v.value is not None
        and (target.baseline_date is None or v.period.end > target.baseline_date)
    )
    if not figures:
        return None
    months = interval_months(list(figures))
    judged, newer_bound = _judged_figure(list(figures), months)
    planned = trajectory_value(target, judged.period.end)
    behind = (
        None if planned is None else _behind(float(judged.value or 0), planned, target.direction)
    )
    tolerance = None
    if target.required_change is not None:
        tolerance = amber_tolerance * abs(target.required_change)
    usable = [v for v in figures if not v.is_bound][-trend_points:]
    trend = None
    if target.target_date is not None:
        points = [(v.period.end, float(v.value or 0)) for v in usable]
        trend = forecast(points, target.target_date, unit)
    target_figure, is_later = _target_figure(list(figures), target, months)
    due = target.target_date
    since = None
    if target_figure is not None:
        later = [v for v in figures if v.period.end > target_figure.period.end]
        since = later[-1] if later else None
    return Evidence(
        day=day,
        unit=unit,
        direction=target.direction,
        target=target,
        figures=figures,
        judged=judged,
        newer_bound=newer_bound,
        planned=planned,
        behind=behind,
        tolerance=tolerance,
        trend=trend,
        outlook=outlook_of(trend, float(target.value or 0), target.direction),
        trend_figures=len(usable),
        interval_months=months,
        target_figure=target_figure if due is not None and day > due else None,
        target_figure_is_later=is_later,
        since=since,
    )


def _judged_figure(
    figures: list[ObservationView], months: int
) -> tuple[ObservationView, ObservationView | None]:
    """The newest figure, unless it is a bound and an exact figure for a nearby period exists."""
    newest = figures[-1]
    if not newest.is_bound:
        return newest, None
    near = months_before(newest.period.end, max(months, NEARBY_MONTHS))
    exact = [v for v in figures if not v.is_bound and v.period.end >= near]
    return (exact[-1], newest) if exact else (newest, None)


def _target_figure(
    figures: list[ObservationView], target: ResolvedTarget, months: int
) -> tuple[ObservationView | None, bool]:
    """The figure for the target period: the latest ending on or before the target date and
    within one reporting interval of it; else the first figure after the target date."""
    due = target.target_date
    if due is None:
        return None, False
    start = months_before(due, months)
    within = [v for v in figures if start < v.period.end <= due]
    if within:
        return within[-1], False
    later = [v for v in figures if v.period.end > due]
    return (later[0], True) if later else (None, False)


def outlook_of(trend: Forecast | None, goal: float, direction: str) -> Outlook:
    """Where the target lies against the forecast and its interval."""
    if trend is None:
        return Outlook.NONE
    if trend.low is None or trend.high is None:
        return Outlook.REACHES if meets(trend.value, goal, direction) else Outlook.FALLS_SHORT
    worse, better = (trend.high, trend.low) if direction == "down" else (trend.low, trend.high)
    if meets(worse, goal, direction):
        return Outlook.LIKELY
    if not meets(better, goal, direction):
        return Outlook.UNLIKELY
    return Outlook.STRADDLES
