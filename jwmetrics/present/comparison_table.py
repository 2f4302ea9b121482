"""A comparison of areas as a table: names first, the verdict in words, ids last.

One row per area of a :class:`~jwmetrics.compare.areas.Comparison`: the figure, the denominator,
the rate and its 95% interval, the region and England benchmarks, the difference from
England with its interval, the verdict against the funnel's limits, and, for an area with
no verdict, why. The area code comes last, for downloads and links.
"""

from __future__ import annotations

import pandas as pd

from jwmetrics.compare.summary import number
from jwmetrics.compare.types import ComparedArea, Comparison

VERDICT_WORDS = {
    "above 99.8%": "Above the 99.8% limit",
    "above 95%": "Above the 95% limit",
    "within": "Within the limits",
    "below 95%": "Below the 95% limit",
    "below 99.8%": "Below the 99.8% limit",
    "no figure": "No verdict",
}


def _rate(value: float | None) -> str:
    return "" if value is None else number(value, 2)


def _range(low: float | None, high: float | None) -> str:
    """An interval as "2.71 to 13.19" ("" when either end is missing)."""
    if low is None or high is None:
        return ""
    return f"{number(low, 2)} to {number(high, 2)}"


def _row(area: ComparedArea) -> dict[str, object]:
    return {
        "Area": area.area_name,
        "Figure": "" if area.value is None else number(area.value, 0),
        "Denominator": "" if area.denominator is None else number(area.denominator, 0),
        "Rate": _rate(area.rate),
        "Rate, 95% interval": _range(area.ci_lower_95, area.ci_upper_95),
        "Region": area.region_name,
        "Region rate": _rate(area.region_rate),
        "England rate": _rate(area.benchmark_rate),
        "Difference from England": _rate(area.difference),
        "Difference, 95% interval": _range(area.difference_lower_95, area.difference_upper_95),
        "Verdict": VERDICT_WORDS.get(area.verdict, area.verdict),
        "Why no verdict": area.why,
        "Area code": area.area_code,
    }


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    """Every area of ``comparison``, rated areas highest rate first, then the rest."""
    return pd.DataFrame([_row(area) for area in comparison.rows])
