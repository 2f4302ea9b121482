"""Funnel-plot control limits: is an area's rate further from England's than chance allows?

A funnel plot draws each area's rate against its denominator (its population, or the number
it is a share of), with control limits around the benchmark (England's rate) that narrow as
the denominator grows: a small area's rate wanders further by chance alone. An area outside
the 95% limits would be there by chance at most 1 time in 20; outside the 99.8% limits, at
most 1 in 500.

**The plain limits** are those of the exact test (:func:`exact_limits`): for a count of
events the number expected is Poisson with mean ``benchmark x denominator``; for a
proportion it is binomial. An area's count O is above the 97.5% limit exactly when
P(R >= O) < 0.025 at the benchmark, and below the 2.5% limit exactly when P(R <= O) < 0.025
(likewise 0.001 for 99.8%). The limit is drawn as a smooth line by reading these tail
probabilities as continuous in the count, through the incomplete gamma and beta functions
that give them: P(R >= c) = P(c, mean) for Poisson and I_p(c, n - c + 1) for binomial, each
solved for c. At every whole count the line and the test agree, at every denominator, so a
share of 3 of 3 (P = 0.24 at a benchmark of 62%) is never "above".

Spiegelhalter's interpolated limits (D. J. Spiegelhalter, "Funnel plots for comparing
institutional performance", *Statistics in Medicine* 24 (2005), 1185-1202, Appendix
A.1.1), ``(r_p - alpha) / denominator`` with ``r_p`` the p-quantile and

    alpha = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1)),

lie up to one event inside the exact ones. They flag too many small areas (at n = 3 and a
benchmark of 62%, 24% of areas with no real difference lie above the "99.8%" limit), so
they are kept here (:func:`poisson_limits`, :func:`binomial_limits`) only for comparison.

**Over-dispersion**: when the areas differ more than chance allows even after the outliers,
the plain limits flag too many. Spiegelhalter's additive random-effects variant (section 6
of the paper; Spiegelhalter et al., "Statistical methods for healthcare regulation", *JRSS
A* 175 (2012), 1-47) winsorises the areas' z-scores at 10% each end, estimates phi (the mean
squared z-score) and from it tau-squared (the between-area variance, by the method of
moments), and widens the limits to ``benchmark +/- z_p x sqrt(s^2 + tau^2)`` (a normal
approximation), never inside the plain limits. The areas are over-dispersed when I x phi
exceeds the 95% point of chi-squared on I - 1 degrees of freedom (I areas; the paper's test,
section 6); then the adjusted verdict is the one in use (:func:`in_use`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jwmetrics.distributions import (
    binomial_cdf,
    binomial_quantile,
    gamma_quantile,
    incomplete_beta,
    lower_gamma,
    normal_quantile,
    poisson_cdf,
    poisson_quantile,
    upper_gamma,
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
PLAIN = "plain limits"
ADJUSTED = "allowing for over-dispersion"


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
    """Spiegelhalter's interpolated Poisson limits for a rate of ``benchmark`` per ``per`` at
    ``denominator`` (for comparison: the plain limits are :func:`exact_limits`)."""
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
    """Spiegelhalter's interpolated binomial limits for a share of ``benchmark`` per ``per``
    (100 for a percentage) among ``denominator`` (rounded to a whole number of trials); for
    comparison, as :func:`poisson_limits`."""
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


def _solve(function: Callable[[float], float], low: float, high: float, goal: float) -> float:
    """The x in [low, high] with ``function(x) = goal``, for a monotone ``function`` whose
    values at the ends lie either side of ``goal`` (the Illinois form of regula falsi)."""
    f_low, f_high = function(low) - goal, function(high) - goal
    if f_low == 0 or f_high == 0:
        return low if f_low == 0 else high
    x, kept = low, 0
    for _ in range(100):
        x = (low * f_high - high * f_low) / (f_high - f_low)
        f_x = function(x) - goal
        if f_x == 0 or high - low < 1e-12 * max(1.0, high):
            return x
        if (f_x > 0) == (f_high > 0):
            high, f_high = x, f_x
            f_low = f_low / 2 if kept == -1 else f_low
            kept = -1
        else:
            low, f_low = x, f_x
            f_high = f_high / 2 if kept == 1 else f_high
            kept = 1
        if abs(f_x) < 1e-14:
            return x
    return x


def _exact_count_limits(
    at_least: Callable[[float], float],
    at_most: Callable[[float], float],
    quantile: Callable[[float], int],
    most: float,
) -> dict[str, float]:
    """The four exact limits as counts: the upper one the c with P(R >= c) = 1 - p (between
    the p-quantile and one more), the lower one the c with P(R <= c) = p (between one less
    than the p-quantile and it); none beyond the support, 0 to ``most``."""
    found = {}
    for name, probability in PROBABILITIES.items():
        r_p = quantile(probability)
        if name.startswith("upper"):
            found[name] = (
                most
                if r_p >= most
                else _solve(at_least, max(r_p, 1e-9), r_p + 1.0, 1.0 - probability)
            )
        else:
            found[name] = 0.0 if r_p <= 0 else _solve(at_most, r_p - 1.0, r_p, probability)
    return found


def exact_poisson_limits(benchmark: float, denominator: float, per: float) -> Limits:
    """The exact test's limits for a rate of ``benchmark`` per ``per`` at ``denominator``:
    P(R >= c) = P(c, mean) and P(R <= c) = Q(c + 1, mean), the regularised incomplete gamma
    functions, continuous in c."""
    if denominator <= 0:
        raise ValueError("a denominator must be positive")
    mean = benchmark / per * denominator
    if mean <= 0:
        return Limits(denominator, 0.0, 0.0, 0.0, 0.0)
    counts = _exact_count_limits(
        lambda c: lower_gamma(c, mean),
        lambda c: upper_gamma(c + 1.0, mean),
        lambda p: poisson_quantile(p, mean),
        math.inf,
    )
    return Limits(denominator, **{k: c / denominator * per for k, c in counts.items()})


def exact_binomial_limits(benchmark: float, denominator: float, per: float = 100.0) -> Limits:
    """The exact test's limits for a share of ``benchmark`` per ``per`` among ``denominator``
    (rounded to whole trials n): P(R >= c) = I_p(c, n - c + 1) and P(R <= c) =
    I_(1-p)(n - c, c + 1), the regularised incomplete beta function, continuous in c. At
    n = 3 and 62%, P(R = 3) = 0.24, so the upper limits are 100%: 3 of 3 is within."""
    trials = max(1, round(denominator))
    share = benchmark / per
    if share <= 0 or share >= 1:
        edge = 0.0 if share <= 0 else per
        return Limits(denominator, edge, edge, edge, edge)
    counts = _exact_count_limits(
        lambda c: incomplete_beta(c, trials - c + 1.0, share),
        lambda c: 1.0 if c >= trials else incomplete_beta(trials - c, c + 1.0, 1.0 - share),
        lambda p: binomial_quantile(p, trials, share),
        float(trials),
    )
    return Limits(denominator, **{k: c / trials * per for k, c in counts.items()})


def exact_limits(kind: str, benchmark: float, denominator: float, per: float) -> Limits:
    """The plain limits: :func:`exact_poisson_limits` or :func:`exact_binomial_limits`."""
    if kind == POISSON:
        return exact_poisson_limits(benchmark, denominator, per)
    return exact_binomial_limits(benchmark, denominator, per)


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

    method = (
        "additive random effects, z-scores winsorised at 10% each end; normal approximation, "
        "never inside the plain limits"
    )
    label = f"allowing for over-dispersion ({method})"

    def limits(self, denominator: float, plain: Limits | None = None) -> Limits:
        """The widened limits at ``denominator`` (the plain spread plus tau-squared), never
        inside the ``plain`` limits there (worked out when not given): the normal
        approximation can be narrower than the exact limits where counts are small."""
        share = self.benchmark / self.per
        spread = math.sqrt(_variance(self.kind, share) / denominator + self.tau2)
        ceiling = 1.0 if self.kind == BINOMIAL else math.inf
        plain = plain or exact_limits(self.kind, self.benchmark, denominator, self.per)

        def at(name: str, probability: float) -> float:
            value = min(ceiling, max(0.0, share + normal_quantile(probability) * spread))
            outer = max if name.startswith("upper") else min
            return float(outer(value * self.per, getattr(plain, name)))

        return Limits(denominator, **{name: at(name, p) for name, p in PROBABILITIES.items()})

    @property
    def test_text(self) -> str:
        """The over-dispersion test in words, with its figures."""
        critical = chi_square_critical(self.areas - 1)
        verb = "exceeds" if self.over_dispersed else "does not exceed"
        return (
            f"{self.areas} areas × phi {self.phi:,.2f} = {self.areas * self.phi:,.0f} {verb} "
            f"{critical:,.0f}, the 95% point of chi-squared on {self.areas - 1} degrees of "
            "freedom"
        )


def chi_square_critical(degrees_of_freedom: int, level: float = 0.95) -> float:
    """The ``level`` point of chi-squared on ``degrees_of_freedom`` (twice a gamma quantile)."""
    return 2.0 * gamma_quantile(level, degrees_of_freedom / 2.0)


def in_use(dispersion: Dispersion | None) -> str:
    """Which verdict an area's comparison uses: :data:`ADJUSTED` when the areas are
    over-dispersed (the chi-squared test of :class:`Dispersion`), else :data:`PLAIN`."""
    return ADJUSTED if dispersion is not None and dispersion.over_dispersed else PLAIN


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
    critical = chi_square_critical(count - 1)
    return Dispersion(kind, benchmark, per, count, phi, tau2, count * phi > critical)
