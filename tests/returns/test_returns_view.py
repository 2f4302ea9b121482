"""Unit tests of the upload and returns-log helpers (:mod:`jwmetrics.present.return_check`,
:mod:`jwmetrics.present.returns_log`, :func:`jwmetrics.text.sentence`)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from jwmetrics.catalogue.profiles import all_profiles
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Return
from jwmetrics.periods import parse_period
from jwmetrics.present.files import to_xlsx_bytes
from jwmetrics.present.return_check import figure_link, limits_text, problems_frame, sheet_names
from jwmetrics.present.returns_log import (
    LOG_COLUMNS,
    ROWS_HEADER,
    return_changes_frame,
    return_choice_label,
    returns_log_frame,
    returns_log_table,
)
from jwmetrics.problems import Problem
from jwmetrics.returns import (
    Limits,
    RecordedChange,
    ReturnCheck,
    ReturnRow,
    check_return,
    commit_return,
    return_changes,
    returns_log,
)
from jwmetrics.returns.history import return_events
from jwmetrics.tabular import RawTable
from jwmetrics.text import sentence

ENGLAND = "E92000001"
HEADER = "initiative,measure,area_code,period,value\n"
NEW_ROW = f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2002,532\n"
REVISED_ROW = f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2001,650\n"


def test_sheet_names_lists_sheets_in_order() -> None:
    """Sheet names come back in workbook order; anything that is not a workbook gives []."""
    frame = pd.DataFrame({"a": [1]})
    data = to_xlsx_bytes({"Cover": frame, "Return": frame}, {"About": "x"})
    assert sheet_names(data) == ["Cover", "Return", "About"]
    assert sheet_names(b"initiative,measure\n") == []
    assert sheet_names(b"PK\x03\x04 truncated zip") == []


@pytest.mark.parametrize(
    ("limits", "text"),
    [
        (Limits(), "at most 20 MB and 200,000 rows"),
        (Limits(max_bytes=512 * 1024, max_rows=50), "at most 512 KB and 50 rows"),
    ],
)
def test_limits_text(limits: Limits, text: str) -> None:
    """The limits read as the page states them."""
    assert limits_text(limits) == text


def test_partner_and_uploader_are_separate_and_a_return_nobody_approved_says_so(
    db: Database,
) -> None:
    """The partner who sent a return and the person who uploaded it are two columns; a return
    that counted because no approval was needed never reads "approved by" anyone."""
    check = check_return(db, (HEADER + NEW_ROW).encode(), "r.csv", partner="DTLR")
    commit_return(db, check, confirm_warnings=True)  # local mode: the local analyst
    blank = check_return(db, (HEADER + REVISED_ROW).encode(), "s.csv")
    commit_return(db, blank, uploaded_by="", confirm_warnings=True)
    shown = returns_log_table(returns_log_frame(returns_log(db), return_events(db)))
    shown = shown.set_index("Id")
    assert shown.loc[1, ["Partner", "Uploaded by"]].tolist() == ["DTLR", "local analyst"]
    assert shown.loc[2, "Partner"] == "not recorded"  # never silently "anonymous"
    assert (shown["State"] == "counts (no approval needed)").all()
    assert all(move.endswith(": counted on upload") for move in shown["Last move"])
    assert not any("by" in move for move in shown["Last move"])


def test_sentence_keeps_the_rest() -> None:
    """Only the first letter changes (file names keep their case)."""
    assert sentence("return 1 committed: R.csv") == "Return 1 committed: R.csv"
    assert sentence("") == ""


def test_problems_table_rows_are_whole_numbers(seeded_db: Database) -> None:
    """Row numbers stay whole even when a file-level problem has no row."""
    check = ReturnCheck("r.csv", "0" * 64, "", RawTable("r.csv"))
    check.problems += [
        Problem("r.csv", None, None, None, "the file is too large"),
        Problem("r.csv", 7, "value", "x", "not a number"),
    ]
    table = problems_frame(check)
    assert str(table["Row"].dtype) == "Int64"
    assert table["Row"].isna().tolist() == [True, False]
    assert table.loc[1, "Row"] == 7
    assert table.to_csv(index=False).splitlines()[2].startswith("error,7,value")
    bad = check_return(
        seeded_db, (HEADER + NEW_ROW).replace("sleepers-count", "sleeper-count").encode(), "b.csv"
    )
    table = problems_frame(bad)
    assert table.loc[0, "Row"] == 2
    assert table.loc[0, "Column"] == "measure"


def test_figure_link_names_the_first_change(seeded_db: Database) -> None:
    """The link opens the initiative, measure and area of the first new or revised figure."""
    check = check_return(seeded_db, (HEADER + NEW_ROW).encode(), "r.csv")
    assert figure_link(check, all_profiles(seeded_db)) == {
        "initiative": "rough-sleepers-unit",
        "measure": "rough-sleepers-count",
        "area": ENGLAND,
    }
    assert figure_link(check, []) is None


def test_returns_log_frames(db: Database) -> None:
    """The log keeps dates as values for downloads and shows them the British way."""
    check = check_return(db, (HEADER + NEW_ROW + REVISED_ROW).encode(), "r.csv", partner="DTLR")
    commit_return(db, check, uploaded_by="me", confirm_warnings=True)
    frame = returns_log_frame(returns_log(db))
    assert list(frame.columns) == LOG_COLUMNS
    row = frame.iloc[0]
    assert (row["Id"], row["File"], row["Partner"], row["Uploaded by"]) == (
        1,
        "r.csv",
        "DTLR",
        "me",
    )
    assert (row["Rows read"], row["New"], row["Revised"], row["Unchanged"]) == (2, 1, 1, 0)
    assert row["Outcome"] == "committed"
    assert row["Published"] == check.published_on
    shown = returns_log_table(frame)
    assert list(shown.columns) == [
        "Id", "File", "Partner", "Uploaded by", "State", "When", "Published", ROWS_HEADER,
        "Outcome", "Last move", "Withdrawn",
    ]  # fmt: skip
    assert shown.loc[0, "State"] == "approved" and shown.loc[0, "Last move"] == ""
    assert shown.loc[0, "When"] == pd.Timestamp(row["Uploaded"])  # a moment: the grid writes it
    assert shown.loc[0, ROWS_HEADER] == "2 / 1 / 1 / 0"
    assert shown.loc[0, "Withdrawn"] == ""
    assert return_choice_label(frame, 1).startswith("Return 1 — r.csv (committed, ")

    changes = return_changes_frame(return_changes(db, 1))
    assert changes[["Change", "Period", "Old value", "New value"]].values.tolist() == [
        ["new", "June 2002", "", "532"],
        ["revised", "June 2001", "700", "650"],
    ]


def test_returns_log_table_formats_withdrawal() -> None:
    """A withdrawn return says when it was withdrawn the British way, "1 July 2002, 16:30"."""
    record = Return(
        id=7, file_name="f.xlsx", partner="", uploaded_by="u",
        uploaded_at=datetime(2002, 6, 12, 9, 5),
        rows_read=3, rows_new=3, rows_revised=0, rows_unchanged=0, outcome="withdrawn",
        withdrawn_at=datetime(2002, 7, 1, 16, 30), withdrawn_by="w",
    )  # fmt: skip
    shown = returns_log_table(returns_log_frame([record]))
    assert shown.loc[0, ["When", ROWS_HEADER, "Withdrawn"]].tolist() == [
        pd.Timestamp(2002, 6, 12, 9, 5),
        "3 / 3 / 0 / 0",
        "1 July 2002, 16:30 by w",
    ]
    assert returns_log_frame([]).empty


def test_return_changes_frame_markers() -> None:
    """A figure without a value says its marker, as the check's table does ("not available
    (..)"); new figures have no old value."""

    def recorded(number: int | None, period: str, value: float | None) -> ReturnRow:
        marker = None if value is not None else ".."
        return ReturnRow(number, 1, "m", ENGLAND, parse_period(period), value, "exact", marker,
                         "final", "", "")  # fmt: skip

    changes = [
        RecordedChange("revised", recorded(4, "2001", None), 12.0, "exact", None, "final"),
        RecordedChange("new", recorded(None, "2002", 1850.0)),
    ]
    frame = return_changes_frame(changes)
    assert frame["Period"].tolist() == ["2001", "2002"]
    assert frame[["Row", "Old value", "New value"]].astype(object).values.tolist() == [
        [4, "12", "not available (..)"],
        [pd.NA, "", "1,850"],
    ]


def test_template_frame_warns_nothing(seeded_db: Database) -> None:
    """Building a template must not rely on behaviour pandas is removing."""
    import warnings

    from jwmetrics.present.templates import template_frame

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = template_frame(seeded_db, "rough-sleepers-unit")
    assert set(frame["note"]) == {""}


def test_problems_frame_keeps_whole_row_numbers() -> None:
    """Row numbers are whole numbers even beside a problem that has no row."""
    check = ReturnCheck("r.csv", "0" * 64, "", RawTable("r.csv"))
    check.problems += [
        Problem("r.csv", None, None, None, "the file is too large"),
        Problem("r.csv", 7, "value", "x", "not a number"),
    ]
    rows = problems_frame(check)["Row"].tolist()
    assert str(rows[1]) == "7"
