"""Excel workbooks (.xlsx): choosing the sheet, streaming its rows, reading cells as text.

A cell is read as the partner sees it: 1850.0 is "1850", a cell formatted as a percentage
is "55.4%", a date formatted "mmm-yy" is a month. Every streamed row counts against the
row limit, blank or not, and a row past the column limit stops the read.
"""

from __future__ import annotations

import calendar
import io
import re
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice
from typing import Any, Final

from jwmetrics.tabular.archive import ArchiveLimits, archive_problem
from jwmetrics.tabular.body import StreamSource, assemble
from jwmetrics.tabular.layout import HEADER_SEARCH_ROWS, Spec
from jwmetrics.tabular.table import (
    DEFAULT_MAX_ROWS,
    MAX_COLUMNS,
    RawTable,
    Record,
    shorten,
)
from jwmetrics.tabular.text import SAVE_AS

# Rows a sheet may have besides the data rows: titles above the header, blank rows, notes.
EXTRA_SHEET_ROWS: Final = 1_000
ZIP_MAGIC: Final = b"PK\x03\x04"


def read_workbook(
    data: bytes,
    table: RawTable,
    spec: Spec,
    sheet: str | None,
    max_rows: int,
    archive: ArchiveLimits,
) -> None:
    """Read the chosen sheet of an .xlsx workbook, reporting a broken, wrong or hostile file."""
    table.encoding = "xlsx"
    if not data.startswith(ZIP_MAGIC):
        table.add_problem(f"the file is named like a workbook but is not an .xlsx file; {SAVE_AS}")
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
            table.add_problem(f"the file is not a readable .xlsx workbook ({exc}); {SAVE_AS}")
            return
        try:
            row_limit = max_rows + EXTRA_SHEET_ROWS
            if _declared_size_problem(book, table, max_rows, row_limit):
                return
            worksheet = _choose_sheet(book, sheet, spec, table)
            if worksheet is not None:
                table.sheet = worksheet.title
                records = _sheet_records(worksheet, table, max_rows, row_limit)
                assemble(StreamSource(records), table, spec, max_rows)
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
    """The refusal of a sheet with more rows than the limit allows."""
    return (
        f"{what} has more than {max_rows:,} rows (blank rows count too), over the limit of "
        f"{max_rows:,} rows; delete the empty rows below the table or split it into smaller files"
    )


def _worksheets(book: Any) -> list[Any]:
    """The sheets that hold cells (not chart sheets)."""
    return [book[name] for name in book.sheetnames if hasattr(book[name], "iter_rows")]


def _choose_sheet(book: Any, name: str | None, spec: Spec, table: RawTable) -> Any | None:
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


def _best_score(records: Iterable[Record], spec: Spec) -> tuple[bool, int]:
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
                table.clear_rows()
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
