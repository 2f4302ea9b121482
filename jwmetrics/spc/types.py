"""The records an SPC calculation returns: points, segments and the whole result.

Kept apart from :mod:`jwmetrics.spc.xmr` (the arithmetic) so each module stays short; import
them from either module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class SpcPoint:
    """One figure to chart: its period's label, the period's end date, and the value."""

    period_label: str
    period_end: date
    value: float


@dataclass(frozen=True)
class SpcSegment:
    """A stretch of the series between change points, with its own mean and limits.

    ``start`` and ``stop`` index the result's points (``stop`` exclusive). ``sigma`` is
    2.66 / 3 of mR-bar (about mR-bar / 1.128), so the limits are mean ± 3 sigma.
    The lower limit is *not* clipped at zero, even for counts: a limit below zero says the
    process could produce a zero without anything having changed.
    """

    start: int
    stop: int
    first_period: str
    last_period: str
    mean: float
    mr_bar: float
    sigma: float
    lower_limit: float
    upper_limit: float

    @property
    def size(self) -> int:
        """How many points the segment has."""
        return self.stop - self.start

    def sigma_line(self, k: int) -> tuple[float, float]:
        """The lower and upper lines ``k`` sigma from the mean (k = 1, 2 or 3)."""
        return self.mean - k * self.sigma, self.mean + k * self.sigma

    def as_record(self) -> dict[str, Any]:
        """JSON-ready fields of the segment."""
        one, two = self.sigma_line(1), self.sigma_line(2)
        return {
            "first_period": self.first_period,
            "last_period": self.last_period,
            "points": self.size,
            "mean": self.mean,
            "mr_bar": self.mr_bar,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "one_sigma": list(one),
            "two_sigma": list(two),
        }


@dataclass(frozen=True)
class SpcPointResult:
    """One charted point and what the rules said about it.

    ``signal`` is "improving", "concerning" or None (common cause); when several rules
    flag a point, the side of the first in ``spc_rules.RULE_ORDER`` decides, as in NHSRplotthedots.
    """

    period_label: str
    period_end: date
    value: float
    segment: int
    rules: tuple[str, ...] = ()
    signal: str | None = None

    @property
    def special_cause(self) -> bool:
        """True when any rule flagged the point."""
        return bool(self.rules)

    def as_record(self) -> dict[str, Any]:
        """JSON-ready fields of the point."""
        return {
            "period": self.period_label,
            "period_end": self.period_end.isoformat(),
            "value": self.value,
            "special_cause": self.special_cause,
            "rules": list(self.rules),
            "signal": self.signal,
        }


@dataclass(frozen=True)
class SpcResult:
    """The XmR chart of one series; ``mean`` and the limits are the latest segment's.

    With fewer than :data:`MINIMUM_POINTS` points there is no chart: ``charted`` is False,
    the statistics are None and ``warning`` says why.
    """

    direction: str
    target: float | None
    points: list[SpcPointResult]
    segments: list[SpcSegment]
    variation: str | None
    assurance: str | None
    warning: str | None
    measure: str | None = None
    area_code: str | None = None
    as_of: date | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def charted(self) -> bool:
        """True when there were enough points for limits."""
        return bool(self.segments)

    @property
    def latest(self) -> SpcSegment | None:
        """The latest segment, whose limits the assurance icon reads."""
        return self.segments[-1] if self.segments else None

    @property
    def mean(self) -> float | None:
        """The latest segment's mean."""
        return self.latest.mean if self.latest else None

    @property
    def lower_limit(self) -> float | None:
        """The latest segment's lower process limit (not clipped at zero)."""
        return self.latest.lower_limit if self.latest else None

    @property
    def upper_limit(self) -> float | None:
        """The latest segment's upper process limit."""
        return self.latest.upper_limit if self.latest else None

    def as_record(self) -> dict[str, Any]:
        """JSON-ready fields: mean, limits, points, variation, assurance and extras."""
        return {
            "measure": self.measure,
            "area_code": self.area_code,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "direction": self.direction,
            "target": self.target,
            "mean": self.mean,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "variation": self.variation,
            "assurance": self.assurance,
            "warning": self.warning,
            "segments": [s.as_record() for s in self.segments],
            "points": [p.as_record() for p in self.points],
        }
