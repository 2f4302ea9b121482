"""What a comparison of areas returns: every area of one measure in one period against England.

The types live apart from :mod:`~jwmetrics.compare.areas`, which builds them, so that
:mod:`~jwmetrics.compare.summary` (their words) and the presentation layer can name them
without importing the builder.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from jwmetrics.compare import funnel
from jwmetrics.compare.basis import Benchmark
from jwmetrics.periods import Period


@dataclass(frozen=True)
class ComparedArea:
    """One area in the comparison: its figures, interval, limits and verdict, or why not."""

    area_code: str
    area_name: str
    area_type: str
    value: float | None
    denominator: float | None
    rate: float | None
    benchmark_rate: float | None
    lower_95: float | None  # the funnel's plain (exact) limits at this area's denominator
    upper_95: float | None
    lower_998: float | None
    upper_998: float | None
    verdict: str  # the verdict in use: verdict_adjusted when over-dispersed, else plain
    why: str = ""  # why there is no verdict: no figure, a marker, no denominator
    denominator_basis: str = ""
    region_code: str | None = None
    region_name: str = ""
    region_rate: float | None = None
    ci_lower_95: float | None = None  # the area's own interval on the rate's scale
    ci_upper_95: float | None = None
    ci_lower_998: float | None = None
    ci_upper_998: float | None = None
    interval_method: str = ""
    difference: float | None = None  # rate minus England's
    difference_lower_95: float | None = None  # the area's 95% interval less England's rate
    difference_upper_95: float | None = None
    verdict_adjusted: str | None = None  # against the over-dispersion-adjusted limits
    verdict_plain: str = ""  # against the plain (exact) limits, whichever is in use
    verdict_basis: str = ""  # which of the two ``verdict`` is: funnel.PLAIN or funnel.ADJUSTED

    def as_record(self) -> dict[str, Any]:
        """A plain record for JSON and CSV; numbers to 4 decimal places."""
        return {
            key: round(value, 4) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }


@dataclass(frozen=True)
class Comparison:
    """Every area of one measure in one period, compared with England."""

    measure: str
    measure_name: str
    unit: str
    direction: str
    kind: str
    period: Period
    as_of: date
    within: str
    within_name: str
    benchmark: Benchmark | None
    rows: list[ComparedArea]  # rated areas highest rate first, then the rest by name
    limits: list[funnel.Limits] = field(default_factory=list)  # the funnel's lines
    dispersion: funnel.Dispersion | None = None
    adjusted_limits: list[funnel.Limits] = field(default_factory=list)
    note: str = ""
    summary_text: str = ""
    headline: str = ""  # the verdict in use in a plain sentence or two, outliers named

    @property
    def verdict_basis(self) -> str:
        """Which verdict is in use: funnel.ADJUSTED when the areas are over-dispersed."""
        return funnel.in_use(self.dispersion)

    @property
    def rated(self) -> list[ComparedArea]:
        """The areas with a rate, highest first: the ranked dot plot."""
        return [row for row in self.rows if row.rate is not None]

    @property
    def unrated(self) -> list[ComparedArea]:
        """The areas with no rate, each with its reason."""
        return [row for row in self.rows if row.rate is None]
