"""The numbers behind a status, computed once per series.

:func:`gather` reads one series and one of its targets as known on a day and works out
everything the status rules (:mod:`jwmetrics.assess.status`) and the reason
(:mod:`jwmetrics.assess.reasons`) use: which figure the call rests on, the planned value for
its period and how far behind it is, the series' own noise, the forecast and the chance it
gives of meeting the target, and the figure for the target period once it is public. The
rules only compare these numbers; the words only quote them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from jwmetrics.assess.forecast import (
    MAX_HORIZON_YEARS,
    MIN_FIGURES_FOR_LINE,
    Forecast,
    forecast,
    plan_forecast,
)
from jwmetrics.assess.progress import ResolvedTarget, meets, trajectory_value
from jwmetrics.assess.scales import scale_for
from jwmetrics.events.splits import after_split
from jwmetrics.periods import NEARBY_MONTHS, PeriodKind, format_date, months_before
from jwmetrics.store.figure import ObservationView

PERIOD_MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.FINANCIAL_YEAR: 12,
    PeriodKind.YEAR: 12,
}
SEASONS = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4}
DEFAULT_INTERVAL_MONTHS = 12  # a snapshot day or span with no pattern to read: a year
XMR_D2 = 1.128  # mean moving range / d2 estimates the within-series sigma (Wheeler)


@dataclass(frozen=True)
class Evidence:
    """Everything a status of one series against one target is decided on, in the measure's
    own unit. ``chance`` is the probability that the figure for the target period meets the
    target (None, with ``chance_note`` saying why, where it cannot be computed)."""

    day: date
    unit: str
    direction: str
    target: ResolvedTarget
    figures: tuple[ObservationView, ...]  # valued figures after the baseline, oldest first
    judged: ObservationView  # the figure the progress call rests on
    newer_bound: ObservationView | None  # a newer "over"/"under" figure set aside for it
    planned: float | None  # the trajectory (or milestone) value for the judged period
    behind: float | None  # how far the judged figure is behind ``planned`` (< 0: ahead)
    noise: float | None  # the series' own period-to-period sigma (XmR), in its unit
    trend: Forecast | None
    chance: float | None
    chance_note: str  # why there is no chance, when there is none
    trend_figures: int  # figures the forecast could use (exact or approximate)
    interval_months: int
    target_figure: ObservationView | None  # once public: the figure the verdict rests on
    target_figure_is_later: bool  # no figure for the target period: the first after it
    since: ObservationView | None  # the newest figure after the target figure
    split: date | None = None  # a definition change: the forecast fits only figures after it

    @property
    def goal(self) -> float:
        """The target value."""
        return float(self.target.value or 0.0)

    @property
    def due(self) -> bool:
        """True once the target date has passed on the reporting day."""
        return self.target.target_date is not None and self.day > self.target.target_date

    @property
    def settled(self) -> bool:
        """True once the verdict can rest on a figure: the target period's is public."""
        return self.target_figure is not None


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


def xmr_sigma(values: list[float]) -> float | None:
    """The series' own noise: the mean moving range over d2 (1.128), as an XmR chart's
    sigma; None with fewer than three values."""
    if len(values) < 3:
        return None
    ranges = [abs(b - a) for a, b in pairwise(values)]
    return statistics.fmean(ranges) / XMR_D2


def season_of(views: list[ObservationView]) -> int | None:
    """12 for monthly figures, 4 for quarterly ones, None for anything else."""
    kinds = {v.period.kind for v in views}
    return SEASONS.get(next(iter(kinds))) if len(kinds) == 1 else None


def gather(
    views: list[ObservationView],
    target: ResolvedTarget,
    unit: str,
    day: date,
    trend_points: int,
    split: date | None = None,
) -> Evidence | None:
    """The evidence for one series against a target with a value; None with no figure after
    its baseline. ``views`` are the series' figures as known on ``day``, oldest first: the
    newest ``trend_points`` and the figure for the target period are enough.

    ``split`` is the day of a change of definition (:mod:`jwmetrics.events.splits`): the
    forecast, the noise and the count of figures it rests on use only the figures whose
    period ends on or after it, and the baseline figure only when it is after it too."""
    figures = tuple(
        v
        for v in views
        if v.value is not None
        and (target.baseline_date is None or v.period.end > target.baseline_date)
    )
    if not figures:
        return None
    months = interval_months(list(figures[-trend_points:]))
    judged, newer_bound = _judged_figure(list(figures), months)
    scale = scale_for(unit)
    planned = trajectory_value(target, judged.period.end, scale)
    behind = None if planned is None else _behind(float(judged.value or 0), planned, target)
    usable = [v for v in figures if not v.is_bound and after_split(v.period.end, split)]
    usable = usable[-trend_points:]
    baseline = _baseline_figure(views, target, usable, trend_points)
    baseline = [v for v in baseline if after_split(v.period.end, split)]
    trend = _forecast([*baseline, *usable], target, unit)
    chance, note = _chance(trend, target, len(usable), split)
    target_figure, is_later = _target_figure(list(figures), target, months, day)
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
        noise=xmr_sigma([float(v.value or 0) for v in usable]),
        trend=trend,
        chance=chance,
        chance_note=note,
        trend_figures=len(usable),
        interval_months=months,
        target_figure=target_figure,
        target_figure_is_later=is_later,
        since=since,
        split=split,
    )


def _baseline_figure(
    views: list[ObservationView],
    target: ResolvedTarget,
    usable: list[ObservationView],
    trend_points: int,
) -> list[ObservationView]:
    """The figure for the baseline period, when it is stored and room is left: a real figure,
    and the start of the series' first rate of change (it is never counted as progress)."""
    if target.baseline_date is None or len(usable) >= trend_points:
        return []
    at_baseline = [
        v
        for v in views
        if v.period.end == target.baseline_date and v.value is not None and not v.is_bound
    ]
    return at_baseline[-1:]


def _behind(value: float, planned: float, target: ResolvedTarget) -> float:
    return value - planned if target.direction == "down" else planned - value


def _forecast(usable: list[ObservationView], target: ResolvedTarget, unit: str) -> Forecast | None:
    """The plan-shaped forecast for a target with milestones, else the series' own."""
    due = target.target_date
    if due is None:
        return None
    points = [(v.period.end, float(v.value or 0)) for v in usable]
    scale = scale_for(unit)
    if target.milestones and len(points) >= MIN_FIGURES_FOR_LINE:
        planned = [trajectory_value(target, when, scale) for when, _ in points]
        goal = target.value
        if goal is not None and all(p is not None for p in planned):
            return plan_forecast(points, [float(p or 0) for p in planned], due, goal, unit)
    return forecast(points, due, unit, season_of(usable))


def _chance(
    trend: Forecast | None, target: ResolvedTarget, usable: int, split: date | None = None
) -> tuple[float | None, str]:
    """The chance of meeting the target, or None and why (counting the figures since a
    change of definition, ``split``, when there is one)."""
    if target.target_date is None:
        return None, "there is no target date to forecast to"
    if trend is None:
        return None, (
            f"too few figures to say how likely the target is ({usable} exact figure"
            f"{'' if usable == 1 else 's'} {_since(split)}; {MIN_FIGURES_FOR_LINE} needed)"
        )
    chance = trend.chance(float(target.value or 0.0), target.direction)
    if chance is None:
        years = round(trend.horizon_years)
        return None, (
            f"the target date is about {years} years beyond the newest figure, and forecasts "
            f"are not read more than {MAX_HORIZON_YEARS:g} years ahead"
        )
    return chance, ""


def _since(split: date | None) -> str:
    """What the figures counted are counted since: the baseline, or a definition change."""
    return f"since the definition change of {format_date(split)}" if split else "since the baseline"


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


def target_period_window(target_date: date, months: int) -> tuple[date, date]:
    """The period ends that count as "the target period": after the first day returned, up
    to and including the target date (one reporting interval)."""
    return months_before(target_date, months), target_date


def _target_figure(
    figures: list[ObservationView], target: ResolvedTarget, months: int, day: date
) -> tuple[ObservationView | None, bool]:
    """The figure the verdict rests on, once public, and whether it is a later one.

    Without a target date: the newest figure, once it meets the target (there is no deadline
    to wait for). Before the target date: a figure whose period covers the target date
    (results "for 2002" published in September 2002 against a target "by 2002"). After it:
    the latest
    figure ending within one reporting interval up to the target date; if there is none,
    the first figure after the target date (and the reason says so).
    """
    due = target.target_date
    if due is None:  # no deadline: the newest figure settles it once it meets the target
        newest = figures[-1]
        met = bound_meets(newest, float(target.value or 0.0), target.direction)
        return (newest, False) if met else (None, False)
    if day <= due:
        covering = [v for v in figures if v.period.start <= due <= v.period.end]
        return (covering[-1], False) if covering else (None, False)
    start, end = target_period_window(due, months)
    within = [v for v in figures if start < v.period.end <= end]
    if within:
        return within[-1], False
    later = [v for v in figures if v.period.end > due]
    return (later[0], True) if later else (None, False)
