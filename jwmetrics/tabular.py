"""Read a partner's return file (CSV, TSV or Excel) into rows of text cells, tolerantly.

Real files are messy: Excel saves CSV as Windows-1252, European settings use semicolons,
published tables carry title rows above the header and "Source:" notes below it, and
headers are written "Area Code", "area-code" or "AREA_CODE". This module copes with all
of that and turns everything it cannot cope with into :class:`TableProblem` entries that
name the row and column the partner sees in their spreadsheet. It never raises on bad
input, so one upload reports every problem at once.

It only splits the file into cells. Reading the cells (numbers, periods, areas) is the
job of the caller, using :mod:`jwmetrics.values` and :mod:`jwmetrics.periods`.
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain, islice
from operator import itemgetter
from typing import Any, Final, Literal

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
MAX_COLUMNS: Final = 200  # a return has 11 columns; a sheet wider than this is refused
MAX_CELL_CHARS: Final = 32_767  # Excel's own limit on the length of a cell's text
MAX_XML_DEPTH: Final = 64  # elements inside elements; a worksheet needs about 7
MAX_ARCHIVE_MEMBERS: Final = 1_000
# Rows a sheet may have besides the data rows: titles above the header, blank rows, notes.
EXTRA_SHEET_ROWS: Final = 1_000
_RATIO_FLOOR: Final = 1024 * 1024  # members smaller than this unpacked cannot be bombs
_XML_CHUNK: Final = 1024 * 1024

# How many rows from the top are searched for the header (titles, blank lines, "sep=;").
HEADER_SEARCH_ROWS: Final = 20
# Delimiters we accept, in order of preference when the header reads equally well.
DELIMITERS: Final = (",", ";", "\t")
_SNIFF_CHARS: Final = 65_536
_ZIP_MAGIC: Final = b"PK\x03\x04"
_WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm")
_OTHER_FORMATS: Final = {
    b"\xd0\xcf\x11\xe0": "an old-style Excel .xls workbook (or another old Office file)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
}
_SAVE_AS: Final = "save it as CSV (UTF-8) or as an Excel .xlsx workbook"
_NOTE_START: Final = re.compile(r"(?:sources?|notes?|footnotes?)\b|\*", re.IGNORECASE)
_KEY_JUNK: Final = re.compile(r"[\s_\-\ufeff]+")

Severity = Literal["error", "warning"]


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


@dataclass
class RawTable:
    """What was read from one file, how it was read, and what was wrong with it.

    ``header`` lists the recognised columns in file order; each row's ``cells`` has exactly
    those keys. When the file cannot be used as a whole (no header, missing or duplicate
    columns, over a limit) ``rows`` is empty and ``problems`` says why.
    """

    file_name: str
    header: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    encoding: str = ""
    delimiter: str | None = None
    sheet: str | None = None
    unknown_columns: list[str] = field(default_factory=list)
    skipped_title_rows: int = 0
    notes_below: list[str] = field(default_factory=list)
    problems: list[TableProblem] = field(default_factory=list)

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


Record = tuple[int, list[str]]


@dataclass(frozen=True)
class _Spec:
    """The columns a caller expects, with the lookup from a loosely written header cell."""

    expected: tuple[str, ...]
    required: tuple[str, ...]
    by_key: dict[str, str]

    @classmethod
    def build(cls, expected: Sequence[str], required: Sequence[str] | None) -> _Spec:
        expected = tuple(expected)
        if required is None:
            required = tuple(c for c in expected if c not in OPTIONAL_COLUMNS)
        by_key = {_column_key(name): name for name in expected}
        return cls(expected, tuple(required), by_key)

    def describe(self) -> str:
        """The expected columns, for messages."""
        optional = [c for c in self.expected if c not in self.required]
        text = ", ".join(self.required)
        return f"{text} (optional: {', '.join(optional)})" if optional else text

    def score(self, cells: Sequence[str]) -> tuple[bool, int]:
        """How well a row reads as the header: (has every required column, columns known)."""
        names = {self.by_key.get(_column_key(cell)) for cell in cells if cell.strip()}
        names.discard(None)
        return all(name in names for name in self.required), len(names)

    def is_header(self, score: tuple[bool, int]) -> bool:
        """Whether a score is good enough to be a (perhaps incomplete) header."""
        has_required, known = score
        return known > 0 and (has_required or known >= min(2, len(self.expected)))


@dataclass
class _Layout:
    """Where the recognised columns are in the header row."""

    row_number: int
    columns: list[tuple[str, int]]
    width: int
    first_index: int
    unnamed: list[int]


def _column_key(text: str) -> str:
    """A header cell reduced to what matters: "Area Code", "area-code", "AREA_CODE" alike."""
    return _KEY_JUNK.sub("", text.casefold())


def read_table(
    data: bytes,
    file_name: str,
    sheet: str | None = None,
    expected_columns: Sequence[str] = RETURN_COLUMNS,
    *,
    required_columns: Sequence[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    archive: ArchiveLimits | None = None,
) -> RawTable:
    """Read a CSV/TSV/semicolon file or an .xlsx workbook into text cells; never raises.

    ``required_columns`` defaults to the expected columns that are not in
    :data:`OPTIONAL_COLUMNS`. ``sheet`` picks a workbook sheet by name; when None the first
    sheet with a recognisable header is used. The byte limit is checked first; a workbook is
    then checked against ``archive`` (:func:`archive_problem`) before it is opened, and its
    rows (blank ones too), columns and cell lengths are counted while it streams.
    """
    spec = _Spec.build(expected_columns, required_columns)
    table = RawTable(file_name=file_name)
    if len(data) > max_bytes:
        table.add_problem(
            f"the file is {_size(len(data))}, over the limit of {_size(max_bytes)}; "
            "split it into smaller files"
        )
        return table
    if not data.strip():
        table.add_problem("the file is empty")
        return table
    if data.startswith(_ZIP_MAGIC) or file_name.lower().endswith(_WORKBOOK_SUFFIXES):
        _read_workbook(data, table, spec, sheet, max_rows, archive or ArchiveLimits())
        return table
    if sheet is not None:
        table.add_problem(
            f"sheet {sheet!r} was ignored: this is a text file, which has no sheets",
            severity="warning",
        )
    text = _decode(data, table)
    if text is not None:
        table.delimiter = _sniff_delimiter(text, spec)
        _assemble(_csv_records(text, table.delimiter, table), table, spec, max_rows)
    return table


@dataclass(frozen=True)
class ArchiveLimits:
    """How far an .xlsx archive may unpack, and how much more than it weighs."""

    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
    max_ratio: float = DEFAULT_MAX_RATIO


def shorten(text: str, limit: int = 60) -> str:
    """``text`` for a message: cut at ``limit`` characters with "…" and its full length."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def archive_problem(data: bytes, limits: ArchiveLimits | None = None) -> str | None:
    """Why an .xlsx file must not be opened, or None; reads only the zip directory and scans
    the XML with expat (no tree is built), so a bomb costs little to refuse.

    Refused: more than :data:`MAX_ARCHIVE_MEMBERS` parts; a declared unpacked size (the sum
    of every part's ``file_size``, which :mod:`zipfile` enforces while unpacking) over
    ``max_uncompressed``; a part, or the whole, unpacking to more than ``max_ratio`` times
    its packed size; XML nested deeper than :data:`MAX_XML_DEPTH`.
    """
    limits = limits or ArchiveLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"the file is not a readable .xlsx workbook ({exc}); {_SAVE_AS}"
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            return (
                f"the workbook has {len(members):,} parts, over the limit of "
                f"{MAX_ARCHIVE_MEMBERS:,}; {_SAVE_AS}"
            )
        total = sum(member.file_size for member in members)
        if total > limits.max_uncompressed:
            return (
                f"the workbook unpacks to {_size(total)}, over the limit of "
                f"{_size(limits.max_uncompressed)} unpacked; split it into smaller files"
            )
        for member in [*members, None]:
            unpacked = total if member is None else member.file_size
            packed = len(data) if member is None else member.compress_size
            ratio = unpacked / max(packed, 1)
            if unpacked > _RATIO_FLOOR and ratio > limits.max_ratio:
                return (
                    f"the workbook unpacks to {ratio:,.0f} times its size ({_size(unpacked)} "
                    f"from {_size(packed)}), over the limit of {limits.max_ratio:,.0f} times; "
                    "it is mostly empty or repeated content: save it again with only the "
                    "return's rows"
                )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                problem = _xml_problem(archive, member)
                if problem is not None:
                    return problem
    return None


def _xml_problem(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    """Stream one XML part through expat, counting only how deep elements nest."""
    from xml.parsers import expat

    depth = [0, 0]  # now, deepest

    def start(_name: str, _attributes: Any) -> None:
        depth[0] += 1
        if depth[0] > depth[1]:
            depth[1] = depth[0]
            if depth[0] > MAX_XML_DEPTH:
                raise _TooDeep

    def end(_name: str) -> None:
        depth[0] -= 1

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_XML_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _TooDeep:
        return (
            f"the workbook's part {shorten(member.filename)} nests XML elements more than "
            f"{MAX_XML_DEPTH} deep, over the limit of {MAX_XML_DEPTH}; {_SAVE_AS}"
        )
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return f"the file is not a readable .xlsx workbook ({exc}); {_SAVE_AS}"
    return None


class _TooDeep(Exception):
    """Raised inside expat's handler to stop at the first element past the depth limit."""


def _size(count: int) -> str:
    """A byte count for people: "512 bytes", "3.5 KB", "20 MB"."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.3g} KB"
    return f"{count / (1024 * 1024):.3g} MB"


# --- text files -------------------------------------------------------------------------


def _decode(data: bytes, table: RawTable) -> str | None:
    """The file as text: UTF-16 (with BOM), UTF-8 (BOM or not) or Windows-1252."""
    for magic, kind in _OTHER_FORMATS.items():
        if data.startswith(magic):
            table.add_problem(f"this is {kind}, not a table we can read; {_SAVE_AS}")
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(data, "utf-16", table)
    if b"\x00" in data:
        table.add_problem(f"this is not a text file (it contains binary data); {_SAVE_AS}")
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
            f"{exc.start} is not valid {encoding}; {_SAVE_AS}"
        )
        return None
    table.encoding = encoding
    return text


def _sniff_delimiter(text: str, spec: _Spec) -> str:
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


def _csv_records(text: str, delimiter: str, table: RawTable) -> Iterator[Record]:
    """Each record with the physical line it starts on (quoted newlines span lines).

    One record is held back so that a quote left open at the end of the file, which makes
    the csv module swallow the rest of the file into one cell, can be reported instead.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    pending: tuple[int, list[str], int] | None = None
    last_line = 0
    try:
        for cells in reader:
            if pending is not None:
                yield pending[0], pending[1]
            pending = (last_line + 1, cells, reader.line_num)
            last_line = reader.line_num
    except csv.Error as exc:
        hint = '; is a quote (") left open?' if "field limit" in str(exc) else ""
        table.add_problem(f"the file cannot be read from here on ({exc}){hint}", row=last_line + 1)
        return
    if pending is not None and not _unclosed_quote(*pending, table, text):
        yield pending[0], pending[1]


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


# --- workbooks --------------------------------------------------------------------------


def _read_workbook(
    data: bytes,
    table: RawTable,
    spec: _Spec,
    sheet: str | None,
    max_rows: int,
    archive: ArchiveLimits,
) -> None:
    """Read the chosen sheet of an .xlsx workbook, reporting a broken, wrong or hostile file."""
    table.encoding = "xlsx"
    if not data.startswith(_ZIP_MAGIC):
        table.add_problem(f"the file is named like a workbook but is not an .xlsx file; {_SAVE_AS}")
        return
    refusal = archive_problem(data, archive)
    if refusal is not None:
        table.add_problem(refusal)
        return
    import openpyxl  # deferred: only workbooks pay for the import

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # untrusted file: openpyxl raises many kinds
            table.add_problem(f"the file is not a readable .xlsx workbook ({exc}); {_SAVE_AS}")
            return
        try:
            row_limit = max_rows + EXTRA_SHEET_ROWS
            if _declared_size_problem(book, table, max_rows, row_limit):
                return
            worksheet = _choose_sheet(book, sheet, spec, table)
            if worksheet is not None:
                table.sheet = worksheet.title
                records = _sheet_records(worksheet, table, max_rows, row_limit)
                _assemble(records, table, spec, max_rows)
        finally:
            book.close()


def _declared_size_problem(book: Any, table: RawTable, max_rows: int, row_limit: int) -> bool:
    """Refuse a sheet whose recorded size (its ``<dimension>``) is past the row or column
    limit, before a row is read; say whether one was."""
    for worksheet in _worksheets(book):
        rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
        if columns > MAX_COLUMNS:
            table.add_problem(
                f"sheet {shorten(worksheet.title)!r} reaches column {columns:,}, over the limit "
                f"of {MAX_COLUMNS} columns; delete the empty columns to the right of the table"
            )
            return True
        if rows > row_limit:
            table.add_problem(_rows_message(max_rows, f"sheet {shorten(worksheet.title)!r}"))
            return True
    return False


def _rows_message(max_rows: int, what: str) -> str:
    return (
        f"{what} has more than {max_rows:,} rows (blank rows count too), over the limit of "
        f"{max_rows:,} rows; delete the empty rows below the table or split it into smaller files"
    )


def _worksheets(book: Any) -> list[Any]:
    """The sheets that hold cells (not chart sheets)."""
    return [book[name] for name in book.sheetnames if hasattr(book[name], "iter_rows")]


def _choose_sheet(book: Any, name: str | None, spec: _Spec, table: RawTable) -> Any | None:
    """The sheet asked for by name, or else the first whose header reads best."""
    sheets = _worksheets(book)
    listing = ", ".join(repr(s.title) for s in sheets)
    if name is not None:
        wanted = name.strip().casefold()
        for worksheet in sheets:
            if worksheet.title == name or worksheet.title.strip().casefold() == wanted:
                return worksheet
        table.add_problem(f"there is no sheet named {name!r}; the workbook has sheets {listing}")
        return None
    scores = [_best_score(_sheet_records(ws, table), spec) for ws in sheets]  # first rows only
    for accept in (lambda score: score[0], spec.is_header):
        for worksheet, score in zip(sheets, scores, strict=True):
            if score[1] > 0 and accept(score):
                return worksheet
    table.add_problem(
        f"no sheet has a header row with the expected columns ({spec.describe()}); "
        f"the workbook has sheets {listing}"
    )
    return None


def _best_score(records: Iterable[Record], spec: _Spec) -> tuple[bool, int]:
    """The best header score among the first rows."""
    top = islice(records, HEADER_SEARCH_ROWS)
    return max((spec.score(cells) for _, cells in top), default=(False, 0))


def _sheet_records(
    worksheet: Any,
    table: RawTable,
    max_rows: int = DEFAULT_MAX_ROWS,
    row_limit: int = DEFAULT_MAX_ROWS + EXTRA_SHEET_ROWS,
) -> Iterator[Record]:
    """Each worksheet row as text cells, numbered as Excel numbers them.

    Every row streamed counts, blank or not, and a row wider than :data:`MAX_COLUMNS` stops
    the read: a sheet whose recorded size is wrong cannot make us read a million empty rows.
    """
    worksheet.reset_dimensions()  # some writers record a wrong size; read what is there
    number = 0
    try:
        for number, row in enumerate(worksheet.iter_rows(), start=1):
            refusal = None
            if number > row_limit:
                refusal = _rows_message(max_rows, f"sheet {shorten(worksheet.title)!r}")
            elif len(row) > MAX_COLUMNS:
                refusal = (
                    f"row {number} reaches column {len(row):,}, over the limit of {MAX_COLUMNS} "
                    "columns; delete the empty columns to the right of the table"
                )
            if refusal is not None:  # said once, though choosing the sheet reads it too
                table.rows.clear()
                if all(problem.message != refusal for problem in table.problems):
                    table.add_problem(refusal)
                return
            yield number, [_cell_text(cell) for cell in row]
    except Exception as exc:  # untrusted file: openpyxl raises many kinds
        table.add_problem(f"the workbook cannot be read from here on ({exc})", row=number + 1)


def _cell_text(cell: Any) -> str:
    """A cell as the partner sees it: 1850.0 is "1850", a 55.4% cell is "55.4%"."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return _formatted_number(value, cell.number_format or "")
    if isinstance(value, datetime):
        if _shows_month_only(cell.number_format or "") and value.day == 1:
            return f"{calendar.month_name[value.month]} {value.year}"  # "Jun-01" is a month
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _shows_month_only(number_format: str) -> bool:
    """True for date formats that show no day ("mmm-yy", "mmmm yyyy"): the cell is a month."""
    codes = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format.lower())
    return "m" in codes and "y" in codes and "d" not in codes and "h" not in codes


def _formatted_number(value: float, number_format: str) -> str:
    """A number cell's text, keeping the % or £ its number format shows."""
    if "%" in number_format:
        return _number_text(Decimal(repr(value)) * 100) + "%"
    if "£" in number_format:
        return "£" + _number_text(value)
    return _number_text(value)


def _number_text(value: float | Decimal) -> str:
    """Shortest exact decimal text for a number, never in exponent form."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        value = Decimal(repr(value))
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


# --- shared: header, rows, notes ----------------------------------------------------------


def _assemble(records: Iterable[Record], table: RawTable, spec: _Spec, max_rows: int) -> None:
    """Find the header among the first rows, then read the data rows and notes below it."""
    iterator = iter(records)
    top = list(islice(iterator, HEADER_SEARCH_ROWS))
    if not any(_has_text(cells) for _, cells in top) and not any(
        _has_text(cells) for _, cells in iterator
    ):
        if not table.errors:
            what = "the file" if table.sheet is None else f"the sheet {table.sheet!r}"
            table.add_problem(f"{what} is empty")
        return
    position = _header_position(top, spec)
    if position is None:
        where = "" if table.sheet is None else f" in sheet {table.sheet!r}"
        table.add_problem(
            f"no header row found{where}: expected a row naming the columns {spec.describe()}"
        )
        return
    number, header_cells = top[position]
    layout = _layout(number, header_cells, spec, table)
    if layout is None:
        return
    table.skipped_title_rows = number - 1
    _read_rows(chain(top[position + 1 :], iterator), layout, table, max_rows)


def _has_text(cells: list[str]) -> bool:
    """Whether any cell of a row holds something other than spaces."""
    return any(cell.strip() for cell in cells)


def _header_position(top: list[Record], spec: _Spec) -> int | None:
    """Index of the first row with every required column, else of the best partial one."""
    best: tuple[tuple[bool, int], int] | None = None
    for index, (_, cells) in enumerate(top):
        score = spec.score(cells)
        if score[0] and score[1] > 0:
            return index
        if spec.is_header(score) and (best is None or score > best[0]):
            best = (score, index)
    return None if best is None else best[1]


def _layout(number: int, cells: list[str], spec: _Spec, table: RawTable) -> _Layout | None:
    """Map the header to columns; report unknown, duplicate and missing ones."""
    stripped = [cell.strip() for cell in cells]
    if len(stripped) > MAX_COLUMNS and any(stripped[MAX_COLUMNS:]):
        table.add_problem(
            f"the header has cells beyond column {MAX_COLUMNS}, over the limit of "
            f"{MAX_COLUMNS} columns",
            row=number,
        )
        return None
    if any(len(cell) > MAX_CELL_CHARS for cell in stripped):
        table.add_problem(
            f"a header cell is over the limit of {MAX_CELL_CHARS:,} characters", row=number
        )
        return None
    width = max(i for i, cell in enumerate(stripped) if cell) + 1
    found: dict[str, list[tuple[int, str]]] = {}
    unknown: list[str] = []
    unnamed: list[int] = []
    for index, text in enumerate(stripped[:width]):
        name = spec.by_key.get(_column_key(text)) if text else None
        if not text:
            unnamed.append(index)
        elif name is None:
            unknown.append(text)
        else:
            found.setdefault(name, []).append((index, text))
    table.unknown_columns = unknown
    _report_unknown(number, unknown, spec, table)
    fatal = _report_duplicates(number, found, table) + _report_missing(number, found, spec, table)
    if fatal:
        return None
    columns = [(name, places[0][0]) for name, places in found.items()]
    columns.sort(key=lambda item: item[1])
    table.header = [name for name, _ in columns]
    return _Layout(number, columns, width, columns[0][1], unnamed)


def _report_unknown(number: int, unknown: list[str], spec: _Spec, table: RawTable) -> None:
    """One warning naming every column we do not know; their cells are not read."""
    if unknown:
        names = ", ".join(repr(shorten(u)) for u in unknown[:20])
        if len(unknown) > 20:
            names += f" and {len(unknown) - 20:,} more"
        table.add_problem(
            f"unknown column(s) {names} ignored; the columns we read are {spec.describe()}",
            row=number,
            severity="warning",
        )


def _report_duplicates(
    number: int, found: dict[str, list[tuple[int, str]]], table: RawTable
) -> int:
    """An error for each column named more than once; returns how many."""
    duplicates = {name: places for name, places in found.items() if len(places) > 1}
    for name, places in duplicates.items():
        spellings = ", ".join(repr(text) for _, text in places)
        table.add_problem(
            f"the column appears {len(places)} times in the header (as {spellings}); keep one",
            row=number,
            column=name,
        )
    return len(duplicates)


def _report_missing(
    number: int, found: dict[str, list[tuple[int, str]]], spec: _Spec, table: RawTable
) -> int:
    """An error for each required column absent from the header; returns how many."""
    missing = [name for name in spec.required if name not in found]
    for name in missing:
        table.add_problem(
            f"the required column {name!r} is missing from the header; expected columns "
            f"{spec.describe()}",
            row=number,
            column=name,
        )
    return len(missing)


@dataclass
class _RowState:
    """Progress through the rows below the header, outside the hot path."""

    after_blank: bool = False
    in_notes: bool = False
    warned_unnamed: set[int] = field(default_factory=set)


def _read_rows(records: Iterable[Record], layout: _Layout, table: RawTable, max_rows: int) -> None:
    """Turn the rows below the header into data rows and notes; enforce the row limit.

    This is the hot loop (one pass per row of a 100,000-row file), so it keeps to locals
    and C-level operations: ``str.strip`` by ``map``, ``list.count`` and an ``itemgetter``.
    Rows with at most one filled cell (blank rows, notes) take the slow path.
    """
    state = _RowState()
    names = [name for name, _ in layout.columns]
    pick = _picker([index for _, index in layout.columns])
    width, unnamed, rows = layout.width, layout.unnamed, table.rows
    data_rows = 0
    for number, cells in records:
        stripped = list(map(str.strip, cells))
        count = len(stripped)
        if count and len(max(stripped, key=len)) > MAX_CELL_CHARS:
            _report_long_cell(number, stripped, names, layout, table)
            continue
        if stripped.count("") >= count - 1 and _blank_or_note(stripped, layout, state, table):
            continue
        state.after_blank = state.in_notes = False
        data_rows += 1
        if data_rows > max_rows:
            _refuse_rows(table, max_rows)
            return
        if count != width and not _fit(number, stripped, width, table):
            continue
        if unnamed:
            _check_unnamed(number, stripped, layout, state, table)
        rows.append(RawRow(number, dict(zip(names, pick(stripped), strict=True))))
    if data_rows == 0 and not table.errors:
        table.add_problem("the file has a header but no rows")


def _report_long_cell(
    number: int, stripped: list[str], names: list[str], layout: _Layout, table: RawTable
) -> None:
    """A cell longer than Excel allows: refused, quoting only its start and its length."""
    longest = max(range(len(stripped)), key=lambda i: len(stripped[i]))
    columns = dict((index, name) for name, index in layout.columns)
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


def _blank_or_note(stripped: list[str], layout: _Layout, state: _RowState, table: RawTable) -> bool:
    """Handle a row with at most one filled cell if it is blank or a note; say if it was."""
    filled = [(index, cell) for index, cell in enumerate(stripped) if cell]
    if not filled:
        state.after_blank = True
        return True
    index, text = filled[0]
    if _is_note(index, text, layout, state):
        table.notes_below.append(text)
        state.in_notes = True
        return True
    return False


def _is_note(index: int, text: str, layout: _Layout, state: _RowState) -> bool:
    """A lone cell at the table's left edge below a blank row, or one saying "Source:"."""
    if index > layout.first_index:
        return False
    return state.after_blank or state.in_notes or _NOTE_START.match(text) is not None


def _refuse_rows(table: RawTable, max_rows: int) -> None:
    """Drop everything read so far: a file over the row limit is refused as a whole."""
    table.rows.clear()
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
    number: int, stripped: list[str], layout: _Layout, state: _RowState, table: RawTable
) -> None:
    """Warn once per column that holds data under a blank header cell."""
    for index in layout.unnamed:
        if index < len(stripped) and stripped[index] and index not in state.warned_unnamed:
            state.warned_unnamed.add(index)
            table.add_problem(
                f"column {index + 1} has values but no header, so it was ignored",
                row=number,
                value=stripped[index],
                severity="warning",
            )
