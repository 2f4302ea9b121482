"""A worksheet and the shared-strings table streamed through expat: every element counted
against a limit, none kept once read.

openpyxl's own reader (ElementTree's ``iterparse``) keeps every element it does not know
attached to its parent, and parses a whole worksheet that records no size just to measure
it: a sheet of 25 million empty ``<x/>`` elements cost 88 s and 2.26 GB. Here expat's
handlers build a row (with ElementTree's ``TreeBuilder``) only between ``<row>`` and
``</row>``; every other element is counted, checked for depth and dropped as it is read.
Each row is then typed by openpyxl's own ``WorkSheetParser.parse_row``, so values, dates
and number formats are read exactly as openpyxl reads them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any, Final
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from jwmetrics.tabular.archive import MAX_XML_DEPTH
from jwmetrics.tabular.table import MAX_COLUMNS, shorten
from jwmetrics.tabular.text import SAVE_AS

_MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW: Final = f"{_MAIN}}}row"  # expat's name for it, namespace_separator "}"
_DIMENSION: Final = f"{_MAIN}}}dimension"
_SI: Final = f"{_MAIN}}}si"
_T: Final = f"{_MAIN}}}t"
_RPH: Final = f"{_MAIN}}}rPh"  # a phonetic run: not part of the text
_CHUNK: Final = 64 * 1024
_SHEET_DATA: Final = f"{_MAIN}}}sheetData"
_CELL: Final = f"{_MAIN}}}c"
_EXTENSIONS: Final = f"{_MAIN}}}extLst"
_VALUE_TAG: Final = f"{{{_MAIN}}}v"  # ElementTree's name for a cell's <v>
# What a worksheet may hold, by the schema and by use. A cell is two to four elements (<c>,
# <v>, <f>, <is><t>), rich text a few more a run. Everything outside the rows (column
# widths, merged cells, views, formatting rules) is a few thousand elements in a real sheet.
MAX_CELL_ELEMENTS: Final = 64
MAX_STRUCTURE_ELEMENTS: Final = 100_000


class SheetRefused(Exception):
    """The part cannot be read within the limits; the message says which and why."""


class _Walker:
    """An expat parser for one part that counts every element and refuses past a limit."""

    def __init__(self, part: str, max_elements: int) -> None:
        """Walk ``part`` (its name, for messages), allowing at most ``max_elements``."""
        self.part, self.max_elements = part, max_elements
        self.count = self.depth = 0
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True

    def enter(self) -> None:
        """Count one more element opened; refuse past the element or depth limit."""
        self.count += 1
        self.depth += 1
        if self.count > self.max_elements or self.depth > MAX_XML_DEPTH:
            self.refuse()

    def refuse(self) -> None:
        """Raise :class:`SheetRefused` naming the limit passed."""
        if self.count > self.max_elements:
            raise SheetRefused(
                f"the workbook's part {shorten(self.part)} has more than "
                f"{self.max_elements:,} XML elements, over the limit of {self.max_elements:,}; "
                "it is mostly empty or repeated content: save it again with only the "
                "return's rows"
            )
        raise SheetRefused(
            f"the workbook's part {shorten(self.part)} nests XML elements more than "
            f"{MAX_XML_DEPTH} deep, over the limit of {MAX_XML_DEPTH}; {SAVE_AS}"
        )

    def feed(self, archive: zipfile.ZipFile, path: str) -> Iterator[None]:
        """Parse the part a chunk at a time, pausing after each chunk."""
        with archive.open(path) as stream:
            while chunk := stream.read(_CHUNK):
                self.parser.Parse(chunk, False)
                yield None
        self.parser.Parse(b"", True)
        yield None


def shared_strings(archive: zipfile.ZipFile, path: str, max_elements: int) -> list[str]:
    """The shared-strings table: each ``<si>``'s text (its runs joined, phonetic runs left out).

    Raises :class:`SheetRefused` past the limits, and expat's error for broken XML.
    """
    walker = _Walker(path, max_elements)
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_t": 0, "in_rph": 0}

    def start(name: str, _attributes: Any) -> None:
        walker.enter()
        if name == _T:
            state["in_t"] += 1
        elif name == _RPH:
            state["in_rph"] += 1

    def end(name: str) -> None:
        walker.depth -= 1
        if name == _T:
            state["in_t"] -= 1
        elif name == _RPH:
            state["in_rph"] -= 1
        elif name == _SI:
            strings.append("".join(parts).replace("x005F_", ""))
            parts.clear()

    def text(data: str) -> None:
        if state["in_t"] and not state["in_rph"]:
            parts.append(data)

    walker.parser.StartElementHandler = start
    walker.parser.EndElementHandler = end
    walker.parser.CharacterDataHandler = text
    for _ in walker.feed(archive, path):
        pass
    return strings


def _tag(name: str) -> str:
    """ElementTree's spelling of an expat name: "ns}local" is "{ns}local"."""
    return "{" + name if "}" in name else name


class SheetRows(_Walker):
    """The rows of one worksheet part as ElementTree ``<row>`` elements, streamed.

    Only a row's own elements are built, and each row is handed over and let go before the
    next chunk is parsed. ``dimension`` is the sheet's recorded size (its ``<dimension ref>``)
    once seen, for the caller to check before reading rows. The handlers are the hot path
    (once per element of the sheet): they touch as few attributes as they can.
    """

    def __init__(self, archive: zipfile.ZipFile, path: str, max_elements: int) -> None:
        """Stream ``path`` of ``archive``, allowing at most ``max_elements`` elements."""
        super().__init__(path, max_elements)
        self.archive = archive
        self.dimension: str | None = None
        self._builder: TreeBuilder | None = None
        self._row_depth = self._data_depth = -1
        self._row_elements = self._cell_elements = self._outside = 0
        self._ready: list[Element] = []
        self._inline: InlineText | None = None  # the text of an inline-string cell, if in one
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text

    def __iter__(self) -> Iterator[Element]:
        """Each ``<row>`` element in file order."""
        for _ in self.feed(self.archive, self.part):
            ready, self._ready = self._ready, []
            yield from ready

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        """Count the element; build it only inside a row; refuse what a sheet cannot hold."""
        self.count += 1
        self.depth += 1
        if self.count > self.max_elements or self.depth > MAX_XML_DEPTH:
            self.refuse()
        builder = self._builder
        if builder is not None:
            if self.depth == self._row_depth + 1:  # a cell
                self._row_elements += 1
                self._cell_elements = 1
                if self._row_elements > MAX_COLUMNS or name not in (_CELL, _EXTENSIONS):
                    self._unexpected(name, f"at most {MAX_COLUMNS} cells (<c>) in a row")
                if attributes.get("t") == "inlineStr":
                    self._inline = InlineText()
                    attributes = {**attributes, "t": "str"}  # its text becomes its <v>
            else:
                self._cell_elements += 1
                if self._cell_elements > MAX_CELL_ELEMENTS:
                    self._unexpected(name, f"at most {MAX_CELL_ELEMENTS} elements in a cell")
                if self._inline is not None:
                    self._inline.enter(name)
                    return
            builder.start(_tag(name), {_tag(k): v for k, v in attributes.items()})
        elif name == _ROW:
            if self.depth != self._data_depth + 1:
                self._unexpected(name, "rows only inside <sheetData>")
            self._builder = TreeBuilder()
            self._row_depth, self._row_elements = self.depth, 0
            self._builder.start(_tag(name), dict(attributes))
        else:
            self._outside += 1
            if self.depth == self._data_depth + 1:
                self._unexpected(name, "only rows (<row>) inside <sheetData>")
            if self._outside > MAX_STRUCTURE_ELEMENTS:
                self._unexpected(
                    name, f"at most {MAX_STRUCTURE_ELEMENTS:,} elements outside the rows"
                )
            if name == _SHEET_DATA:
                self._data_depth = self.depth
            elif name == _DIMENSION:
                self.dimension = attributes.get("ref")

    def _unexpected(self, name: str, expected: str) -> None:
        """Refuse the sheet at an element a worksheet cannot hold there."""
        local = name.rpartition("}")[2]
        raise SheetRefused(
            f"the workbook's part {shorten(self.part)} has an element <{shorten(local, 20)}> "
            f"where a worksheet has {expected}; {SAVE_AS}"
        )

    def _end(self, name: str) -> None:
        """Close the element; hand over a row when it ends."""
        builder = self._builder
        if builder is not None:
            inline = self._inline
            if inline is not None and self.depth > self._row_depth + 1:
                inline.leave(name)  # inside an inline-string cell: nothing was built
                self.depth -= 1
                return
            if inline is not None:  # the inline-string cell ends: its text as its value
                builder.start(_VALUE_TAG, {})
                builder.data(inline.text())
                builder.end(_VALUE_TAG)
                self._inline = None
            builder.end(_tag(name))
            if self.depth == self._row_depth:
                self._ready.append(builder.close())
                self._builder = None
        elif self.depth == self._data_depth:
            self._data_depth = -1  # </sheetData>
        self.depth -= 1

    def _text(self, data: str) -> None:
        """Keep text only inside a row."""
        if self._inline is not None:
            self._inline.add(data)
        elif self._builder is not None:
            self._builder.data(data)


class InlineText:
    """The text of one inline-string cell (``<c t="inlineStr"><is><t>…</t></is></c>``, or
    rich runs ``<r><t>…</t></r>``; phonetic runs left out), gathered as expat reads it.

    Why: openpyxl types such a cell by building a rich-text object per cell, about half the
    time of reading a 200,000-row workbook written by openpyxl (which writes every string
    inline). Handing the cell over as a plain string cell (``t="str"``, its text in ``<v>``)
    gives openpyxl the same text at the cost of a number.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.in_text = self.in_phonetic = 0

    def enter(self, name: str) -> None:
        """An element opens inside the cell."""
        if name == _T:
            self.in_text += 1
        elif name == _RPH:
            self.in_phonetic += 1

    def leave(self, name: str) -> None:
        """An element closes inside the cell."""
        if name == _T:
            self.in_text -= 1
        elif name == _RPH:
            self.in_phonetic -= 1

    def add(self, data: str) -> None:
        """Text read inside the cell: kept when inside a ``<t>`` that is not phonetic."""
        if self.in_text and not self.in_phonetic:
            self.parts.append(data)

    def text(self) -> str:
        """The cell's text, exactly as openpyxl gives an inline string."""
        return "".join(self.parts)
