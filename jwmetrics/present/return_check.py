"""A return being uploaded and checked: the report on it, as the upload page and ``import``
show it, and the words around the upload (sheets to choose from, size limits, where to see
the new figures).

The same words and tables on screen, on the command line and in the downloadable report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from jwmetrics import text
from jwmetrics.periods import format_date
from jwmetrics.returns import Limits
from jwmetrics.tabular import sheet_names as workbook_sheet_names

if TYPE_CHECKING:
    from jwmetrics.catalogue.profiles import InitiativeProfile
    from jwmetrics.problems import Problem
    from jwmetrics.returns import Change, ReturnCheck
    from jwmetrics.store.names import CatalogueNames

PROBLEM_COLUMNS = ["Severity", "Row", "Column", "Value", "Problem"]
CHANGE_COLUMNS = [
    "Row", "Change", "Measure", "Area", "Period", "Old value", "New value", "Measure id",
    "Area code",
]  # fmt: skip
"""Names for reading; the ids last, for matching in a spreadsheet."""

FIX_HINTS = {
    "initiative": "enter the initiative id the template gives",
    "measure": "enter a measure id from the template (the measure column)",
    "area_code": "enter an ONS area code such as E92000001 (England)",
    "period": "enter a period such as June 2002, 2002 Q1, 2001-02 or 2002",
    "value": "enter a number such as 1,850, 55.4% or £650, or a marker: .., x or -",
    "published_on": "enter a date such as 2002-06-30",
}
"""What to enter instead, by column, for the error summary."""


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


def change_table(changes: Iterable[Change], names: CatalogueNames | None = None) -> pd.DataFrame:
    """Changes row by row: new, revised (old -> new) or unchanged, the same table before a
    commit (a check's changes) and after it (what a return recorded): one change type.

    Measures and areas by name (given ``names``), their ids in the last two columns.
    """
    return pd.DataFrame(
        [
            (
                c.row.row_number,
                c.kind,
                names.measure(c.row.measure_slug) if names else c.row.measure_slug,
                names.area(c.row.area_code) if names else c.row.area_code,
                c.row.period.label,
                _value(c, old=True),
                _value(c, old=False),
                c.row.measure_slug,
                c.row.area_code,
            )
            for c in changes
        ],
        columns=CHANGE_COLUMNS,
    ).astype({"Row": "Int64"})


def changes_frame(
    check: ReturnCheck,
    kinds: tuple[str, ...] = ("new", "revised", "unchanged"),
    names: CatalogueNames | None = None,
) -> pd.DataFrame:
    """What committing would do, row by row (:func:`change_table` of the chosen kinds)."""
    return change_table([c for c in check.changes if c.kind in kinds], names)


def summary_text(check: ReturnCheck) -> str:
    """One paragraph: what was read, how many errors and warnings, what would change."""
    counts = check.counts
    table = check.table
    how = f"{table.encoding}" + (f", delimiter {table.delimiter!r}" if table.delimiter else "")
    if table.sheet:
        how += f", sheet {table.sheet!r}"
    lines = [
        f"{check.file_name}: {text.plural(counts['read'], 'row')} read ({how}).",
        f"{text.sentence(text.plural(len(check.errors), 'error'))}, "
        f"{text.plural(len(check.warnings), 'warning')}.",
    ]
    if not check.errors:
        lines.append(
            f"Would record {counts['new']:,} new and "
            f"{text.plural(counts['revised'], 'revised value')}, "
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

    A file over the byte limit, or an archive that would unpack too far or hold too much
    XML (:func:`~jwmetrics.tabular.archive_problem`), is not opened at all: [] too, and the
    check of the file then says why. No worksheet is parsed to list them.
    """
    limits = limits or Limits.from_environment()
    if len(data) > limits.max_bytes:
        return []
    return workbook_sheet_names(data, limits.archive)


def limits_text(limits: Limits, uploader_megabytes: float | None = None) -> str:
    """The limits in words: "at most 20 MB and 200,000 rows".

    Given the uploader's own limit (Streamlit's ``server.maxUploadSize``, in MB), the size
    stated is the smaller of the two, so the page states one limit and the one that applies.
    """
    max_bytes = limits.max_bytes
    if uploader_megabytes is not None:
        max_bytes = min(max_bytes, round(uploader_megabytes * 1024 * 1024))
    megabytes = max_bytes / (1024 * 1024)
    size = f"{megabytes:,.0f} MB" if megabytes >= 1 else f"{max_bytes / 1024:,.0f} KB"
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


def problem_anchor(row: int | None) -> str:
    """The anchor of a row's entry in the problems list: "problem-row-5", "problem-file"."""
    return "problem-file" if row is None else f"problem-row-{row}"


def row_heading(check: ReturnCheck, row: int | None, names: CatalogueNames | None = None) -> str:
    """A problem row named by what it is about: "Row 5: Rough sleepers count, England".

    The measure and area come from the row's own cells, by name when the catalogue knows
    them; "The file as a whole" for problems without a row.
    """
    if row is None:
        return "The file as a whole"
    cells = next((r.cells for r in check.table.rows if r.row_number == row), {})
    measure, area = cells.get("measure", "").strip(), cells.get("area_code", "").strip()
    about = []
    if measure:
        about.append(names.measures.get(measure, measure) if names else measure)
    if area:
        known = names.areas.get(area) if names else None
        about.append(known or f"area {area}")
    return f"Row {row}: {', '.join(about)}" if about else f"Row {row}"


def fix_text(problem: Problem) -> str:
    """One error in a sentence with what to enter instead."""
    what = f"{problem.column}: " if problem.column else ""
    message = problem.message.rstrip(".")
    hint = FIX_HINTS.get(problem.column or "")
    if hint and "expected" not in problem.message:
        return f"{what}{message}; {hint}."
    return f"{what}{message}."


def error_summary(check: ReturnCheck, names: CatalogueNames | None = None) -> list[tuple[str, str]]:
    """The error summary, GOV.UK style: (anchor, words) for each error, in file order.

    Each names the row's measure and area and says what to enter instead; the anchor is the
    row's entry in the problems list (:func:`problem_anchor`).
    """
    return [
        (problem_anchor(p.row), f"{row_heading(check, p.row, names)} — {fix_text(p)}")
        for p in check.errors
    ]


def format_notes_markdown(notes: str) -> str:
    """The return format's notes for the app: its pointer to ``docs/returns.md`` becomes a
    link to the Help page, which shows that document."""
    return notes.replace(
        "See docs/returns.md.",
        "The full format: [Help: the format of a return](help?topic=returns).",
    )
