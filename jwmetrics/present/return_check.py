"""A return being uploaded and checked: the report on it, as the upload page and ``import``
show it, and the words around the upload (sheets to choose from, size limits, where to see
the new figures).

The same words and tables on screen, on the command line and in the downloadable report.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from jwmetrics.periods import format_date
from jwmetrics.present import text
from jwmetrics.returns import Limits
from jwmetrics.tabular import archive_problem

if TYPE_CHECKING:
    from jwmetrics.profiles import InitiativeProfile
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
        return text.value(change.old_value, "", change.old_qualifier, change.old_marker)
    row = change.row
    return text.value(row.value, "", row.qualifier, row.marker)


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


def sheet_names(data: bytes, limits: Limits | None = None) -> list[str]:
    """The worksheet names of an .xlsx workbook, in order; [] when it cannot be read.

    A file over the byte limit, or an archive that would unpack too far
    (:func:`~jwmetrics.tabular.archive_problem`), is not opened at all: [] too, and the check
    of the file then says why.
    """
    from openpyxl import load_workbook

    limits = limits or Limits.from_environment()
    if len(data) > limits.max_bytes or archive_problem(data, limits.archive) is not None:
        return []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def limits_text(limits: Limits) -> str:
    """The limits in words: "at most 20 MB and 200,000 rows"."""
    megabytes = limits.max_bytes / (1024 * 1024)
    size = f"{megabytes:,.0f} MB" if megabytes >= 1 else f"{limits.max_bytes / 1024:,.0f} KB"
    return f"at most {size} and {limits.max_rows:,} rows"


def figure_link(check: ReturnCheck, profiles: Iterable[InitiativeProfile]) -> dict[str, str] | None:
    """Query parameters of the initiative page for the first new or revised figure, if any."""
    change = next((c for c in check.changes if c.kind != "unchanged"), None)
    if change is None:
        return None
    measure = change.row.measure_slug
    initiative = next(
        (p.slug for p in profiles if any(m.slug == measure for m in p.measures)), None
    )
    if initiative is None:
        return None
    return {"initiative": initiative, "measure": measure, "area": change.row.area_code}
