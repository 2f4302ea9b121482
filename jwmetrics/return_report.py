"""The report on a checked return, as the upload page and ``import`` show it.

The same words and tables on screen, on the command line and in the downloadable report.
"""

from __future__ import annotations

import pandas as pd

from jwmetrics import fmt
from jwmetrics.periods import format_date
from jwmetrics.returns import Change, ReturnCheck

PROBLEM_COLUMNS = ["Severity", "Row", "Column", "Value", "Problem"]
CHANGE_COLUMNS = ["Row", "Change", "Measure", "Area code", "Period", "Old value", "New value"]


def problems_frame(check: ReturnCheck) -> pd.DataFrame:
    """Every problem: severity, spreadsheet row, column, the value found, what was expected."""
    frame = pd.DataFrame(
        [(p.severity, p.row, p.column or "", p.value or "", p.message) for p in check.problems],
        columns=PROBLEM_COLUMNS,
    )
    frame["Row"] = frame["Row"].astype("Int64")  # whole numbers, blank for file-wide problems
    return frame


def _value(change: Change, old: bool) -> str:
    if old:
        if change.kind == "new":
            return ""
        return fmt.value(change.old_value, "", change.old_qualifier, change.old_marker)
    row = change.row
    return fmt.value(row.value, "", row.qualifier, row.marker)


def changes_frame(
    check: ReturnCheck, kinds: tuple[str, ...] = ("new", "revised", "unchanged")
) -> pd.DataFrame:
    """What committing would do, row by row: new, revised (old -> new) or unchanged."""
    return pd.DataFrame(
        [
            (
                c.row.row_number,
                c.kind,
                c.row.measure_slug,
                c.row.area_code,
                c.row.period.label,
                _value(c, old=True),
                _value(c, old=False),
            )
            for c in check.changes
            if c.kind in kinds
        ],
        columns=CHANGE_COLUMNS,
    )


def summary_text(check: ReturnCheck) -> str:
    """One paragraph: what was read, how many errors and warnings, what would change."""
    counts = check.counts
    table = check.table
    how = f"{table.encoding}" + (f", delimiter {table.delimiter!r}" if table.delimiter else "")
    if table.sheet:
        how += f", sheet {table.sheet!r}"
    lines = [
        f"{check.file_name}: {counts['read']} row(s) read ({how}).",
        f"{len(check.errors)} error(s), {len(check.warnings)} warning(s).",
    ]
    if not check.errors:
        lines.append(
            f"Would record {counts['new']} new and {counts['revised']} revised value(s), "
            f"published on {format_date(check.published_on)}; {counts['unchanged']} unchanged."
        )
    if check.already_imported is not None:
        lines.append(f"This file was already imported as return {check.already_imported}.")
    return " ".join(lines)


def report_text(check: ReturnCheck) -> str:
    """The full report as plain text: summary, every problem, every change."""
    lines = [summary_text(check)]
    for problem in check.problems:
        lines.append(f"{problem.severity.upper()}: {problem}")
    for change in check.changes:
        if change.kind == "unchanged":
            continue
        row = change.row
        old = f"{_value(change, old=True)} -> " if change.kind == "revised" else ""
        lines.append(
            f"{change.kind.upper()}: row {row.row_number}, {row.measure_slug}, {row.area_code}, "
            f"{row.period.label}: {old}{_value(change, old=False)}"
        )
    return "\n".join(lines) + "\n"
