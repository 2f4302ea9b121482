"""The one way in: :func:`read_table` turns a file's bytes into a :class:`RawTable`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from jwmetrics.tabular.archive import ArchiveLimits, archive_problem
from jwmetrics.tabular.body import assemble
from jwmetrics.tabular.layout import Spec
from jwmetrics.tabular.table import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    RETURN_COLUMNS,
    RawTable,
    size_text,
)
from jwmetrics.tabular.text import TextRecords, decode, sniff_delimiter
from jwmetrics.tabular.workbook import ZIP_MAGIC, open_book, read_workbook

_WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm")


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
    :data:`~jwmetrics.tabular.OPTIONAL_COLUMNS`. ``sheet`` picks a workbook sheet by name;
    when None the first sheet with a recognisable header is used. The byte limit is checked
    first; a workbook is then checked against ``archive``
    (:func:`~jwmetrics.tabular.archive_problem`) before it is opened, and its rows (blank
    ones too), columns and cell lengths are counted while it streams.
    """
    spec = Spec.build(expected_columns, required_columns)
    table = RawTable(file_name=file_name)
    if len(data) > max_bytes:
        table.add_problem(
            f"the file is {size_text(len(data))}, over the limit of {size_text(max_bytes)}; "
            "split it into smaller files"
        )
        return table
    if not data.strip():
        table.add_problem("the file is empty")
        return table
    if data.startswith(ZIP_MAGIC) or file_name.lower().endswith(_WORKBOOK_SUFFIXES):
        read_workbook(data, table, spec, sheet, max_rows, archive or ArchiveLimits())
        return table
    if sheet is not None:
        table.add_problem(
            f"sheet {sheet!r} was ignored: this is a text file, which has no sheets",
            severity="warning",
        )
    text = decode(data, table)
    if text is not None:
        table.delimiter = sniff_delimiter(text, spec)
        assemble(TextRecords(text, table.delimiter, table, max_rows), table, spec, max_rows)
    return table


def sheet_names(data: bytes, archive: ArchiveLimits | None = None) -> list[str]:
    """The worksheet names of an .xlsx workbook, in order; [] when it is refused or cannot
    be read. No worksheet is parsed (only the archive is checked and the workbook's part
    listing its sheets read), so listing costs little whatever the sheets hold."""
    limits = archive or ArchiveLimits()
    if not data.startswith(ZIP_MAGIC) or archive_problem(data, limits) is not None:
        return []
    table = RawTable(file_name="")
    book = open_book(data, limits, table)
    if book is None:
        return []
    with book:
        return [sheet.title for sheet in book.sheets]
