"""Reading the catalogue's own CSV files (``data/*.csv``): rows that know where they came from.

The catalogue files are the project's own, UTF-8 with a header row, so a plain
:mod:`csv` reader serves; partners' returns, which arrive in every shape, go through
:mod:`jwmetrics.tabular` instead. Each row keeps its file name and spreadsheet row number so
that a problem can name them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from jwmetrics.problems import Problem


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
