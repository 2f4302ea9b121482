"""Funnel-plot control limits: is an area's rate further from England's than chance allows?

A funnel plot draws each area's rate against its denominator (its population, or the number
it is a share of), with control limits around the benchmark (England's rate) that narrow as
the denominator grows: a small area's rate wanders further by chance alone. An area outside
the 95% limits would be there by chance about 1 time in 20; outside the 99.8% limits, about
1 in 500.

**The plain limits** (the default) are exact, by Spiegelhalter's method (D. J. Spiegelhalter,
"Funnel plots for comparing institutional performance", *Statistics in Medicine* 24 (2005),
1185-1202, Appendix A.1.1): for a count of events the number expected is Poisson with mean
``benchmark x denominator``; for a proportion it is binomial. With ``r_p`` the p-quantile
(the smallest r with ``P(R <= r) >= p``) and

    alpha = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1)),

the limit is ``(r_p - alpha) / denominator``: the step of the discrete quantile smoothed
into a line. p is 0.025 and 0.975 (95%), 0.001 and 0.999 (99.8%). A lower limit below zero
is drawn at zero (no area can be below it).

**Over-dispersion** (offered beside the plain limits, labelled): when the areas differ more
than chance allows even after the outliers, the plain limits flag too many. Spiegelhalter's
additive random-effects variant (section 6 of the paper; Spiegelhalter et al., "Statistical
methods for healthcare regulation", *JRSS A* 175 (2012), 1-47) winsorises the areas'
z-scores at 10% each end, estimates phi (the mean squared z-score) and from it tau-squared
(the between-area variance, by the method of moments), and widens the limits to
``benchmark +/- z_p x sqrt(s^2 + tau^2)`` (a normal approximation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jwmetrics.distributions import (
    binomial_cdf,
    binomial_quantile,
    gamma_quantile,
    normal_quantile,
    poisson_cdf,
    poisson_quantile,
)

POISSON = "poisson"
BINOMIAL = "binomial"
PROBABILITIES = {"lower_998": 0.001, "lower_95": 0.025, "upper_95": 0.975, "upper_998": 0.999}
WINSOR_SHARE = 0.10

ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998 = (
    "above 99.8%",
    "above 95%",
    "within",
    "below 95%",
    "below 99.8%",
)
NO_FIGURE = "no figure"
VERDICTS = (ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998, NO_FIGURE)


@dataclass(frozen=True)
class Limits:
    """The control limits at one denominator, on the rate's scale (e.g. per 100,000)."""

    denominator: float
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float


def spiegelhalter_limit(
    cdf: Callable[[int], float], quantile: Callable[[float], int], probability: float
) -> float:
    """The interpolated ``probability`` limit of a discrete count: ``r_p - alpha``."""
    r_p = quantile(probability)
    at, below = cdf(r_p), cdf(r_p - 1)
    alpha = (at - probability) / (at - below) if at > below else 0.0
    return r_p - alpha


def poisson_limits(benchmark: float, denominator: float, per: float) -> Limits:
    """Exact Poisson limits for a rate of ``benchmark`` per ``per`` at ``denominator``."""
    if denominator <= 0:
        raise ValueError("a denominator must be positive")
    mean = benchmark / per * denominator

    def limit(probability: float) -> float:
        count = spiegelhalter_limit(
            lambda k: poisson_cdf(k, mean), lambda p: poisson_quantile(p, mean), probability
        )
        return max(0.0, count) / denominator * per

    return Limits(denominator, **{name: limit(p) for name, p in PROBABILITIES.items()})


def binomial_limits(benchmark: float, denominator: float, per: float = 100.0) -> Limits:
    """Exact binomial limits for a share of ``benchmark`` per ``per`` (100 for a percentage)
    among ``denominator`` (rounded to a whole number of trials)."""
    trials = max(1, round(denominator))
    share = benchmark / per

    def limit(probability: float) -> float:
        count = spiegelhalter_limit(
            lambda k: binomial_cdf(k, trials, share),
            lambda p: binomial_quantile(p, trials, share),
            probability,
        )
        return min(1.0, max(0.0, count / trials)) * per

    return Limits(denominator, **{name: limit(p) for name, p in PROBABILITIES.items()})


def exact_limits(kind: str, benchmark: float, denominator: float, per: float) -> Limits:
    """:func:`poisson_limits` or :func:`binomial_limits`, by ``kind``."""
    if kind == POISSON:
        return poisson_limits(benchmark, denominator, per)
    return binomial_limits(benchmark, denominator, per)


def verdict(rate: float, limits: Limits) -> str:
    """Where ``rate`` lies against ``limits``; a rate on a limit is inside it."""
    if rate > limits.upper_998:
        return ABOVE_998
    if rate > limits.upper_95:
        return ABOVE_95
    if rate < limits.lower_998:
        return BELOW_998
    if rate < limits.lower_95:
        return BELOW_95
    return WITHIN


def curve(
    kind: str, benchmark: float, low: float, high: float, per: float, points: int = 100
) -> list[Limits]:
    """The limits at ``points`` denominators spaced evenly on a log scale from ``low`` to
    ``high``: the lines of the funnel."""
    if low <= 0 or high < low:
        raise ValueError("the denominators must be positive, low first")
    if points < 2 or high == low:
        return [exact_limits(kind, benchmark, low, per)]
    step = math.log(high / low) / (points - 1)
    return [exact_limits(kind, benchmark, low * math.exp(i * step), per) for i in range(points)]


def _variance(kind: str, share: float) -> float:
    """The variance of one unit's outcome: share for a Poisson rate, share x (1 - share)
    for a proportion."""
    return share if kind == POISSON else share * (1.0 - share)


@dataclass(frozen=True)
class Dispersion:
    """How much more the areas differ than chance allows (Spiegelhalter 2005, section 6)."""

    kind: str
    benchmark: float
    per: float
    areas: int
    phi: float  # mean squared winsorised z-score: about 1 when chance explains it all
    tau2: float  # between-area variance of the share (0 when not over-dispersed)
    over_dispersed: bool  # areas x phi above the 95% point of chi-squared on areas - 1 df

    label = (
        "allowing for over-dispersion (additive random effects, z-scores winsorised at 10% "
        "each end; normal approximation)"
    )

    def limits(self, denominator: float) -> Limits:
        """The widened limits at ``denominator`` (the plain spread plus tau-squared)."""
        share = self.benchmark / self.per
        spread = math.sqrt(_variance(self.kind, share) / denominator + self.tau2)
        ceiling = 1.0 if self.kind == BINOMIAL else math.inf

        def at(probability: float) -> float:
            value = share + normal_quantile(probability) * spread
            return min(ceiling, max(0.0, value)) * self.per

        return Limits(denominator, **{name: at(p) for name, p in PROBABILITIES.items()})


def winsorise(values: Sequence[float], share: float = WINSOR_SHARE) -> list[float]:
    """``values`` with the lowest and highest ``share`` pulled in to the nearest kept value."""
    ordered = sorted(values)
    cut = math.floor(share * len(ordered))
    if cut == 0:
        return list(values)
    low, high = ordered[cut], ordered[-cut - 1]
    return [min(high, max(low, value)) for value in values]


def dispersion(
    kind: str, benchmark: float, points: Sequence[tuple[float, float]], per: float
) -> Dispersion | None:
    """Over-dispersion of ``points`` (rate per ``per``, denominator) about ``benchmark``;
    None with fewer than 3 areas or a benchmark of 0 (no spread to measure against)."""
    share = benchmark / per
    variance = _variance(kind, share)
    if len(points) < 3 or variance <= 0:
        return None
    weights = [denominator / variance for _, denominator in points]
    z_scores = [
        (rate / per - share) * math.sqrt(w) for (rate, _), w in zip(points, weights, strict=True)
    ]
    count = len(points)
    phi = sum(z * z for z in winsorise(z_scores)) / count
    total = sum(weights)
    spread = total - sum(w * w for w in weights) / total
    tau2 = max(0.0, (count * phi - (count - 1)) / spread) if spread > 0 else 0.0
    critical = 2.0 * gamma_quantile(0.95, (count - 1) / 2.0)
    return Dispersion(kind, benchmark, per, count, phi, tau2, count * phi > critical)
