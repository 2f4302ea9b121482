"""Finding the header row and mapping its cells to the columns a caller expects.

Headers are written "Area Code", "area-code" or "AREA_CODE"; titles sit above them. The
header is the first of the first rows that names every required column (else the best
partial one, so that its missing columns can be named). Unknown columns are a warning,
missing and repeated ones an error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from jwmetrics.tabular.table import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    OPTIONAL_COLUMNS,
    RawTable,
    Record,
    shorten,
)

# How many rows from the top are searched for the header (titles, blank lines, "sep=;").
HEADER_SEARCH_ROWS: Final = 20
_KEY_JUNK: Final = re.compile(r"[\s_\-\ufeff]+")


@dataclass(frozen=True)
class Spec:
    """The columns a caller expects, with the lookup from a loosely written header cell."""

    expected: tuple[str, ...]
    required: tuple[str, ...]
    by_key: dict[str, str]

    @classmethod
    def build(cls, expected: Sequence[str], required: Sequence[str] | None) -> Spec:
        """The spec of ``expected`` columns; ``required`` defaults to the non-optional ones."""
        expected = tuple(expected)
        if required is None:
            required = tuple(c for c in expected if c not in OPTIONAL_COLUMNS)
        by_key = {column_key(name): name for name in expected}
        return cls(expected, tuple(required), by_key)

    def describe(self) -> str:
        """The expected columns, for messages."""
        optional = [c for c in self.expected if c not in self.required]
        text = ", ".join(self.required)
        return f"{text} (optional: {', '.join(optional)})" if optional else text

    def score(self, cells: Sequence[str]) -> tuple[bool, int]:
        """How well a row reads as the header: (has every required column, columns known)."""
        names = {self.by_key.get(column_key(cell)) for cell in cells if cell.strip()}
        names.discard(None)
        return all(name in names for name in self.required), len(names)

    def is_header(self, score: tuple[bool, int]) -> bool:
        """Whether a score is good enough to be a (perhaps incomplete) header."""
        has_required, known = score
        return known > 0 and (has_required or known >= min(2, len(self.expected)))


@dataclass
class Layout:
    """Where the recognised columns are in the header row."""

    row_number: int
    columns: list[tuple[str, int]]  # (column name, index in the row), in file order
    width: int  # cells up to the header's last non-blank one
    first_index: int  # index of the leftmost recognised column
    unnamed: list[int]  # indices of blank header cells inside the width


def column_key(text: str) -> str:
    """A header cell reduced to what matters: "Area Code", "area-code", "AREA_CODE" alike."""
    return _KEY_JUNK.sub("", text.casefold())


def header_position(top: list[Record], spec: Spec) -> int | None:
    """Index of the first row with every required column, else of the best partial one."""
    best: tuple[tuple[bool, int], int] | None = None
    for index, (_, cells) in enumerate(top):
        score = spec.score(cells)
        if score[0] and score[1] > 0:
            return index
        if spec.is_header(score) and (best is None or score > best[0]):
            best = (score, index)
    return None if best is None else best[1]


def layout(number: int, cells: list[str], spec: Spec, table: RawTable) -> Layout | None:
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
        name = spec.by_key.get(column_key(text)) if text else None
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
    return Layout(number, columns, width, columns[0][1], unnamed)


def _report_unknown(number: int, unknown: list[str], spec: Spec, table: RawTable) -> None:
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
    number: int, found: dict[str, list[tuple[int, str]]], spec: Spec, table: RawTable
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
