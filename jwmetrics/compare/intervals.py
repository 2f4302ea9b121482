"""Each area's own confidence interval: exact Poisson or Byar's for counts, Wilson for shares.

The methods are the ones Public Health England's Fingertips uses and its *Technical Guide:
Confidence intervals* (Public Health Data Science, 2018; after APHO *Technical Briefing 3:
Commonly used public health statistics and their confidence intervals*, 2008) recommends:

* a count of events (and so a rate per 100,000 residents): the exact interval from the
  chi-squared (gamma) distribution (Garwood 1936) below 10 events, Byar's approximation
  (Breslow and Day 1987) from 10 on, where it is within 0.2% of the exact value;
* a proportion: Wilson's score interval (Wilson 1927; Newcombe 1998).

These are the intervals drawn around each dot of the ranked dot plot. Whether an area is an
outlier is decided by the funnel plot's control limits (:mod:`jwmetrics.compare.funnel`), which are
worked out around the benchmark instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jwmetrics.distributions import gamma_quantile, normal_quantile

BYAR_FROM = 10
"""From this many events on Byar's approximation is used; below it, the exact interval."""


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval and the method that gave it."""

    lower: float
    upper: float
    method: str

    def scaled(self, factor: float) -> Interval:
        """The same interval times ``factor`` (a count to a rate per 100,000 residents)."""
        return Interval(self.lower * factor, self.upper * factor, self.method)


def _tail(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    return (1.0 - confidence) / 2.0


def exact_poisson(count: float, confidence: float = 0.95) -> Interval:
    """The exact (Garwood) interval for a Poisson count: the gamma quantiles at alpha/2 with
    shape ``count`` and at 1 - alpha/2 with shape ``count + 1``; the lower limit of 0 is 0."""
    tail = _tail(confidence)
    lower = 0.0 if count <= 0 else gamma_quantile(tail, count)
    return Interval(lower, gamma_quantile(1.0 - tail, count + 1.0), "exact Poisson")


def byars(count: float, confidence: float = 0.95) -> Interval:
    """Byar's approximation to the exact Poisson interval (for counts of 10 or more)."""
    if count <= 0:
        raise ValueError("Byar's method needs a positive count")
    z = normal_quantile(1.0 - _tail(confidence))
    lower = count * (1.0 - 1.0 / (9.0 * count) - z / (3.0 * math.sqrt(count))) ** 3
    above = count + 1.0
    upper = above * (1.0 - 1.0 / (9.0 * above) + z / (3.0 * math.sqrt(above))) ** 3
    return Interval(max(0.0, lower), upper, "Byar's")


def count_interval(count: float, confidence: float = 0.95) -> Interval:
    """The interval Fingertips gives a count: exact below 10 events, Byar's from 10 on."""
    return exact_poisson(count, confidence) if count < BYAR_FROM else byars(count, confidence)


def wilson(successes: float, trials: float, confidence: float = 0.95) -> Interval:
    """Wilson's score interval for the proportion ``successes / trials`` (0 to 1)."""
    if trials <= 0:
        raise ValueError("Wilson's interval needs at least one trial")
    z = normal_quantile(1.0 - _tail(confidence))
    share = successes / trials
    centre = 2.0 * trials * share + z * z
    spread = z * math.sqrt(z * z + 4.0 * trials * share * (1.0 - share))
    bottom = 2.0 * (trials + z * z)
    return Interval(
        max(0.0, (centre - spread) / bottom), min(1.0, (centre + spread) / bottom), "Wilson"
    )
