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
    ``lower_limit`` and ``upper_limit`` are the arithmetic (a count's lower limit may be
    below zero); ``lowest`` and ``highest`` are the measure's natural range, and
    ``lower_shown`` and ``upper_shown`` the limits cut to it, as charts and words show them.
    Cutting changes no rule: no value can lie beyond the natural range.
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
    lowest: float | None = None
    highest: float | None = None

    @property
    def lower_shown(self) -> float:
        """The lower limit within the natural range (cut at ``lowest``)."""
        return self.lower_limit if self.lowest is None else max(self.lower_limit, self.lowest)

    @property
    def upper_shown(self) -> float:
        """The upper limit within the natural range (cut at ``highest``)."""
        return self.upper_limit if self.highest is None else min(self.upper_limit, self.highest)

    def cut_notes(self) -> list[str]:
        """A sentence for each limit cut to the natural range, naming its own value."""
        notes = []
        if self.lower_shown != self.lower_limit:
            notes.append(
                f"the lower process limit ({self.lower_limit:,.4g}) is below {self.lower_shown:g}, "
                f"the lowest possible value, and is shown at {self.lower_shown:g}"
            )
        if self.upper_shown != self.upper_limit:
            notes.append(
                f"the upper process limit ({self.upper_limit:,.4g}) is above "
                f"{self.upper_shown:g}, the highest possible value, and is shown at "
                f"{self.upper_shown:g}"
            )
        return notes

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
            "lower_limit_shown": self.lower_shown,
            "upper_limit_shown": self.upper_shown,
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
    causes: tuple[str, ...] = ()  # each change point's cause in words (spc.series.cause_text)

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

    @property
    def special_causes(self) -> int:
        """How many points any rule flagged, in every segment."""
        return sum(p.special_cause for p in self.points)

    @property
    def limit_note(self) -> str | None:
        """Which limits were cut to the measure's natural range, in words (None: none)."""
        several = len(self.segments) > 1
        notes = [
            f"{note} ({s.first_period} to {s.last_period})" if several else note
            for s in self.segments
            for note in s.cut_notes()
        ]
        if not notes:
            return None
        text = "; ".join(notes)
        return text[:1].upper() + text[1:] + "."

    @property
    def summary(self) -> str:
        """The chart in words, agreeing with its points: the latest point's variation, and
        how many points of all are special causes (so "common cause" at the latest point
        never hides earlier signals)."""
        if not self.charted or self.variation is None:
            return self.warning or "No SPC chart."
        last = self.points[-1]
        total = len(self.points)
        flagged = [p for p in self.points if p.special_cause]
        words = f"Latest point ({last.period_label}): {self.variation}."
        if not flagged:
            return f"{words} None of the {total} points is a special cause."
        kinds = ", ".join(
            f"{count} {signal}"
            for signal in ("concerning", "improving")
            if (count := sum(p.signal == signal for p in flagged))
        )
        which = "point is a special cause" if len(flagged) == 1 else "points are special causes"
        latest = "" if flagged[-1] is last else f", the latest {flagged[-1].period_label}"
        return f"{words} {len(flagged)} of {total} {which} ({kinds}){latest}."

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
            "lower_limit_shown": self.latest.lower_shown if self.latest else None,
            "upper_limit_shown": self.latest.upper_shown if self.latest else None,
            "limit_note": self.limit_note,
            "variation": self.variation,
            "assurance": self.assurance,
            "special_causes": self.special_causes,
            "summary": self.summary,
            "warning": self.warning,
            "segments": [s.as_record() for s in self.segments],
            "points": [p.as_record() for p in self.points],
            "change_point_causes": list(self.causes),
        }
