"""One change between two days (:class:`ChangeRecord`), the kinds of change, and a page of
them (:class:`ChangePage`): what :mod:`jwmetrics.briefing.changes` lists and the panel, the
pack and the CLI show."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

KINDS = ("status", "figure", "target", "comment")
"""The kinds of change, in the order they are listed."""


@dataclass(frozen=True)
class ChangeRecord:
    """One change between two days.

    ``before`` and ``after`` are what stood on each day (None: nothing then): a status word,
    a figure's value (a number, or its marker such as ``..``), a target in words. ``when``
    is the day the change became known; ``source`` where it came from.
    """

    kind: str
    initiative: str
    measure: str
    area_code: str
    before: float | str | None
    after: float | str | None
    when: date | None
    source: str
    period: str = ""  # a figure's period
    before_reason: str = ""  # a status's reason on the first day
    after_reason: str = ""  # and on the second

    def as_record(self) -> dict[str, object]:
        """A flat dict with ISO dates, for JSON and CSV output."""
        record = asdict(self)
        record["when"] = None if self.when is None else self.when.isoformat()
        return record


@dataclass(frozen=True)
class ChangeCount:
    """How many changes of one kind: exact up to a cap, then "at least" (``capped``).

    Counting every figure of a window that holds millions would read them all; the count
    stops one past the cap instead, so a page costs the same whatever the data's size.
    """

    kind: str
    count: int
    capped: bool = False

    @property
    def text(self) -> str:
        """The count in words' digits: ``1,234``, or ``10,000+`` when capped."""
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


@dataclass(frozen=True)
class ChangePage:
    """Up to a page of changes of one kind, newest first, and where the next page starts
    (``next_after``: None when this is the last; pass it back for the next page)."""

    kind: str
    records: list[ChangeRecord] = field(default_factory=list)
    next_after: tuple[str, int] | None = None
