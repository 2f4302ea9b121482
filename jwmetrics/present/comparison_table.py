"""A comparison of areas as a table: the area and its verdicts first, numbers as numbers.

One row per area of a :class:`~jwmetrics.compare.areas.Comparison`: its name, both verdicts
(against the plain limits and allowing for over-dispersion; the one in use comes first and
its column says so), the rate and its 95% interval, the figure and the denominator,
the region and England benchmarks, the difference from England with its interval, for an
area with no verdict why, and the area code last, for downloads and links. Every number is
a number (a CSV's denominator is 9721, never the text "9,721"); a page formats them.
"""

from __future__ import annotations

import math

import pandas as pd

from jwmetrics.compare import funnel
from jwmetrics.compare.types import ComparedArea, Comparison

VERDICT_WORDS = {
    "above 99.8%": "Above the 99.8% limit",
    "above 95%": "Above the 95% limit",
    "within": "Within the limits",
    "below 95%": "Below the 95% limit",
    "below 99.8%": "Below the 99.8% limit",
    "no figure": "No verdict",
}
IN_USE = "Verdict in use"


def verdict_columns(comparison: Comparison) -> list[str]:
    """The two verdict columns' names, the one in use first, its name saying so (first, so
    a narrow column keeps it): "Verdict in use (allowing for over-dispersion)", then
    "Verdict, plain limits"; or the other way round when the areas are not over-dispersed."""
    used = comparison.verdict_basis
    other = funnel.PLAIN if used == funnel.ADJUSTED else funnel.ADJUSTED
    return [f"{IN_USE} ({used})", f"Verdict, {other}"]


def rate_column(comparison: Comparison) -> str:
    """The rate column's name, with its unit: "Rate per 100,000 residents", "Share (%)"."""
    return "Share (%)" if comparison.unit == "%" else f"Rate {comparison.unit}"


def _number(value: float | None, decimals: int) -> float:
    return math.nan if value is None else round(value, decimals)


def _words(verdict: str | None) -> str:
    return "" if verdict is None else VERDICT_WORDS.get(verdict, verdict)


def _row(area: ComparedArea, comparison: Comparison) -> dict[str, object]:
    plain = _words(area.verdict_plain or area.verdict)
    adjusted = _words(area.verdict_adjusted) if area.rate is not None else _words(area.verdict)
    first, second = verdict_columns(comparison)
    in_use_first = comparison.verdict_basis == funnel.ADJUSTED
    rate = rate_column(comparison)
    return {
        "Area": area.area_name,
        first: adjusted if in_use_first else plain,
        second: plain if in_use_first else adjusted,
        rate: _number(area.rate, 2),
        "95% interval, from": _number(area.ci_lower_95, 2),
        "95% interval, to": _number(area.ci_upper_95, 2),
        "Figure": _number(area.value, 2),
        "Denominator": _number(area.denominator, 0),
        "Region": area.region_name,
        "Region rate": _number(area.region_rate, 2),
        "England rate": _number(area.benchmark_rate, 2),
        "Difference from England": _number(area.difference, 2),
        "Difference, 95% interval, from": _number(area.difference_lower_95, 2),
        "Difference, 95% interval, to": _number(area.difference_upper_95, 2),
        "Why no verdict": area.why,
        "Area code": area.area_code,
    }


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    """Every area of ``comparison``, rated areas highest rate first, then the rest."""
    return pd.DataFrame([_row(area, comparison) for area in comparison.rows])
