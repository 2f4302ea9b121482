"""Comparing areas fairly: rates against England's with funnel-plot limits, never a league table.

- :mod:`~jwmetrics.compare.funnel`: the funnel's control limits and over-dispersion;
- :mod:`~jwmetrics.compare.intervals`: each area's own confidence interval;
- :mod:`~jwmetrics.compare.denominators`: mid-year populations, so counts become rates;
- :mod:`~jwmetrics.compare.basis`: which figures, denominator and scale put areas on one footing;
- :mod:`~jwmetrics.compare.types`: what a comparison returns;
- :mod:`~jwmetrics.compare.summary`: the comparison in words;
- :mod:`~jwmetrics.compare.areas`: the comparison of one measure's areas in one period;
- :mod:`~jwmetrics.compare.available`: which measures' areas can be compared at all.

The method is written for analysts in ``docs/compare.md``.
"""

from __future__ import annotations

from jwmetrics.compare.available import ComparableMeasure
from jwmetrics.compare.types import ComparedArea, Comparison

__all__ = ["ComparableMeasure", "ComparedArea", "Comparison"]
