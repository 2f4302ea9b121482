"""Progress against a target: required change, share achieved and the planned trajectory.

All functions are pure. Values are in the measure's own unit; dates are the end dates of
periods (a count "in June 2001" is placed at 30 June 2001). A target is reached when the
value is at or beyond it in the measure's better direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import numpy as np

from jwmetrics.assess.scales import Scale, from_scale, to_scale
from jwmetrics.db.models import Target


@dataclass(frozen=True)
class ResolvedTarget:
    """A target with its value worked out (a change from baseline becomes a value)."""

    value: float | None
    baseline_value: float | None
    baseline_date: date | None
    target_date: date | None
    direction: str
    milestones: tuple[tuple[date, float], ...] = ()

    @property
    def required_change(self) -> float | None:
        """Target minus baseline, in the measure's unit (negative for a cut)."""
        if self.value is None or self.baseline_value is None:
            return None
        return self.value - self.baseline_value


def resolve(target: Target, direction: str) -> ResolvedTarget:
    """The target's value: as stated, or baseline x (1 + change) for "reduce by two thirds"."""
    value = target.target_value
    if value is None and target.target_change is not None and target.baseline_value is not None:
        value = target.baseline_value * (1 + target.target_change)
    milestones = tuple(
        (date.fromisoformat(str(when)), float(amount)) for when, amount in target.milestones or []
    )
    return ResolvedTarget(
        value=value,
        baseline_value=target.baseline_value,
        baseline_date=target.baseline_date,
        target_date=target.target_date,
        direction=direction,
        milestones=milestones,
    )


def meets(value: float, target: float, direction: str) -> bool:
    """True when ``value`` is at or beyond ``target`` in the better direction."""
    return value <= target if direction == "down" else value >= target


def progress_share(target: ResolvedTarget, value: float) -> float | None:
    """Share of the required change achieved: 0.0 at baseline, 1.0 when the target is met.

    140,000 places against a target of 82,000 from a baseline of 0 gives 1.71 (71% beyond).
    None when there is no baseline to measure change from.
    """
    change = target.required_change
    if change is None or change == 0 or target.baseline_value is None:
        return None
    return (value - target.baseline_value) / change


def gap_to_target(target: ResolvedTarget, value: float) -> float | None:
    """How far ``value`` still is from the target in the better direction; 0 once met."""
    if target.value is None:
        return None
    remaining = target.value - value if target.direction == "up" else value - target.value
    return max(remaining, 0.0)


def share_beyond(target: float, value: float) -> float | None:
    """How far past the target a value is, in per cent of the target: 140,000 v 82,000 is 70.7.

    None for a target of zero, where a share of it means nothing.
    """
    if target == 0:
        return None
    return (value - target) / target * 100


def _as_number(day: date) -> float:
    return float(day.toordinal())


def trajectory_value(
    target: ResolvedTarget, when: date, scale: Scale = Scale.LINEAR
) -> float | None:
    """The value the measure should have at ``when`` on the way to the target.

    The plan runs from baseline to target through any milestones, straight on the measure's
    ``scale`` (:mod:`jwmetrics.assess.scales`: for a count, the same share of change each
    year), so the plan and the forecast agree on what steady progress looks like. None
    without a baseline value and date, a target value and a target date.
    """
    if None in (target.baseline_value, target.baseline_date, target.value, target.target_date):
        return None
    knots = [(target.baseline_date, target.baseline_value), *target.milestones]
    knots.append((target.target_date, target.value))
    for day, value in knots:  # the plan's own points exactly, not round-tripped by the scale
        if day == when:
            return float(value)  # type: ignore[arg-type]
    xs = [_as_number(day) for day, _ in knots]  # type: ignore[arg-type]
    ys = [to_scale(float(value), scale) for _, value in knots]  # type: ignore[arg-type]
    return from_scale(float(np.interp(_as_number(when), xs, ys)), scale)


def trajectory_path(
    target: ResolvedTarget, scale: Scale, steps: int = 12
) -> list[tuple[date, float]]:
    """The planned path as points for a chart: each stretch between baseline, milestones
    and target cut into ``steps``, so a path straight on the log scale is drawn curved."""
    if None in (target.baseline_value, target.baseline_date, target.value, target.target_date):
        return []
    knots = [target.baseline_date, *(day for day, _ in target.milestones), target.target_date]
    days: list[date] = []
    for start, end in pairwise(knots):
        span = end.toordinal() - start.toordinal()  # type: ignore[union-attr]
        days += [
            date.fromordinal(start.toordinal() + round(span * i / steps))  # type: ignore[union-attr]
            for i in range(steps)
        ]
    days.append(target.target_date)  # type: ignore[arg-type]
    path = [(day, trajectory_value(target, day, scale)) for day in dict.fromkeys(days)]
    return [(day, value) for day, value in path if value is not None]
