"""Forecasts an analyst can defend, and the chance they give of meeting a target.

Everything is worked out on the measure's own scale (:mod:`jwmetrics.assess.scales`: log for
counts and money, logit for percentages), so a forecast never leaves the measure's range and
its interval is asymmetric where the range is bounded. Three methods, by how much the series
has to say (``docs/status.md``, "The chance of meeting the target"):

* **trend model** (:data:`MIN_FIGURES_FOR_MODEL` figures or more): a straight line fitted by
  Prais-Winsten regression, so that errors that run on from one period to the next (an
  AR(1) error, estimated from the residuals) widen the interval rather than fool it; with
  seasonal terms for monthly and quarterly series that cover two full years, so a February
  low and an August high are not mistaken for a trend. The predictive spread adds the
  line's own uncertainty, the AR(1) error carried forward to the target, and a drift term
  that grows with the horizon (a straight line is a local description; a path can bend).
* **run rate** (2 to 4 figures): the rate of change the series has achieved, period to
  period, against the rate it needs (the Delivery Unit's required-versus-actual run rate).
  Future change is a random walk with the achieved mean rate and spread, so a gap the series
  has always closed with room to spare gets a decisive chance, and a thin record does not.
  Before several rates are seen, their spread is taken to be as large as the rate itself,
  weighted as :data:`PRIOR_WEIGHT` observations (a conjugate prior), so one rate alone
  never gives a confident call.
* **plan** (a target with milestones): the planned path with the series' own deviation from
  it carried forward, for a roll-out expected to follow its plan rather than a line.

With one figure there is no forecast. The forecast is not read more than
:data:`MAX_HORIZON_YEARS` beyond the newest figure; beyond that the chance is not computed.
:meth:`Forecast.chance` is the probability that the figure for the target period meets the
target, from the Student's t predictive distribution.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import numpy as np

from jwmetrics.assess.scales import Scale, from_scale, scale_for, to_scale
from jwmetrics.distributions import student_t_cdf, student_t_quantile

MIN_FIGURES_FOR_LINE = 2  # a rate of change needs two figures
MIN_FIGURES_FOR_MODEL = 5  # the trend model needs five (three degrees of freedom at least)
MIN_FIGURES_FOR_INTERVAL = MIN_FIGURES_FOR_LINE  # every forecast now has an interval
MAX_HORIZON_YEARS = 5.0  # no chance read further than this beyond the newest figure
MIN_SCATTER = 0.01  # least scatter per figure on the fitting scale: about 1% of the level
DRIFT_PER_YEAR = 0.5  # the line's slope may drift by this share of its spread a year
SLOPE_DRIFT = 0.5  # ... and by this share of itself: paths bend (see bench/status_backtest.py)
DAYS_PER_YEAR = 365.25
MAX_RHO = 0.9  # the AR(1) coefficient is capped: nearer 1 the line itself is doubtful
PRIOR_WEIGHT = 2  # degrees of freedom given to the run rate's prior spread (the rate itself)


@dataclass(frozen=True)
class Forecast:
    """A forecast read at ``when``: its centre and 95% interval on the measure's own scale,
    and its predictive distribution on the fitting scale (``centre``, ``spread``, ``dof``).

    ``method`` is "trend model", "run rate" or "plan"; ``first`` and ``last`` are the dates
    of the figures used. ``slope`` (per day) and ``intercept`` (at day ordinal 0) describe the
    line drawn on charts, on the fitting scale.
    """

    when: date
    value: float
    low: float | None
    high: float | None
    points: int
    scale: Scale
    first: date
    last: date
    slope: float = 0.0
    intercept: float = 0.0
    centre: float = 0.0
    spread: float = 0.0
    dof: float = 1.0
    method: str = "trend model"
    rho: float = 0.0
    seasonal: bool = False

    @property
    def horizon_years(self) -> float:
        """Years from the newest figure used to the forecast date."""
        return (self.when - self.last).days / DAYS_PER_YEAR

    @property
    def beyond_horizon(self) -> bool:
        """True when the forecast date is too far ahead for a chance to mean anything."""
        return self.horizon_years > MAX_HORIZON_YEARS

    def at(self, day: date) -> float:
        """The forecast line's value on ``day``, on the measure's own scale."""
        return from_scale(self.slope * day.toordinal() + self.intercept, self.scale)

    def path(self, steps: int = 24) -> list[tuple[date, float]]:
        """The line from the first figure used to the forecast date, for a chart."""
        start, span = self.first.toordinal(), self.when.toordinal() - self.first.toordinal()
        days = [date.fromordinal(start + round(span * i / steps)) for i in range(steps + 1)]
        return [(day, self.at(day)) for day in dict.fromkeys(days)]

    def chance(self, goal: float, direction: str) -> float | None:
        """The probability that the figure at ``when`` is at or beyond ``goal`` in the better
        direction; None beyond :data:`MAX_HORIZON_YEARS`."""
        if self.beyond_horizon:
            return None
        z = (to_scale(goal, self.scale) - self.centre) / self.spread
        below = student_t_cdf(z, self.dof)
        return below if direction == "down" else 1.0 - below


def _years(day: date, origin: date) -> float:
    return (day.toordinal() - origin.toordinal()) / DAYS_PER_YEAR


def _floor(scale: Scale, ys: np.ndarray) -> float:
    """The least spread allowed on the fitting scale: a perfect fit is never certain."""
    if scale is Scale.LINEAR:
        return MIN_SCATTER * max(float(np.mean(np.abs(ys))), 1.0)
    return MIN_SCATTER


def _built(
    points: list[tuple[date, float]],
    when: date,
    scale: Scale,
    centre: float,
    spread: float,
    dof: float,
    slope_per_year: float,
    **extra: object,
) -> Forecast:
    """A :class:`Forecast` from its predictive distribution and its line through the newest
    figure's fitted level (``centre`` less the line's rise to ``when``)."""
    first, last = min(d for d, _ in points), max(d for d, _ in points)
    half = student_t_quantile(0.975, dof) * spread
    slope = slope_per_year / DAYS_PER_YEAR
    intercept = centre - slope * when.toordinal()
    low, high = from_scale(centre - half, scale), from_scale(centre + half, scale)
    if high <= low:  # both ends pressed against a bound of the range: keep half a unit open
        low, high = (low, low + 0.5) if low == 0 else (high - 0.5, high)
    return Forecast(
        when=when,
        value=from_scale(centre, scale),
        low=low,
        high=high,
        points=len(points),
        scale=scale,
        first=first,
        last=last,
        slope=slope,
        intercept=intercept,
        centre=centre,
        spread=spread,
        dof=dof,
        **extra,  # type: ignore[arg-type]
    )


def forecast(
    points: list[tuple[date, float]], when: date, unit: str, season: int | None = None
) -> Forecast | None:
    """The forecast of ``points`` (date, value; exact or approximate figures, oldest first)
    at ``when``; ``season`` is 12 for monthly and 4 for quarterly figures.

    None with fewer than two figures on different dates.
    """
    if len({day for day, _ in points}) < MIN_FIGURES_FOR_LINE:
        return None
    if len(points) < MIN_FIGURES_FOR_MODEL:
        return run_rate(points, when, unit)
    return trend_model(points, when, unit, season)


def run_rate(points: list[tuple[date, float]], when: date, unit: str) -> Forecast | None:
    """The achieved rates of change carried forward as a random walk with drift."""
    scale = scale_for(unit)
    ordered = sorted(points)
    ys = [to_scale(value, scale) for _, value in ordered]
    rates = [
        (b - a) / _years(d2, d1)
        for (d1, _), (d2, _), a, b in zip(ordered, ordered[1:], ys, ys[1:], strict=False)
        if d2 > d1
    ]
    if not rates:
        return None
    mean = statistics.fmean(rates)
    floor = _floor(scale, np.array(ys))
    prior = max(abs(mean), floor)  # before any spread is seen: as large as the rate itself
    observed = statistics.variance(rates) * (len(rates) - 1) if len(rates) > 1 else 0.0
    dof = len(rates) - 1 + PRIOR_WEIGHT
    spread_rate = max(math.sqrt((observed + PRIOR_WEIGHT * prior**2) / dof), floor)
    ahead = max(_years(when, ordered[-1][0]), 0.0)
    centre = ys[-1] + mean * ahead
    variance = (
        spread_rate**2 * (ahead + ahead**2 / len(rates))
        + (SLOPE_DRIFT * mean * ahead) ** 2
        + floor**2
    )
    return _built(ordered, when, scale, centre, math.sqrt(variance), dof, mean, method="run rate")


def _design(days: list[date], origin: date, season: int | None) -> np.ndarray:
    """Columns: 1, years from ``origin``, and one indicator per season but the first."""
    columns = [[1.0, _years(day, origin)] for day in days]
    if season:
        for row, day in zip(columns, days, strict=True):
            index = _season_index(day, season)
            row.extend(1.0 if index == k else 0.0 for k in range(1, season))
    return np.array(columns)


def _season_index(day: date, season: int) -> int:
    """0-based month (season 12) or quarter (season 4) of a period's end."""
    return (day.month - 1) if season == 12 else (day.month - 1) // 3


def trend_model(
    points: list[tuple[date, float]], when: date, unit: str, season: int | None = None
) -> Forecast:
    """A line with AR(1) errors (and seasonal terms), by Prais-Winsten regression."""
    scale = scale_for(unit)
    ordered = sorted(points)
    days = [d for d, _ in ordered]
    ys = np.array([to_scale(v, scale) for _, v in ordered])
    origin = days[-1]
    seasonal = bool(season) and len({_season_index(d, season or 1) for d in days}) == season
    seasonal = seasonal and len(days) >= 2 * (season or 0) + 3
    design = _design(days, origin, season if seasonal else None)
    beta = np.linalg.lstsq(design, ys, rcond=None)[0]
    residuals = ys - design @ beta
    rho = _ar1(residuals)
    weighted_x, weighted_y = _prais_winsten(design, ys, rho)
    beta = np.linalg.lstsq(weighted_x, weighted_y, rcond=None)[0]
    innovations = weighted_y - weighted_x @ beta
    dof = max(len(ys) - design.shape[1], 1)
    sigma = max(math.sqrt(float(innovations @ innovations) / dof), _floor(scale, ys))
    covariance = sigma**2 * np.linalg.pinv(weighted_x.T @ weighted_x)
    target_row = _design([when], origin, season if seasonal else None)[0]
    step = max(statistics.median(_years(b, a) for a, b in pairwise(days)), 1e-6)
    ahead = max(_years(when, origin), 0.0)
    steps = max(round(ahead / step), 1)
    last_error = float(ys[-1] - design[-1] @ beta)
    centre = float(target_row @ beta) + rho**steps * last_error
    carried = sigma**2 * (1 - rho ** (2 * steps)) / (1 - rho**2) if rho > 0 else sigma**2
    drift = (DRIFT_PER_YEAR * sigma * ahead) ** 2 + (SLOPE_DRIFT * float(beta[1]) * ahead) ** 2
    variance = float(target_row @ covariance @ target_row) + carried + drift
    return _built(
        ordered,
        when,
        scale,
        centre,
        math.sqrt(variance),
        dof,
        float(beta[1]),
        method="trend model",
        rho=rho,
        seasonal=seasonal,
    )


def _ar1(residuals: np.ndarray) -> float:
    """The lag-1 autocorrelation of ``residuals``, within 0 and :data:`MAX_RHO`.

    The estimate from a fitted line's residuals is biased towards zero in short series
    (about (2 + 4 rho) / n; Marriott and Pope, 1954, for the mean alone (1 + 3 rho) / n), so
    that is added back, and half its standard error, sqrt((1 - rho^2) / n), on top: an
    underestimate narrows the interval, an overestimate only widens it. A negative estimate
    is taken as none, for the same reason.
    """
    if len(residuals) < 6:
        return 0.0
    denominator = float(residuals @ residuals)
    if denominator == 0:
        return 0.0
    rho = float(residuals[1:] @ residuals[:-1]) / denominator
    rho += (2 + 4 * rho) / len(residuals)  # the small-sample bias after fitting a line
    rho += 0.5 * math.sqrt(max(1 - rho**2, 0.0) / len(residuals))  # and its own uncertainty
    return min(max(rho, 0.0), MAX_RHO)


def _prais_winsten(x: np.ndarray, y: np.ndarray, rho: float) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` transformed so that AR(1) errors become independent ones."""
    if rho == 0:
        return x, y
    scale_first = math.sqrt(1 - rho**2)
    tx = np.vstack([x[:1] * scale_first, x[1:] - rho * x[:-1]])
    ty = np.concatenate([y[:1] * scale_first, y[1:] - rho * y[:-1]])
    return tx, ty


def plan_forecast(
    points: list[tuple[date, float]],
    planned: list[float],
    when: date,
    goal_planned: float,
    unit: str,
) -> Forecast | None:
    """The planned value at ``when`` with the series' own deviation from its plan carried
    forward: ``planned`` is the plan's value at each point's date, ``goal_planned`` at
    ``when``. None with fewer than two figures."""
    if len(points) < MIN_FIGURES_FOR_LINE:
        return None
    scale = scale_for(unit)
    ordered = sorted(zip(points, planned, strict=True))
    ys = np.array([to_scale(v, scale) for (_, v), _ in ordered])
    plans = np.array([to_scale(p, scale) for _, p in ordered])
    deviations = ys - plans
    recent = deviations[-3:]
    spread = float(np.std(deviations, ddof=1)) if len(deviations) > 1 else abs(float(recent[0]))
    spread = max(spread, _floor(scale, ys))
    ahead = max(_years(when, ordered[-1][0][0]), 0.0)
    variance = spread**2 * (1 + 1 / len(recent) + ahead)
    centre = to_scale(goal_planned, scale) + float(np.mean(recent))
    last_day = ordered[-1][0][0]
    rise = (centre - ys[-1]) / max(_years(when, last_day), 1e-6)
    return _built(
        [p for p, _ in ordered],
        when,
        scale,
        centre,
        math.sqrt(variance),
        max(len(deviations) - 1, 1),
        rise,
        method="plan",
    )
