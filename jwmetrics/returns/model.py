"""What a return is made of at every step: checked rows, their changes, the check itself.

One row type (:class:`ReturnRow`) and one change type (:class:`Change`) serve before the
commit (what a checked file would do) and after it (what a committed return did). A check
holds its rows column by column (:class:`ReturnRows`) and its changes as the stored
figures its rows were compared with (:class:`Changes`): that is what checking produces and
what the commit writes, and no per-row object is made unless someone reads them one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import compress
from operator import attrgetter
from typing import NamedTuple, overload

from jwmetrics.periods import Period
from jwmetrics.problems import Problem
from jwmetrics.tabular import RawTable

Key = tuple[int, str, date, date]  # measure id, area code, period start, period end

_START, _END = attrgetter("start"), attrgetter("end")


class ReturnRefused(RuntimeError):
    """The return was not committed (or withdrawn); the message says why. Nothing changed."""


@dataclass(frozen=True, slots=True)
class ReturnRow:
    """One row of a return: checked and ready to record, or as a committed return recorded it.

    ``row_number`` is the row in the partner's file (None only for a stored figure that
    never had one).
    """

    row_number: int | None
    measure_id: int
    measure_slug: str
    area_code: str
    period: Period
    value: float | None
    qualifier: str
    marker: str | None
    data_status: str
    partner: str
    note: str

    @property
    def key(self) -> Key:
        """What identifies the figure: measure, area and period."""
        return (self.measure_id, self.area_code, self.period.start, self.period.end)


@dataclass(frozen=True, eq=False)
class ReturnRows(Sequence[ReturnRow]):
    """Checked rows of a return held column by column, in file order.

    Every column has one entry per row; ``rows[i]`` is row ``i`` as a :class:`ReturnRow`.
    Checking fills whole columns at once and the commit writes them as they are.
    """

    row_numbers: Sequence[int | None] = ()
    measure_ids: Sequence[int] = ()
    measure_slugs: Sequence[str] = ()
    area_codes: Sequence[str] = ()
    periods: Sequence[Period] = ()
    values: Sequence[float | None] = ()
    qualifiers: Sequence[str] = ()
    markers: Sequence[str | None] = ()
    statuses: Sequence[str] = ()
    partners: Sequence[str] = ()
    notes: Sequence[str] = ()

    @classmethod
    def of(cls, rows: Iterable[ReturnRow]) -> ReturnRows:
        """``rows`` as columns (the same object if it already is one)."""
        if isinstance(rows, ReturnRows):
            return rows
        rows = list(rows)
        if not rows:
            return cls()
        return cls._of_columns(list(column) for column in zip(*map(_fields, rows), strict=True))

    @classmethod
    def _of_columns(cls, columns: Iterable[Sequence[object]]) -> ReturnRows:
        """Rows from columns in :class:`ReturnRow` field order."""
        return cls(*columns)  # type: ignore[arg-type]

    @property
    def columns(self) -> tuple[Sequence[object], ...]:
        """The columns in :class:`ReturnRow` field order."""
        return (
            self.row_numbers, self.measure_ids, self.measure_slugs, self.area_codes,
            self.periods, self.values, self.qualifiers, self.markers, self.statuses,
            self.partners, self.notes,
        )  # fmt: skip

    def __len__(self) -> int:
        """How many rows."""
        return len(self.row_numbers)

    @overload
    def __getitem__(self, index: int) -> ReturnRow: ...

    @overload
    def __getitem__(self, index: slice) -> ReturnRows: ...

    def __getitem__(self, index: int | slice) -> ReturnRow | ReturnRows:
        """Row ``index`` as a :class:`ReturnRow`, or a slice of the rows as columns."""
        if isinstance(index, slice):
            return ReturnRows._of_columns(column[index] for column in self.columns)
        return ReturnRow(*(column[index] for column in self.columns))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[ReturnRow]:
        """Each row as a :class:`ReturnRow`, made as it is reached."""
        return map(ReturnRow, *self.columns)

    @cached_property
    def keys(self) -> list[Key]:
        """Each row's :attr:`ReturnRow.key`, in row order."""
        starts, ends = map(_START, self.periods), map(_END, self.periods)
        return list(zip(self.measure_ids, self.area_codes, starts, ends, strict=True))

    def select(self, keep: Sequence[bool]) -> ReturnRows:
        """The rows whose entry in ``keep`` is true, in order."""
        return ReturnRows._of_columns(list(compress(column, keep)) for column in self.columns)


def _fields(row: ReturnRow) -> tuple[object, ...]:
    """A row's fields in order, for turning rows into columns."""
    return (
        row.row_number, row.measure_id, row.measure_slug, row.area_code, row.period,
        row.value, row.qualifier, row.marker, row.data_status, row.partner, row.note,
    )  # fmt: skip


class StoredFigure(NamedTuple):
    """The figure stored for a row's key, as far as a change is concerned."""

    value: float | None
    qualifier: str
    marker: str | None
    status: str


@dataclass(frozen=True, slots=True)
class Change:
    """What one row does, or did, to the stored figure: new, revised (old -> new) or unchanged.

    The same type before a commit (:attr:`ReturnCheck.changes`) and after it
    (:func:`~jwmetrics.returns.history.return_changes`, where ``kind`` is "new" or
    "revised" and the old fields are the figure current just before the return).
    """

    kind: str
    row: ReturnRow
    old_value: float | None = None
    old_qualifier: str = ""
    old_marker: str | None = None
    old_status: str = ""

    @property
    def old(self) -> StoredFigure | None:
        """The stored figure the row was compared with; None for a new one."""
        if self.kind == "new":
            return None
        return StoredFigure(self.old_value, self.old_qualifier, self.old_marker, self.old_status)


RecordedChange = Change  # the name the returns log knew a committed return's changes by


def change_kind(row: StoredFigure, stored: StoredFigure | None) -> str:
    """The kind of change: new without a stored figure, unchanged when it says the same,
    else revised."""
    if stored is None:
        return "new"
    return "unchanged" if stored == row else "revised"


@dataclass(frozen=True, eq=False)
class Changes(Sequence[Change]):
    """What every checked row would do: the rows, and the figure stored for each (if any).

    ``stored`` maps a row's position to the current stored figure for its key; a row without
    one is new, one whose figure says the same is unchanged, any other is a revision.
    """

    rows: ReturnRows = field(default_factory=ReturnRows)
    stored: Mapping[int, StoredFigure] = field(default_factory=dict)

    @classmethod
    def of(cls, changes: Iterable[Change]) -> Changes:
        """``changes`` as a :class:`Changes` (the same object if it already is one)."""
        if isinstance(changes, Changes):
            return changes
        changes = list(changes)
        stored: dict[int, StoredFigure] = {}
        for position, change in enumerate(changes):
            old = change.old
            if old is not None:
                stored[position] = old
        return cls(ReturnRows.of(c.row for c in changes), stored)

    def __len__(self) -> int:
        """How many rows (one change each)."""
        return len(self.rows)

    def kind(self, position: int) -> str:
        """The kind of change of the row at ``position``."""
        return change_kind(self._figure(position), self.stored.get(position))

    def _figure(self, position: int) -> StoredFigure:
        """The figure the row at ``position`` would store."""
        rows = self.rows
        return StoredFigure(
            rows.values[position],
            rows.qualifiers[position],
            rows.markers[position],
            rows.statuses[position],
        )

    @overload
    def __getitem__(self, index: int) -> Change: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Change]: ...

    def __getitem__(self, index: int | slice) -> Change | Sequence[Change]:
        """The change of row ``index`` (or a list of them for a slice)."""
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        position = range(len(self))[index]
        old = self.stored.get(position)
        row = self.rows[position]
        if old is None:
            return Change("new", row)
        return Change(self.kind(position), row, *old)

    def __iter__(self) -> Iterator[Change]:
        """Each row's change, made as it is reached."""
        return (self[i] for i in range(len(self)))

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many rows are new, revised and unchanged."""
        kinds = [self.kind(position) for position in self.stored]
        revised, unchanged = kinds.count("revised"), kinds.count("unchanged")
        return {"new": len(self) - len(kinds), "revised": revised, "unchanged": unchanged}

    def to_record(self) -> ReturnRows:
        """The rows a commit records: the new and revised ones, in order."""
        unchanged = [p for p in self.stored if self.kind(p) == "unchanged"]
        if not unchanged:
            return self.rows
        keep = [True] * len(self)
        for position in unchanged:
            keep[position] = False
        return self.rows.select(keep)

    def same_as(self, other: Changes) -> bool:
        """Whether ``other`` says the same about the same rows (keys, stored figures)."""
        same_rows = self.rows is other.rows or self.rows.keys == other.rows.keys
        return same_rows and dict(self.stored) == dict(other.stored)


@dataclass
class ReturnCheck:
    """The result of checking a file: its rows, every problem, and what it would change.

    ``rows`` and ``changes`` may be given as plain lists (a test builds a check that way);
    :func:`~jwmetrics.returns.check.check_return` fills them as :class:`ReturnRows` and
    :class:`Changes`.
    """

    file_name: str
    sha256: str
    partner: str
    table: RawTable
    rows: Sequence[ReturnRow] = field(default_factory=ReturnRows)
    problems: list[Problem] = field(default_factory=list)
    changes: Sequence[Change] = field(default_factory=Changes)
    already_imported: int | None = None  # id of a live return with the same content
    published_on: date = field(default_factory=date.today)  # when its figures became public

    @property
    def errors(self) -> list[Problem]:
        """Problems that block the commit."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems the user must confirm before the commit."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def counts(self) -> dict[str, int]:
        """Rows read, and changes by kind."""
        return {"read": self.table.row_count, **Changes.of(self.changes).counts}

    @property
    def has_changes(self) -> bool:
        """True when committing would record at least one figure."""
        counts = Changes.of(self.changes).counts
        return counts["new"] + counts["revised"] > 0

    @property
    def rows_without_partner(self) -> int:
        """Rows naming no partner, in their own cell or beside the file: nobody is on record
        as having sent them, so a page asks who did before the commit."""
        return sum(1 for row in self.rows if not row.partner.strip())
