"""The statistics of a fair comparison: exact distributions, each area's own interval, the
funnel plot's control limits and the over-dispersion variant, against published values.

Sources of the worked examples:

* Exact Poisson intervals: the classical table of Garwood, "Fiducial limits for the Poisson
  distribution", *Biometrika* 28 (1936) 437-442, as reproduced in standard tables (e.g. the
  upper 95% limit of 3.689 for a count of 0 quoted by R's epitools ``pois.exact``; 4.795 to
  18.390 for a count of 10).
* Wilson's interval: R. G. Newcombe, "Two-sided confidence intervals for the single
  proportion: comparison of seven methods", *Statistics in Medicine* 17 (1998) 857-872,
  Table II, method 3 (the score interval): 81/263, 15/148, 0/20 and 1/29.
* Byar's method: Public Health England, *Technical Guide: Confidence intervals* (Public
  Health Data Science, 2018), Appendix 1: "for 95% confidence intervals, Byar's method is
  within 0.2% of the exact value for numerators of 10 or more".
* Funnel limits: the formula of D. J. Spiegelhalter, "Funnel plots for comparing
  institutional performance", *Statistics in Medicine* 24 (2005) 1185-1202, Appendix A.1.1,
  worked by hand from the textbook binomial table (n = 10, p = 0.5: cumulative
  probabilities 0.000977, 0.010742, 0.054688, ..., 0.945313, 0.989258, 0.999023) and from
  the Poisson probabilities with mean 1 (e^-1 = 0.367879; cumulative 0.735759, 0.919699,
  0.981012, 0.996340, 0.999406).
"""

from __future__ import annotations

import itertools
import math

import pytest

from jwmetrics import distributions as dist
from jwmetrics.compare import funnel
from jwmetrics.compare.intervals import BYAR_FROM, byars, count_interval, exact_poisson, wilson


def test_cumulative_probabilities_equal_exact_sums() -> None:
    """The incomplete gamma and beta functions against the probabilities summed term by term."""
    for mean in (0.3, 1.0, 7.5, 42.0, 310.0):
        for k in (0, 1, 3, int(mean), int(mean * 1.5) + 2):
            exact = sum(
                math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1)) for i in range(k + 1)
            )
            assert dist.poisson_cdf(k, mean) == pytest.approx(exact, rel=1e-10, abs=1e-300)
    for n, p in ((10, 0.5), (37, 0.12), (200, 0.9), (1000, 0.003)):
        for k in (0, 1, n // 3, n // 2, n - 1):
            exact = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))
            assert dist.binomial_cdf(k, n, p) == pytest.approx(exact, rel=1e-10, abs=1e-300)


def test_quantiles_are_the_smallest_count_reaching_the_probability() -> None:
    for mean in (0.2, 1.0, 9.3, 4266.0, 250_000.0):
        for probability in funnel.PROBABILITIES.values():
            k = dist.poisson_quantile(probability, mean)
            assert dist.poisson_cdf(k, mean) >= probability
            assert k == 0 or dist.poisson_cdf(k - 1, mean) < probability
    for n, p in ((10, 0.5), (500, 0.03), (80_000, 0.62)):
        for probability in funnel.PROBABILITIES.values():
            k = dist.binomial_quantile(probability, n, p)
            assert dist.binomial_cdf(k, n, p) >= probability
            assert k == 0 or dist.binomial_cdf(k - 1, n, p) < probability


@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    [
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (2, 0.2422, 7.2247),
        (3, 0.6187, 8.7673),
        (5, 1.6235, 11.6683),
        (10, 4.7954, 18.3904),
    ],
)
def test_exact_poisson_interval_matches_garwoods_table(
    count: int, lower: float, upper: float
) -> None:
    interval = exact_poisson(count, 0.95)
    assert interval.lower == pytest.approx(lower, abs=6e-4)
    assert interval.upper == pytest.approx(upper, abs=6e-4)


def test_byars_is_within_two_tenths_of_a_percent_of_exact_from_ten_events() -> None:
    for count in range(BYAR_FROM, 1001):
        exact, approx = exact_poisson(count), byars(count)
        assert abs(approx.lower - exact.lower) / exact.lower < 0.002
        assert abs(approx.upper - exact.upper) / exact.upper < 0.002
    assert count_interval(9).method == "exact Poisson"
    assert count_interval(10).method == "Byar's"
    wide = byars(4266, 0.998)
    narrow = byars(4266, 0.95)
    assert wide.lower < narrow.lower < 4266 < narrow.upper < wide.upper


@pytest.mark.parametrize(
    ("successes", "trials", "lower", "upper"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombes_table(
    successes: int, trials: int, lower: float, upper: float
) -> None:
    interval = wilson(successes, trials, 0.95)
    assert (round(interval.lower, 4), round(interval.upper, 4)) == (lower, upper)


def test_binomial_limits_worked_by_hand_from_the_binomial_table() -> None:
    """n = 10, benchmark 50%: r_0.025 = 2, alpha = (0.054688 - 0.025) / (0.054688 - 0.010742)
    = 0.67556, limit (2 - 0.67556) / 10 = 13.244%; r_0.975 = 8, alpha = (0.989258 - 0.975)
    / (0.989258 - 0.945313) = 0.32444, limit 76.756%; r_0.001 = 1, alpha = 0.99760, limit
    0.024%; r_0.999 = 9, alpha = 0.00240, limit 89.976%."""
    limits = funnel.binomial_limits(50.0, 10)
    assert limits.lower_95 == pytest.approx(13.244, abs=1e-3)
    assert limits.upper_95 == pytest.approx(76.756, abs=1e-3)
    assert limits.lower_998 == pytest.approx(0.024, abs=1e-3)
    assert limits.upper_998 == pytest.approx(89.976, abs=1e-3)


def test_poisson_limits_worked_by_hand_from_the_poisson_probabilities() -> None:
    """Mean 1 (a rate of 1 per person in a population of 1): r_0.975 = 3, alpha = (0.981012 -
    0.975) / (0.981012 - 0.919699) = 0.098054, limit 2.90195; r_0.999 = 5, alpha = (0.999406
    - 0.999) / (0.999406 - 0.996340) = 0.13237, limit 4.86763; the lower limits fall below
    zero (r_0.025 = 0, alpha = 0.932) and are drawn at zero."""
    limits = funnel.poisson_limits(1.0, 1.0, per=1.0)
    assert limits.upper_95 == pytest.approx(2.90195, abs=1e-5)
    assert limits.upper_998 == pytest.approx(4.86763, abs=1e-5)
    assert (limits.lower_95, limits.lower_998) == (0.0, 0.0)
    # Per 100,000 residents: 2 expected among 40,000 people at 5 per 100,000 is the same
    # distribution as any other population with a mean of 2.
    small = funnel.poisson_limits(5.0, 40_000, 100_000)
    same = funnel.poisson_limits(2.0, 1.0, per=1.0)
    assert small.upper_95 == pytest.approx(same.upper_95 / 40_000 * 100_000)


def test_limits_narrow_towards_the_benchmark_as_the_population_grows() -> None:
    lines = funnel.curve(funnel.POISSON, 7.579, 2_000, 9_000_000, 100_000, points=40)
    assert len(lines) == 40
    assert lines[0].denominator == pytest.approx(2_000) and lines[-1].denominator == pytest.approx(
        9e6
    )
    widths = [line.upper_998 - line.lower_998 for line in lines]
    assert widths[0] > widths[len(widths) // 2] > widths[-1]
    for line in lines:
        assert line.lower_998 <= line.lower_95 <= 7.579 <= line.upper_95 <= line.upper_998
    # At 9 million the 95% limits are close to the normal approximation's +/- 1.96 s.e.
    s_e = math.sqrt(7.579e-5 / 9e6) * 1e5
    assert lines[-1].upper_95 - 7.579 == pytest.approx(1.96 * s_e, rel=0.02)


def test_verdicts_follow_the_rate_against_the_limits() -> None:
    limits = funnel.Limits(1000, lower_95=4.0, upper_95=10.0, lower_998=2.0, upper_998=13.0)
    cases = {
        13.01: "above 99.8%",
        13.0: "above 95%",
        10.01: "above 95%",
        10.0: "within",
        4.0: "within",
        3.99: "below 95%",
        2.0: "below 95%",
        1.99: "below 99.8%",
        0.0: "below 99.8%",
    }
    assert {rate: funnel.verdict(rate, limits) for rate in cases} == cases
    assert set(cases.values()) | {funnel.NO_FIGURE} == set(funnel.VERDICTS)


def test_winsorising_pulls_in_the_extremes_only() -> None:
    values = [float(v) for v in range(1, 21)]  # 10% of 20 = 2 each end
    assert funnel.winsorise(values) == [3.0, 3.0, *values[2:18], 18.0, 18.0]
    assert funnel.winsorise([1.0, 50.0, 2.0]) == [1.0, 50.0, 2.0]  # too few to cut


def test_no_over_dispersion_when_areas_sit_on_the_benchmark() -> None:
    points = [(7.5, 100_000.0), (7.5, 250_000.0), (7.5, 60_000.0), (7.5, 1_000_000.0)]
    spread = funnel.dispersion(funnel.POISSON, 7.5, points, 100_000)
    assert spread is not None
    assert (spread.phi, spread.tau2, spread.over_dispersed) == (0.0, 0.0, False)
    # with tau-squared 0 the adjusted limits are the plain spread, never inside the exact
    # limits (the normal approximation is narrower than them at 7.5 expected events)
    adjusted = spread.limits(100_000)
    exact = funnel.exact_limits(funnel.POISSON, 7.5, 100_000, 100_000)
    normal = 7.5 + 1.959964 * math.sqrt(7.5e-5 / 1e5) * 1e5
    assert adjusted.upper_95 == pytest.approx(max(normal, exact.upper_95))
    assert adjusted.lower_95 == pytest.approx(min(2 * 7.5 - normal, exact.lower_95))
    assert funnel.dispersion(funnel.POISSON, 7.5, points[:2], 100_000) is None


def test_over_dispersion_worked_by_hand() -> None:
    """Ten areas of 500,000 at 7.5 per 100,000: each z = (rate - 7.5) x 0.8165 (the s.e. is
    sqrt(7.5e-5 / 5e5) = 1.2247 per 100,000). Winsorising 1 each end turns 2 into 4 and 20
    into 12; the squared z-scores sum to 0.6667 x 82.5 = 55, so phi = 5.5. Every weight is
    w = 5e5 / 7.5e-5, so tau-squared = (10 x 5.5 - 9) / (10w - w) = 46 / (9w) = 7.667e-10
    (2.77 per 100,000 as a standard deviation)."""
    rates = [2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 20.0]
    points = [(rate, 500_000.0) for rate in rates]
    spread = funnel.dispersion(funnel.POISSON, 7.5, points, 100_000)
    assert spread is not None and spread.over_dispersed
    assert spread.phi == pytest.approx(5.5)
    assert spread.tau2 == pytest.approx(46 / (9 * 5e5 / 7.5e-5))
    widened = spread.limits(500_000)
    spread_per_100k = math.sqrt(7.5e-5 / 5e5 + spread.tau2) * 1e5
    assert widened.upper_95 == pytest.approx(7.5 + 1.959964 * spread_per_100k)


def test_over_dispersion_widens_the_limits_for_large_areas_most() -> None:
    rates = [2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 20.0]
    points = [(rate, 500_000.0) for rate in rates]
    spread = funnel.dispersion(funnel.POISSON, 7.5, points, 100_000)
    assert spread is not None
    exact = funnel.exact_limits(funnel.POISSON, 7.5, 500_000, 100_000)
    widened = spread.limits(500_000)
    assert widened.upper_95 > exact.upper_95 + 3
    small = funnel.exact_limits(funnel.POISSON, 7.5, 5_000, 100_000)
    small_gain = spread.limits(5_000).upper_95 / small.upper_95
    large_gain = widened.upper_95 / exact.upper_95
    assert large_gain > small_gain
    assert "over-dispersion" in spread.label


def test_binomial_dispersion_and_limits_stay_within_0_and_100() -> None:
    points = [(30.0, 50.0), (90.0, 40.0), (60.0, 80.0), (10.0, 30.0)]
    spread = funnel.dispersion(funnel.BINOMIAL, 55.0, points, 100.0)
    assert spread is not None and spread.over_dispersed
    for denominator in (5.0, 30.0, 1000.0):
        widened = spread.limits(denominator)
        exact = funnel.binomial_limits(55.0, denominator)
        for limits in (widened, exact):
            assert 0.0 <= limits.lower_998 <= limits.upper_998 <= 100.0


def test_three_of_three_is_not_above_at_a_benchmark_of_62_percent() -> None:
    """P(R = 3) = 0.62^3 = 0.238 when n = 3: chance alone gives 100% one time in four, so no
    limit can flag it. Spiegelhalter's interpolated upper limits (96.50% and 99.86%) did."""
    assert pytest.approx(0.2383, abs=1e-4) == 0.62**3
    old = funnel.binomial_limits(62.0, 3)
    assert round(old.upper_95, 2) == 96.50 and round(old.upper_998, 2) == 99.86
    assert funnel.verdict(100.0, old) == funnel.ABOVE_998  # the fault
    limits = funnel.exact_limits(funnel.BINOMIAL, 62.0, 3, 100.0)
    assert (limits.upper_95, limits.upper_998) == (100.0, 100.0)
    assert (limits.lower_95, limits.lower_998) == (0.0, 0.0)  # P(R = 0) = 0.055
    assert funnel.verdict(100.0, limits) == funnel.WITHIN
    assert funnel.verdict(0.0, limits) == funnel.WITHIN


@pytest.mark.parametrize(
    ("trials", "share"),
    [(3, 0.62), (5, 0.62), (10, 0.5), (20, 0.62), (15, 0.1), (100, 0.62), (1000, 0.03)],
)
def test_exact_binomial_limits_are_the_exact_test_at_every_count(trials: int, share: float) -> None:
    """Each count k is above the upper p-limit exactly when P(R >= k) < 1 - p, and below the
    lower one exactly when P(R <= k) < p: the limits never flag more than chance allows."""
    limits = funnel.exact_limits(funnel.BINOMIAL, share * 100, trials, 100.0)
    for k in range(trials + 1):
        rate = k / trials * 100
        above = 1 - dist.binomial_cdf(k - 1, trials, share)
        below = dist.binomial_cdf(k, trials, share)
        assert (rate > limits.upper_95) == (above < 0.025), k
        assert (rate > limits.upper_998) == (above < 0.001), k
        assert (rate < limits.lower_95) == (below < 0.025), k
        assert (rate < limits.lower_998) == (below < 0.001), k


@pytest.mark.parametrize("mean", [0.2, 0.74, 1.0, 3.0, 7.96, 11.83, 40.0, 250.0])
def test_exact_poisson_limits_are_the_exact_test_at_every_count(mean: float) -> None:
    limits = funnel.exact_limits(funnel.POISSON, mean, 1.0, 1.0)
    for k in range(int(mean * 3 + 20)):
        above = 1 - dist.poisson_cdf(k - 1, mean)
        below = dist.poisson_cdf(k, mean)
        assert (k > limits.upper_95) == (above < 0.025), k
        assert (k > limits.upper_998) == (above < 0.001), k
        assert (k < limits.lower_95) == (below < 0.025), k
        assert (k < limits.lower_998) == (below < 0.001), k


def test_exact_limits_are_smooth_and_narrow_with_the_denominator() -> None:
    """The exact limits are drawn as smooth lines: between whole counts the tail
    probabilities are read as continuous, so the upper limit never jumps as a step."""
    lines = funnel.curve(funnel.POISSON, 7.579, 9_721, 1_100_000, 100_000, points=200)
    uppers = [line.upper_95 for line in lines]
    assert all(b < a for a, b in itertools.pairwise(uppers))  # falls steadily, no sawtooth
    worked = funnel.exact_limits(funnel.BINOMIAL, 50.0, 10, 100.0)  # n = 10, p = 0.5
    # P(R >= 9) = 0.0107 < 0.025 <= P(R >= 8) = 0.0547: the limit lies between 8 and 9
    assert 80.0 < worked.upper_95 < 90.0 and 10.0 < worked.lower_95 < 20.0
    assert worked.upper_95 == pytest.approx(100 - worked.lower_95)
