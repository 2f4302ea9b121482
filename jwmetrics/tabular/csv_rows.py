"""Reading the catalogue's own CSV files (``data/*.csv``): rows that know where they came from.

The catalogue files are the project's own, UTF-8 with a header row, so a plain
:mod:`csv` reader serves; partners' returns, which arrive in every shape, go through
:mod:`jwmetrics.tabular` instead. Each row keeps its file name and spreadsheet row number so
that a problem can name them. :class:`Loader` checks the cells of a file's rows (names,
numbers, dates) and stages the clean ones, collecting every problem first; what each kind
of file adds is in :mod:`jwmetrics.catalogue.load`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.periods import PeriodError, parse_date
from jwmetrics.problems import Problem, Suggestions, did_you_mean


@dataclass
class CsvRow:
    """One data row of a catalogue CSV with its spreadsheet row number (header is row 1)."""

    file_name: str
    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The stripped text of ``column`` ("" when absent)."""
        return (self.cells.get(column) or "").strip()

    def problem(self, column: str, message: str) -> Problem:
        """A problem located at this row and ``column``."""
        return Problem(self.file_name, self.number, column, self.get(column), message)


def read_csv_rows(path: Path) -> tuple[list[str], list[CsvRow]]:
    """Header and rows of a UTF-8 (BOM allowed) CSV file, blank rows skipped."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [
            CsvRow(path.name, reader.line_num, dict(row))
            for row in reader
            if any((value or "").strip() for value in row.values())
        ]
        return [name.strip() for name in reader.fieldnames or []], rows


def parse_fraction(text: str) -> float:
    """A change written as a fraction or percentage: "-2/3" -> -0.667, "-10%" -> -0.1."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.endswith("%"):
        return float(cleaned[:-1]) / 100
    return float(Fraction(cleaned))


class Loader:
    """Checks then adds catalogue rows in one session; collects every problem first."""

    def __init__(self, session: Session, recorded_at: datetime) -> None:
        self.session = session
        self.recorded_at = recorded_at
        self.problems: list[Problem] = []
        self._known: dict[tuple[type, str], dict[str, object]] = {}
        self._hints: dict[str, tuple[object, Suggestions]] = {}  # name -> (choices, index)

    def add_if_clean(self, row: CsvRow, obj: object) -> None:
        """Stage ``obj`` unless this row has a problem (a bad row must not reach the database)."""
        if not any(p.row == row.number and p.file_name == row.file_name for p in self.problems):
            self.add(obj)

    def add(self, obj: object) -> None:
        """Stage ``obj`` and forget the cached lookups of its kind."""
        self.session.add(obj)
        for cached in [k for k in self._known if k[0] is type(obj)]:
            del self._known[cached]

    def known(self, model: type, key: str) -> dict[str, object]:
        """Every row of ``model`` by its ``key`` column, including ones added this load.

        Read once and kept until a row of that kind is added: a file of 2,000 targets
        would otherwise reload every measure and area for each row.
        """
        if (model, key) not in self._known:
            self.session.flush()
            rows: Iterable[object] = self.session.scalars(select(model))
            self._known[(model, key)] = {getattr(obj, key): obj for obj in rows}
        return self._known[(model, key)]

    def require(self, row: CsvRow, column: str, choices: dict[str, object]) -> object | None:
        """The object ``row[column]`` names, or a problem naming the nearest valid names."""
        value = row.get(column)
        if value in choices:
            return choices[value]
        hint = self.hint(column, value, choices)
        self.problems.append(row.problem(column, f"unknown {column.replace('_', ' ')}{hint}"))
        return None

    def hint(self, name: str, value: str, choices: Iterable[object]) -> str:
        """The "did you mean" suffix for ``value`` among ``choices``: the choices are
        indexed once per ``name`` (again only when different choices are passed), and
        each distinct text matched once (:class:`~jwmetrics.problems.Suggestions`), so a file
        of thousands of unknown names costs one match per name, not one per row."""
        cached = self._hints.get(name)
        if cached is None or (cached[0] is not choices and cached[0] != choices):
            cached = self._hints[name] = (choices, Suggestions(map(str, choices), did_you_mean))
        return cached[1](value)

    def one_of(self, row: CsvRow, column: str, allowed: tuple[str, ...]) -> str:
        """``row[column]`` if it is one of ``allowed``, else a problem."""
        value = row.get(column)
        if value not in allowed:
            self.problems.append(row.problem(column, f"expected one of {', '.join(allowed)}"))
        return value

    def number(self, row: CsvRow, column: str, required: bool = False) -> float | None:
        """``row[column]`` as a number, or None when blank.

        Thousands commas are allowed, and so are fractions ("200/3" is two thirds in per
        cent), so a derived figure is computed rather than rounded by hand.
        """
        text = row.get(column).replace(",", "")
        if not text:
            if required:
                self.problems.append(row.problem(column, "a number is required"))
            return None
        try:
            return float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            message = "expected a number such as 1850 or a fraction such as 200/3"
            self.problems.append(row.problem(column, message))
            return None

    def date(self, row: CsvRow, column: str) -> object | None:
        """``row[column]`` read as a period's end date ("April 2002" -> 30 April 2002)."""
        text = row.get(column)
        if not text:
            return None
        try:
            return parse_date(text)
        except PeriodError as exc:
            self.problems.append(row.problem(column, str(exc)))
            return None


def row_recorded_at(loader: Loader, row: CsvRow) -> datetime:
    """When a catalogue row was set: its ``recorded_at`` column (ISO), else the load's time."""
    text = row.get("recorded_at")
    if not text:
        return loader.recorded_at
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        loader.problems.append(
            row.problem("recorded_at", "expected an ISO date such as 2002-07-15")
        )
        return loader.recorded_at
