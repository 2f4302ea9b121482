"""The rows of a file below its header: data rows, blank rows, notes, and the row limit.

Rows come from a :class:`RecordSource` a batch at a time, and each batch is let go once
read. A batch of ordinary rows (every row has at least two filled cells, none is too long
or spills past the header) is taken in whole columns: one ``str.strip`` pass per column,
no Python work per row. Any other batch
goes row by row (:meth:`BodyReader.row`), which handles blank rows, notes below the table,
short and overlong rows and cells under a blank header; both ways give the same rows and
the same problems in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from operator import itemgetter
from typing import Final, Protocol

from jwmetrics.tabular.layout import HEADER_SEARCH_ROWS, Layout, Spec, header_position, layout
from jwmetrics.tabular.table import MAX_CELL_CHARS, RawTable, Record

# Rows taken from a source at a time: fewer than the garbage collector's first threshold
# (700 new container objects), so a batch's row lists are freed before a collection runs
# (4,096 at a time made collections a third of the reading time).
BATCH_ROWS: Final = 512
_NOTE_START: Final = re.compile(r"(?:sources?|notes?|footnotes?)\b|\*", re.IGNORECASE)

Batch = tuple[Sequence[int], list[list[str]]]  # row numbers and the rows' cells


class RecordSource(Protocol):
    """The rows of a file in order, taken a batch at a time (an empty batch at the end)."""

    def take(self, count: int) -> Batch:
        """The next ``count`` rows (fewer at the end)."""
        ...


class StreamSource:
    """Rows streamed from a generator (a worksheet, or a text file read record by record).

    The generator may record a problem when it ends (a broken file, a limit); that happens
    while a batch is being taken, and :meth:`BodyReader.read` files it after the batch's
    own problems, where reading row by row would have put it.
    """

    def __init__(self, records: Iterator[Record]) -> None:
        """Take rows from ``records`` (number, cells)."""
        self._records = records

    def take(self, count: int) -> Batch:
        """The next ``count`` rows from the generator."""
        batch = list(islice(self._records, count))
        return [number for number, _ in batch], [cells for _, cells in batch]


def assemble(source: RecordSource, table: RawTable, spec: Spec, max_rows: int) -> None:
    """Find the header among the first rows, then read the data rows and notes below it."""
    numbers, cells = source.take(HEADER_SEARCH_ROWS)
    top: list[Record] = list(zip(numbers, cells, strict=True))
    if not any(_has_text(row) for row in cells) and not _rest_has_text(source):
        if not table.errors:
            what = "the file" if table.sheet is None else f"the sheet {table.sheet!r}"
            table.add_problem(f"{what} is empty")
        return
    position = header_position(top, spec)
    if position is None:
        where = "" if table.sheet is None else f" in sheet {table.sheet!r}"
        table.add_problem(
            f"no header row found{where}: expected a row naming the columns {spec.describe()}"
        )
        return
    number, header_cells = top[position]
    found = layout(number, header_cells, spec, table)
    if found is None:
        return
    table.skipped_title_rows = number - 1
    body = BodyReader(found, table, max_rows)
    if not body.batch(numbers[position + 1 :], cells[position + 1 :]):
        body.read(source)


def _rest_has_text(source: RecordSource) -> bool:
    """Whether any row after the first ones holds text; stops at the first that does."""
    while True:
        _, cells = source.take(1)
        if not cells:
            return False
        if _has_text(cells[0]):
            return True


def _has_text(cells: list[str]) -> bool:
    """Whether any cell of a row holds something other than spaces."""
    return any(cell.strip() for cell in cells)


@dataclass
class _RowState:
    """Progress through the rows below the header, outside the hot path."""

    after_blank: bool = False
    in_notes: bool = False
    warned_unnamed: set[int] = field(default_factory=set)


class BodyReader:
    """Turns the rows below the header into data rows and notes; enforces the row limit."""

    def __init__(self, found: Layout, table: RawTable, max_rows: int) -> None:
        """Read rows laid out as ``found`` into ``table``, at most ``max_rows`` data rows."""
        self.layout = found
        self.table = table
        self.max_rows = max_rows
        self.names = [name for name, _ in found.columns]
        self.indices = [index for _, index in found.columns]
        self.pick = _picker(self.indices)
        self.state = _RowState()
        self.data_rows = 0

    def read(self, source: RecordSource) -> None:
        """Read the remaining rows batch by batch, then say if there were none."""
        table = self.table
        while True:
            mark, cleared = len(table.problems), table.cleared
            numbers, records = source.take(BATCH_ROWS)
            ending = table.problems[mark:]  # said by the source as it ended: after the batch
            del table.problems[mark:]
            if self.batch(numbers, records):
                return  # refused over the row limit: the source's end is never reached
            if table.cleared != cleared:
                table.clear_rows()  # the source refused the file while the batch was taken
            table.problems.extend(ending)
            if not records:
                break
        if self.data_rows == 0 and not table.errors:
            table.add_problem("the file has a header but no rows")

    def batch(self, numbers: Sequence[int], records: list[list[str]]) -> bool:
        """Read a batch of rows: whole columns when ordinary, else row by row.

        True when the file was refused for having too many rows.
        """
        if not records:
            return False
        columns = self._ordinary(records)
        if columns is not None and self.data_rows + len(records) <= self.max_rows:
            self.table.extend(numbers, columns)
            self.data_rows += len(records)
            self.state.after_blank = self.state.in_notes = False
            return False
        return any(self.row(number, cells) for number, cells in zip(numbers, records, strict=True))

    def _ordinary(self, records: list[list[str]]) -> list[list[str]] | None:
        """The batch's stripped cells by header column, if every row is an ordinary data row.

        Ordinary: no cell over the length limit, nothing beyond the header's last column or
        under a blank header cell not yet warned about, and two columns filled in every row
        (so no row is blank or a note). Otherwise None: the batch is read row by row.
        """
        columns = list(zip_longest(*records, fillvalue=""))
        if any(max(map(len, column)) > MAX_CELL_CHARS for column in columns):
            return None
        if any(any(map(str.strip, column)) for column in columns[self.layout.width :]):
            return None
        warned = self.state.warned_unnamed
        for index in self.layout.unnamed:
            if index < len(columns) and index not in warned and any(map(str.strip, columns[index])):
                return None
        blank = [""] * len(records)
        stripped = [
            list(map(str.strip, columns[index])) if index < len(columns) else blank
            for index in self.indices
        ]
        if sum("" not in column for column in stripped) < 2:
            return None
        return stripped

    def row(self, number: int, cells: list[str]) -> bool:
        """Read one row; True when the file was refused for having too many rows."""
        table, state, found = self.table, self.state, self.layout
        stripped = list(map(str.strip, cells))
        count = len(stripped)
        if count and len(max(stripped, key=len)) > MAX_CELL_CHARS:
            _report_long_cell(number, stripped, found, table)
            return False
        if stripped.count("") >= count - 1 and _blank_or_note(stripped, found, state, table):
            return False
        state.after_blank = state.in_notes = False
        self.data_rows += 1
        if self.data_rows > self.max_rows:
            _refuse_rows(table, self.max_rows)
            return True
        if count != found.width and not _fit(number, stripped, found.width, table):
            return False
        if found.unnamed:
            _check_unnamed(number, stripped, found, state, table)
        table.append(number, self.pick(stripped))
        return False


def _report_long_cell(number: int, stripped: list[str], found: Layout, table: RawTable) -> None:
    """A cell longer than Excel allows: refused, quoting only its start and its length."""
    longest = max(range(len(stripped)), key=lambda i: len(stripped[i]))
    columns = dict((index, name) for name, index in found.columns)
    text = stripped[longest]
    table.add_problem(
        f"this cell is {len(text):,} characters long, over the limit of {MAX_CELL_CHARS:,} "
        "characters",
        row=number,
        column=columns.get(longest),
        value=text,  # Problem keeps only its start and its length
    )


def _fit(number: int, stripped: list[str], width: int, table: RawTable) -> bool:
    """Pad a short row to the header's width; refuse a row with cells beyond it."""
    count = len(stripped)
    if count < width:
        stripped.extend([""] * (width - count))
        return True
    if any(stripped[width:]):
        _report_overflow(number, stripped, width, table)
        return False
    return True


def _picker(indices: list[int]) -> Callable[[list[str]], Sequence[str]]:
    """A fast function returning the cells at ``indices`` as a sequence."""
    if len(indices) == 1:
        only = indices[0]
        return lambda cells: (cells[only],)
    return itemgetter(*indices)


def _blank_or_note(stripped: list[str], found: Layout, state: _RowState, table: RawTable) -> bool:
    """Handle a row with at most one filled cell if it is blank or a note; say if it was."""
    filled = [(index, cell) for index, cell in enumerate(stripped) if cell]
    if not filled:
        state.after_blank = True
        return True
    index, text = filled[0]
    if _is_note(index, text, found, state):
        table.notes_below.append(text)
        state.in_notes = True
        return True
    return False


def _is_note(index: int, text: str, found: Layout, state: _RowState) -> bool:
    """A lone cell at the table's left edge below a blank row, or one saying "Source:"."""
    if index > found.first_index:
        return False
    return state.after_blank or state.in_notes or _NOTE_START.match(text) is not None


def _refuse_rows(table: RawTable, max_rows: int) -> None:
    """Drop everything read so far: a file over the row limit is refused as a whole."""
    table.clear_rows()
    table.add_problem(
        f"the file has more than {max_rows:,} rows, over the limit of {max_rows:,}; "
        "split it into smaller files"
    )


def _report_overflow(number: int, stripped: list[str], width: int, table: RawTable) -> None:
    """A row with cells to the right of the header: usually an unquoted "1,850"."""
    extra = next(i for i in range(width, len(stripped)) if stripped[i])
    hint = (
        "; a number such as 1,850 must be in quotes in a comma-separated file"
        if table.delimiter == ","
        else ""
    )
    table.add_problem(
        f"this row has a value in column {extra + 1} but the header has only {width} "
        f"columns, so its cells cannot be matched to columns{hint}",
        row=number,
        value=stripped[extra],
    )


def _check_unnamed(
    number: int, stripped: list[str], found: Layout, state: _RowState, table: RawTable
) -> None:
    """Warn once per column that holds data under a blank header cell."""
    for index in found.unnamed:
        if index < len(stripped) and stripped[index] and index not in state.warned_unnamed:
            state.warned_unnamed.add(index)
            table.add_problem(
                f"column {index + 1} has values but no header, so it was ignored",
                row=number,
                value=stripped[index],
                severity="warning",
            )
