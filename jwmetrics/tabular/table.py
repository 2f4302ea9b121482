"""What reading a file gives: its data rows as text cells, how it was read, its problems.

The rows are kept column by column (one list of cell texts per recognised column), the
shape the checks of a return read them in; :attr:`RawTable.rows` gives them row by row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from jwmetrics.problems import Problem

REQUIRED_COLUMNS: Final = ("initiative", "measure", "area_code", "period", "value")
OPTIONAL_COLUMNS: Final = ("area_name", "partner", "qualifier", "status", "note", "source")
RETURN_COLUMNS: Final = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024
DEFAULT_MAX_ROWS: Final = 200_000
# A workbook is a zip archive: a small file can unpack to gigabytes ("zip bomb"). These are
# checked from the archive's directory before any XML is parsed.
DEFAULT_MAX_UNCOMPRESSED: Final = 100 * 1024 * 1024
DEFAULT_MAX_RATIO: Final = 100  # uncompressed / compressed, for the archive and each member
# Every "<" in a workbook's XML parts is a tag; parsing costs by the tag, however little
# each weighs (25 million empty "<x/>" are 100 MB). A return of 200,000 rows of 11 cells
# takes about 9.2 million (4 a cell, 2 a row) plus its shared strings.
DEFAULT_MAX_XML_TAGS: Final = 12_000_000
MAX_COLUMNS: Final = 200  # a return has 11 columns; a sheet wider than this is refused
# Rows a file may have besides the data rows: titles above the header, blank rows, notes.
EXTRA_SHEET_ROWS: Final = 1_000
MAX_CELL_CHARS: Final = 32_767  # Excel's own limit on the length of a cell's text

Severity = Literal["error", "warning"]
Record = tuple[int, list[str]]  # a row of the file: its number and its cells


@dataclass(frozen=True)
class TableProblem(Problem):
    """A :class:`~jwmetrics.problems.Problem` found while reading a file's layout.

    Rows are numbered as the partner sees them (1-based, title rows and header counted),
    and ``str()`` reads "returns.csv, row 7, column 'value': '1.850,5' — expected ...".
    """

    severity: Severity = "error"


@dataclass
class RawRow:
    """One data row: its row number in the file and its cells by canonical column name."""

    row_number: int
    cells: dict[str, str]


class RawTable:
    """What was read from one file, how it was read, and what was wrong with it.

    ``header`` lists the recognised columns in file order; every data row has a cell (its
    text, stripped) in each. When the file cannot be used as a whole (no header, missing or
    duplicate columns, over a limit) there are no rows and ``problems`` says why.

    The reader fills the rows column by column (:meth:`extend`, :meth:`append`); ``rows``
    turns them into :class:`RawRow` objects when asked. A table built from ``rows`` (as
    tests build one) is read back through :meth:`column` the same way.
    """

    def __init__(
        self,
        file_name: str,
        header: list[str] | None = None,
        rows: Iterable[RawRow] | None = None,
        encoding: str = "",
        delimiter: str | None = None,
        sheet: str | None = None,
        unknown_columns: list[str] | None = None,
        skipped_title_rows: int = 0,
        notes_below: list[str] | None = None,
        problems: list[TableProblem] | None = None,
    ) -> None:
        """A table of ``file_name``; the arguments are the fields of the same names."""
        self.file_name = file_name
        self.header: list[str] = header if header is not None else []
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        self.unknown_columns: list[str] = unknown_columns if unknown_columns is not None else []
        self.skipped_title_rows = skipped_title_rows
        self.notes_below: list[str] = notes_below if notes_below is not None else []
        self.problems: list[TableProblem] = problems if problems is not None else []
        self.cleared = 0  # how many times the rows were thrown away (see clear_rows)
        self._numbers: list[int] = []
        self._cells: dict[str, list[str]] = {}
        self._rows: list[RawRow] | None = None
        if rows is not None:
            self._rows = list(rows)
            self._numbers = [row.row_number for row in self._rows]

    def __repr__(self) -> str:
        """The file, header and how many rows and problems (not every cell)."""
        return (
            f"RawTable({self.file_name!r}, header={self.header!r}, rows={self.row_count}, "
            f"problems={len(self.problems)})"
        )

    @property
    def row_count(self) -> int:
        """How many data rows were read."""
        return len(self._numbers)

    @property
    def rows(self) -> list[RawRow]:
        """The data rows as :class:`RawRow` objects (built once, on first use)."""
        if self._rows is None:
            columns = [self._cells.get(name, []) for name in self.header]
            names = self.header
            self._rows = [
                RawRow(number, dict(zip(names, cells, strict=True)))
                for number, *cells in zip(self._numbers, *columns, strict=True)
            ]
        return self._rows

    @property
    def row_numbers(self) -> list[int]:
        """Each data row's number, as the partner's spreadsheet shows it."""
        return self._numbers

    def column(self, name: str) -> Sequence[str]:
        """The cells of column ``name`` down the data rows; "" for every row when absent."""
        if self._rows is not None and not self._cells:
            return [row.cells.get(name, "") for row in self._rows]
        cells = self._cells.get(name)
        return cells if cells is not None else [""] * len(self._numbers)

    def has_column(self, name: str) -> bool:
        """Whether any row has a cell in column ``name``."""
        if self._rows is not None and not self._cells:
            return any(name in row.cells for row in self._rows)
        return name in self._cells

    def extend(self, numbers: Sequence[int], columns: Sequence[Sequence[str]]) -> None:
        """Add data rows: their numbers and, for each header column in order, their cells."""
        self._numbers.extend(numbers)
        for name, cells in zip(self.header, columns, strict=True):
            self._cells.setdefault(name, []).extend(cells)
        self._rows = None

    def append(self, number: int, cells: Sequence[str]) -> None:
        """Add one data row: its number and its cells in header order."""
        self._numbers.append(number)
        for name, cell in zip(self.header, cells, strict=True):
            self._cells.setdefault(name, []).append(cell)
        self._rows = None

    def clear_rows(self) -> None:
        """Throw away every row read so far: the file is refused as a whole."""
        self._numbers = []
        self._cells = {}
        self._rows = None
        self.cleared += 1

    @property
    def errors(self) -> list[TableProblem]:
        """The problems that stop the file being loaded."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[TableProblem]:
        """The problems worth telling the partner about that do not stop the load."""
        return [p for p in self.problems if p.severity == "warning"]

    def add_problem(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        severity: Severity = "error",
    ) -> None:
        """Record a problem against this file."""
        self.problems.append(TableProblem(self.file_name, row, column, value, message, severity))


def shorten(text: str, limit: int = 60) -> str:
    """``text`` for a message: cut at ``limit`` characters with "…" and its full length."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def size_text(count: int) -> str:
    """A byte count for people: "512 bytes", "3.5 KB", "20 MB"."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.3g} KB"
    return f"{count / (1024 * 1024):.3g} MB"


def rows_message(max_rows: int, what: str) -> str:
    """The refusal of a file or sheet with more rows than the limit allows."""
    return (
        f"{what} has more than {max_rows:,} rows (blank rows count too), over the limit of "
        f"{max_rows:,} rows; delete the empty rows below the table or split it into smaller files"
    )


def long_field(text: str, start: int, delimiter: str, limit: int) -> int | None:
    """The 0-based position of the first cell longer than ``limit`` characters in the CSV
    record starting at character ``start`` of ``text``, or None.

    For saying which column the csv module stopped at ("field larger than field limit"),
    which it does not say: each cell is matched whole by a regular expression (quoted, with
    doubled quotes and line breaks inside, or bare), at most :data:`MAX_COLUMNS` of them.
    """
    quote, bare = '"(?:[^"]|"")*"', f'[^{re.escape(delimiter)}"\\r\\n]*'
    cell = re.compile(f"{quote}|{bare}")
    position = start
    for index in range(MAX_COLUMNS + 1):
        match = cell.match(text, position)
        if match is None:
            return None
        if len(match.group()) > limit:
            return index
        position = match.end()
        if not text.startswith(delimiter, position):
            return None
        position += len(delimiter)
    return None
