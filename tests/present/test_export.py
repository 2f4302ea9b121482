"""Downloads: CSV and Excel bytes read back to the same values, with readable headers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from jwmetrics.assess.detail import SeriesDetail, series_detail
from jwmetrics.assess.portfolio import Assessment, status_table
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import Database
from jwmetrics.present.files import (
    assessments_frame,
    observations_frame,
    to_csv_bytes,
    to_xlsx_bytes,
)
from jwmetrics.present.status import status_label

ASSESSMENT_COLUMNS = [
    "Initiative",
    "Measure",
    "Area",
    "Area code",
    "Unit",
    "Latest value",
    "Qualifier",
    "Period",
    "Published on",
    "Age of latest figure (days)",
    "Baseline",
    "Baseline period",
    "Target",
    "Target date",
    "Progress (share of required change)",
    "Status",
    "Trend call",
    "Chance of meeting the target",
    "Reason",
    "Source of latest figure",
    "As known on",
    "Initiative id",
    "Measure id",
    "Target id",
]
OBSERVATION_COLUMNS = [
    "Period",
    "Period start",
    "Period end",
    "Value",
    "Qualifier",
    "Marker",
    "Status",
    "Source",
    "Return id",
    "Row in return",
    "Published on",
    "Recorded at",
]


@pytest.fixture(scope="module")
def export_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A seeded SQLite database shared by this module's read-only tests."""
    folder = tmp_path_factory.mktemp("export")
    database = open_seeded(f"sqlite:///{folder}/t.sqlite")
    yield database
    database.engine.dispose()


@pytest.fixture(scope="module")
def rows(export_db: Database) -> list[Assessment]:
    """The whole status table."""
    return status_table(export_db)


@pytest.fixture(scope="module")
def detail(export_db: Database) -> SeriesDetail:
    """The rough sleepers count in England: two figures."""
    return series_detail(export_db, "rough-sleepers-count")


def read_xlsx(data: bytes) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as pandas reads it, as a spreadsheet user would."""
    return pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl")


def test_assessments_frame_headers_and_numeric_values(rows: list[Assessment]) -> None:
    frame = assessments_frame(rows)
    assert list(frame.columns) == ASSESSMENT_COLUMNS
    assert len(frame) == len(rows)
    rough = frame[frame["Measure"] == "People counted sleeping rough in England"].iloc[0]
    assert rough["Latest value"] == 700.0
    assert rough["Baseline"] == 1850.0
    assert rough["Target"] == pytest.approx(616.67, abs=0.01)
    assert rough["Target date"] == date(2002, 4, 30)
    assert rough["Progress (share of required change)"] == pytest.approx(0.9324, abs=1e-4)
    assert rough["Status"] == "Amber"
    assert 0.5 < rough["Chance of meeting the target"] < 0.7
    assert rough["Age of latest figure (days)"] == 160
    assert (rough["Initiative id"], rough["Measure id"]) == (
        "rough-sleepers-unit",
        "rough-sleepers-count",
    )
    assert rough["As known on"] == date(2001, 12, 7)
    for column in ("Latest value", "Baseline", "Target", "Progress (share of required change)"):
        assert pd.api.types.is_float_dtype(frame[column])
    assert str(frame["Age of latest figure (days)"].dtype) == "Int64"


def test_status_label_is_the_canonical_word() -> None:
    assert status_label("Green") == "Green"
    assert status_label("Awaiting") == "Awaiting"
    assert status_label("Something else") == "Something else"


def test_observations_frame(detail: SeriesDetail) -> None:
    frame = observations_frame(detail)
    assert list(frame.columns) == OBSERVATION_COLUMNS
    assert list(frame["Value"]) == [1850.0, 700.0]
    assert list(frame["Period"]) == ["June 1998", "June 2001"]
    assert list(frame["Period end"]) == [date(1998, 6, 30), date(2001, 6, 30)]
    assert list(frame["Status"]) == ["final", "final"]
    assert frame["Source"].str.startswith("NAO").all()
    assert list(frame["Row in return"]) == [2, 3]
    assert isinstance(frame["Recorded at"].iloc[0], datetime)


def test_csv_has_bom_and_reads_back(rows: list[Assessment]) -> None:
    frame = assessments_frame(rows)
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == ASSESSMENT_COLUMNS
    expected = frame.astype(object).where(frame.notna(), "").astype(str)
    pd.testing.assert_frame_equal(back.astype(str), expected, check_dtype=False)
    assert pd.read_csv(io.BytesIO(data))["Latest value"].tolist() == pytest.approx(
        frame["Latest value"].tolist(), nan_ok=True
    )


def test_csv_keeps_pound_sign() -> None:
    frame = pd.DataFrame({"Amount": ["£200m"], "Value": [2e8]})
    data = to_csv_bytes(frame)
    assert "£200m".encode() in data
    pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(data), encoding="utf-8-sig"), frame)


def test_xlsx_round_trips_values_and_sheet_names(
    rows: list[Assessment], detail: SeriesDetail
) -> None:
    status, figures = assessments_frame(rows), observations_frame(detail)
    notes = {"Source": "NAO HC 383 2001-02", "As known on": "7 December 2001"}
    data = to_xlsx_bytes({"Status": status, "Figures": figures}, notes)
    sheets = read_xlsx(data)
    assert list(sheets) == ["Status", "Figures", "About"]
    back = sheets["Status"]
    assert list(back.columns) == ASSESSMENT_COLUMNS
    for column in ("Latest value", "Baseline", "Target", "Progress (share of required change)"):
        assert back[column].tolist() == pytest.approx(status[column].tolist(), nan_ok=True)
    assert back["Age of latest figure (days)"].tolist() == pytest.approx(
        status["Age of latest figure (days)"].astype("float64").tolist(), nan_ok=True
    )
    assert back["Status"].tolist() == status["Status"].tolist()
    assert back["Reason"].tolist() == status["Reason"].tolist()
    expected_dates = [pd.Timestamp(d) if d else pd.NaT for d in status["Target date"]]
    assert back["Target date"].tolist() == expected_dates
    fig_back = sheets["Figures"]
    assert fig_back["Value"].tolist() == [1850.0, 700.0]
    assert [d.date() for d in fig_back["Period end"]] == [date(1998, 6, 30), date(2001, 6, 30)]
    assert fig_back["Recorded at"].tolist() == [pd.Timestamp(2001, 12, 7)] * 2
    about = sheets["About"]
    assert dict(zip(about["Item"], about["Detail"], strict=True)) == notes


def test_xlsx_header_bold_frozen_and_fitted(rows: list[Assessment]) -> None:
    data = to_xlsx_bytes({"Status": assessments_frame(rows)})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Status"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["A"] >= len("Initiative")
    assert widths["S"] <= 62  # Reason: capped, and wrapped instead
    assert sheet["S2"].alignment.wrap_text
    assert sheet["N2"].is_date  # Target date is a real date, not text
    assert sheet["O2"].number_format == "0%"  # progress shows as a percentage
    assert sheet["I2"].is_date  # Published on


def test_xlsx_sheet_names_truncated_and_unique() -> None:
    frame = pd.DataFrame({"A": [1]})
    long = "Early Years Development and Childcare Partnerships"
    data = to_xlsx_bytes({long: frame, long + " (copy)": frame, "a/b?": frame}, {"Note": "x"})
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == len(names) == 4
    assert names[0] == long[:31]
    assert names[1].endswith("(2)")
    assert names[2] == "a-b-"
    assert names[3] == "About"


def test_xlsx_without_notes_has_no_about_sheet() -> None:
    """Missing values become empty cells."""
    data = to_xlsx_bytes({"Data": pd.DataFrame({"A": [1, None], "B": ["x", "y"]})})
    sheets = read_xlsx(data)
    assert list(sheets) == ["Data"]
    assert sheets["Data"]["A"].iloc[0] == 1 and pd.isna(sheets["Data"]["A"].iloc[1])
