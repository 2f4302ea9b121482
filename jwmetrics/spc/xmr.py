"""Statistical process control (SPC) for one series: XmR charts as NHS "Making Data Count".

RAG status asks "will we hit the target?"; an XmR chart asks "is this series changing, or
just wobbling?". :func:`spc` takes the figures of one measure in one area, in period order,
and returns the mean, the process limits, which points are special causes and by which rule,
and the two summary icons: *variation* (from the last point) and *assurance* (limits
against the target).

The definitions follow the NHSRplotthedots R package (``R/ptd_spc_standard.R``,
``R/ptd_calculate_point_type.R``, ``R/ptd_calculate_assurance_type.R``,
``R/geom_ptd_icon.R``); ``docs/spc.md`` explains each rule. Everything here is pure: no
database, no Streamlit. :mod:`jwmetrics.spc.series` reads a stored series into this.

The arithmetic is exact: each value is taken as the decimal it was written as (``repr``, so
61.2 is 61.2, not 61.20000000000000284...) and the mean, the moving ranges, mR-bar and the
limits are worked out in :class:`~decimal.Decimal` before they become floats again. A plain
float sum made the mean of thirty 61.2s come out as 61.20000000000003, and every point of a
flat series a special cause; R's ``mean`` is accurate, so NHSRplotthedots says common cause.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise

from jwmetrics.assess.scales import COUNT_UNITS
from jwmetrics.spc.rules import (
    RULE_ORDER,
    beyond_limits,
    rule_side,
    shift,
    tolerance,
    trend,
    two_of_three,
)
from jwmetrics.spc.types import SpcPoint, SpcPointResult, SpcResult, SpcSegment

__all__ = ["SpcPoint", "SpcPointResult", "SpcResult", "SpcSegment", "natural_range", "spc"]

MINIMUM_POINTS = 3
PROVISIONAL_BELOW = 12  # NHSRplotthedots calls limits from fewer than 12 points "trial limits"
LIMIT_FACTOR = 2.66  # 3 / d2, with d2 = 1.128 for moving ranges of two points
OUTLIER_FACTOR = 3.267  # a moving range this many times mR-bar is screened out (D4 for n = 2)
_LIMIT = Decimal("2.66")
_OUTLIER = Decimal("3.267")
TOO_FEW = f"too few figures for an SPC chart ({MINIMUM_POINTS} needed)"
PROVISIONAL = f"limits from fewer than {PROVISIONAL_BELOW} points are provisional"

COMMON = "common cause"
IMPROVING = "special cause improving"
CONCERNING = "special cause concerning"
PASSES = "consistently passes"
FAILS = "consistently fails"
HIT_AND_MISS = "hit and miss"


def exact(value: float) -> Decimal:
    """``value`` as the decimal it was written as: the shortest text that reads back as it."""
    return Decimal(repr(float(value)))


def _exact_mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _moving_ranges(values: Sequence[float]) -> list[Decimal]:
    return [abs(exact(b) - exact(a)) for a, b in pairwise(values)]


def moving_ranges(values: Sequence[float]) -> list[float]:
    """Absolute differences between neighbours: one fewer than the values (exact, so the
    range from 61.2 to 61.3 is 0.1, not 0.09999999999999432)."""
    return [float(r) for r in _moving_ranges(values)]


def _mean_moving_range(values: Sequence[float], screen_outliers: bool) -> Decimal:
    ranges = _moving_ranges(values)
    if not ranges:
        raise ValueError("a moving range needs at least two values")
    first = _exact_mean(ranges)
    if not screen_outliers:
        return first
    kept = [r for r in ranges if r < _OUTLIER * first]
    screened = _exact_mean(kept) if kept else first
    # Screening must never leave a process with no width: when the only non-zero ranges are
    # screened out ([0] * 11 + [1], [5, 5, 5, 5, 5, 6]) every range is kept instead.
    return screened if screened > 0 or first == 0 else first


def mean_moving_range(values: Sequence[float], screen_outliers: bool = True) -> float:
    """mR-bar: the mean moving range, by default without outlying ranges.

    As NHSRplotthedots does by default, moving ranges of :data:`OUTLIER_FACTOR` times the
    first mR-bar or more are left out and mR-bar is worked out again, so one wild month does
    not widen the limits for the rest. If that would leave no ranges (a flat series), all are
    kept; and, unlike NHSRplotthedots, if it would leave only zero ranges (mR-bar 0, limits
    of no width, so every point a special cause), all are kept too.
    """
    return float(_mean_moving_range(values, screen_outliers))


def natural_range(unit: str) -> tuple[float | None, float | None]:
    """The lowest and highest values a measure in ``unit`` can take (None: no bound).

    Counts, money and rates cannot go below 0; a percentage lies between 0 and 100.
    """
    if unit == "percent":
        return 0.0, 100.0
    if unit in COUNT_UNITS or unit == "per 100k":
        return 0.0, None
    return None, None


def segment_stats(
    points: Sequence[SpcPoint],
    start: int,
    stop: int,
    screen_outliers: bool = True,
    bounds: tuple[float | None, float | None] = (None, None),
) -> SpcSegment:
    """Mean, mR-bar and limits of ``points[start:stop]`` (at least two points); ``bounds``
    is the measure's natural range, within which the limits are shown."""
    values = [p.value for p in points[start:stop]]
    mean = _exact_mean([exact(v) for v in values])
    mr_bar = _mean_moving_range(values, screen_outliers)
    return SpcSegment(
        start=start,
        stop=stop,
        first_period=points[start].period_label,
        last_period=points[stop - 1].period_label,
        mean=float(mean),
        mr_bar=float(mr_bar),
        sigma=float(_LIMIT / 3 * mr_bar),
        lower_limit=float(mean - _LIMIT * mr_bar),
        upper_limit=float(mean + _LIMIT * mr_bar),
        lowest=bounds[0],
        highest=bounds[1],
    )


def segment_starts(
    points: Sequence[SpcPoint], change_points: Sequence[date]
) -> tuple[list[int], list[str]]:
    """Where segments start (indices, 0 first) and notes on change points that were ignored.

    A change point starts a segment at the first point whose period ends on or after it. One
    that would leave a segment with fewer than :data:`MINIMUM_POINTS` points is ignored (and
    noted), since such a segment has no meaningful limits.
    """
    ends = [p.period_end for p in points]
    starts, notes = [0], []
    for when in sorted(set(change_points)):
        index = bisect.bisect_left(ends, when)
        if index == 0:
            continue  # before the first figure: the series starts there anyway
        if index - starts[-1] < MINIMUM_POINTS or len(points) - index < MINIMUM_POINTS:
            notes.append(
                f"change point {when.isoformat()} ignored: each segment needs "
                f"{MINIMUM_POINTS} figures"
            )
            continue
        starts.append(index)
    return starts, notes


def _judge(values: Sequence[float], segment: SpcSegment) -> dict[int, list[str]]:
    """Run the four rules on one segment; the rules that flag each local index."""
    two_low, two_high = segment.sigma_line(2)
    low, high = segment.lower_limit, segment.upper_limit
    slack = tolerance(values)
    found = {
        "beyond_limits": beyond_limits(values, low, high, slack),
        "trend": trend(values, tolerance=slack),
        "two_of_three": two_of_three(
            values, segment.mean, two_low, two_high, low, high, tolerance=slack
        ),
        "shift": shift(values, segment.mean, tolerance=slack),
    }
    flags: dict[int, list[str]] = {}
    for name in RULE_ORDER:
        for index in found[name]:
            flags.setdefault(index, []).append(name)
    return flags


def _signal(side: int, direction: str) -> str | None:
    """ "improving" when the side is the better one for ``direction``, else "concerning"."""
    if side == 0:
        return None
    better = 1 if direction == "up" else -1
    return "improving" if side == better else "concerning"


def variation(points: Sequence[SpcPointResult]) -> str | None:
    """The variation icon from the last point, as NHSRplotthedots' ``geom_ptd_icon.R``."""
    if not points:
        return None
    last = points[-1].signal
    return {"improving": IMPROVING, "concerning": CONCERNING}.get(last or "", COMMON)


def assurance(segment: SpcSegment | None, target: float | None, direction: str) -> str | None:
    """The assurance icon: where the latest limits lie against the target (None without one).

    Both limits strictly on the better side: passes; strictly on the worse side: fails;
    otherwise (the target between or on a limit) hit and miss.
    """
    if segment is None or target is None:
        return None
    up = direction == "up"
    if target > segment.upper_limit:
        return FAILS if up else PASSES
    if target < segment.lower_limit:
        return PASSES if up else FAILS
    return HIT_AND_MISS


def _provisional(segments: Sequence[SpcSegment]) -> list[str]:
    """The trial-limits warning, naming each segment of fewer than 12 points."""
    short = [s for s in segments if s.size < PROVISIONAL_BELOW]
    if not short:
        return []
    which = ", ".join(f"{s.first_period} to {s.last_period}: {s.size}" for s in short)
    return [f"{PROVISIONAL} ({which})"]


def spc(
    points: Sequence[SpcPoint],
    direction: str,
    target: float | None = None,
    change_points: Sequence[date] = (),
    *,
    screen_outliers: bool = True,
    notes: Sequence[str] = (),
    bounds: tuple[float | None, float | None] = (None, None),
) -> SpcResult:
    """The XmR chart of ``points``; ``direction`` is "up" or "down" (which is better).

    Points are put in period-end order. Limits and rules are worked out per segment, a new
    segment starting at each change point (see :func:`segment_starts`). ``notes`` (such as
    "figures left out") are added to the result's warning. ``bounds`` is the measure's
    natural range (:func:`natural_range`): a limit beyond it is shown cut at it, and noted.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    ordered = sorted(points, key=lambda p: p.period_end)
    if len(ordered) < MINIMUM_POINTS:
        plain = [SpcPointResult(p.period_label, p.period_end, p.value, 0) for p in ordered]
        told = [TOO_FEW, *notes]
        return SpcResult(direction, target, plain, [], None, None, "; ".join(told), notes=told)
    starts, ignored = segment_starts(ordered, change_points)
    stops = list(zip(starts, [*starts[1:], len(ordered)], strict=True))
    segments = [segment_stats(ordered, a, b, screen_outliers, bounds) for a, b in stops]
    results: list[SpcPointResult] = []
    for number, segment in enumerate(segments):
        values = [p.value for p in ordered[segment.start : segment.stop]]
        flags = _judge(values, segment)
        for local, point in enumerate(ordered[segment.start : segment.stop]):
            rules = tuple(flags.get(local, ()))
            side = rule_side(rules[0], values, local, segment.mean, flags) if rules else 0
            results.append(
                SpcPointResult(
                    point.period_label,
                    point.period_end,
                    point.value,
                    number,
                    rules,
                    _signal(side, direction),
                )
            )
    told = [*_provisional(segments), *ignored, *notes]
    return SpcResult(
        direction=direction,
        target=target,
        points=results,
        segments=segments,
        variation=variation(results),
        assurance=assurance(segments[-1], target, direction),
        warning="; ".join(told) or None,
        notes=told,
    )
