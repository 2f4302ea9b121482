"""The log of returns: every return as a row with its state, what one return recorded, who
uploaded it.

The returns-log page shows these tables and words (no Streamlit here), so the same logic
is unit-tested without a browser; the downloads keep dates as values. A return's state
(submitted, approved, rejected, withdrawn) comes with its last move: who made it, when and,
for a rejection, why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from jwmetrics import text
from jwmetrics.present.return_check import change_table
from jwmetrics.returns.commit import NO_APPROVAL_NEEDED

if TYPE_CHECKING:
    from jwmetrics.db.models import Return, ReturnEvent
    from jwmetrics.returns import RecordedChange
    from jwmetrics.store.names import CatalogueNames

LOG_COLUMNS = [
    "Id", "File", "Partner", "Uploaded by", "Uploaded", "Rows read", "New", "Revised",
    "Unchanged", "Outcome", "Withdrawn", "Withdrawn by", "State", "State by", "State at",
    "State reason", "Published",
]  # fmt: skip
ROWS_HEADER = "Rows read / new / revised / unchanged"
"""Names for reading; the ids last, for matching in a spreadsheet."""
NOT_RECORDED = "not recorded"
COUNTED_ON_UPLOAD = "counts (no approval needed)"


def person_text(name: str | None) -> str:
    """A recorded person (uploader, approver) as shown: the name, or "not recorded"."""
    return (name or "").strip() or NOT_RECORDED


def partner_text(name: str | None) -> str:
    """A recorded partner as shown: the name, or "not recorded"."""
    return (name or "").strip() or NOT_RECORDED


def _when(moment: datetime | None) -> str:
    """A moment the British way: "7 December 2001, 14:05"; "" for none."""
    return "" if moment is None else text.moment(moment)


def returns_log_frame(
    returns: Iterable[Return], events: Mapping[int, list[ReturnEvent]] | None = None
) -> pd.DataFrame:
    """Every return as a row, dates kept as values (for downloads), with its state and
    its last move (from ``events``, each return's moves oldest first; none when omitted)."""
    moves = events or {}
    rows = []
    for r in returns:
        last = moves[r.id][-1] if moves.get(r.id) else None
        rows.append(
            (
                r.id, r.file_name, r.partner, r.uploaded_by, r.uploaded_at, r.rows_read,
                r.rows_new, r.rows_revised, r.rows_unchanged, r.outcome, r.withdrawn_at,
                r.withdrawn_by or "", r.state or "", last.by if last else "",
                last.at if last else None, last.reason if last else "", r.published_on,
            )
        )  # fmt: skip
    return pd.DataFrame(rows, columns=LOG_COLUMNS)


def _moment(value: Any) -> str:
    """A log cell holding a datetime (or nothing) as British text."""
    return "" if pd.isna(value) else _when(pd.Timestamp(value).to_pydatetime())


def returns_log_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The log for the screen: the columns that say which return it is first (id, file,
    partner, uploader, state, when, published), then what it did and who moved it, as few
    columns as will do.

    "When" (uploaded) and "Published" (the day the figures became public) stay a moment and
    a day (the page's table writes them "7 December 2001, 14:05" and "31 January 2019" and
    sorts by them); who sent it and who uploaded it sit side by side; the state's last move
    and a withdrawal say who and when in words; the four row counts share one column
    ("2 / 1 / 1 / 0": read / new / revised / unchanged). The downloads keep
    :func:`returns_log_frame`'s separate columns and date values.
    """
    counts = frame[["Rows read", "New", "Revised", "Unchanged"]].astype(int)
    withdrawn = [
        _moment(when) + (f" by {who}" if who and not pd.isna(when) else "")
        for when, who in zip(frame["Withdrawn"], frame["Withdrawn by"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Id": frame["Id"],
            "File": frame["File"],
            "Partner": [partner_text(p) for p in frame["Partner"]],
            "Uploaded by": [person_text(p) for p in frame["Uploaded by"]],
            "State": [state_text(row) for _, row in frame.iterrows()],
            "When": pd.to_datetime(frame["Uploaded"]),
            "Published": pd.to_datetime(frame["Published"]),
            ROWS_HEADER: [" / ".join(f"{n:,}" for n in row) for row in counts.itertuples(False)],
            "Outcome": frame["Outcome"],
            "Last move": [last_move_text(row) for _, row in frame.iterrows()],
            "Withdrawn": withdrawn,
        }
    )


def counted_on_upload(row: pd.Series) -> bool:
    """True for a return that counted from its commit because no approval was needed: it
    is stored as "approved", but nobody approved it."""
    return bool(row["State"] == "approved" and row["State reason"] == NO_APPROVAL_NEEDED)


def state_text(row: pd.Series) -> str:
    """A return's state in words: "submitted", "approved", "rejected", "withdrawn", or
    "counts (no approval needed)" for one nobody had to approve."""
    return COUNTED_ON_UPLOAD if counted_on_upload(row) else str(row["State"] or "")


def last_move_text(row: pd.Series) -> str:
    """Who moved a return into its state and when ("3 December 2026, 10:15 by b@x.gov.uk"),
    and for a rejection why; a return nobody had to approve says when it began to count."""
    if not row["State by"] and pd.isna(row["State at"]):
        return ""
    if counted_on_upload(row):
        return f"{_moment(row['State at'])}: counted on upload".strip()
    text = f"{_moment(row['State at'])} by {person_text(row['State by'])}".strip()
    reason = str(row["State reason"] or "")
    return f"{text}: {reason}" if reason and row["State"] == "rejected" else text


def return_choice_label(frame: pd.DataFrame, return_id: int) -> str:
    """How the picker names a return: "Return 3 — rough.csv (committed, 12 June 2002, 10:00)";
    a return waiting for approval, or rejected, says so instead of "committed"."""
    row = frame.loc[frame["Id"] == return_id].iloc[0]
    shown = row["State"] if row["State"] in ("submitted", "rejected") else row["Outcome"]
    return f"Return {return_id} — {row['File']} ({shown}, {_moment(row['Uploaded'])})"


def return_changes_frame(
    changes: Iterable[RecordedChange], names: CatalogueNames | None = None
) -> pd.DataFrame:
    """What a committed return recorded: row, measure, area, period, old -> new (the same
    table a check shows before the commit)."""
    return change_table(changes, names)
