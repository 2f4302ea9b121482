"""Value for money: spend per unit of outcome, by financial year (the report's paragraph 18).

- :mod:`~jwmetrics.value.spend`: spend lines spread to financial years, and real terms;
- :mod:`~jwmetrics.value.records`: one measure's records, year by year;
- :mod:`~jwmetrics.value.for_money`: the report for every initiative, with its caveat.

The method is written for analysts in ``docs/value_for_money.md``.
"""

from __future__ import annotations

from jwmetrics.value.for_money import (
    CAVEAT,
    NOMINAL,
    InitiativeValue,
    ValueReport,
    change_word,
    unit_word,
)
from jwmetrics.value.records import ValueRecord

__all__ = [
    "CAVEAT",
    "NOMINAL",
    "InitiativeValue",
    "ValueRecord",
    "ValueReport",
    "change_word",
    "unit_word",
]
