"""The returns schedule: which figures are owed, and which came on time, late, or not at all.

The catalogue's schedule (:class:`~jwmetrics.db.models.ReturnSchedule`, from
``data/returns_schedule.csv``) says which partner owes which measure for which areas, how
often (monthly, calendar quarters, calendar years, April-March financial years) and how many
days after a period ends its figure is due. For an as-of day, each row is expanded into the
periods owed and each (measure, area, period) is matched with the figures received for it
(:func:`~jwmetrics.store.receipts.receipts`):

A figure is received on the day it became public (``published_on``), never on the day it
was loaded: the 2018 snapshot, published on 31 January 2019 and loaded years later, came on
time.

* **on time**: received on or before its due date (the period's end plus ``due_days``);
* **late**: received after it;
* **overdue**: not received, and the due date is before the as-of day;
* **not yet due**: not received, due on the as-of day or later; not counted as expected.

A figure counts as received for a period when its own period lies within it (a count on one
autumn night is the figure for that year). A figure from a return still awaiting approval
is received (the partner has sent it) and is also counted as awaiting approval; a rejected
or withdrawn return's figures are not received. Completeness is received / expected × 100,
timeliness on time / received × 100 (None with nothing to divide). The rules are written
out in ``docs/status.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area
from jwmetrics.periods import (
    Period,
    PeriodError,
    PeriodKind,
    financial_year,
    month,
    parse_period,
    quarter,
    year,
)
from jwmetrics.store.known import KnownAt
from jwmetrics.store.receipts import Obligation, Receipt, current_obligations, receipts

FREQUENCY_KINDS: dict[str, PeriodKind] = {
    "monthly": PeriodKind.MONTH,
    "quarterly": PeriodKind.QUARTER,
    "annual": PeriodKind.YEAR,
    "financial-year": PeriodKind.FINANCIAL_YEAR,
}
FREQUENCIES = tuple(FREQUENCY_KINDS)
"""How often a figure is owed: calendar months, calendar quarters, calendar years, or UK
financial years (April to March)."""

ON_TIME, LATE, OVERDUE = "on time", "late", "overdue"

EXAMPLES = {
    "monthly": "a month such as April 2010",
    "quarterly": "a quarter such as 2010 Q2",
    "annual": "a year such as 2010",
    "financial-year": "a financial year such as 2010-11",
}


def owed_period(text: str, frequency: str) -> Period:
    """The period ``text`` names, which must be one period of ``frequency`` (the first or
    last owed of a schedule row); :class:`~jwmetrics.periods.PeriodError` if not."""
    kind = FREQUENCY_KINDS.get(frequency)
    expected = f"expected {EXAMPLES[frequency]}" if kind else "expected a period"
    try:
        period = parse_period(text)
    except PeriodError:
        period = None
    if period is None or (kind is not None and period.kind is not kind):
        raise PeriodError(expected + (f" for a {frequency} schedule" if kind else ""))
    return period


def period_containing(frequency: str, day: date) -> Period:
    """The period of ``frequency`` that ``day`` falls in."""
    kind = FREQUENCY_KINDS[frequency]
    if kind is PeriodKind.MONTH:
        return month(day.year, day.month)
    if kind is PeriodKind.QUARTER:
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind is PeriodKind.YEAR:
        return year(day.year)
    return financial_year(day.year if day.month >= 4 else day.year - 1)


def periods_owed(
    frequency: str, first_start: date, last_end: date | None, until: date
) -> list[Period]:
    """Every period of ``frequency`` from the one holding ``first_start``, up to the last
    that starts by ``until`` (and ends by ``last_end``, when the obligation has an end)."""
    found: list[Period] = []
    period = period_containing(frequency, first_start)
    while period.start <= until and (last_end is None or period.end <= last_end):
        found.append(period)
        period = period_containing(frequency, period.end + timedelta(days=1))
    return found


def due_date(period: Period, due_days: int) -> date:
    """The day a period's figure is due: ``due_days`` after the period ends."""
    return period.end + timedelta(days=due_days)


@dataclass(frozen=True)
class OwedFigure:
    """One expected figure: a measure for an area and period, when due, and what came."""

    partner: str
    initiative: str
    measure: str
    measure_name: str
    area_code: str
    area_name: str
    period: Period
    due: date
    received_on: date | None  # the first receipt; None: not received
    approved_on: date | None  # the first day a receipt counted; None: not (yet) approved

    @property
    def state(self) -> str:
        """On time, late or overdue (only expected figures are made)."""
        if self.received_on is None:
            return OVERDUE
        return ON_TIME if self.received_on <= self.due else LATE

    @property
    def awaiting_approval(self) -> bool:
        """Received, but no receipt of it counts yet: its return waits for an approver."""
        return self.received_on is not None and self.approved_on is None

    @property
    def approved_late(self) -> bool:
        """Received in time, but it began to count only after its due date."""
        received, approved = self.received_on, self.approved_on
        return received is not None and approved is not None and received <= self.due < approved

    def as_item(self) -> dict[str, str]:
        """The overdue-item record of ``schedule --format json``."""
        return {
            "measure": self.measure,
            "area_code": self.area_code,
            "period": self.period.label,
            "due": self.due.isoformat(),
        }


def owed_figures(
    obligation: Obligation,
    area_code: str,
    area_name: str,
    found: Iterable[Receipt],
    as_of: date,
) -> list[OwedFigure]:
    """The figures ``obligation`` expects for one area by ``as_of``, each with its receipt.

    A period is expected once its due date is before ``as_of`` or a figure for it has been
    received by then; receipts after ``as_of`` are not counted.
    """
    by_period: dict[Period, list[Receipt]] = {}
    for receipt in found:
        if receipt.received_on > as_of:
            continue
        period = period_containing(obligation.frequency, receipt.period_end)
        if receipt.period_start >= period.start:  # the figure's period lies within it
            by_period.setdefault(period, []).append(receipt)
    owed = []
    first, last = obligation.first_start, obligation.last_end
    for period in periods_owed(obligation.frequency, first, last, as_of):
        due = due_date(period, obligation.due_days)
        got = by_period.get(period, [])
        if not got and due >= as_of:
            continue  # not yet due
        approved = [r.approved_on for r in got if r.approved_on is not None]
        owed.append(
            OwedFigure(
                partner=obligation.partner,
                initiative=obligation.initiative,
                measure=obligation.measure,
                measure_name=obligation.measure_name,
                area_code=area_code,
                area_name=area_name,
                period=period,
                due=due,
                received_on=min((r.received_on for r in got), default=None),
                approved_on=min(approved, default=None),
            )
        )
    return owed


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole * 100


FREQUENCY_WORDS = {
    "monthly": ("monthly", "month"),
    "quarterly": ("quarterly", "quarter"),
    "annual": ("annual", "year"),
    "financial-year": ("financial-year", "financial year"),
}


def schedule_words(obligation: Obligation) -> str:
    """Which schedule a figure belongs to, in words: "Local authorities' annual return of
    People sleeping rough … (every local authority), due 59 days after each year ends,
    from 2010"."""
    how_often, period = FREQUENCY_WORDS.get(obligation.frequency, (obligation.frequency, "period"))
    where = "every local authority" if len(obligation.area_codes) > 1 else obligation.areas
    first = period_containing(obligation.frequency, obligation.first_start).label
    last = (
        f" to {period_containing(obligation.frequency, obligation.last_end).label}"
        if obligation.last_end
        else ""
    )
    whose = obligation.partner + ("'" if obligation.partner.endswith("s") else "'s")
    return (
        f"{whose} {how_often} return of {obligation.measure_name} ({where}), "
        f"due {obligation.due_days} days after each {period} ends, from {first}{last}"
    )


@dataclass(frozen=True)
class ReturnsSummary:
    """What one partner owes one initiative, and how much of it came, and when, under which
    schedule rows (``obligations``)."""

    partner: str
    initiative: str
    initiative_name: str
    figures: tuple[OwedFigure, ...]
    obligations: tuple[Obligation, ...] = ()

    @property
    def schedules(self) -> list[str]:
        """The schedule rows behind these figures, each in words (:func:`schedule_words`)."""
        return [schedule_words(o) for o in self.obligations]

    def count(self, state: str) -> int:
        """Expected figures in ``state`` (on time, late, overdue)."""
        return sum(1 for f in self.figures if f.state == state)

    @property
    def expected(self) -> int:
        """Figures due by the as-of day, or received before it."""
        return len(self.figures)

    @property
    def received(self) -> int:
        """Expected figures received, on time or late."""
        return self.expected - self.count(OVERDUE)

    @property
    def awaiting_approval(self) -> int:
        """Received figures whose return waits for an approver."""
        return sum(1 for f in self.figures if f.awaiting_approval)

    @property
    def completeness_pct(self) -> float | None:
        """Received as a percentage of expected; None when nothing is expected."""
        return _share(self.received, self.expected)

    @property
    def timeliness_pct(self) -> float | None:
        """Received on time as a percentage of received; None when nothing was received."""
        return _share(self.count(ON_TIME), self.received)

    @property
    def overdue_items(self) -> list[OwedFigure]:
        """The overdue figures, by due date, measure and area."""
        overdue = [f for f in self.figures if f.state == OVERDUE]
        return sorted(overdue, key=lambda f: (f.due, f.measure, f.area_name))

    def as_record(self) -> dict[str, Any]:
        """One record of ``schedule --format json``."""
        return {
            "partner": self.partner,
            "initiative": self.initiative,
            "initiative_name": self.initiative_name,
            "expected": self.expected,
            "on_time": self.count(ON_TIME),
            "late": self.count(LATE),
            "overdue": self.count(OVERDUE),
            "awaiting_approval": self.awaiting_approval,
            "completeness_pct": self.completeness_pct,
            "timeliness_pct": self.timeliness_pct,
            "overdue_items": [f.as_item() for f in self.overdue_items],
        }


@dataclass(frozen=True)
class ScheduleReport:
    """The schedule as of one day: one summary per partner and initiative."""

    as_of: date
    summaries: tuple[ReturnsSummary, ...]

    def for_initiative(self, initiative: str) -> ReturnsSummary | None:
        """Every partner's figures for one initiative together; None when none is owed."""
        mine = [s for s in self.summaries if s.initiative == initiative]
        if not mine:
            return None
        figures = tuple(f for s in mine for f in s.figures)
        partners = ", ".join(s.partner for s in mine)
        obligations = tuple(o for s in mine for o in s.obligations)
        return ReturnsSummary(partners, initiative, mine[0].initiative_name, figures, obligations)

    def records(self) -> list[dict[str, Any]]:
        """Every summary as a plain record."""
        return [s.as_record() for s in self.summaries]


def _area_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    return dict(session.execute(select(Area.code, Area.name).where(Area.code.in_(wanted))).all())


def schedule_report(db: Database, as_of: date | None = None) -> ScheduleReport:
    """Every partner's returns as of ``as_of`` (default today), per partner and initiative.

    Reads the schedule, then every figure of the scheduled measures in one SQL pass.
    """
    day = as_of or date.today()
    known = KnownAt.on(day)
    with db.session() as session:
        obligations = current_obligations(session, known)
        found = receipts(session, known, sorted({o.measure_id for o in obligations}))
        names = _area_names(session, (c for o in obligations for c in o.area_codes))
    grouped: dict[tuple[str, str], list[OwedFigure]] = {}
    rows: dict[tuple[str, str], list[Obligation]] = {}
    initiative_names: dict[str, str] = {}
    for obligation in obligations:
        initiative_names[obligation.initiative] = obligation.initiative_name
        rows.setdefault((obligation.partner, obligation.initiative), []).append(obligation)
        figures = grouped.setdefault((obligation.partner, obligation.initiative), [])
        for code in obligation.area_codes:
            got = found.get((obligation.measure_id, code), [])
            figures += owed_figures(obligation, code, names.get(code, code), got, day)
    summaries = tuple(
        ReturnsSummary(
            partner,
            initiative,
            initiative_names[initiative],
            tuple(figures),
            tuple(rows[(partner, initiative)]),
        )
        for (partner, initiative), figures in sorted(grouped.items())
    )
    return ScheduleReport(day, summaries)


def series_owed(
    session: Session, known: KnownAt, days: dict[tuple[int, str], date]
) -> dict[tuple[int, str], list[OwedFigure]]:
    """For each series (measure id, area code) the figures owed by its own day in ``days``.

    For the data quality notes of the status table, where each series may be judged on a
    different day; a series no schedule row covers is left out. ``known.day`` must be at or
    after every day in ``days``.
    """
    wanted = {key[0] for key in days}
    covered: dict[tuple[int, str], list[Obligation]] = {}
    for obligation in current_obligations(session, known):
        if obligation.measure_id in wanted:
            for code in obligation.area_codes:
                covered.setdefault((obligation.measure_id, code), []).append(obligation)
    keys = [key for key in days if key in covered]
    if not keys:
        return {}
    measures, codes = sorted({k[0] for k in keys}), sorted({k[1] for k in keys})
    found = receipts(session, known, measures, codes)
    owed: dict[tuple[int, str], list[OwedFigure]] = {}
    for key in keys:
        for obligation in covered[key]:
            figures = owed_figures(obligation, key[1], key[1], found.get(key, []), days[key])
            owed.setdefault(key, []).extend(figures)
    return owed
