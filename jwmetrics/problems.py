"""Problems found in input: where (file, row, column), what was there and what was expected.

Every loader collects all its problems before writing anything, so a user sees every
mistake at once and a file with any error changes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

SHOWN_VALUE_CHARS = 80  # a cell quoted in a problem is cut here, with "…" and its length


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or row, or file) of an input file."""

    file_name: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = "error"  # "error" blocks a load; "warning" asks for confirmation

    def __post_init__(self) -> None:
        """Never carry a whole oversized cell into a message: keep its start and its length."""
        if self.value is not None and len(self.value) > SHOWN_VALUE_CHARS:
            shown = f"{self.value[:SHOWN_VALUE_CHARS]}… ({len(self.value):,} characters)"
            object.__setattr__(self, "value", shown)

    def __str__(self) -> str:
        where = [self.file_name]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        shown = f": {self.value!r}" if self.value not in (None, "") else ""
        return f"{', '.join(where)}{shown} — {self.message}"


class InputError(ValueError):
    """Input was refused; ``problems`` lists every reason. Nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s), nothing was changed:\n{lines}")


def did_you_mean(value: str, choices: Iterable[str], limit: int = 3) -> str:
    """Suffix naming the nearest valid choices, e.g. " (did you mean 'sure-start'?)"."""
    options = list(choices)
    close = difflib.get_close_matches(value, options, n=limit, cutoff=0.5)
    if not close:
        lowered = {o.lower(): o for o in options}
        close = difflib.get_close_matches(value.lower(), list(lowered), n=limit, cutoff=0.5)
        close = [lowered[c] for c in close]
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
