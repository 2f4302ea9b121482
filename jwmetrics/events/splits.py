"""Where a change of definition splits a series: the forecast fits only what follows it.

A figure made under an old definition does not measure the same thing as one made under the
new, so a line through both says nothing about where the new one is heading. For each series
the newest ``definition`` event that applies to it (:func:`definition_day`) splits it: the
forecast, the trajectory's chance and the evidence count use only the figures whose period
ends on or after that day (the rule a change point uses to start an SPC segment), and the
trend chart does not join the line across it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from jwmetrics.events.record import DEFINITION, EventView, applies_to


def definition_day(
    found: Iterable[EventView], initiative: str | None, measure: str | None, area_code: str | None
) -> date | None:
    """The day of the newest definition change that applies to the series, or None."""
    days = [
        e.occurred_on
        for e in found
        if e.kind == DEFINITION and applies_to(e, initiative, measure, area_code)
    ]
    return max(days) if days else None


def after_split(period_end: date, split: date | None) -> bool:
    """Whether a figure whose period ends on ``period_end`` counts after the split (always,
    with no split)."""
    return split is None or period_end >= split
