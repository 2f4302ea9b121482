"""Spend lines spread to financial years, and (where ``data/`` gives one) a GDP deflator.

A spend line (:class:`~jwmetrics.db.models.Spend`) is stated either as a total over a period
("£200 million over the three years April 1999 - March 2002") or as a year's amount
("£300 million in 2000-01"). Both are spread **pro rata by days**: a total over a period
counts ``amount / days of the period`` on each of its days; a year's amount counts
``amount / days of the financial year`` on each day of its period. A financial year's spend
is the sum over its days, so a total over three years gives its leap year (1999-00, 366
days) a little more than the others. Spending is assumed even within a line's period: the
report gives nothing finer.

A line without a period ("£160 million a year") cannot be placed in any year: it is kept
aside as *undated*. Where two lines have the very same period, the one recorded later
replaces the earlier (a revision, or an outturn replacing a plan); lines with different
periods add up.

Real terms: only where ``data/gdp_deflators.csv`` exists (columns ``financial_year``,
``index``, ``base_year``, ``source``). None is shipped (see docs/value_for_money.md); a
year's amount in base-year prices is ``nominal × index(base year) / index(year)``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from jwmetrics.db.engine import DATA_DIR
from jwmetrics.db.models import Spend
from jwmetrics.periods import Period, PeriodError, PeriodKind, financial_year, parse_period
from jwmetrics.problems import InputError, Problem

DEFLATOR_PATH = DATA_DIR / "gdp_deflators.csv"
DEFLATOR_COLUMNS = ("financial_year", "index", "base_year", "source")


@dataclass(frozen=True)
class SpendPiece:
    """The part of one spend line that falls in one financial year, in pounds (nominal)."""

    year: Period  # a financial year
    days: int  # days of that year the piece covers
    amount_gbp: float
    planned: bool  # from a planned figure rather than a stated or actual one


@dataclass(frozen=True)
class SpanSpend:
    """Spend over a run of days: the pieces of each financial year, and how many days of the
    run any spend line covers (the rest have no spend stated)."""

    pieces: list[SpendPiece]
    covered_days: int
    days: int

    @property
    def coverage(self) -> float:
        """Share of the run's days a spend line covers (0 to 1)."""
        return self.covered_days / self.days if self.days else 0.0


def fy_of(day: date) -> Period:
    """The financial year (April to March) ``day`` falls in."""
    return financial_year(day.year if day.month >= 4 else day.year - 1)


def _days(start: date, end: date) -> int:
    """Days from ``start`` to ``end``, both included (0 when ``end`` is before ``start``)."""
    return max((end - start).days + 1, 0)


def dated_lines(lines: Iterable[Spend]) -> tuple[list[Spend], list[Spend]]:
    """(lines with a period, lines without one), the later of two with the same period kept.

    ``lines`` in the order they were recorded (as :func:`jwmetrics.store.details.spend_known`
    gives them, by id); later ones replace earlier ones of the same period.
    """
    by_period: dict[tuple[date, date], Spend] = {}
    undated: list[Spend] = []
    for line in lines:
        if line.period_start is None or line.period_end is None:
            undated.append(line)
        else:
            by_period[(line.period_start, line.period_end)] = line
    return sorted(by_period.values(), key=lambda s: s.period_start or date.min), undated


def _pieces_of(line: Spend, start: date, end: date) -> list[SpendPiece]:
    """The pieces of ``line`` on the days from ``start`` to ``end``, one per financial year."""
    assert line.period_start is not None and line.period_end is not None
    first, last = max(start, line.period_start), min(end, line.period_end)
    pieces = []
    while first <= last:
        year = fy_of(first)
        stop = min(last, year.end)
        days = _days(first, stop)
        if line.basis == "total":
            whole = _days(line.period_start, line.period_end)
        else:  # a year's amount, over the days of the year it falls in
            whole = _days(year.start, year.end)
        amount = line.amount_gbp * days / whole
        pieces.append(SpendPiece(year, days, amount, line.plan_or_actual == "planned"))
        first = stop + timedelta(days=1)
    return pieces


def spend_between(lines: Sequence[Spend], start: date, end: date) -> SpanSpend:
    """The spend of the dated ``lines`` on the days ``start`` to ``end`` (both included),
    by financial year, with how many of those days some line covers."""
    pieces: list[SpendPiece] = []
    covered: set[tuple[date, date]] = set()
    for line in lines:
        line_pieces = _pieces_of(line, start, end)
        pieces += line_pieces
        if line_pieces:
            assert line.period_start is not None and line.period_end is not None
            covered.add((max(start, line.period_start), min(end, line.period_end)))
    return SpanSpend(_merged(pieces), _covered_days(covered), _days(start, end))


def _covered_days(runs: set[tuple[date, date]]) -> int:
    """Days inside at least one of ``runs`` (inclusive date pairs), overlaps counted once."""
    total, reach = 0, None
    for first, last in sorted(runs):
        if reach is not None and first <= reach:
            first = reach + timedelta(days=1)
        total += _days(first, last)
        reach = last if reach is None else max(reach, last)
    return total


def _merged(pieces: list[SpendPiece]) -> list[SpendPiece]:
    """One piece per financial year: the amounts added, planned if any part is planned."""
    by_year: dict[Period, SpendPiece] = {}
    for piece in pieces:
        held = by_year.get(piece.year)
        if held is None:
            by_year[piece.year] = piece
        else:
            by_year[piece.year] = SpendPiece(
                piece.year,
                max(held.days, piece.days),
                held.amount_gbp + piece.amount_gbp,
                held.planned or piece.planned,
            )
    return [by_year[year] for year in sorted(by_year)]


def spend_by_year(lines: Sequence[Spend]) -> dict[Period, SpendPiece]:
    """Each financial year's spend from the dated ``lines``, pro rata by days."""
    if not lines:
        return {}
    start = min(line.period_start for line in lines if line.period_start)
    end = max(line.period_end for line in lines if line.period_end)
    return {piece.year: piece for piece in spend_between(lines, start, end).pieces}


@dataclass(frozen=True)
class Deflators:
    """A GDP deflator by financial year: index numbers with ``base_year`` at its own index."""

    index: dict[Period, float]
    base_year: str  # "2001-02"
    source: str

    @property
    def basis(self) -> str:
        """The basis of amounts in these prices: "real, 2001-02 prices"."""
        return f"real, {self.base_year} prices"

    def real(self, amount_gbp: float, year: Period) -> float | None:
        """``amount_gbp`` spent in ``year`` in base-year prices; None with no index for it."""
        base = self.index[parse_period(self.base_year)]
        own = self.index.get(year)
        return None if own is None else amount_gbp * base / own


def read_deflators(path: Path = DEFLATOR_PATH) -> Deflators | None:
    """The deflator in ``path``, or None when there is no such file (nominal terms only).

    Raises InputError naming the row and column of everything that is not as expected.
    """
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in DEFLATOR_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            expected = ", ".join(DEFLATOR_COLUMNS)
            message = f"missing column(s) {', '.join(missing)}; expected {expected}"
            raise InputError([Problem(path.name, None, None, None, message)])
        rows = list(reader)
    problems: list[Problem] = []
    index: dict[Period, float] = {}
    bases, sources = set(), set()
    for number, row in enumerate(rows, start=2):
        year = _year_cell(path.name, number, "financial_year", row, problems)
        value = _index_cell(path.name, number, row, problems)
        base = _year_cell(path.name, number, "base_year", row, problems)
        if year and value:
            index[year] = value
        if base:
            bases.add(base.code)
        sources.add((row["source"] or "").strip())
    base_year = min(bases) if bases else ""
    if len(bases) > 1:
        message = f"every row must name the same base year; found {', '.join(sorted(bases))}"
        problems.append(Problem(path.name, None, "base_year", None, message))
    elif bases and parse_period(base_year) not in index:
        message = f"no row gives the index of the base year {base_year}"
        problems.append(Problem(path.name, None, "financial_year", None, message))
    elif not rows:
        problems.append(Problem(path.name, None, None, None, "the file has no rows"))
    if problems:
        raise InputError(problems)
    return Deflators(index, base_year, "; ".join(sorted(s for s in sources if s)))


def _year_cell(
    file_name: str, row: int, column: str, cells: dict[str, str], problems: list[Problem]
) -> Period | None:
    """The financial year in one cell, or None with a problem naming the row and column."""
    text = (cells[column] or "").strip()
    try:
        year = parse_period(text)
    except PeriodError as exc:
        problems.append(Problem(file_name, row, column, text, str(exc)))
        return None
    if year.kind is not PeriodKind.FINANCIAL_YEAR:
        message = "not a financial year; expected one such as 2001-02"
        problems.append(Problem(file_name, row, column, text, message))
        return None
    return year


def _index_cell(
    file_name: str, row: int, cells: dict[str, str], problems: list[Problem]
) -> float | None:
    """The positive index number in the row, or None with a problem naming the row."""
    text = (cells["index"] or "").strip()
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        problems.append(Problem(file_name, row, "index", text, "expected a positive number"))
        return None
    return value
