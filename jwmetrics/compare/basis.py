"""How a measure's areas are put on one footing: which figures, which denominator, which scale.

A count is compared by population, as a rate per 100,000 residents (Poisson); a percentage
by the number it is a share of (binomial); a rate measure stored beside its count (the
snapshot's) by that count and the population, never by the rounded rate. Money is not
compared. England's own rate is the benchmark; without England's figure, the areas' pooled
rate, said so. Used by :mod:`jwmetrics.compare.areas`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from jwmetrics.compare import funnel
from jwmetrics.compare.denominators import (
    PER_RESIDENTS,
    RESIDENTS_UNIT,
    Denominator,
    NoDenominator,
    populations,
)
from jwmetrics.compare.intervals import Interval, count_interval, wilson
from jwmetrics.db.models import Measure
from jwmetrics.periods import Period
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.cross_section import period_figures
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import find_measure

RATE_OF_COUNT = {"rough-sleeping-rate": "rough-sleeping-snapshot"}
"""Rate measures stored beside the count they are computed from: compared from the count and
the population, not from the rounded rate."""
MARKER_WORDS = {"..": "not available (..)", "x": "suppressed (x)", "-": "nil (-)"}


@dataclass(frozen=True)
class Basis:
    """How a measure is compared: which figures, which distribution, which scale."""

    measure: Measure  # the measure whose figures are read (the count, for a rate measure)
    kind: str  # funnel.POISSON for counts, funnel.BINOMIAL for percentages
    per: float  # 100,000 residents, or 100 for a percentage
    unit: str  # "per 100,000 residents" or "%"
    note: str = ""


@dataclass(frozen=True)
class Benchmark:
    """England's rate (or, without England's figure, the areas' pooled rate)."""

    rate: float
    value: float | None
    denominator: float | None
    basis: str


def comparison_basis(session: Session, measure: Measure) -> Basis:
    """How ``measure`` is compared; :class:`InputError` for money or an unknown rate."""
    if measure.slug in RATE_OF_COUNT:
        count = find_measure(session, RATE_OF_COUNT[measure.slug])
        note = (
            f"{measure.slug} is the count per 100,000 residents: compared from the count "
            f"({count.slug}) and the population, not from the rounded rate."
        )
        return Basis(count, funnel.POISSON, PER_RESIDENTS, RESIDENTS_UNIT, note)
    if measure.unit == "percent":
        return Basis(measure, funnel.BINOMIAL, 100.0, "%")
    if measure.unit in ("GBP", "per 100k"):
        what = "money" if measure.unit == "GBP" else "a rate with no count beside it"
        message = f"{measure.slug} is {what}, not a count of events: no fair comparison"
        raise InputError([Problem("measure", None, None, measure.slug, message)])
    return Basis(measure, funnel.POISSON, PER_RESIDENTS, RESIDENTS_UNIT)


def period_year(period: Period) -> int:
    """The year whose mid-year population goes with ``period``: that of its middle day."""
    return (period.start + (period.end - period.start) / 2).year


def why_no_value(view: ObservationView | None, period: Period) -> str:
    if view is None:
        return f"no figure for {period.label}"
    if view.value is None:
        said = MARKER_WORDS.get(view.marker or "", "no value")
        return f"{said} in the source" + (f": {view.note}" if view.note else "")
    if view.is_bound:
        return f"a bound ({view.qualifier} {view.value:,g}), not a value"
    if view.value < 0:
        return "a negative figure cannot be compared"
    return ""


class AreaDenominators:
    """Each area's denominator for the period: its population, or for a percentage the
    figure of ``denominator_measure`` (the number it is a share of)."""

    def __init__(
        self,
        session: Session,
        known: KnownAt,
        basis: Basis,
        period: Period,
        denominator_measure: str | None,
    ) -> None:
        self.year = period_year(period)
        self.by_measure: dict[str, ObservationView] | None = None
        self.missing = ""
        if denominator_measure is not None:
            other = find_measure(session, denominator_measure)
            self.by_measure = period_figures(session, known, other.id, period)
            self.missing = f"no figure for {other.slug} in {period.label}"
        elif basis.kind == funnel.BINOMIAL:
            self.missing = (
                "a percentage is compared by the number it is a share of, and none is "
                "recorded (name a denominator measure)"
            )

    def of(self, area_code: str) -> Denominator | NoDenominator:
        if self.by_measure is None:
            if self.missing:
                return NoDenominator(self.missing)
            return populations().lookup(area_code, self.year)
        view = self.by_measure.get(area_code)
        if view is None or view.value is None or view.is_bound or view.value <= 0:
            return NoDenominator(self.missing)
        return Denominator(view.value, "denominator measure")


def rate_of(basis: Basis, value: float, denominator: float) -> float:
    """Count per 100,000 of the denominator; a percentage is already its own rate."""
    return value if basis.kind == funnel.BINOMIAL else value / denominator * basis.per


def own_interval(basis: Basis, value: float, denominator: float, confidence: float) -> Interval:
    if basis.kind == funnel.BINOMIAL:
        return wilson(value / 100.0 * denominator, denominator, confidence).scaled(100.0)
    return count_interval(value, confidence).scaled(basis.per / denominator)


def benchmark_of(
    basis: Basis,
    england: ObservationView | None,
    england_denominator: Denominator | NoDenominator,
    pooled: list[tuple[float, float]],
) -> Benchmark | None:
    """England's own rate (a count needs its population too; a percentage is its own
    rate), else the areas' pooled rate, said so."""
    value = None if england is None or england.is_bound else england.value
    if value is not None:
        denominator = (
            england_denominator.value if isinstance(england_denominator, Denominator) else None
        )
        if basis.kind == funnel.BINOMIAL:
            return Benchmark(value, value, denominator, "England")
        if denominator is not None:
            return Benchmark(rate_of(basis, value, denominator), value, denominator, "England")
    if not pooled:
        return None
    total = sum(denominator for _, denominator in pooled)
    if basis.kind == funnel.BINOMIAL:
        value = sum(v * d for v, d in pooled) / total
        rate = value
    else:
        value = sum(v for v, _ in pooled)
        rate = value / total * basis.per
    words = f"the {len(pooled)} areas compared, pooled (England has no figure to compare with)"
    return Benchmark(rate, value, total, words)


def region_rates(
    basis: Basis, figures: dict[str, ObservationView], denominators: AreaDenominators
) -> dict[str, float]:
    found: dict[str, float] = {}
    for code, view in figures.items():
        if code.startswith("E12") and view.value is not None and not view.is_bound:
            denominator = denominators.of(code)
            if isinstance(denominator, Denominator):
                found[code] = rate_of(basis, view.value, denominator.value)
    return found
