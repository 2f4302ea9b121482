"""Reading return files: each messy variant partners send, built here as bytes.

Row numbers in problems are the ones the partner sees in their spreadsheet, so the tests
assert them exactly.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jwmetrics.tabular.body as tabular_body
import jwmetrics.tabular.read as tabular_read
from jwmetrics.problems import Problem
from jwmetrics.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    EXTRA_SHEET_ROWS,
    MAX_CELL_CHARS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RETURN_COLUMNS,
    RawTable,
    TableProblem,
    read_table,
)
from jwmetrics.tabular.body import BodyReader, StreamSource
from jwmetrics.tabular.text import csv_records

HEADER = "initiative,measure,area_code,period,value"
ROW = "sure-start,children_reached,E06000001,2001-02,1850"


def lines(*rows: str, end: str = "\r\n") -> bytes:
    """CSV text from whole lines, as UTF-8 bytes."""
    return (end.join(rows) + end).encode("utf-8")


def only_problem(table: RawTable) -> TableProblem:
    """The single problem a table has (failing clearly if there are more)."""
    assert len(table.problems) == 1, [str(p) for p in table.problems]
    return table.problems[0]


def test_constants() -> None:
    assert RETURN_COLUMNS == REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    assert REQUIRED_COLUMNS == ("initiative", "measure", "area_code", "period", "value")
    assert "qualifier" in OPTIONAL_COLUMNS and "source" in OPTIONAL_COLUMNS
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    assert DEFAULT_MAX_ROWS == 200_000


def test_plain_csv() -> None:
    table = read_table(
        lines(HEADER, ROW, "sure-start,children_reached,E06000002,2001-02,7"), "r.csv"
    )
    assert table.problems == []
    assert table.header == list(REQUIRED_COLUMNS)
    assert table.encoding == "utf-8"
    assert table.delimiter == ","
    assert table.sheet is None
    assert table.skipped_title_rows == 0
    assert [row.row_number for row in table.rows] == [2, 3]
    assert table.rows[0].cells == {
        "initiative": "sure-start",
        "measure": "children_reached",
        "area_code": "E06000001",
        "period": "2001-02",
        "value": "1850",
    }
    assert table.rows[1].cells["value"] == "7"


def test_utf8_bom_is_not_part_of_the_first_column() -> None:
    table = read_table(b"\xef\xbb\xbf" + lines(HEADER, ROW), "r.csv")
    assert table.problems == []
    assert table.encoding == "utf-8-sig"
    assert table.header[0] == "initiative"
    assert table.rows[0].cells["initiative"] == "sure-start"


def test_windows_1252_pound_sign_as_saved_by_excel() -> None:
    data = (HEADER + "\r\nsure-start,spend,E06000001,2001-02,£650\r\n").encode("cp1252")
    assert b"\xa3650" in data
    table = read_table(data, "r.csv")
    assert table.problems == []
    assert table.encoding == "cp1252"
    assert table.rows[0].cells["value"] == "£650"


def test_utf16_unicode_text_as_saved_by_excel() -> None:
    text = HEADER.replace(",", "\t") + "\r\n" + "sure-start\tspend\tE1\t2001\t£650\r\n"
    table = read_table(text.encode("utf-16"), "r.txt")
    assert table.problems == []
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows[0].cells["value"] == "£650"


def test_semicolons_with_thousands_commas_in_numbers() -> None:
    data = lines(
        "initiative;measure;area_code;period;value",
        "sure-start;children_reached;E06000001;2001-02;1,850",
        "sure-start;children_reached;E06000002;2001-02;12,345,678",
    )
    table = read_table(data, "r.csv")
    assert table.problems == []
    assert table.delimiter == ";"
    assert [row.cells["value"] for row in table.rows] == ["1,850", "12,345,678"]


def test_tabs() -> None:
    table = read_table(lines(HEADER.replace(",", "\t"), "a\tb\tE1\t2001\t1,850"), "r.tsv")
    assert table.problems == []
    assert table.delimiter == "\t"
    assert table.rows[0].cells["value"] == "1,850"


def test_title_rows_above_and_notes_below() -> None:
    data = lines(
        "Table 3: Children reached by Sure Start local programmes",
        "England, 2001-02",
        ",,,,",
        HEADER,
        ROW,
        "sure-start,children_reached,E06000002,2001-02,7",
        "",
        "Source: DfES Sure Start Unit",
        "Note: figures for 2001-02 are provisional,,,,",
        "* rounded to the nearest 10",
    )
    table = read_table(data, "published.csv")
    assert table.problems == []
    assert table.skipped_title_rows == 3
    assert [row.row_number for row in table.rows] == [5, 6]
    assert table.notes_below == [
        "Source: DfES Sure Start Unit",
        "Note: figures for 2001-02 are provisional",
        "* rounded to the nearest 10",
    ]


def test_source_note_directly_below_the_data_without_a_blank_row() -> None:
    table = read_table(lines(HEADER, ROW, "Source: ONS,,,,"), "r.csv")
    assert table.problems == []
    assert len(table.rows) == 1
    assert table.notes_below == ["Source: ONS"]


def test_a_lone_cell_inside_the_data_is_a_data_row_not_a_note() -> None:
    table = read_table(lines(HEADER, ROW, "sure-start,,,,", ROW), "r.csv")
    assert table.notes_below == []
    assert [row.row_number for row in table.rows] == [2, 3, 4]
    assert table.rows[1].cells == {
        "initiative": "sure-start",
        "measure": "",
        "area_code": "",
        "period": "",
        "value": "",
    }


def test_data_after_notes_is_still_read() -> None:
    table = read_table(lines(HEADER, ROW, "", "Note: more follows", ROW), "r.csv")
    assert table.notes_below == ["Note: more follows"]
    assert [row.row_number for row in table.rows] == [2, 5]


def test_blank_rows_inside_the_data_are_skipped() -> None:
    table = read_table(lines(HEADER, ROW, "", " , , ", ROW), "r.csv")
    assert table.problems == []
    assert [row.row_number for row in table.rows] == [2, 5]


def test_blank_trailing_rows_and_columns_and_surrounding_spaces() -> None:
    data = lines(
        HEADER + ",,,",
        "  sure-start , children_reached ,E06000001,2001-02,  1850  ,,,",
        "sure-start,children_reached,E06000002,2001-02,7",
        ",,,,,,,,",
        "",
        "   ",
    )
    table = read_table(data, "r.csv")
    assert table.problems == []
    assert table.header == list(REQUIRED_COLUMNS)
    assert table.rows[0].cells["initiative"] == "sure-start"
    assert table.rows[0].cells["value"] == "1850"
    assert table.rows[1].row_number == 3
    assert len(table.rows) == 2


def test_short_rows_are_padded_with_empty_cells() -> None:
    table = read_table(lines(HEADER, "sure-start,children_reached,E1"), "r.csv")
    assert table.problems == []
    assert table.rows[0].cells["period"] == ""
    assert table.rows[0].cells["value"] == ""


def test_quoted_newline_counts_physical_lines() -> None:
    data = lines(
        HEADER + ",note",
        'sure-start,children_reached,E06000001,2001-02,1850,"first line',
        "second line",
        'third line"',
        "sure-start,children_reached,E06000002,2001-02,7,",
    )
    table = read_table(data, "r.csv")
    assert table.problems == []
    assert table.rows[0].row_number == 2
    assert table.rows[0].cells["note"] == "first line\r\nsecond line\r\nthird line"
    assert table.rows[1].row_number == 5


def test_old_mac_line_endings() -> None:
    table = read_table(lines(HEADER, ROW, ROW, end="\r"), "r.csv")
    assert table.problems == []
    assert [row.row_number for row in table.rows] == [2, 3]


@pytest.mark.parametrize(
    "spelling",
    ["area_code", "Area Code", "area-code", "AREA_CODE", "  Area  Code ", "areacode", "Area_Code"],
)
def test_header_spellings(spelling: str) -> None:
    data = lines(f"Initiative,MEASURE,{spelling},Period,Value", ROW)
    table = read_table(data, "r.csv")
    assert table.problems == []
    assert table.header == list(REQUIRED_COLUMNS)
    assert table.rows[0].cells["area_code"] == "E06000001"


def test_reordered_columns_map_by_name() -> None:
    data = lines(
        "Value,Period,Area Name,Area Code,Measure,Initiative,Qualifier",
        "1850,2001-02,Hartlepool,E06000001,children_reached,sure-start,over",
    )
    table = read_table(data, "r.csv")
    assert table.problems == []
    assert table.header == [
        "value",
        "period",
        "area_name",
        "area_code",
        "measure",
        "initiative",
        "qualifier",
    ]
    assert table.rows[0].cells == {
        "value": "1850",
        "period": "2001-02",
        "area_name": "Hartlepool",
        "area_code": "E06000001",
        "measure": "children_reached",
        "initiative": "sure-start",
        "qualifier": "over",
    }


def test_unknown_columns_are_reported_and_not_used() -> None:
    data = lines("Title", HEADER + ",Comments,Region", ROW + ",looks odd,North East")
    table = read_table(data, "r.csv")
    problem = only_problem(table)
    assert problem.severity == "warning"
    assert (problem.row, problem.column, problem.value) == (2, None, None)
    assert "'Comments', 'Region'" in problem.message
    assert table.unknown_columns == ["Comments", "Region"]
    assert table.header == list(REQUIRED_COLUMNS)
    assert set(table.rows[0].cells) == set(REQUIRED_COLUMNS)
    assert table.errors == [] and table.warnings == [problem]


def test_missing_required_columns_are_each_named() -> None:
    table = read_table(lines("Title row", "initiative,measure,area_code", "a,b,c"), "r.csv")
    assert [(p.row, p.column, p.severity) for p in table.problems] == [
        (2, "period", "error"),
        (2, "value", "error"),
    ]
    assert "the required column 'period' is missing" in table.problems[0].message
    assert table.rows == []


def test_duplicate_columns_are_an_error() -> None:
    table = read_table(lines(HEADER + ",Area Code", ROW + ",E2"), "r.csv")
    problem = only_problem(table)
    assert (problem.row, problem.column, problem.severity) == (1, "area_code", "error")
    assert "'area_code', 'Area Code'" in problem.message
    assert table.rows == []


def test_header_only() -> None:
    table = read_table(lines("Title", HEADER, "", ""), "r.csv")
    problem = only_problem(table)
    assert problem.message == "the file has a header but no rows"
    assert problem.severity == "error"


def test_header_with_only_notes_below_has_no_rows() -> None:
    table = read_table(lines(HEADER, "", "Source: nobody"), "r.csv")
    assert only_problem(table).message == "the file has a header but no rows"
    assert table.notes_below == ["Source: nobody"]


@pytest.mark.parametrize("data", [b"", b"   ", b"\r\n\r\n", b"\xef\xbb\xbf", b",,,\r\n , ,\r\n"])
def test_empty_file(data: bytes) -> None:
    problem = only_problem(read_table(data, "r.csv"))
    assert problem.message == "the file is empty"
    assert (problem.row, problem.column) == (None, None)


def test_no_recognisable_header_names_the_expected_columns() -> None:
    table = read_table(lines("name,age", "Ann,3"), "r.csv")
    problem = only_problem(table)
    assert problem.message.startswith("no header row found")
    assert "initiative, measure, area_code, period, value (optional: area_name" in problem.message


def test_header_below_the_search_window_is_not_found() -> None:
    table = read_table(lines(*["title"] * 25, HEADER, ROW), "r.csv")
    assert only_problem(table).message.startswith("no header row found")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x00\x01\x02\x03junk\xff\xfe", "binary data"),
        (b"initiative,measure\x00,area_code", "binary data"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel .xls"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"initiative,\x81\x8d,value\r\n", "byte 0x81 at position 11 is not valid cp1252"),
    ],
)
def test_binary_and_undecodable_files_are_refused(data: bytes, says: str) -> None:
    problem = only_problem(read_table(data, "r.csv"))
    assert problem.severity == "error"
    assert says in problem.message
    assert "save it as CSV (UTF-8) or as an Excel .xlsx workbook" in problem.message


def test_unquoted_thousands_comma_in_a_comma_file_is_caught() -> None:
    data = lines(HEADER, ROW, "sure-start,children_reached,E06000002,2001-02,1,850", ROW)
    table = read_table(data, "r.csv")
    problem = only_problem(table)
    assert (problem.row, problem.column, problem.value) == (3, None, "850")
    assert "header has only 5 columns" in problem.message
    assert "1,850 must be in quotes" in problem.message
    assert [row.row_number for row in table.rows] == [2, 4]


def test_unclosed_quote_at_the_end_is_reported() -> None:
    data = lines(HEADER, ROW, 'sure-start,children_reached,E1,2001-02,"1850', ROW, ROW)
    table = read_table(data, "r.csv")
    problem = only_problem(table)
    assert problem.row == 3
    assert "never closed" in problem.message
    assert [row.row_number for row in table.rows] == [2]


def test_column_with_values_but_no_header_is_warned_about_once() -> None:
    table = read_table(lines(HEADER + ",,note", ROW + ",x,n", ROW + ",y,n"), "r.csv")
    problem = only_problem(table)
    assert (problem.row, problem.value, problem.severity) == (2, "x", "warning")
    assert "column 6 has values but no header" in problem.message
    assert table.header == [*REQUIRED_COLUMNS, "note"]
    assert table.rows[1].cells["note"] == "n"


def test_sheet_name_for_a_text_file_is_a_warning() -> None:
    table = read_table(lines(HEADER, ROW), "r.csv", sheet="Data")
    assert only_problem(table).severity == "warning"
    assert len(table.rows) == 1


def test_custom_expected_and_required_columns() -> None:
    data = lines("Code,Name,Extra", "E1,Hartlepool,z")
    table = read_table(
        data, "areas.csv", expected_columns=("code", "name", "region"), required_columns=["code"]
    )
    assert table.header == ["code", "name"]
    assert table.rows[0].cells == {"code": "E1", "name": "Hartlepool"}
    assert table.unknown_columns == ["Extra"]


def test_problem_strings_name_file_row_column_and_value() -> None:
    problem = TableProblem("returns.csv", 7, "value", "1.850,5", "expected a number")
    assert str(problem) == "returns.csv, row 7, column 'value': '1.850,5' — expected a number"
    assert str(TableProblem("r.csv", None, None, None, "the file is empty")) == (
        "r.csv — the file is empty"
    )
    assert isinstance(problem, Problem)
    assert problem.severity == "error"


# --- limits -------------------------------------------------------------------------------


def test_file_over_the_byte_limit_is_refused() -> None:
    data = lines(HEADER, *[ROW] * 100)
    table = read_table(data, "r.csv", max_bytes=1024)
    problem = only_problem(table)
    assert "over the limit of 1 KB" in problem.message
    assert table.rows == []
    assert read_table(data, "r.csv", max_bytes=len(data)).problems == []


def test_file_over_the_row_limit_is_refused() -> None:
    data = lines(HEADER, *[ROW] * 11)
    table = read_table(data, "r.csv", max_rows=10)
    problem = only_problem(table)
    assert problem.message.startswith("the file has more than 10 rows, over the limit of 10")
    assert table.rows == []
    assert len(read_table(data, "r.csv", max_rows=11).rows) == 11


def test_blank_rows_count_against_the_row_limit() -> None:
    """A file padded with blank lines is refused once its lines pass the rows allowed
    (the data rows plus EXTRA_SHEET_ROWS), however few data rows it has."""
    data = lines(HEADER, ROW, *[""] * (5 + EXTRA_SHEET_ROWS))
    table = read_table(data, "r.csv", max_rows=5)
    problem = only_problem(table)
    assert "more than 5 rows (blank rows count too), over the limit of 5 rows" in problem.message
    assert table.rows == []
    assert len(read_table(lines(HEADER, ROW, *[""] * 50), "r.csv", max_rows=5).rows) == 1


def test_a_data_row_split_into_more_cells_than_the_column_limit_is_refused() -> None:
    """Not only the header: a data row of commas is refused as it is split."""
    data = lines(HEADER, ROW, ROW + "," * 250, ROW)
    table = read_table(data, "r.csv")
    problem = only_problem(table)
    assert problem.message.startswith("row 3 has 255 cells, over the limit of 200 columns")
    assert table.rows == []
    at_the_limit = read_table(lines(HEADER, ROW, ROW + "," * 195), "r.csv")  # 200 cells
    assert (len(at_the_limit.rows), at_the_limit.problems) == (2, [])


def test_a_cell_past_the_csv_field_limit_names_its_row_and_cell() -> None:
    """The csv module stops at its field limit before building the cell; the problem says
    which row and which cell, and the limit of a cell's length."""
    long = "9" * (csv.field_size_limit() + 1)
    data = lines(HEADER, ROW, f'sure-start,children_reached,E06000001,2001-03,"{long}"')
    table = read_table(data, "r.csv")
    problem = table.errors[0]
    assert problem.row == 3
    assert problem.message.startswith("cell 5 of this row is over 131,072 characters")
    assert f"over the limit of {MAX_CELL_CHARS:,} characters" in problem.message


def test_byte_limit_message_in_megabytes() -> None:
    data = b"x" * (DEFAULT_MAX_BYTES + 1)
    assert "over the limit of 20 MB" in only_problem(read_table(data, "r.csv")).message


# --- workbooks ------------------------------------------------------------------------------


def workbook_bytes(path: Path) -> bytes:
    """A two-sheet workbook as partners send them: a cover sheet, then the data."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover["A1"] = "Sure Start returns, 2001-02"
    cover["A3"] = "Contact: returns@example.org"
    other = book.create_sheet("Summary")
    other.append(["Initiative", "Measure", "Area code", "Period", "Value"])
    other.append(["sure-start", "total", "E92000001", "2001-02", 99])
    data = book.create_sheet("Data")
    data.append(["Table 1: children reached"])
    data.append([])
    data.append(["Initiative", "Measure", "Area Code", "Period", "Value", "Status"])
    data.append(["sure-start", "children", "E1", datetime(2001, 6, 30), 1850.0, "final"])
    data.append(["sure-start", "children", "E2", date(2001, 6, 30), 55.4, None])
    data.append(["sure-start", "children", "E3", "2001-02", 0.554, None])
    data["E6"].number_format = "0.0%"
    data.append(["sure-start", "spend", "E4", "2001-02", 650, None])
    data["E7"].number_format = '"£"#,##0'
    data.append(["sure-start", "spend", "E5", "2001-02", 1.5e16, None])
    data.append(["sure-start", "spend", "E6", "2001-02", 12345.678901, None])
    data.append([])
    data.append(["Source: DfES"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path.read_bytes()


def test_workbook_sheet_chosen_by_name(tmp_path: Path) -> None:
    data = workbook_bytes(tmp_path / "returns.xlsx")
    table = read_table(data, "returns.xlsx", sheet="Data")
    assert table.problems == []
    assert (table.sheet, table.encoding, table.delimiter) == ("Data", "xlsx", None)
    assert table.skipped_title_rows == 2
    assert table.notes_below == ["Source: DfES"]
    assert [row.row_number for row in table.rows] == [4, 5, 6, 7, 8, 9]
    assert [row.cells["value"] for row in table.rows] == [
        "1850",
        "55.4",
        "55.4%",
        "£650",
        "15000000000000000",
        "12345.678901",
    ]
    assert [row.cells["period"] for row in table.rows][:2] == ["2001-06-30", "2001-06-30"]
    assert table.rows[0].cells["status"] == "final"
    assert table.rows[1].cells["status"] == ""


def test_workbook_sheet_name_match_ignores_case(tmp_path: Path) -> None:
    data = workbook_bytes(tmp_path / "returns.xlsx")
    assert read_table(data, "returns.xlsx", sheet=" data ").sheet == "Data"


def test_workbook_first_sheet_with_a_header_is_used(tmp_path: Path) -> None:
    data = workbook_bytes(tmp_path / "returns.xlsx")
    table = read_table(data, "returns.xlsx")
    assert table.problems == []
    assert table.sheet == "Summary"
    assert [(row.row_number, row.cells["value"]) for row in table.rows] == [(2, "99")]


def test_workbook_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    data = workbook_bytes(tmp_path / "returns.xlsx")
    problem = only_problem(read_table(data, "returns.xlsx", sheet="Sheet1"))
    assert problem.message == (
        "there is no sheet named 'Sheet1'; the workbook has sheets 'Cover', 'Summary', 'Data'"
    )


def test_workbook_sheet_without_a_header(tmp_path: Path) -> None:
    data = workbook_bytes(tmp_path / "returns.xlsx")
    problem = only_problem(read_table(data, "returns.xlsx", sheet="Cover"))
    assert problem.message.startswith("no header row found in sheet 'Cover'")


def test_workbook_without_any_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "nothing here"
    book.save(tmp_path / "x.xlsx")
    problem = only_problem(read_table((tmp_path / "x.xlsx").read_bytes(), "x.xlsx"))
    assert "no sheet has a header row" in problem.message
    assert "the workbook has sheets 'Sheet'" in problem.message


def test_workbook_detected_by_magic_bytes_whatever_its_name(tmp_path: Path) -> None:
    data = workbook_bytes(tmp_path / "returns.xlsx")
    assert read_table(data, "upload.bin", sheet="Data").sheet == "Data"


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"initiative,measure", "r.xlsx", "named like a workbook but is not an .xlsx file"),
        (b"PK\x03\x04 not really a zip", "r.xlsx", "not a readable .xlsx workbook"),
    ],
)
def test_broken_workbooks_are_refused(data: bytes, name: str, says: str) -> None:
    assert says in only_problem(read_table(data, name)).message


def test_workbook_over_the_row_limit(tmp_path: Path) -> None:
    data = workbook_bytes(tmp_path / "returns.xlsx")
    table = read_table(data, "returns.xlsx", sheet="Data", max_rows=5)
    assert "more than 5 rows" in only_problem(table).message
    assert table.rows == []


# --- properties and speed -------------------------------------------------------------------

CELL = (
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
    .map(str.strip)
    .filter(bool)
)
SPELLINGS = {name: [name, name.upper(), name.replace("_", " ").title()] for name in RETURN_COLUMNS}


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[str], list[list[str]]]:
    """(canonical columns, header as written, data rows) with valid, non-blank cells."""
    optional = draw(st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True, max_size=3))
    columns = draw(st.permutations([*REQUIRED_COLUMNS, *optional]))
    header = [draw(st.sampled_from(SPELLINGS[name])) for name in columns]
    width = len(columns)
    required_cell = [name in REQUIRED_COLUMNS for name in columns]
    row = st.tuples(*[CELL if req else st.one_of(st.just(""), CELL) for req in required_cell])
    rows = draw(st.lists(row.map(list), min_size=1, max_size=8))
    assert all(len(r) == width for r in rows)
    return columns, header, rows


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    tables(),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
    st.sampled_from(["\r\n", "\n"]),
)
def test_any_table_written_with_csv_reads_back(
    table: tuple[list[str], list[str], list[list[str]]], delimiter: str, bom: bool, end: str
) -> None:
    columns, header, rows = table
    # Python's writer only quotes a lone "\r" when it is part of the line terminator, so
    # with "\n" endings it would write a real line break; quote everything then.
    quoting = csv.QUOTE_ALL if end == "\n" else csv.QUOTE_MINIMAL
    records = []
    for record in [header, *rows]:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=end, quoting=quoting)
        writer.writerow(record)
        records.append(buffer.getvalue())
    data = ("\ufeff" if bom else "").encode() + "".join(records).encode("utf-8")
    result = read_table(data, "r.csv")
    assert result.problems == []
    assert result.delimiter == delimiter
    assert result.header == columns
    assert [row.cells for row in result.rows] == [dict(zip(columns, r, strict=True)) for r in rows]
    starts, line = [], 1
    for record in records:
        starts.append(line)
        line += len(io.StringIO(record, newline="").readlines())
    assert [row.row_number for row in result.rows] == starts[1:]


@settings(max_examples=200)
@given(st.binary(max_size=300), st.sampled_from(["r.csv", "r.xlsx", "r"]))
def test_the_reader_never_raises_on_junk(data: bytes, name: str) -> None:
    table = read_table(data, name)
    assert isinstance(table, RawTable)
    assert all(p.severity in ("error", "warning") for p in table.problems)
    assert table.rows or table.errors  # junk either reads as rows or says why not


@settings(max_examples=200)
@given(st.lists(st.text(max_size=20), max_size=8))
def test_the_reader_never_raises_on_junk_lines(junk: list[str]) -> None:
    data = "\r\n".join([HEADER, *junk]).encode("utf-8", "surrogatepass")
    assert isinstance(read_table(data, "r.csv"), RawTable)


def test_hundred_thousand_rows_read_a_column_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large ordinary file never goes row by row (what keeps it quick; no clock is read)."""
    header = "initiative,measure,area_code,area_name,period,value,qualifier,status,note"
    body = [
        f'sure-start,children_reached,E06{i % 1000:06d},Area {i},2001-02,"1,{i % 1000:03d}",'
        "exact,final,"
        for i in range(100_000)
    ]
    data = lines(header, *body)
    calls: list[int] = []
    row_by_row = BodyReader.row

    def counted(self: BodyReader, number: int, cells: list[str]) -> bool:
        calls.append(number)
        return row_by_row(self, number, cells)

    monkeypatch.setattr(BodyReader, "row", counted)
    table = read_table(data, "big.csv")
    assert len(table.rows) == 100_000 and table.problems == []
    assert table.rows[-1].row_number == 100_001
    assert table.rows[5].cells["value"] == "1,005" and table.rows[5].cells["note"] == ""
    assert calls == []


# --- the two ways through the rows, and the two ways through a text file ------------------


def snapshot(table: RawTable) -> tuple[object, ...]:
    """Everything a table says, for comparing two readings of one file."""
    return (
        table.header,
        [(row.row_number, row.cells) for row in table.rows],
        table.encoding,
        table.delimiter,
        table.sheet,
        table.unknown_columns,
        table.skipped_title_rows,
        table.notes_below,
        [str(problem) + problem.severity for problem in table.problems],
    )


def read_row_by_row(data: bytes, name: str, **kwargs: object) -> RawTable:
    """``read_table`` with every batch read row by row (no column-at-a-time path)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BodyReader, "_ordinary", lambda self, records: None)
        return read_table(data, name, **kwargs)  # type: ignore[arg-type]


def read_record_by_record(data: bytes, name: str, **kwargs: object) -> RawTable:
    """``read_table`` with a text file parsed one record at a time from the start."""

    def one_by_one(text: str, delimiter: str, table: RawTable, _max_rows: int) -> StreamSource:
        return StreamSource(csv_records(text, delimiter, table))  # files far below the limits

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tabular_read, "TextRecords", one_by_one)
        return read_table(data, name, **kwargs)  # type: ignore[arg-type]


JUNK_CELLS = ["", " ", "x", "Source: y", '"a\nb"', '"a,b"', "1,850", '"', "\t", "  v  ", "Notes"]


@st.composite
def messy_files(draw: st.DrawFn) -> bytes:
    """Text files with titles, blank rows, notes, ragged rows, quoted line breaks, bad quotes."""
    cell = st.sampled_from(JUNK_CELLS) | st.text('abc,;"\r\n ', max_size=5)
    line = st.lists(cell, max_size=8).map(",".join)
    body = draw(st.lists(line, max_size=25))
    header = draw(st.sampled_from([HEADER, HEADER + ",note", HEADER + ",,note", HEADER + ",x"]))
    body.insert(draw(st.integers(0, len(body))), header)
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return (end.join(body) + draw(st.sampled_from(["", end]))).encode()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(messy_files(), st.sampled_from([2, 5, DEFAULT_MAX_ROWS]), st.sampled_from([1, 3, 512]))
def test_every_way_through_a_file_reads_the_same(data: bytes, max_rows: int, batch: int) -> None:
    """Columns or rows, batches or records, any batch size: the same rows and problems."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tabular_body, "BATCH_ROWS", batch)
        usual = snapshot(read_table(data, "r.csv", max_rows=max_rows))
        assert snapshot(read_row_by_row(data, "r.csv", max_rows=max_rows)) == usual
        assert snapshot(read_record_by_record(data, "r.csv", max_rows=max_rows)) == usual


@pytest.mark.parametrize(
    "path",
    sorted((Path(__file__).parents[1] / "returns" / "corpus").rglob("*.*")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_every_way_through_the_corpus_reads_the_same(path: Path) -> None:
    data = path.read_bytes()
    usual = snapshot(read_table(data, path.name))
    assert snapshot(read_row_by_row(data, path.name)) == usual
    assert snapshot(read_record_by_record(data, path.name)) == usual


def test_a_late_line_break_or_broken_quote_is_read_record_by_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past several batches, a quoted line break, and a quote left open, are still numbered
    by the line each record starts on, and the broken end is reported where it starts."""
    monkeypatch.setattr(tabular_body, "BATCH_ROWS", 4)
    rows = [f"{ROW},note {i}" for i in range(20)]
    rows[13] = f'{ROW},"two\nlines"'
    table = read_table(lines(HEADER + ",note", *rows), "r.csv")
    assert table.problems == []
    assert [row.row_number for row in table.rows][12:15] == [14, 15, 17]
    assert table.rows[13].cells["note"] == "two\nlines"
    unclosed = lines(HEADER + ",note", *rows[:13], f'{ROW},"never closed', *rows[14:])
    table = read_table(unclosed, "r.csv")
    assert [p.row for p in table.problems] == [15]
    assert "never closed" in table.problems[0].message
    assert snapshot(table) == snapshot(read_record_by_record(unclosed, "r.csv"))


def test_a_table_from_rows_reads_like_one_from_columns() -> None:
    read = read_table(lines(HEADER, ROW, "sure-start,children_reached,E06000002,2001-02,7"), "r")
    built = RawTable("r", header=list(read.header), rows=read.rows)
    assert built.row_count == read.row_count == 2
    assert built.row_numbers == read.row_numbers == [2, 3]
    for name in [*REQUIRED_COLUMNS, "note"]:
        assert list(built.column(name)) == list(read.column(name))
    assert read.column("value") == ["1850", "7"] and read.column("note") == ["", ""]
    assert read.has_column("value") and not read.has_column("note")


INLINE_TEXTS = [
    "plain",
    "a_x005F_b",
    "",
    "tab\there",
    "line\nbreak",
    "<&>\"'",
    "ünïcødé ✓",
    " ",
    "x_x000D_y",
]


def _inline_workbook(rows: list[str]) -> bytes:
    """A one-sheet workbook whose cells are inline strings (as openpyxl writes strings),
    one rich-text cell and one with a phonetic run (hand-written: no writer makes them)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["initiative", "measure", "area_code", "period", "value", "note"])
    for number, note in enumerate(rows):
        sheet.append(
            ["rough-sleepers-unit", "rough-sleepers-count", "E92000001", "2002", number, note]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                rich = (
                    '<c r="F2" t="inlineStr"><is><r><t>bold </t></r><r><rPr><b/></rPr>'
                    '<t>part</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c>'
                )
                data = data.replace(
                    b'<c r="F2" t="inlineStr"><is><t>plain</t></is></c>', rich.encode()
                )
            target.writestr(item, data)
    return out.getvalue()


def test_inline_string_cells_read_as_openpyxl_reads_them() -> None:
    """Inline strings skip openpyxl's rich-text objects (half the time of a 200,000-row
    workbook) and must give exactly the text openpyxl's own reader gives."""
    data = _inline_workbook(INLINE_TEXTS)
    table = read_table(data, "inline.xlsx")
    reference = openpyxl.load_workbook(io.BytesIO(data), rich_text=False).active
    assert reference is not None
    expected = [str(cell.value or "").strip() for cell in reference["F"][1:]]
    assert [row.cells["note"] for row in table.rows] == expected
    assert expected[0] == "bold part"  # runs joined, the phonetic run left out
    assert [row.cells["value"] for row in table.rows] == [str(n) for n in range(len(INLINE_TEXTS))]
