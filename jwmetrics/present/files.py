"""Files to download: the status table and a series' figures as CSV or Excel workbooks.

Values stay numbers and dates (not formatted text) so a spreadsheet can compute with them;
headers are written for people. Dates in files are ISO 8601 ("2026-12-07", "2026-12-07
13:38:05"), whatever the screen shows: a CSV cell holds that text, a workbook cell a real
date shown in that form. CSV carries a UTF-8 byte order mark so Excel reads "£"
correctly; workbooks get a bold, frozen header row, fitted column widths and an optional
"About" sheet saying where the figures come from and when they were known.

Text that came from partners' files or catalogues ("=HYPERLINK(...)" as a partner name) must
never run as a formula in the analyst's spreadsheet: every CSV and workbook cell goes through
:func:`safe_cell`, and workbook text cells are written as strings, never as formulas.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from jwmetrics.present.status import status_label

if TYPE_CHECKING:  # openpyxl is imported when a workbook is built, not at app start-up
    from openpyxl.worksheet.worksheet import Worksheet

    from jwmetrics.assess.detail import SeriesDetail
    from jwmetrics.assess.portfolio import Assessment

SHEET_NAME_LIMIT = 31  # Excel's limit on the length of a sheet name
MAX_COLUMN_WIDTH = 60  # characters; longer text (reasons, sources) wraps in the cell instead
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The media type of an Excel workbook, for download buttons."""

UNIT_WORDS = {"percent": "per cent", "GBP": "£"}

PROGRESS_HEADER = "Progress (share of required change)"
NUMBER_FORMATS = {PROGRESS_HEADER: "0%", "Chance of meeting the target": "0%"}
"""Display formats for particular columns; the stored value is unchanged (0.93 shows 93%)."""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a text cell as a formula (OWASP "CSV injection")."""
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?|-+")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')

CSV_NEWLINE = "\r\n"
"""How a CSV row ends unless a caller has always written another ending (RFC 4180)."""


def safe_cell(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula; anything but text is unchanged.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'`` (OWASP's advice), so ``=HYPERLINK("http://…","x")`` is shown, not followed. So does
    each line inside the text that starts so (after a carriage return, a line feed or both):
    a reader that splits rows on any line break (a careless importer, an old spreadsheet)
    then finds no formula at the start of any line either. Text that is only a number ("-5",
    "+3.2%") or dashes (the nil marker "-") cannot be a formula and is left alone; numbers
    (a negative one too) stay numbers.
    """
    if not isinstance(value, str):
        return value
    if "\r" in value or "\n" in value:
        parts = _LINE_BREAK.split(value)  # line, break, line, break, ..., line
        value = "".join(
            _safe_line(part) if index and index % 2 == 0 else part
            for index, part in enumerate(parts)
        )
    return _safe_line(value)


def _safe_line(text: str) -> str:
    """``text`` with a leading ``'`` if it starts like a formula and is not a plain number."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with :func:`safe_cell` applied to its headers and every text cell."""
    safe = frame.rename(columns=lambda c: safe_cell(str(c)))
    for index in range(safe.shape[1]):
        column = safe.iloc[:, index]
        if pd.api.types.is_object_dtype(column.dtype) or pd.api.types.is_string_dtype(column.dtype):
            safe.isetitem(index, column.map(safe_cell, na_action="ignore"))
    return safe


def csv_field(value: Any) -> str:
    """One CSV field: formula-safe (:func:`safe_cell`), missing as empty, and in double
    quotes (each ``"`` doubled) when it holds a comma, a quote, a carriage return or a line
    feed.

    Why not the csv module or pandas: both leave a lone carriage return unquoted when rows
    end in ``"\\n"``, and a spreadsheet then starts a new row inside the field.
    """
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp | datetime | date):
        value = _iso_cell(value)
    text = str(safe_cell(value))
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], newline: str = CSV_NEWLINE
) -> str:
    """The one CSV writer of every download and every ``--format csv``: ``header`` then each
    row, every field made by :func:`csv_field`, each line ending in ``newline``.

    A row of one empty field is written ``""`` (as the csv module does), so it is not read
    as a blank line and skipped.
    """
    lines = []
    for values in (header, *rows):
        fields = [csv_field(value) for value in values]
        lines.append('""' if fields == [""] else ",".join(fields))
    return "".join(line + newline for line in lines)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV in UTF-8 with a byte order mark (so Excel shows "£"), without the index.

    Written by :func:`csv_text`: no cell can run as a formula or break its row. Rows end in
    ``"\\n"``, as these files always have.
    """
    shown = _iso_moments(frame)
    rows = shown.astype(object).itertuples(index=False, name=None)
    return csv_text([str(c) for c in frame.columns], rows, newline="\n").encode("utf-8-sig")


def _iso_moments(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every date-time written ISO 8601 to the second ("2026-12-07 13:38:05",
    no microseconds); days are written ISO already ("2026-12-07")."""
    shown = frame
    for index in range(frame.shape[1]):
        column = frame.iloc[:, index]
        moments = pd.api.types.is_datetime64_any_dtype(column.dtype) or any(
            isinstance(v, datetime) for v in column.dropna().head(50)
        )
        if moments:
            if shown is frame:
                shown = frame.copy()
            shown.isetitem(index, column.map(_iso_cell, na_action="ignore"))
    return shown


def _iso_cell(value: Any) -> Any:
    """A date-time as ISO text to the second; a day as ISO text; anything else as it is."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_row(values: dict[str, Any]) -> dict[str, Any]:
    """One record for :class:`csv.DictWriter`, every value made safe (:func:`safe_cell`)."""
    return {key: safe_cell(value) for key, value in values.items()}


def _sheet_title(name: str, taken: set[str]) -> str:
    """A valid sheet name: no forbidden characters, at most 31 characters, unique in ``taken``.

    Excel compares sheet names ignoring case, so uniqueness does too: a clash becomes
    "Name (2)", shortened to fit.
    """
    base = FORBIDDEN_IN_SHEET_NAMES.sub("-", str(name)).strip("'").strip() or "Sheet"
    title = base[:SHEET_NAME_LIMIT]
    number = 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(title.lower())
    return title


def _cell_value(value: Any) -> Any:
    """A pandas/numpy value as something openpyxl writes: missing becomes an empty cell."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones
    if hasattr(value, "item") and not isinstance(value, (date, str)):
        return value.item()  # numpy scalar to Python
    return safe_cell(value)


def _append_text_safe(sheet: Worksheet, values: list[Any]) -> None:
    """Append a row; every text cell is written as a string, never read as a formula.

    openpyxl treats any text starting with "=" as a formula; setting the cell's type to
    string afterwards makes it plain text whatever it holds.
    """
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _number_format(header: str, value: Any) -> str | None:
    """The display format of a cell: dates the British way, and any per-column format."""
    if header in NUMBER_FORMATS:
        return NUMBER_FORMATS[header]
    if isinstance(value, datetime):
        return DATE_FORMAT if value.time() == datetime.min.time() else DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


def _display_width(value: Any) -> int:
    """Roughly how many characters a cell shows, for fitting the column."""
    if value is None:
        return 0
    if isinstance(value, (date, datetime)):
        return 17 if isinstance(value, datetime) and value.time() != datetime.min.time() else 11
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_frame(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Write ``frame`` with a bold, frozen header row and columns fitted to their contents."""
    from openpyxl.styles import Font

    headers = [str(column) for column in frame.columns]
    _append_text_safe(sheet, [safe_cell(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(header) for header in headers]
    for row in frame.itertuples(index=False, name=None):
        values = [_cell_value(value) for value in row]
        _append_text_safe(sheet, values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], _display_width(value))
            number_format = _number_format(headers[index], value)
            if number_format and value is not None:
                sheet.cell(sheet.max_row, index + 1).number_format = number_format
    sheet.freeze_panes = "A2"
    _fit_columns(sheet, widths)


def _fit_columns(sheet: Worksheet, widths: list[int]) -> None:
    """Set each column's width; text wider than the limit wraps within the cell."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(width, MAX_COLUMN_WIDTH) + 2
        if width > MAX_COLUMN_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_notes(sheet: Worksheet, notes: dict[str, str]) -> None:
    """The "About" sheet: a bold, frozen header, then one note per row with its name in bold."""
    from openpyxl.styles import Alignment, Font

    _append_text_safe(sheet, ["Item", "Detail"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for name, text in notes.items():
        _append_text_safe(sheet, [safe_cell(str(name)), safe_cell(str(text))])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    keys = [len("Item"), *(len(str(name)) for name in notes)]
    texts = [len("Detail"), *(_display_width(text) for text in notes.values())]
    _fit_columns(sheet, [max(keys, default=0), max(texts, default=0)])


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame], notes: dict[str, str] | None = None) -> bytes:
    """An Excel workbook with one sheet per frame and, given ``notes``, an "About" sheet.

    Sheet names are made valid for Excel (31 characters at most, unique). ``notes`` map a
    heading to its text, e.g. ``{"Source": "NAO HC 383", "As known on": "7 December 2001"}``.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        _write_frame(workbook.create_sheet(_sheet_title(name, taken)), frame)
    if notes:
        _write_notes(workbook.create_sheet(_sheet_title("About", taken)), notes)
    if not workbook.worksheets:
        workbook.create_sheet("Data")  # a workbook needs at least one sheet
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _nullable_int(values: list[int | None]) -> pd.Series:
    """Whole numbers that may be missing, kept as integers (not 160.0)."""
    return pd.Series(values, dtype="Int64")


def assessments_frame(rows: list[Assessment]) -> pd.DataFrame:
    """The status table with readable headers, numbers and dates left as values.

    Status is the canonical word ("Green"), as on screen; "Unit" is added after "Area code"
    because the values of different measures are in different units. The initiative's and
    measure's ids come last, for joining the file to others.
    """
    return pd.DataFrame(
        {
            "Initiative": [r.initiative_name for r in rows],
            "Measure": [r.measure_name for r in rows],
            "Area": [r.area_name for r in rows],
            "Area code": [r.area_code for r in rows],
            "Unit": [UNIT_WORDS.get(r.unit, r.unit) for r in rows],
            "Latest value": pd.Series([r.latest_value for r in rows], dtype="float64"),
            "Qualifier": [r.latest_qualifier for r in rows],
            "Period": [r.latest_period for r in rows],
            "Published on": pd.Series([r.published_on for r in rows], dtype="object"),
            "Age of latest figure (days)": _nullable_int([r.latest_age_days for r in rows]),
            "Baseline": pd.Series([r.baseline_value for r in rows], dtype="float64"),
            "Baseline period": [r.baseline_period for r in rows],
            "Target": pd.Series([r.target_value for r in rows], dtype="float64"),
            "Target date": pd.Series([r.target_date for r in rows], dtype="object"),
            PROGRESS_HEADER: pd.Series([r.progress for r in rows], dtype="float64"),
            "Status": [status_label(r.status) for r in rows],
            "Trend call": [status_label(r.trend_status or "") for r in rows],
            "Reason": [r.reason for r in rows],
            "Source of latest figure": [r.latest_source for r in rows],
            "As known on": pd.Series([r.as_of for r in rows], dtype="object"),
            # Added after the columns users' sheets already refer to, so none of them moves.
            "Chance of meeting the target": pd.Series(
                [r.probability_met for r in rows], dtype="float64"
            ),
            # Ids last: names are for reading, ids for joining the download to other files.
            "Initiative id": [r.initiative for r in rows],
            "Measure id": [r.measure for r in rows],
            "Target id": _nullable_int([r.target_id for r in rows]),
        }
    )


def observations_frame(detail: SeriesDetail) -> pd.DataFrame:
    """Every current figure of one series with its provenance, oldest period first."""
    views = detail.observations
    return pd.DataFrame(
        {
            "Period": [v.period.label for v in views],
            "Period start": pd.Series([v.period.start for v in views], dtype="object"),
            "Period end": pd.Series([v.period.end for v in views], dtype="object"),
            "Value": pd.Series([v.value for v in views], dtype="float64"),
            "Qualifier": [v.qualifier for v in views],
            "Marker": [v.marker or "" for v in views],
            "Status": [v.data_status for v in views],
            "Source": [v.source for v in views],
            "Return id": _nullable_int([v.return_id for v in views]),
            "Row in return": _nullable_int([v.row_number for v in views]),
            "Published on": pd.Series([v.published_on for v in views], dtype="object"),
            "Recorded at": pd.Series([v.recorded_at for v in views], dtype="object"),
        }
    )
