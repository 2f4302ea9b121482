"""Excel workbooks (.xlsx): choosing the sheet, streaming its rows, reading cells as text.

A cell is read as the partner sees it: 1850.0 is "1850", a cell formatted as a percentage
is "55.4%", a date formatted "mmm-yy" is a month. Every streamed row counts against the
row limit, blank or not, and a row past the column limit stops the read.
"""

from __future__ import annotations

import calendar
import re
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice
from typing import Any, Final

from jwmetrics.tabular.archive import ArchiveLimits, archive_problem
from jwmetrics.tabular.body import StreamSource, assemble
from jwmetrics.tabular.book import Book, Sheet
from jwmetrics.tabular.layout import HEADER_SEARCH_ROWS, Spec
from jwmetrics.tabular.sheet_xml import SheetRefused, SheetRows
from jwmetrics.tabular.table import (
    DEFAULT_MAX_ROWS,
    EXTRA_SHEET_ROWS,
    MAX_COLUMNS,
    RawTable,
    Record,
    rows_message,
    shorten,
)
from jwmetrics.tabular.text import SAVE_AS

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
    book = open_book(data, archive, table)
    if book is None:
        return
    with book:
        row_limit = max_rows + EXTRA_SHEET_ROWS
        chosen = _choose_sheet(book, sheet, spec, table)
        if chosen is not None:
            table.sheet = chosen.title
            records = _sheet_records(book, chosen, table, max_rows, row_limit)
            assemble(StreamSource(records), table, spec, max_rows)


def open_book(data: bytes, archive: ArchiveLimits, table: RawTable) -> Book | None:
    """The workbook's sheets, styles and shared strings, or None with the problem said."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
        try:
            return Book(data, archive.max_xml_tags)
        except SheetRefused as exc:
            table.add_problem(str(exc))
        except Exception as exc:  # untrusted file: openpyxl and expat raise many kinds
            table.add_problem(f"the file is not a readable .xlsx workbook ({exc}); {SAVE_AS}")
    return None


def _declared_size_problem(
    rows: SheetRows, title: str, max_rows: int, row_limit: int
) -> str | None:
    """Why a sheet whose recorded size (its ``<dimension>``) is past the row or column limit
    is refused, or None; checked before its first row is read."""
    if not rows.dimension:
        return None
    from openpyxl.utils.cell import range_boundaries

    try:
        _, _, columns, last_row = range_boundaries(rows.dimension.upper())
    except (ValueError, TypeError):
        return None  # a wrong recorded size is ignored: the rows are counted as they come
    if (columns or 0) > MAX_COLUMNS:
        return (
            f"sheet {shorten(title)!r} reaches column {columns:,}, over the limit "
            f"of {MAX_COLUMNS} columns; delete the empty columns to the right of the table"
        )
    if (last_row or 0) > row_limit:
        return rows_message(max_rows, f"sheet {shorten(title)!r}")
    return None


def _choose_sheet(book: Book, name: str | None, spec: Spec, table: RawTable) -> Sheet | None:
    """The sheet asked for by name, or else the first whose header reads best."""
    sheets = book.sheets
    listing = ", ".join(repr(s.title) for s in sheets)
    if name is not None:
        wanted = name.strip().casefold()
        for candidate in sheets:
            if candidate.title == name or candidate.title.strip().casefold() == wanted:
                return candidate
        table.add_problem(f"there is no sheet named {name!r}; the workbook has sheets {listing}")
        return None
    scores = [_best_score(_sheet_records(book, s, table), spec) for s in sheets]  # first rows
    if table.errors:
        return None  # a sheet was refused while its first rows were read
    for accept in (lambda score: score[0], spec.is_header):
        for candidate, score in zip(sheets, scores, strict=True):
            if score[1] > 0 and accept(score):
                return candidate
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
    book: Book,
    sheet: Sheet,
    table: RawTable,
    max_rows: int = DEFAULT_MAX_ROWS,
    row_limit: int = DEFAULT_MAX_ROWS + EXTRA_SHEET_ROWS,
) -> Iterator[Record]:
    """Each worksheet row as text cells, numbered as Excel numbers them.

    Rows count by their number (blank rows between them count too) and must come in order,
    and a row wider than :data:`MAX_COLUMNS` stops the read; a run of missing rows is given
    as one blank row.
    A refusal is said once, though choosing the sheet reads its first rows too.
    """
    number = previous = 0
    rows = book.rows(sheet)
    try:
        for streamed, (number, cells) in enumerate(rows, start=1):
            refusal = _declared_size_problem(rows.source, sheet.title, max_rows, row_limit)
            width = max((cell.column for cell in cells), default=0)
            if refusal is None and max(number, streamed) > row_limit:
                refusal = rows_message(max_rows, f"sheet {shorten(sheet.title)!r}")
            elif refusal is None and number <= previous:
                refusal = (
                    f"sheet {shorten(sheet.title)!r} gives row {number} after row {previous}; "
                    f"rows must come in order: {SAVE_AS}"
                )
            elif refusal is None and width > MAX_COLUMNS:
                refusal = (
                    f"row {number} reaches column {width:,}, over the limit of {MAX_COLUMNS} "
                    "columns; delete the empty columns to the right of the table"
                )
            if refusal is not None:
                _refuse(table, refusal)
                return
            if number > previous + 1:
                yield previous + 1, []  # the blank rows between, as one
            previous = number
            texts = [""] * width
            for cell in cells:
                texts[cell.column - 1] = _cell_text(cell)
            yield number, texts
        refusal = _declared_size_problem(rows.source, sheet.title, max_rows, row_limit)
        if refusal is not None:
            _refuse(table, refusal)
    except SheetRefused as exc:
        _refuse(table, str(exc))
    except Exception as exc:  # untrusted file: expat and openpyxl raise many kinds
        table.add_problem(f"the workbook cannot be read from here on ({exc})", row=number + 1)


def _refuse(table: RawTable, refusal: str) -> None:
    """Refuse the file as a whole, saying why once."""
    table.clear_rows()
    if all(problem.message != refusal for problem in table.problems):
        table.add_problem(refusal)


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
