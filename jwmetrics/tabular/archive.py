"""A workbook's archive, checked before openpyxl opens it.

An .xlsx file is a zip archive of XML parts: a small file can unpack to gigabytes, nest
XML thousands deep, or hold tens of millions of empty elements. :func:`archive_problem`
reads the zip directory, then streams every part that is XML, whatever its name, counting
its tags (each ``<``, at the speed of ``bytes.count``) against one budget for the whole
workbook and its nesting through expat (no tree is built), so a hostile file costs little
to refuse.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Final

from jwmetrics.tabular.table import (
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_UNCOMPRESSED,
    DEFAULT_MAX_XML_TAGS,
    shorten,
    size_text,
)
from jwmetrics.tabular.text import SAVE_AS

MAX_XML_DEPTH: Final = 64  # elements inside elements; a worksheet needs about 7
MAX_ARCHIVE_MEMBERS: Final = 1_000
_RATIO_FLOOR: Final = 1024 * 1024  # members smaller than this unpacked cannot be bombs
_XML_CHUNK: Final = 1024 * 1024
# The root element of a worksheet or of the shared-strings table, after the XML declaration
# and any comments: parts that only jwmetrics.tabular.sheet_xml parses.
_STREAMED_ROOT: Final = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*)*<(?:[\w.-]+:)?(?:worksheet|sst)[\s/>]",
    re.DOTALL,
)
_XML_START: Final = re.compile(rb"\s*(?:\xef\xbb\xbf)?\s*<|\xff\xfe<\x00|\xfe\xff\x00<")


@dataclass(frozen=True)
class ArchiveLimits:
    """How far an .xlsx archive may unpack, and how much more than it weighs."""

    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
    max_ratio: float = DEFAULT_MAX_RATIO
    max_xml_tags: int = DEFAULT_MAX_XML_TAGS  # tags in all XML parts together


def archive_problem(data: bytes, limits: ArchiveLimits | None = None) -> str | None:
    """Why an .xlsx file must not be opened, or None; reads only the zip directory and scans
    the XML with expat (no tree is built), so a bomb costs little to refuse.

    Refused: more than :data:`MAX_ARCHIVE_MEMBERS` parts; a declared unpacked size (the sum
    of every part's ``file_size``, which :mod:`zipfile` enforces while unpacking) over
    ``max_uncompressed``; a part, or the whole, unpacking to more than ``max_ratio`` times
    its packed size; more than ``max_xml_tags`` XML tags in all its XML parts together (a
    part is XML when it starts with ``<``, whatever its name); XML nested deeper than
    :data:`MAX_XML_DEPTH`.
    """
    limits = limits or ArchiveLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"the file is not a readable .xlsx workbook ({exc}); {SAVE_AS}"
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            return (
                f"the workbook has {len(members):,} parts, over the limit of "
                f"{MAX_ARCHIVE_MEMBERS:,}; {SAVE_AS}"
            )
        total = sum(member.file_size for member in members)
        if total > limits.max_uncompressed:
            return (
                f"the workbook unpacks to {size_text(total)}, over the limit of "
                f"{size_text(limits.max_uncompressed)} unpacked; split it into smaller files"
            )
        for member in [*members, None]:
            unpacked = total if member is None else member.file_size
            packed = len(data) if member is None else member.compress_size
            ratio = unpacked / max(packed, 1)
            if unpacked > _RATIO_FLOOR and ratio > limits.max_ratio:
                return (
                    f"the workbook unpacks to {ratio:,.0f} times its size ({size_text(unpacked)} "
                    f"from {size_text(packed)}), over the limit of {limits.max_ratio:,.0f} times; "
                    "it is mostly empty or repeated content: save it again with only the "
                    "return's rows"
                )
        return _tags_problem(archive, members, limits.max_xml_tags)


def _tags_message(max_tags: int) -> str:
    """The refusal of a workbook with more XML tags than the budget."""
    return (
        f"the workbook's XML has more than {max_tags:,} tags, over the limit of "
        f"{max_tags:,} tags; it is mostly empty or repeated content: save it again with "
        "only the return's rows, or split it into smaller files"
    )


def _tags_problem(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], max_tags: int
) -> str | None:
    """Count the tags of every XML part (whatever its name) against one budget, then check
    how deep the XML of each part nests.

    Counting is ``bytes.count`` on the unpacked stream, no parsing, so a part of millions of
    empty elements is refused in a fraction of a second. Worksheets and the shared-strings
    table (known by their root element) are not parsed here: only
    :mod:`jwmetrics.tabular.sheet_xml` parses them, and it checks their depth (and counts
    their elements again) as it streams them.
    """
    tags = 0
    to_check: list[zipfile.ZipInfo] = []
    try:
        for member in members:
            with archive.open(member) as stream:
                chunk = stream.read(_XML_CHUNK)
                if not _XML_START.match(chunk):
                    continue  # not XML (an image, a printer's settings): nothing parses it
                if not _STREAMED_ROOT.match(chunk):
                    to_check.append(member)
                while chunk:
                    tags += chunk.count(b"<")
                    if tags > max_tags:
                        return _tags_message(max_tags)
                    chunk = stream.read(_XML_CHUNK)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return f"the file is not a readable .xlsx workbook ({exc}); {SAVE_AS}"
    for member in to_check:
        problem = _depth_problem(archive, member)
        if problem is not None:
            return problem
    return None


def _depth_problem(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
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
            f"{MAX_XML_DEPTH} deep, over the limit of {MAX_XML_DEPTH}; {SAVE_AS}"
        )
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return f"the file is not a readable .xlsx workbook ({exc}); {SAVE_AS}"
    return None


class _TooDeep(Exception):
    """Raised inside expat's handler to stop at the first element past the depth limit."""
