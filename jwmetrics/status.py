"""RAG status of one measure in one area, with the reason in words.

The rules, applied in this order (thresholds in :class:`StatusRules`, changeable per
measure through ``measure.status_rules``; documented in ``docs/status.md``):

1. **Grey**: no figure yet after the baseline ("too early to measure" when the report
   says so, with the date results are expected).
2. **No target**: figures but no target for this measure and area.
3. **Achieved**: the latest figure is at or beyond the target.
4. **Missed**: the target date has passed (at the reporting date, or the latest figure
   is for a later period) and the target is not met.
5. With a trajectory (baseline, target value and target date):
   **Green** when the latest figure is at or better than the trajectory for its period;
   **Amber** when it is behind by no more than ``amber_tolerance`` of the required
   change, or behind by more but the trend reaches the target by its date;
   **Red** otherwise.
6. Without a trajectory: **Green** when the trend (two or more figures) reaches the target
   by its date, **Red** when it does not, **Amber** when there is no trend or no date to
   judge by.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum

from jwmetrics import fmt
from jwmetrics.observations import ObservationView
from jwmetrics.periods import format_date, format_month
from jwmetrics.progress import (
    Forecast,
    ResolvedTarget,
    forecast,
    meets,
    share_beyond,
    trajectory_value,
)


class Status(StrEnum):
    """The status categories, from best to least known."""

    ACHIEVED = "Achieved"
    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    MISSED = "Missed"
    GREY = "Grey"
    NO_TARGET = "No target"


@dataclass(frozen=True)
class StatusStyle:
    """How a status is shown: never by colour alone, so a word and a symbol too."""

    label: str
    symbol: str
    colour: str  # Okabe-Ito colour-blind-safe palette


STYLES: dict[Status, StatusStyle] = {
    Status.ACHIEVED: StatusStyle("Achieved", "★", "#0072B2"),
    Status.GREEN: StatusStyle("On track", "✔", "#009E73"),
    Status.AMBER: StatusStyle("At risk", "▲", "#E69F00"),
    Status.RED: StatusStyle("Off track", "✖", "#D55E00"),
    Status.MISSED: StatusStyle("Missed", "⊘", "#CC79A7"),
    Status.GREY: StatusStyle("Too early / no data", "○", "#999999"),
    Status.NO_TARGET: StatusStyle("No target", "–", "#56B4E9"),
}


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` ("#RRGGBB"), per WCAG."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def badge_css(text: str) -> str:
    """CSS for a table cell holding a badge: the status colour behind its symbol and words."""
    for style in STYLES.values():
        if text == f"{style.symbol} {style.label}":
            colours = f"background-color: {style.colour}; color: {text_colour(style.colour)}"
            return f"{colours}; white-space: nowrap"
    return ""


def badge(status: str | Status) -> str:
    """A status as symbol and words, never colour alone: "✔ On track"."""
    style = STYLES[Status(status)]
    return f"{style.symbol} {style.label}"


@dataclass(frozen=True)
class StatusRules:
    """Thresholds of the status rules; override any of them per measure."""

    amber_tolerance: float = 0.10  # behind trajectory by up to this share of the required change
    trend_points: int = 12  # the forecast fits the newest this-many figures since the baseline

    @classmethod
    def for_measure(cls, overrides: dict[str, float] | None) -> StatusRules:
        """Defaults with the measure's own overrides (unknown keys are ignored)."""
        types = {f.name: int if f.name == "trend_points" else float for f in fields(cls)}
        return cls(**{k: types[k](v) for k, v in (overrides or {}).items() if k in types})


@dataclass(frozen=True)
class Judgement:
    """A status with its reason, and the trajectory and forecast it was judged by."""

    status: Status
    reason: str
    trajectory: float | None = None
    forecast: Forecast | None = None


@dataclass(frozen=True)
class MeasureFacts:
    """What the rules need to know about a measure besides its figures."""

    unit: str
    direction: str
    results_expected: str = ""
    too_early_note: str = ""
    target_wording: str = ""
    target_qualifier: str = "exact"


def _when(view: ObservationView) -> str:
    return view.period.phrase


def _fig(view: ObservationView, facts: MeasureFacts) -> str:
    return fmt.value(view.value, facts.unit, view.qualifier, view.marker)


def _amount(amount: float, facts: MeasureFacts, qualifier: str = "exact") -> str:
    return fmt.value(amount, facts.unit, qualifier)


def _target_text(target: ResolvedTarget, facts: MeasureFacts) -> str:
    text = f"the target of {_amount(target.value or 0.0, facts)}"
    if facts.target_qualifier == "around":
        text += " (about " + _amount(round(target.value or 0.0, -2), facts) + ")"
    if target.target_date:
        text += f" by {format_month(target.target_date)}"
    return text


def _better(facts: MeasureFacts, ahead: bool) -> str:
    """The word for being ahead or behind: below is better for a measure to cut."""
    if facts.direction == "down":
        return "below" if ahead else "above"
    return "above" if ahead else "below"


def judge_without_target(series: list[ObservationView], facts: MeasureFacts) -> Judgement:
    """Grey without figures, No target with them."""
    valued = [v for v in series if v.value is not None]
    if not valued:
        if facts.too_early_note:
            expected = (
                f" Results expected {facts.results_expected}." if facts.results_expected else ""
            )
            return Judgement(Status.GREY, f"Too early to measure. {facts.too_early_note}{expected}")
        return Judgement(Status.GREY, "No data yet: no figure has been recorded.")
    latest = valued[-1]
    latest_text = f"{_fig(latest, facts)} {_when(latest)}"
    reason = f"No target: none is set for this measure. Latest figure {latest_text}."
    return Judgement(Status.NO_TARGET, reason)


def _trend_points(
    series: list[ObservationView], target: ResolvedTarget, newest: int
) -> list[tuple[date, float]]:
    """The points the forecast fits: the newest ``newest`` figures since the baseline.

    The baseline counts as a point while there are fewer figures than that after it.
    """
    points = [(v.period.end, float(v.value)) for v in series if v.value is not None]
    if target.baseline_date is not None:
        points = [p for p in points if p[0] > target.baseline_date]
    points = points[-newest:]
    if target.baseline_date and target.baseline_value is not None and len(points) < newest:
        points.insert(0, (target.baseline_date, target.baseline_value))
    return points


def _forecast_text(trend: Forecast | None, target: ResolvedTarget, facts: MeasureFacts) -> str:
    if trend is None or target.value is None:
        return ""
    reaches = meets(trend.value, target.value, facts.direction)
    verb = "reaches" if reaches else "does not reach"
    interval = ""
    if trend.low is not None and trend.high is not None:
        interval = f" (95% interval {_amount(trend.low, facts)} to {_amount(trend.high, facts)})"
    return (
        f"the trend of {trend.points} figures {verb} {_target_text(target, facts)}, "
        f"forecasting {_amount(trend.value, facts)}{interval}"
    )


def judge(
    series: list[ObservationView],
    target: ResolvedTarget | None,
    facts: MeasureFacts,
    as_of: date,
    rules: StatusRules | None = None,
) -> Judgement:
    """Apply the status rules to one series and its target, as at ``as_of``."""
    rules = rules or StatusRules()
    if target is None or target.value is None:
        if target is not None and any(v.value is not None for v in series):
            message = "No target: the target is a change from a baseline the data do not give yet."
            return Judgement(Status.NO_TARGET, message)
        return judge_without_target(series, facts)
    after_baseline = [
        v
        for v in series
        if v.value is not None
        and (target.baseline_date is None or v.period.end > target.baseline_date)
    ]
    if not after_baseline:
        return _judge_no_figures(series, target, facts)
    latest = after_baseline[-1]
    return _judge_latest(series, latest, target, facts, as_of, rules)


def _judge_no_figures(
    series: list[ObservationView], target: ResolvedTarget, facts: MeasureFacts
) -> Judgement:
    judgement = judge_without_target([], facts)
    if target.baseline_value is not None and target.baseline_date is not None and series:
        base = f"{_amount(target.baseline_value, facts)} in {format_month(target.baseline_date)}"
        goal = _target_text(target, facts)
        reason = f"No data yet: only the baseline ({base}) so far, against {goal}."
        return Judgement(Status.GREY, reason)
    return judgement


def _judge_latest(
    series: list[ObservationView],
    latest: ObservationView,
    target: ResolvedTarget,
    facts: MeasureFacts,
    as_of: date,
    rules: StatusRules,
) -> Judgement:
    value, goal = float(latest.value or 0.0), float(target.value or 0.0)
    figure = f"{_fig(latest, facts)} {_when(latest)}"
    if meets(value, goal, facts.direction):
        beyond = share_beyond(goal, value)
        how = ""
        if beyond is not None and abs(beyond) >= 0.5:
            how = f", {fmt.number(abs(beyond))}% {_better(facts, True)} it"
        return Judgement(
            Status.ACHIEVED, f"Achieved: {figure} meets {_target_text(target, facts)}{how}."
        )
    if target.target_date and (
        as_of > target.target_date or latest.period.end > target.target_date
    ):
        reason = (
            f"Missed: {_target_text(target, facts)} was due by {format_date(target.target_date)}; "
            f"the latest figure, {figure}, is {_better(facts, False)} it."
        )
        return Judgement(Status.MISSED, reason)
    trend = None
    if target.target_date:
        trend = forecast(_trend_points(series, target, rules.trend_points), target.target_date)
    planned = trajectory_value(target, latest.period.end)
    if planned is not None:
        return _judge_on_trajectory(value, planned, figure, trend, target, facts, rules)
    return _judge_on_trend(figure, trend, target, facts)


def _judge_on_trajectory(
    value: float,
    planned: float,
    figure: str,
    trend: Forecast | None,
    target: ResolvedTarget,
    facts: MeasureFacts,
    rules: StatusRules,
) -> Judgement:
    behind = value - planned if facts.direction == "down" else planned - value
    where = f"the trajectory value of {_amount(planned, facts)}"
    outlook = _forecast_text(trend, target, facts)
    outlook_sentence = f"; {outlook}" if outlook else ""
    if behind <= 0:
        reason = f"On track: {figure} is {_better(facts, True)} {where}{outlook_sentence}."
        return Judgement(Status.GREEN, reason, planned, trend)
    allowed = rules.amber_tolerance * abs(target.required_change or 0.0)
    reaches = trend is not None and meets(trend.value, target.value or 0.0, facts.direction)
    gap = f"{figure} is {fmt.difference(behind, facts.unit)} {_better(facts, False)} {where}"
    if behind <= allowed or reaches:
        reason = f"At risk: {gap}{outlook_sentence}."
        return Judgement(Status.AMBER, reason, planned, trend)
    return Judgement(Status.RED, f"Off track: {gap}{outlook_sentence}.", planned, trend)


def _judge_on_trend(
    figure: str, trend: Forecast | None, target: ResolvedTarget, facts: MeasureFacts
) -> Judgement:
    goal = _target_text(target, facts)
    if trend is None:
        why = "no target date" if target.target_date is None else "only one figure and no baseline"
        reason = (
            f"At risk: {figure} has not yet met {goal}, and there is {why} to judge the trend by."
        )
        return Judgement(Status.AMBER, reason)
    outlook = _forecast_text(trend, target, facts)
    if meets(trend.value, target.value or 0.0, facts.direction):
        return Judgement(Status.GREEN, f"On track: {figure}; {outlook}.", None, trend)
    return Judgement(Status.RED, f"Off track: {figure}; {outlook}.", None, trend)
