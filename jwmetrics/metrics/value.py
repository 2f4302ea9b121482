"""The value-for-money part of :class:`jwmetrics.metrics.face.Metrics`: spend per unit of outcome.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; the work is in :mod:`jwmetrics.value.for_money`, imported where used.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database

if TYPE_CHECKING:
    from jwmetrics.value.for_money import ValueReport


class ValueMethods:
    """Value for money over time (paragraph 18 and recommendation 2 of the report)."""

    db: Database

    def value_for_money(
        self, initiative: str | None = None, as_of: date | None = None
    ) -> ValueReport:
        """Spend per unit of outcome and per unit of change, by initiative, measure and
        financial year, with the report's own cost figures as reference points, as known
        on ``as_of`` (default today) (:func:`jwmetrics.value.for_money.value_for_money`)."""
        from jwmetrics.value.for_money import value_for_money

        return value_for_money(self.db, initiative, as_of)
