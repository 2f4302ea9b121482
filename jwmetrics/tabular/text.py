"""Text files (CSV, semicolon-separated, TSV): the encoding, the delimiter and the records.

Excel saves CSV as Windows-1252, European settings use semicolons, and quoted cells may
hold line breaks. Row numbers are the physical lines a record starts on, as a spreadsheet
program numbers them.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from itertools import islice
from typing import Final

from jwmetrics.tabular.body import Batch, StreamSource
from jwmetrics.tabular.layout import HEADER_SEARCH_ROWS, Spec
from jwmetrics.tabular.table import (
    DEFAULT_MAX_ROWS,
    EXTRA_SHEET_ROWS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    RawTable,
    Record,
    long_field,
    rows_message,
)

# Delimiters we accept, in order of preference when the header reads equally well.
DELIMITERS: Final = (",", ";", "\t")
SAVE_AS: Final = "save it as CSV (UTF-8) or as an Excel .xlsx workbook"
_SNIFF_CHARS: Final = 65_536
_OTHER_FORMATS: Final = {
    b"\xd0\xcf\x11\xe0": "an old-style Excel .xls workbook (or another old Office file)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}


def decode(data: bytes, table: RawTable) -> str | None:
    """The file as text: UTF-16 (with BOM), UTF-8 (BOM or not) or Windows-1252."""
    for magic, kind in _OTHER_FORMATS.items():
        if data.startswith(magic):
            table.add_problem(f"this is {kind}, not a table we can read; {SAVE_AS}")
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(data, "utf-16", table)
    if b"\x00" in data:
        table.add_problem(f"this is not a text file (it contains binary data); {SAVE_AS}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_as(data, "utf-8-sig", table)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_as(data, "cp1252", table)
    table.encoding = "utf-8"
    return text


def _decode_as(data: bytes, encoding: str, table: RawTable) -> str | None:
    """Decode with one encoding, reporting where it fails."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        table.add_problem(
            f"the file is not readable text: byte 0x{data[exc.start]:02x} at position "
            f"{exc.start} is not valid {encoding}; {SAVE_AS}"
        )
        return None
    table.encoding = encoding
    return text


def sniff_delimiter(text: str, spec: Spec) -> str:
    """The delimiter under which the header reads best (so "1,850" cannot mislead us)."""
    sample = text[:_SNIFF_CHARS]
    best, best_score = DELIMITERS[0], (False, 0)
    for delimiter in DELIMITERS:
        records = _sample_records(sample, delimiter)
        score = max((spec.score(cells) for cells in records), default=(False, 0))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_records(sample: str, delimiter: str) -> list[list[str]]:
    """The first rows of a text sample, as far as they can be parsed."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    with contextlib.suppress(csv.Error):  # a sample may end inside a quoted cell
        rows.extend(islice(reader, HEADER_SEARCH_ROWS))
    return rows


class TextRecords:
    """The records of a text file, a batch at a time, each numbered by the line it starts on.

    Batches are parsed by the csv module in one call each and checked: when every record
    of a batch is one line, record ``n`` of the file is on line ``n``. The last record of a
    batch is held back until the next batch parses (as :func:`csv_records` holds one back),
    so that if parsing then fails, or a quoted cell holds a line break, the file is read
    again from the held record on, record by record, by :func:`csv_records`, which numbers
    records across lines and reports where and why parsing stopped.
    """

    def __init__(
        self, text: str, delimiter: str, table: RawTable, max_rows: int = DEFAULT_MAX_ROWS
    ) -> None:
        """Records of ``text`` split at ``delimiter``; problems go to ``table``.

        Every record counts, blank or not, against ``max_rows`` plus
        :data:`EXTRA_SHEET_ROWS`, and a record split into more than :data:`MAX_COLUMNS`
        cells refuses the file as soon as it is split: neither a file of blank lines nor a
        line of commas is carried further.
        """
        self._text, self._delimiter, self._table = text, delimiter, table
        self._max_rows, self._taken, self._refused = max_rows, 0, False
        self._buffer = io.StringIO(text, newline="")
        self._reader = csv.reader(self._buffer, delimiter=delimiter)
        self._held: tuple[list[str], int] | None = None  # the last record read, its offset
        self._lines = 0  # lines read so far, all of them single-line records
        self._exact: StreamSource | None = None

    def take(self, count: int) -> Batch:
        """The next ``count`` records (fewer at the end of the file; none once refused)."""
        if self._refused:
            return [], []
        numbers, records = self._take(count)
        self._taken += len(records)
        refusal = None
        if self._taken > self._max_rows + EXTRA_SHEET_ROWS:
            refusal = rows_message(self._max_rows, "the file")
        elif records and max(map(len, records)) > MAX_COLUMNS:
            wide = next(i for i, cells in enumerate(records) if len(cells) > MAX_COLUMNS)
            refusal = (
                f"row {numbers[wide]} has {len(records[wide]):,} cells, over the limit of "
                f"{MAX_COLUMNS} columns; delete the empty cells to the right of the table"
            )
        if refusal is None:
            return numbers, records
        self._refused = True
        self._table.clear_rows()
        self._table.add_problem(refusal)
        return [], []

    def _take(self, count: int) -> Batch:
        """The next ``count`` records, unchecked."""
        if self._exact is None:
            batch = self._take_batch(count)
            if batch is not None:
                return batch
            offset, lines = self._restart()
            self._exact = StreamSource(
                csv_records(self._text, self._delimiter, self._table, offset, lines)
            )
        return self._exact.take(count)

    def _take_batch(self, count: int) -> Batch | None:
        """``count`` records parsed in one go, or None when they cannot be numbered so."""
        held = [self._held[0]] if self._held is not None else []
        reader, buffer = self._reader, self._buffer
        try:
            records = held + list(islice(reader, max(count - len(held), 0)))
            offset = buffer.tell()
            following = next(reader, None)
        except csv.Error:
            return None
        new = len(records) - len(held) + (following is not None)
        if reader.line_num - self._lines != new:
            return None  # a record ran over a line break: number them one by one
        first = self._lines + 1 - len(held)
        self._lines = reader.line_num
        self._held = (following, offset) if following is not None else None
        return range(first, first + len(records)), records

    def _restart(self) -> tuple[int, int]:
        """Where to read again one by one: the held record's offset and the lines before it."""
        if self._held is not None:
            return self._held[1], self._lines - 1
        return 0, 0


def csv_records(
    text: str, delimiter: str, table: RawTable, offset: int = 0, lines_before: int = 0
) -> Iterator[Record]:
    """Each record (from character ``offset``, after ``lines_before`` lines) with the
    physical line it starts on (quoted newlines span lines).

    One record is held back so that a quote left open at the end of the file, which makes
    the csv module swallow the rest of the file into one cell, can be reported instead.
    """
    buffer = io.StringIO(text, newline="")
    buffer.seek(offset)
    reader = csv.reader(buffer, delimiter=delimiter)
    pending: tuple[int, list[str], int] | None = None
    last_line = lines_before
    start = offset  # where the record being read starts
    try:
        for cells in reader:
            if pending is not None:
                yield pending[0], pending[1]
            pending = (last_line + 1, cells, lines_before + reader.line_num)
            last_line = lines_before + reader.line_num
            start = buffer.tell()
    except csv.Error as exc:
        table.add_problem(_unreadable(exc, text, start, delimiter), row=last_line + 1)
        return
    if pending is not None and not _unclosed_quote(*pending, table, text):
        yield pending[0], pending[1]


def _unreadable(exc: csv.Error, text: str, start: int, delimiter: str) -> str:
    """Why the csv module stopped reading a record at character ``start``: a cell over its
    field limit (checked before the cell is built; naming which cell), or another error."""
    if "field limit" not in str(exc):
        return f"the file cannot be read from here on ({exc})"
    limit = csv.field_size_limit()
    index = long_field(text, start, delimiter, limit)
    which = "a cell" if index is None else f"cell {index + 1}"
    return (
        f"{which} of this row is over {limit:,} characters, over the limit of "
        f"{MAX_CELL_CHARS:,} characters, so the file cannot be read from here on; is a "
        'quote (") left open?'
    )


def _unclosed_quote(start: int, cells: list[str], end: int, table: RawTable, text: str) -> bool:
    """Report a last record that ran to the end of the file inside an open quote.

    A closed quoted cell may also end in a line break, so the quotes of the record's raw
    lines are counted: an odd number means one was never closed.
    """
    if end <= start or not cells or not cells[-1].endswith(("\n", "\r")):
        return False
    raw = "".join(text.splitlines(keepends=True)[start - 1 :])
    if raw.count('"') % 2 == 1:
        table.add_problem(
            'a quote (") opened in this row is never closed, so the rest of the file was '
            "read as one cell; close the quote or remove it",
            row=start,
        )
        return True
    return False
