"""An .xlsx workbook opened for reading: its sheets, styles and shared strings, and each
sheet's rows as typed cells.

openpyxl reads the small parts (the manifest, the workbook's sheet list, the styles); the
shared-strings table and the worksheets, the parts that grow with the data, are streamed by
:mod:`jwmetrics.tabular.sheet_xml`, which counts and drops every element as it goes. The
worksheets are never parsed to be measured (openpyxl's ``load_workbook`` does that for a
sheet that records no size): the upload page lists the sheets without reading one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from jwmetrics.tabular.sheet_xml import SheetRows, shared_strings


@dataclass(frozen=True)
class Sheet:
    """A worksheet of the workbook: its name and its part in the archive."""

    title: str
    path: str


class Book:
    """A workbook's sheets (worksheets only, in order), styles and shared strings.

    Raises what openpyxl or expat raise for a broken file, and
    :class:`~jwmetrics.tabular.sheet_xml.SheetRefused` for a shared-strings table past the
    limits. Use as a context manager: the archive is closed on leaving.
    """

    def __init__(self, data: bytes, max_elements: int) -> None:
        """Open ``data``; no part may hold more than ``max_elements`` XML elements."""
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.xml.constants import SHARED_STRINGS

        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        self.archive = reader.archive
        self.max_elements = max_elements
        try:
            reader.read_manifest()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.workbook = reader.wb
            self.sheets = [
                Sheet(sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "worksheet" in rel.Type
            ]
            strings = reader.package.find(SHARED_STRINGS)
            self.strings = (
                shared_strings(self.archive, strings.PartName[1:], max_elements)
                if strings is not None
                else []
            )
        except BaseException:
            self.archive.close()
            raise

    def __enter__(self) -> Book:
        """The book itself."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the archive."""
        self.archive.close()

    def rows(self, sheet: Sheet) -> BookRows:
        """The rows of ``sheet``, streamed."""
        return BookRows(self, sheet)


class _Parent:
    """What an openpyxl ``ReadOnlyCell`` needs of its sheet: a title and the workbook."""

    def __init__(self, title: str, workbook: Any) -> None:
        self.title = title
        self.parent = workbook


class BookRows:
    """A sheet's rows as (row number, cells): openpyxl ``ReadOnlyCell`` objects for the cells
    the row holds (each knows its column), typed by openpyxl's ``WorkSheetParser``.

    ``source`` is the XML stream, whose ``dimension`` is the sheet's recorded size.
    """

    def __init__(self, book: Book, sheet: Sheet) -> None:
        """Stream ``sheet`` of ``book``."""
        self.book, self.sheet = book, sheet
        self.source = SheetRows(book.archive, sheet.path, book.max_elements)

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        """Each row in file order."""
        from openpyxl.cell.read_only import ReadOnlyCell
        from openpyxl.worksheet._reader import WorkSheetParser

        workbook = self.book.workbook
        parser = WorkSheetParser(
            None,
            self.book.strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        parent = _Parent(self.sheet.title, workbook)
        for element in self.source:
            number, cells = parser.parse_row(element)
            yield number, [ReadOnlyCell(parent, **cell) for cell in cells]
