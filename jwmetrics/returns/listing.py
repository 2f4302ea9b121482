"""How many problems a check lists: the first :data:`MAX_PROBLEMS`, then one line for the rest.

A file of 20,000 unknown codes must not build 20,000 messages (or a page that lists them):
past the limit only the count by severity is kept.
"""

from __future__ import annotations

from jwmetrics.problems import MAX_PROBLEMS, Problem
from jwmetrics.tabular import RawTable

__all__ = ["MAX_PROBLEMS", "Listing", "list_layout_problems", "trim_warnings"]


class Listing:
    """Collects a check's row problems in order, keeping the first ones and counting the rest."""

    def __init__(self, problems: list[Problem], file_name: str) -> None:
        """Collect into ``problems`` (the check's list), naming ``file_name``."""
        self.problems = problems
        self.file_name = file_name
        self.unlisted = {"error": 0, "warning": 0}  # problems past MAX_PROBLEMS, by severity

    def add(
        self, row: int | None, column: str | None, value: str | None, message: str, severity: str
    ) -> None:
        """Record one problem, or only count it once the list is full."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.unlisted[severity] += 1
            return
        self.problems.append(Problem(self.file_name, row, column, value, message, severity))

    def summarise(self) -> None:
        """One problem saying how many more there were than are listed."""
        more = sum(self.unlisted.values())
        if not more:
            return
        message = (
            f"{more:,} more problem(s) not listed ({self.unlisted['error']:,} error(s), "
            f"{self.unlisted['warning']:,} warning(s)): only the first {MAX_PROBLEMS:,} are "
            "shown; fix these and check the file again"
        )
        severity = "error" if self.unlisted["error"] else "warning"
        self.problems.append(Problem(self.file_name, None, None, None, message, severity))


def list_layout_problems(problems: list[Problem], table: RawTable) -> None:
    """Add the problems found reading the file's layout, at most :data:`MAX_PROBLEMS`."""
    problems.extend(table.problems[:MAX_PROBLEMS])
    if len(table.problems) > MAX_PROBLEMS:
        more = len(table.problems) - MAX_PROBLEMS
        message = f"{more:,} more problem(s) in the file's layout not listed"
        problems.append(Problem(table.file_name, None, None, None, message))


def trim_warnings(problems: list[Problem], file_name: str) -> None:
    """Cut a list grown long with warnings about changes back to :data:`MAX_PROBLEMS`."""
    if len(problems) > MAX_PROBLEMS + 2:
        more = len(problems) - MAX_PROBLEMS
        del problems[MAX_PROBLEMS:]
        message = f"{more:,} more warning(s) not listed: only the first {MAX_PROBLEMS:,} are shown"
        problems.append(Problem(file_name, None, None, None, message, "warning"))
