"""The scale a measure moves on: where a steady path is a straight line, within its range.

Counts and money move by shares (a 10% fall a year), so their steady path is straight on the
**log** scale, ``log(value + 0.5)``, and never goes below zero; percentages flatten towards
0% and 100%, so theirs is straight on the **logit** scale, ``logit((value + 0.5) / 101)``;
anything else is taken on its own (**linear**) scale. The forecast is fitted on this scale
and the planned trajectory is drawn on it too, so that a count falling steadily by the same
share each year is exactly on plan all the way (``docs/status.md``, "The forecast").

The 0.5 keeps a zero count (or 0% and 100%) finite.
"""

from __future__ import annotations

import math
from enum import StrEnum

CONTINUITY = 0.5  # added to counts (and to percentages) so a zero stays finite
COUNT_UNITS = frozenset({"people", "places", "households", "count", "number", "GBP"})


class Scale(StrEnum):
    """The scale a steady path is straight on."""

    LOG = "log"
    LOGIT = "logit"
    LINEAR = "linear"


def scale_for(unit: str) -> Scale:
    """Log for counts and money, logit for percentages, linear otherwise."""
    if unit in COUNT_UNITS:
        return Scale.LOG
    if unit == "percent":
        return Scale.LOGIT
    return Scale.LINEAR


def to_scale(value: float, scale: Scale) -> float:
    """A value on the scale (out-of-range values are first clipped to the range)."""
    if scale is Scale.LOG:
        return math.log(max(value, 0.0) + CONTINUITY)
    if scale is Scale.LOGIT:
        share = (min(max(value, 0.0), 100.0) + CONTINUITY) / (100 + 2 * CONTINUITY)
        return math.log(share / (1 - share))
    return value


def from_scale(value: float, scale: Scale) -> float:
    """A value back on the measure's own scale, within its natural range."""
    if scale is Scale.LOG:
        return max(math.exp(min(value, 700.0)) - CONTINUITY, 0.0)
    if scale is Scale.LOGIT:
        share = 1 / (1 + math.exp(-max(min(value, 700.0), -700.0)))
        return min(max(share * (100 + 2 * CONTINUITY) - CONTINUITY, 0.0), 100.0)
    return value
