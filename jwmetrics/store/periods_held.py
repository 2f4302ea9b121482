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

_TABLE = "FROM current_value c WHERE c.measure_id = :measure AND "
_SAME_START = (  # the next end after p's among the periods starting when p does
    f"(SELECT c.period_end {_TABLE}c.period_start = p.period_start AND "
    "c.period_end > p.period_end ORDER BY c.period_end LIMIT 1)"
)
_NEXT_START = (  # the next start after p's
    f"(SELECT c.period_start {_TABLE}c.period_start > p.period_start "
    "ORDER BY c.period_start LIMIT 1)"
)
_FIRST_START = f"(SELECT c.period_start {_TABLE}1 = 1 ORDER BY c.period_start LIMIT 1)"


def _first_end(start: str) -> str:
    """The first end among the periods starting on ``start`` (an SQL expression)."""
    return f"(SELECT c.period_end {_TABLE}c.period_start = {start} ORDER BY c.period_end LIMIT 1)"


_ELSEWHERE = (
    "SELECT o.period_kind FROM current_value c JOIN observation o ON o.id = c.observation_id "
    "WHERE c.measure_id = :measure AND c.period_start = p.period_start AND "
    "c.period_end = p.period_end AND o.area_code <> :england AND o.value IS NOT NULL LIMIT 1"
)
PERIODS = text(  # each step two or three seeks, each exact: no run of areas is scanned
    "WITH RECURSIVE p(period_start, period_end) AS ("
    f"SELECT {_FIRST_START}, {_first_end(_FIRST_START)} UNION ALL "
    f"SELECT CASE WHEN {_SAME_START} IS NULL THEN {_NEXT_START} ELSE p.period_start END, "
    f"COALESCE({_SAME_START}, {_first_end(_NEXT_START)}) "
    "FROM p WHERE p.period_start IS NOT NULL) "
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
