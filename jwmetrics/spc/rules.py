"""The four special-cause rules of an XmR chart, each a small pure function.

Each rule takes the values of *one segment* (limits are recalculated at change points, and
NHSRplotthedots runs its rules per rebase group too) and returns the indices of the points
it flags, in order. Definitions follow ``R/ptd_calculate_point_type.R`` and
``R/ptd_spc_standard.R`` of NHSRplotthedots; ``docs/spc.md`` describes them in words.

Each comparison allows a ``tolerance`` (see :func:`tolerance`): a value within it of the
mean, a limit or its neighbour counts as *on* it, so rounding in the last binary digit never
puts a point on one side of a line it lies on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

RUN = 7  # points in a shift or a trend
RELATIVE_TOLERANCE = 1e-9  # of the largest value's size: far below any published precision
RULE_ORDER = ("beyond_limits", "trend", "two_of_three", "shift")
"""The order NHSRplotthedots tests the rules in: the first that flags a point names its side."""

RULE_LABELS = {
    "beyond_limits": "beyond a process limit",
    "trend": f"{RUN} points rising or falling",
    "two_of_three": "two of three beyond two sigma",
    "shift": f"{RUN} points on one side of the mean",
}


def tolerance(values: Sequence[float]) -> float:
    """How close two numbers of a segment must be to count as equal: a billionth of the
    largest value's size (0 for a segment of zeros, where everything is exact anyway)."""
    return RELATIVE_TOLERANCE * max((abs(v) for v in values), default=0.0)


def _sign(number: float, tolerance: float = 0.0) -> int:
    """1, -1 or 0: the side of zero ``number`` is on (0 within ``tolerance`` of it)."""
    return (number > tolerance) - (number < -tolerance)


def beyond_limits(
    values: Sequence[float], lower: float, upper: float, tolerance: float = 0.0
) -> list[int]:
    """Points strictly above the upper or below the lower process limit.

    A point exactly on a limit is not beyond it (``y > upl | y < lpl`` in NHSRplotthedots).
    """
    return [i for i, v in enumerate(values) if v > upper + tolerance or v < lower - tolerance]


def shift(
    values: Sequence[float], mean: float, run: int = RUN, tolerance: float = 0.0
) -> list[int]:
    """Every point of a run of ``run`` or more consecutive points on one side of the mean.

    A point exactly on the mean is on neither side, so it breaks the run (NHSRplotthedots
    compares ``sign(y - mean)`` and requires it to be non-zero).
    """
    sides = [_sign(v - mean, tolerance) for v in values]
    flagged: set[int] = set()
    for end in range(run - 1, len(values)):
        window = sides[end - run + 1 : end + 1]
        if window[0] != 0 and all(s == window[0] for s in window):
            flagged.update(range(end - run + 1, end + 1))
    return sorted(flagged)


def trend(values: Sequence[float], run: int = RUN, tolerance: float = 0.0) -> list[int]:
    """Every point of a run of ``run`` or more consecutive points each above (or each below)
    the one before: ``run`` points, that is ``run - 1`` increases.

    Two equal neighbours break a trend, since neither is rising nor falling
    (``sign(diff(y))`` must be 1 throughout, or -1 throughout, in NHSRplotthedots).
    """
    steps = [_sign(b - a, tolerance) for a, b in pairwise(values)]
    flagged: set[int] = set()
    for end in range(run - 1, len(values)):
        window = steps[end - run + 1 : end]
        if window[0] != 0 and all(s == window[0] for s in window):
            flagged.update(range(end - run + 1, end + 1))
    return sorted(flagged)


def two_of_three(
    values: Sequence[float],
    mean: float,
    lower_two_sigma: float,
    upper_two_sigma: float,
    lower: float,
    upper: float,
    tolerance: float = 0.0,
) -> list[int]:
    """Points beyond two sigma (but within the limits) that are two or more of three
    consecutive points, all three on the same side of the mean.

    As in NHSRplotthedots: only the points beyond two sigma are flagged, not the third of the
    three; a point beyond a process limit does not count towards the two (it is flagged by
    :func:`beyond_limits` instead); and the three must all be on one side of the mean, none
    on it.
    """
    slack = tolerance
    close = [
        not (v > upper + slack or v < lower - slack)
        and (v < lower_two_sigma - slack or v > upper_two_sigma + slack)
        for v in values
    ]
    sides = [_sign(v - mean, slack) for v in values]
    flagged: set[int] = set()
    for first in range(len(values) - 2):
        window = range(first, first + 3)
        same_side = abs(sum(sides[i] for i in window)) == 3
        if same_side and sum(close[i] for i in window) >= 2:
            flagged.update(i for i in window if close[i])
    return sorted(flagged)


def rule_side(
    rule: str,
    values: Sequence[float],
    index: int,
    mean: float,
    flags: Mapping[int, Sequence[str]],
) -> int:
    """Which way the ``rule`` that flagged ``values[index]`` points: 1 high, -1 low.

    For a trend it is the direction of travel: the step to the next point when that point is
    in a trend too, else the step from the previous one (NHSRplotthedots' ``sdy``). For the
    other rules it is the point's side of the mean.
    """
    if rule != "trend":
        return _sign(values[index] - mean)
    if index + 1 < len(values) and "trend" in flags.get(index + 1, ()):
        return _sign(values[index + 1] - values[index])
    return _sign(values[index] - values[index - 1]) if index > 0 else 0
