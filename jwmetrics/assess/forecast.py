"""Forecasts an analyst can defend: within the measure's natural range, from enough figures.

A straight line is fitted by least squares to the recent figures on a scale that keeps the
forecast inside what the measure can take (``docs/status.md``, "The forecast"):

* counts and money (people, places, households, a plain number, pounds) on the **log**
  scale, ``log(value + 0.5)``: a constant percentage change per year, never below zero;
* percentages on the **logit** scale, ``logit((value + 0.5) / 101)``: an S-shaped path
  that flattens towards 0% and 100% and never leaves them;
* anything else on its own (linear) scale.

The 0.5 keeps a zero count (or 0% / 100%) finite. The 95% prediction interval is worked
out on the fitting scale and carried back, so it is asymmetric where the range is bounded.

Evidence rules: no forecast line from fewer than :data:`MIN_FIGURES_FOR_LINE` figures, no
interval from fewer than :data:`MIN_FIGURES_FOR_INTERVAL`, and an interval never has zero
width (a perfect fit is given the scatter :data:`MIN_SCATTER` on the fitting scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np

MIN_FIGURES_FOR_LINE = 3
MIN_FIGURES_FOR_INTERVAL = 5
MIN_SCATTER = 0.01  # least residual scatter on the fitting scale: about 1% of the level
CONTINUITY = 0.5  # added to counts (and to percentages) so a zero stays finite

COUNT_UNITS = frozenset({"people", "places", "households", "count", "number", "GBP"})

# Two-sided 95% Student t quantiles by degrees of freedom; 1.96 beyond the table.
_T_95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 25: 2.060, 30: 2.042, 60: 2.000,
    120: 1.980,
}  # fmt: skip


class Scale(StrEnum):
    """The scale a trend line is straight on."""

    LOG = "log"
    LOGIT = "logit"
    LINEAR = "linear"


def scale_for(unit: str) -> Scale:
    """Log for counts and money, logit for percentages, linear otherwise."""
    if unit in COUNT_UNITS:
        return Scale.LOG
    if unit == "percent":
        return Scale.LOGIT
    return Scale.LINEAR


def to_scale(value: float, scale: Scale) -> float:
    """A value on the fitting scale (out-of-range values are first clipped to the range)."""
    if scale is Scale.LOG:
        return math.log(max(value, 0.0) + CONTINUITY)
    if scale is Scale.LOGIT:
        share = (min(max(value, 0.0), 100.0) + CONTINUITY) / (100 + 2 * CONTINUITY)
        return math.log(share / (1 - share))
    return value


def from_scale(value: float, scale: Scale) -> float:
    """A value back on the measure's own scale, within its natural range."""
    if scale is Scale.LOG:
        return max(math.exp(min(value, 700.0)) - CONTINUITY, 0.0)
    if scale is Scale.LOGIT:
        share = 1 / (1 + math.exp(-max(min(value, 700.0), -700.0)))
        return min(max(share * (100 + 2 * CONTINUITY) - CONTINUITY, 0.0), 100.0)
    return value


@dataclass(frozen=True)
class Forecast:
    """A trend line read at ``when``, with its 95% prediction interval when there is one.

    ``low`` and ``high`` are None when there are fewer than 5 figures; otherwise
    ``low < high`` always. ``first`` and ``last`` are the dates of the figures fitted.
    """

    when: date
    value: float
    low: float | None
    high: float | None
    points: int
    scale: Scale
    first: date
    last: date
    slope: float = 0.0  # per day, on the fitting scale
    intercept: float = 0.0  # on the fitting scale, at day ordinal 0

    def at(self, day: date) -> float:
        """The trend line's value on ``day``, on the measure's own scale."""
        return from_scale(self.slope * _ordinal(day) + self.intercept, self.scale)

    def path(self, steps: int = 24) -> list[tuple[date, float]]:
        """The trend line from the first figure fitted to the forecast date, for a chart."""
        start, span = self.first.toordinal(), self.when.toordinal() - self.first.toordinal()
        days = [date.fromordinal(start + round(span * i / steps)) for i in range(steps + 1)]
        return [(day, self.at(day)) for day in dict.fromkeys(days)]


def t_quantile(degrees_of_freedom: int) -> float:
    """Two-sided 95% t quantile, from the nearest tabulated degrees of freedom below."""
    known = [df for df in _T_95 if df <= degrees_of_freedom]
    return _T_95[max(known)] if known else _T_95[1]


def _ordinal(day: date) -> float:
    return float(day.toordinal())


def forecast(points: list[tuple[date, float]], when: date, unit: str) -> Forecast | None:
    """The least-squares trend of ``points`` (date, value) read at ``when``.

    None with fewer than 3 points or fewer than 2 distinct dates.
    """
    if len(points) < MIN_FIGURES_FOR_LINE or len({day for day, _ in points}) < 2:
        return None
    scale = scale_for(unit)
    xs = np.array([_ordinal(day) for day, _ in points])
    ys = np.array([to_scale(value, scale) for _, value in points])
    slope, intercept = np.polyfit(xs, ys, 1)
    x0 = _ordinal(when)
    centre = float(slope * x0 + intercept)
    first, last = min(day for day, _ in points), max(day for day, _ in points)
    value = from_scale(centre, scale)
    line = {"slope": float(slope), "intercept": float(intercept)}
    if len(points) < MIN_FIGURES_FOR_INTERVAL:
        return Forecast(when, value, None, None, len(points), scale, first, last, **line)
    half = _half_width(xs, ys, slope, intercept, x0, scale)
    low, high = from_scale(centre - half, scale), from_scale(centre + half, scale)
    if high <= low:  # both ends pressed against a bound of the range: keep half a unit open
        low, high = (low, low + CONTINUITY) if low == 0 else (high - CONTINUITY, high)
    return Forecast(when, value, low, high, len(points), scale, first, last, **line)


def _half_width(
    xs: np.ndarray, ys: np.ndarray, slope: float, intercept: float, x0: float, scale: Scale
) -> float:
    """Half the 95% prediction interval at ``x0`` on the fitting scale; never zero."""
    residuals = ys - (slope * xs + intercept)
    dof = len(xs) - 2
    sigma = math.sqrt(float(np.sum(residuals**2)) / dof)
    floor = (
        MIN_SCATTER
        if scale is not Scale.LINEAR
        else MIN_SCATTER * max(float(np.mean(np.abs(ys))), 1.0)
    )
    sigma = max(sigma, floor)
    spread = float(np.sum((xs - xs.mean()) ** 2))
    return t_quantile(dof) * sigma * math.sqrt(1 + 1 / len(xs) + (x0 - xs.mean()) ** 2 / spread)
