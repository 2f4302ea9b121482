"""Read a partner's return file (CSV, TSV or Excel) into rows of text cells, tolerantly.

Real files are messy: Excel saves CSV as Windows-1252, European settings use semicolons,
published tables carry title rows above the header and "Source:" notes below it, and
headers are written "Area Code", "area-code" or "AREA_CODE". This package copes with all
of that and turns everything it cannot cope with into :class:`TableProblem` entries that
name the row and column the partner sees in their spreadsheet. It never raises on bad
input, so one upload reports every problem at once.

It only splits the file into cells. Reading the cells (numbers, periods, areas) is the
job of the caller, using :mod:`jwmetrics.returns.cell_value` and :mod:`jwmetrics.periods`.

The modules, in the order a file goes through them: :mod:`~jwmetrics.tabular.read`
(:func:`read_table`, the entry point), :mod:`~jwmetrics.tabular.text` (decoding, the
delimiter, the records of a text file) or, for an .xlsx file,
:mod:`~jwmetrics.tabular.archive` (checked), :mod:`~jwmetrics.tabular.book` (opened),
:mod:`~jwmetrics.tabular.sheet_xml` (streamed) and :mod:`~jwmetrics.tabular.workbook` (the
sheet and its cells as text), then :mod:`~jwmetrics.tabular.layout` (the header),
:mod:`~jwmetrics.tabular.body` (the rows below it) and :mod:`~jwmetrics.tabular.table` (what
comes out). :mod:`~jwmetrics.tabular.csv_rows` reads the project's own catalogue CSVs, whose
rows remember their file and line.
"""

from __future__ import annotations

from jwmetrics.tabular.archive import (
    MAX_ARCHIVE_MEMBERS,
    MAX_XML_DEPTH,
    ArchiveLimits,
    archive_problem,
)
from jwmetrics.tabular.layout import HEADER_SEARCH_ROWS
from jwmetrics.tabular.read import read_table, sheet_names
from jwmetrics.tabular.table import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNCOMPRESSED,
    DEFAULT_MAX_XML_TAGS,
    EXTRA_SHEET_ROWS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RETURN_COLUMNS,
    RawRow,
    RawTable,
    Record,
    Severity,
    TableProblem,
    long_field,
    shorten,
)
from jwmetrics.tabular.text import DELIMITERS

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UNCOMPRESSED",
    "DEFAULT_MAX_XML_TAGS",
    "DELIMITERS",
    "EXTRA_SHEET_ROWS",
    "HEADER_SEARCH_ROWS",
    "MAX_ARCHIVE_MEMBERS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_XML_DEPTH",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "RETURN_COLUMNS",
    "ArchiveLimits",
    "RawRow",
    "RawTable",
    "Record",
    "Severity",
    "TableProblem",
    "archive_problem",
    "long_field",
    "read_table",
    "sheet_names",
    "shorten",
]
