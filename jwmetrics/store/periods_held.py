"""The periods each measure holds figures for, read by skipping along an index.

A page asks "which periods does this measure have figures in, and in which of them does
some area other than England have a value?" (the comparison offer) and "what is each
measure's first day?" (the date fields). Read as ``DISTINCT`` over every figure, both cost
a pass over the whole store. Here they are answered from the kept ``current_value`` table's
index on (measure_id, period_start, period_end): a recursive query steps from one distinct
period to the next (one index seek a step), so the cost follows the number of periods a
measure has (about a hundred), not the number of areas or figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, String, text
from sqlalchemy.orm import Session

from jwmetrics.store.lookup import ENGLAND

_NEXT = (
    "SELECT c.{column} FROM current_value c WHERE c.measure_id = :measure AND "
    "(c.period_start > p.period_start OR (c.period_start = p.period_start AND "
    "c.period_end > p.period_end)) ORDER BY c.period_start, c.period_end LIMIT 1"
)
_FIRST = (
    "SELECT c.{column} FROM current_value c WHERE c.measure_id = :measure "
    "ORDER BY c.period_start, c.period_end LIMIT 1"
)
_ELSEWHERE = (
    "SELECT o.period_kind FROM current_value c JOIN observation o ON o.id = c.observation_id "
    "WHERE c.measure_id = :measure AND c.period_start = p.period_start AND "
    "c.period_end = p.period_end AND c.area_code <> :england AND o.value IS NOT NULL LIMIT 1"
)
PERIODS = text(
    "WITH RECURSIVE p(period_start, period_end) AS ("
    f"SELECT ({_FIRST.format(column='period_start')}), ({_FIRST.format(column='period_end')}) "
    f"UNION ALL SELECT ({_NEXT.format(column='period_start')}), "
    f"({_NEXT.format(column='period_end')}) FROM p WHERE p.period_start IS NOT NULL) "
    f"SELECT p.period_start, p.period_end, ({_ELSEWHERE}) AS kind_elsewhere FROM p "
    "WHERE p.period_start IS NOT NULL"
).columns(period_start=Date, period_end=Date, kind_elsewhere=String)


@dataclass(frozen=True)
class PeriodHeld:
    """One period a measure has a current figure in; ``kind_elsewhere`` is the period's kind
    when some area other than England has a value in it, else None."""

    start: date
    end: date
    kind_elsewhere: str | None


def periods_held(session: Session, measure_id: int) -> list[PeriodHeld]:
    """Every period the measure has a current figure in, oldest first (see the module)."""
    rows = session.execute(PERIODS, {"measure": measure_id, "england": ENGLAND})
    return [PeriodHeld(start, end, kind) for start, end, kind in rows]


FIRST_START = text(
    "SELECT c.period_start FROM current_value c WHERE c.measure_id = :measure "
    "ORDER BY c.period_start LIMIT 1"
).columns(period_start=Date)


def first_period_start(session: Session, measure_id: int) -> date | None:
    """The earliest start of a period the measure has a current figure in (one seek)."""
    return session.execute(FIRST_START, {"measure": measure_id}).scalar()
