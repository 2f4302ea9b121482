"""Hostile workbooks for the tests and ``bench/hostile_files.py``, built in memory."""

from __future__ import annotations

import io
import random
import re
import string
import zipfile

from openpyxl import Workbook

HEADER = ["initiative", "measure", "area_code", "period", "value"]
ROW = ["rough-sleepers-unit", "rough-sleepers-count", "E92000001", "June 2002", "532"]


def base_workbook() -> bytes:
    """A small, valid return workbook (header and one row)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(HEADER)
    sheet.append(ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """``data`` (an .xlsx) with some parts replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: str, dimension: str | None = None) -> bytes:
    """A worksheet part: the header row, then ``rows`` (XML) as given."""
    header = "".join(_inline(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>'
        f'<row r="1">{header}</row>{rows}</sheetData></worksheet>'
    ).encode()


def blank_rows(count: int) -> bytes:
    """A header and then ``count`` blank rows (the 356 KB file of the issue, scaled)."""
    rows = "".join(f'<row r="{n}"/>' for n in range(2, count + 2))
    return replace_parts(base_workbook(), {SHEET: sheet_xml(rows)})


def shared_strings_bomb(count: int) -> bytes:
    """A sharedStrings part of ``count`` empty strings: openpyxl reads it all on opening."""
    strings = "<si><t></t></si>" * count
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{count}" '
        f'uniqueCount="{count}">{strings}</sst>'
    ).encode()
    return replace_parts(base_workbook(), {"xl/sharedStrings.xml": xml})


def incompressible_strings(size: int) -> bytes:
    """A sharedStrings part of ``size`` bytes of random text (compresses little)."""
    rng = random.Random(1)
    text = "".join(rng.choices(string.ascii_letters, k=size))
    xml = f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}><si><t>{text}</t></si></sst>'
    return replace_parts(base_workbook(), {"xl/sharedStrings.xml": xml.encode()})


def far_cell(declared: bool = True) -> bytes:
    """A cell at XFD1048576, with the sheet's dimension saying so (or with none)."""
    dimension = "A1:XFD1048576" if declared else None
    rows = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return replace_parts(base_workbook(), {SHEET: sheet_xml(rows, dimension)})


def wide_row() -> bytes:
    """No dimension recorded, and row 2 reaching column GS (201)."""
    rows = '<row r="2"><c r="GS2" t="inlineStr"><is><t>x</t></is></c></row>'
    return replace_parts(base_workbook(), {SHEET: sheet_xml(rows)})


def deep_nesting(depth: int) -> bytes:
    """A cell whose value is wrapped in ``depth`` unknown elements."""
    rows = '<row r="2"><c r="A2">' + "<x>" * depth + "</x>" * depth + "</c></row>"
    return replace_parts(base_workbook(), {SHEET: sheet_xml(rows)})


def long_cell(length: int) -> bytes:
    """Row 2 with a value cell of ``length`` characters."""
    cells = "".join(_inline(f"{chr(65 + i)}2", v) for i, v in enumerate(ROW[:4]))
    rows = f'<row r="2">{cells}{_inline("E2", "9" * length)}</row>'
    return replace_parts(base_workbook(), {SHEET: sheet_xml(rows)})


def strip_dimension(xml: bytes) -> bytes:
    return re.sub(rb"<dimension[^>]*/>", b"", xml)


def empty_elements(count: int, chunk: int = 1_000_000) -> bytes:
    """A header, one real row, then ``count`` empty ``<x/>`` elements in the sheet's data and
    no recorded size: the 5.6 MB workbook of 25 million elements of issue 21, scaled. The
    elements are streamed into the archive ``chunk`` at a time, never held as one string."""
    cells = "".join(_inline(f"{chr(65 + i)}2", v) for i, v in enumerate(ROW))
    head, tail = sheet_xml(f'<row r="2">{cells}</row>@').split(b"@")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base_workbook())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info.filename))
        block = _empty_element_block(min(chunk, count))
        with target.open(SHEET, "w") as sheet:
            sheet.write(head)
            for _ in range(count // len(block)):
                sheet.write(b"".join(block))
            sheet.write(b"".join(block[: count % len(block)]))
            sheet.write(tail)
    return out.getvalue()


def _empty_element_block(count: int) -> list[bytes]:
    """``count`` empty elements, each "<x/>" or "<y/>" at random: random enough that the
    archive packs them only about 20 times (a ratio the archive check allows), as the
    issue's file did."""
    rng = random.Random(21)
    return [b"<x/>" if rng.random() < 0.5 else b"<y/>" for _ in range(count)]


def deep_part(depth: int, name: str = "customXml/item1.dat") -> bytes:
    """A valid workbook plus a part not named .xml whose XML nests ``depth`` deep."""
    xml = b"<root>" + b"<x>" * depth + b"</x>" * depth + b"</root>"
    return replace_parts(base_workbook(), {name: xml})


def same_size_rows(size: int) -> bytes:
    """A normal return workbook of about ``size`` bytes: real rows of figures, the baseline
    that a hostile file of the same size is compared with."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(HEADER)
    rng = random.Random(1)
    rows = max(size // 30, 1)  # about 30 packed bytes a row
    for n in range(rows):
        sheet.append([ROW[0], ROW[1], f"E0{rng.randrange(6000000, 6000400):07d}", "June 2002", n])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
