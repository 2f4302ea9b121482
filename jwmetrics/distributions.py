"""Exact Poisson, binomial, gamma and Student's t probabilities, in plain Python (no SciPy).

The funnel plot's control limits and each area's own exact interval need cumulative
probabilities and quantiles of the Poisson and binomial distributions, and quantiles of the
gamma (chi-squared) distribution; the status's chance of meeting a target needs Student's
t. They are worked out here from the regularised incomplete
gamma and beta functions (series and continued fractions, as in Press et al., *Numerical
Recipes*, 3rd edition, sections 6.2 and 6.4), accurate to about 1e-12, so the project needs
no extra dependency. ``tests/compare/test_funnel.py`` checks them against exact sums and against
published tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from statistics import NormalDist

EPSILON = 1e-15
TINY = 1e-300
_STANDARD_NORMAL = NormalDist()


def normal_quantile(probability: float) -> float:
    """The standard normal quantile: 1.959964 for 0.975, 3.090232 for 0.999."""
    return _STANDARD_NORMAL.inv_cdf(probability)


def _iterations(*sizes: float) -> int:
    """A generous bound on the terms a series or continued fraction needs: it grows like the
    square root of the parameters."""
    return 1000 + int(50 * math.sqrt(max(sizes)))


def lower_gamma(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x), for a > 0 and x >= 0."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        return _gamma_series(a, x)
    return 1.0 - _gamma_fraction(a, x)


def upper_gamma(a: float, x: float) -> float:
    """Q(a, x) = 1 - P(a, x), computed directly so a small upper tail keeps its precision."""
    if x <= 0:
        return 1.0
    if x < a + 1:
        return 1.0 - _gamma_series(a, x)
    return _gamma_fraction(a, x)


def _gamma_front(a: float, x: float) -> float:
    return math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    denominator = a
    for _ in range(_iterations(a, x)):
        denominator += 1.0
        term *= x / denominator
        total += term
        if abs(term) < abs(total) * EPSILON:
            break
    return total * _gamma_front(a, x)


def _gamma_fraction(a: float, x: float) -> float:
    """Q(a, x) by Lentz's continued fraction (converges quickly for x > a + 1)."""
    b = x + 1.0 - a
    c = 1.0 / TINY
    d = 1.0 / b
    h = d
    for i in range(1, _iterations(a, x)):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = TINY if abs(d) < TINY else d
        c = b + an / c
        c = TINY if abs(c) < TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < EPSILON:
            break
    return _gamma_front(a, x) * h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (TINY if abs(d) < TINY else d)
    h = d
    for m in range(1, _iterations(a, b)):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (TINY if abs(d) < TINY else d)
            c = 1.0 + numerator / c
            c = TINY if abs(c) < TINY else c
            step = d * c
            h *= step
        if abs(step - 1.0) < EPSILON:
            break
    return h


def poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean)."""
    if k < 0:
        return 0.0
    if mean <= 0:
        return 1.0
    return upper_gamma(k + 1.0, mean)


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n or p <= 0:
        return 1.0
    if p >= 1:
        return 0.0
    return incomplete_beta(n - k, k + 1.0, 1.0 - p)


def discrete_quantile(cdf: Callable[[int], float], probability: float, guess: float) -> int:
    """The smallest whole number k with cdf(k) >= probability, searched from ``guess``."""
    k = max(0, math.floor(guess))
    if cdf(k) >= probability:
        while k > 0 and cdf(k - 1) >= probability:
            k -= 1
        return k
    step = 1
    while cdf(k + step) < probability:  # gallop up, then bisect the last step
        k += step
        step *= 2
    low, high = k, k + step  # cdf(low) < probability <= cdf(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if cdf(middle) >= probability else (middle, high)
    return high


def poisson_quantile(probability: float, mean: float) -> int:
    """The smallest k with P(X <= k) >= probability, X ~ Poisson(mean)."""
    guess = mean + normal_quantile(probability) * math.sqrt(mean)
    return discrete_quantile(lambda k: poisson_cdf(k, mean), probability, guess)


def binomial_quantile(probability: float, n: int, p: float) -> int:
    """The smallest k with P(X <= k) >= probability, X ~ Binomial(n, p)."""
    guess = n * p + normal_quantile(probability) * math.sqrt(n * p * (1.0 - p))
    return min(n, discrete_quantile(lambda k: binomial_cdf(k, n, p), probability, guess))


def gamma_quantile(probability: float, shape: float) -> float:
    """The x with P(shape, x) = probability: half the chi-squared quantile on 2 x shape
    degrees of freedom. Newton's method from the Wilson-Hilferty guess, kept in a bracket."""
    if probability <= 0:
        return 0.0
    z = normal_quantile(probability)
    guess = shape * (1.0 - 1.0 / (9.0 * shape) + z / (3.0 * math.sqrt(shape))) ** 3
    low, high = 0.0, max(1.0, 2.0 * guess, shape + 10.0 * math.sqrt(shape) + 10.0)
    while lower_gamma(shape, high) < probability:
        low, high = high, high * 2.0
    x = guess if low < guess < high else (low + high) / 2.0
    for _ in range(200):
        error = lower_gamma(shape, x) - probability
        if error == 0:
            return x
        low, high = (low, x) if error > 0 else (x, high)
        density = math.exp((shape - 1.0) * math.log(x) - x - math.lgamma(shape)) if x > 0 else 0
        step = x - error / density if density > 0 else x
        if abs(step - x) <= 1e-14 * x:
            return step
        x = step if low < step < high else (low + high) / 2.0
        if high - low <= 1e-14 * high:
            break
    return x


def student_t_cdf(t: float, degrees_of_freedom: float) -> float:
    """P(T <= t) for Student's t with ``degrees_of_freedom`` (> 0), through the incomplete
    beta function: the tail beyond |t| is I_{v/(v+t^2)}(v/2, 1/2) / 2."""
    v = degrees_of_freedom
    tail = 0.5 * incomplete_beta(v / 2.0, 0.5, v / (v + t * t))
    return 1.0 - tail if t > 0 else tail


@lru_cache(maxsize=1024)
def student_t_quantile(probability: float, degrees_of_freedom: float) -> float:
    """The t with P(T <= t) = ``probability``, by bisection on :func:`student_t_cdf`
    (remembered: a status table asks for the same few quantiles thousands of times)."""
    low, high = -1e6, 1e6
    for _ in range(200):
        middle = (low + high) / 2
        if student_t_cdf(middle, degrees_of_freedom) < probability:
            low = middle
        else:
            high = middle
        if high - low < 1e-10:
            break
    return (low + high) / 2
