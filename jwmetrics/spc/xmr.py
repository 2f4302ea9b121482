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
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from jwmetrics.spc.rules import (
    RULE_ORDER,
    beyond_limits,
    rule_side,
    shift,
    trend,
    two_of_three,
)
from jwmetrics.spc.types import SpcPoint, SpcPointResult, SpcResult, SpcSegment

__all__ = ["SpcPoint", "SpcPointResult", "SpcResult", "SpcSegment", "spc"]

MINIMUM_POINTS = 3
PROVISIONAL_BELOW = 12  # NHSRplotthedots calls limits from fewer than 12 points "trial limits"
LIMIT_FACTOR = 2.66  # 3 / d2, with d2 = 1.128 for moving ranges of two points
OUTLIER_FACTOR = 3.267  # a moving range this many times mR-bar is screened out (D4 for n = 2)
TOO_FEW = f"too few figures for an SPC chart ({MINIMUM_POINTS} needed)"
PROVISIONAL = f"limits from fewer than {PROVISIONAL_BELOW} points are provisional"

COMMON = "common cause"
IMPROVING = "special cause improving"
CONCERNING = "special cause concerning"
PASSES = "consistently passes"
FAILS = "consistently fails"
HIT_AND_MISS = "hit and miss"


def moving_ranges(values: Sequence[float]) -> list[float]:
    """Absolute differences between neighbours: one fewer than the values."""
    return [abs(b - a) for a, b in pairwise(values)]


def mean_moving_range(values: Sequence[float], screen_outliers: bool = True) -> float:
    """mR-bar: the mean moving range, by default without outlying ranges.

    As NHSRplotthedots does by default, moving ranges of :data:`OUTLIER_FACTOR` times the
    first mR-bar or more are left out and mR-bar is worked out again, so one wild month does
    not widen the limits for the rest. If that would leave no ranges (a flat series), all are
    kept.
    """
    ranges = moving_ranges(values)
    if not ranges:
        raise ValueError("a moving range needs at least two values")
    first = sum(ranges) / len(ranges)
    kept = [r for r in ranges if r < OUTLIER_FACTOR * first] if screen_outliers else ranges
    kept = kept or ranges
    return sum(kept) / len(kept)


def segment_stats(
    points: Sequence[SpcPoint], start: int, stop: int, screen_outliers: bool = True
) -> SpcSegment:
    """Mean, mR-bar and limits of ``points[start:stop]`` (at least two points)."""
    values = [p.value for p in points[start:stop]]
    mean = sum(values) / len(values)
    mr_bar = mean_moving_range(values, screen_outliers)
    return SpcSegment(
        start=start,
        stop=stop,
        first_period=points[start].period_label,
        last_period=points[stop - 1].period_label,
        mean=mean,
        mr_bar=mr_bar,
        sigma=LIMIT_FACTOR / 3 * mr_bar,
        lower_limit=mean - LIMIT_FACTOR * mr_bar,
        upper_limit=mean + LIMIT_FACTOR * mr_bar,
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
    found = {
        "beyond_limits": beyond_limits(values, segment.lower_limit, segment.upper_limit),
        "trend": trend(values),
        "two_of_three": two_of_three(
            values, segment.mean, two_low, two_high, segment.lower_limit, segment.upper_limit
        ),
        "shift": shift(values, segment.mean),
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
) -> SpcResult:
    """The XmR chart of ``points``; ``direction`` is "up" or "down" (which is better).

    Points are put in period-end order. Limits and rules are worked out per segment, a new
    segment starting at each change point (see :func:`segment_starts`). ``notes`` (such as
    "figures left out") are added to the result's warning.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    ordered = sorted(points, key=lambda p: p.period_end)
    if len(ordered) < MINIMUM_POINTS:
        plain = [SpcPointResult(p.period_label, p.period_end, p.value, 0) for p in ordered]
        told = [TOO_FEW, *notes]
        return SpcResult(direction, target, plain, [], None, None, "; ".join(told), notes=told)
    starts, ignored = segment_starts(ordered, change_points)
    bounds = list(zip(starts, [*starts[1:], len(ordered)], strict=True))
    segments = [segment_stats(ordered, a, b, screen_outliers) for a, b in bounds]
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
