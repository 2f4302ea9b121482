"""Small pure helpers behind the upload and returns-log pages (no Streamlit here).

The pages stay thin: they call these for the words and tables they show, so the same
logic is unit-tested without a browser.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from jwmetrics import fmt
from jwmetrics.models import Return
from jwmetrics.profiles import InitiativeProfile
from jwmetrics.returns import Limits, RecordedChange, ReturnCheck
from jwmetrics.tabular import archive_problem

LOG_COLUMNS = [
    "Id", "File", "Partner", "Uploaded by", "Uploaded", "Rows read", "New", "Revised",
    "Unchanged", "Outcome", "Withdrawn", "Withdrawn by",
]  # fmt: skip
ROWS_HEADER = "Rows: read/new/revised/unchanged"
RECORDED_COLUMNS = ["Row", "Change", "Measure", "Area code", "Period", "Old value", "New value"]
ANONYMOUS = "anonymous"


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


def uploader_name(user: Mapping[str, Any], partner: str = "") -> str:
    """Who uploads: the signed-in user's email (or name), else the partner, else "anonymous"."""
    if user.get("is_logged_in"):
        for key in ("email", "name"):
            text = str(user.get(key) or "").strip()
            if text:
                return text
    return partner.strip() or ANONYMOUS


def sentence(text: str) -> str:
    """``text`` with its first letter made capital (the rest untouched, unlike ``capitalize``)."""
    return text[:1].upper() + text[1:]


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


def _when(moment: datetime | None) -> str:
    """A moment the British way: "07/12/2001 14:05"; "" for none."""
    return "" if moment is None else f"{moment:%d/%m/%Y %H:%M}"


def returns_log_frame(returns: Iterable[Return]) -> pd.DataFrame:
    """Every return as a row, dates kept as values (for downloads)."""
    return pd.DataFrame(
        [
            (
                r.id, r.file_name, r.partner, r.uploaded_by, r.uploaded_at, r.rows_read,
                r.rows_new, r.rows_revised, r.rows_unchanged, r.outcome, r.withdrawn_at,
                r.withdrawn_by or "",
            )
            for r in returns
        ],
        columns=LOG_COLUMNS,
    )  # fmt: skip


def _moment(value: Any) -> str:
    """A log cell holding a datetime (or nothing) as British text."""
    return "" if pd.isna(value) else _when(pd.Timestamp(value).to_pydatetime())


def returns_log_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The log for the screen: the columns that matter most first, as few as will do.

    Dates read the British way ("07/12/2001 14:05"); the four row counts share one column
    ("2 / 1 / 1 / 0": read / new / revised / unchanged) and "Withdrawn" says when and by whom.
    The downloads keep :func:`returns_log_frame`'s separate columns and date values.
    """
    counts = frame[["Rows read", "New", "Revised", "Unchanged"]].astype(int)
    withdrawn = [
        _moment(when) + (f" by {who}" if who and not pd.isna(when) else "")
        for when, who in zip(frame["Withdrawn"], frame["Withdrawn by"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Id": frame["Id"],
            "When": [_moment(v) for v in frame["Uploaded"]],
            "File": frame["File"],
            "Outcome": frame["Outcome"],
            ROWS_HEADER: [" / ".join(str(n) for n in row) for row in counts.itertuples(False)],
            "Partner": frame["Partner"],
            "Uploaded by": frame["Uploaded by"],
            "Withdrawn": withdrawn,
        }
    )


def return_choice_label(frame: pd.DataFrame, return_id: int) -> str:
    """How the picker names a return: "Return 3 — rough.csv (committed, 12/06/2002 10:00)"."""
    row = frame.loc[frame["Id"] == return_id].iloc[0]
    return f"Return {return_id} — {row['File']} ({row['Outcome']}, {_moment(row['Uploaded'])})"


def return_changes_frame(changes: Iterable[RecordedChange]) -> pd.DataFrame:
    """What a committed return recorded: row, measure, area, period, old -> new."""
    return pd.DataFrame(
        [
            (
                c.row.row_number,
                c.kind,
                c.row.measure_slug,
                c.row.area_code,
                c.row.period.label,
                fmt.value(c.old_value, "") if c.kind == "revised" else "",
                fmt.value(c.row.value, ""),
            )
            for c in changes
        ],
        columns=RECORDED_COLUMNS,
    ).astype({"Row": "Int64"})
