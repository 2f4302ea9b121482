"""The returns corpus: malformed files are reported exactly and refused; messy ones land right.

Every file in ``tests/returns/corpus/malformed`` has one deliberate problem (see the README
there); the table below gives the row, column and message of the first error it must
produce. Every file in ``tests/returns/corpus/valid`` is messy but valid; the table gives
every figure it must store, with its provenance (return id and row number).

The tests share one seeded database per backend: refused files must change nothing (the
checksum of every table proves it) and each valid file uses its own local authorities.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from db_backends import BACKENDS
from returns_support import CORPUS, MALFORMED, VALID, backend_database, database_checksum
from sqlalchemy import select

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation
from jwmetrics.periods import (
    Period,
    PeriodKind,
    day,
    financial_year,
    interval,
    month,
    quarter,
    year,
)
from jwmetrics.returns import Limits, ReturnRefused, check_return, commit_return
from jwmetrics.store.figures import history, series
from jwmetrics.store.known import KnownAt


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """One fresh seeded database per backend, shared by this module's tests."""
    database = backend_database(request.param, tmp_path_factory.mktemp("corpus"))
    yield database
    database.engine.dispose()


# --- malformed files -------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A malformed file and the first error it must produce."""

    file: str
    row: int | None
    column: str | None
    fragment: str
    errors: int = 1  # how many errors its one problem causes
    sheet: str | None = None
    limits: Limits = field(default_factory=Limits)


def bad(*args: object, xfail: str = "", **kwargs: object) -> object:
    """One parameter of the malformed table, marked as a known bug when ``xfail`` is given."""
    case = Bad(*args, **kwargs)  # type: ignore[arg-type]
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(case, id=case.file, marks=marks)


MALFORMED_CASES = [
    # catalogue
    bad("unknown_initiative.csv", 2, "initiative",
        "unknown initiative (did you mean 'rough-sleepers-unit'?)"),
    bad("unknown_measure.csv", 2, "measure",
        "unknown measure (did you mean 'rough-sleepers-count'"),
    bad("blank_measure.csv", 3, "measure", "unknown measure"),
    bad("measure_of_other_initiative.csv", 2, "measure",
        "measure 'rough-sleepers-count' belongs to initiative 'rough-sleepers-unit'"),
    bad("unknown_area_code.csv", 2, "area_code", "unknown area code; expected an ONS code"),
    bad("area_code_typo.csv", 2, "area_code", "(did you mean 'E09000033'"),
    # periods
    bad("period_31_february.csv", 2, "period", "'31/02/2001' is not a real date"),
    bad("period_month_misspelt.csv", 6, "period", "'jume' is not a month name"),
    bad("period_2000_05.csv", 2, "period", "second year must follow its first (expected 2000-01)"),
    bad("period_empty.csv", 2, "period", "the period is empty"),
    bad("period_month_13.csv", 2, "period", "neither a month (2001-06) nor a financial year"),
    bad("period_quarter_5.csv", 2, "period", "'2001 Q5' is not a period"),
    bad("period_interval_backwards.csv", 2, "period", "the interval ends before it starts"),
    # values
    bad("value_text.csv", 2, "value", "'lots' is not a number"),
    bad("value_european_decimal.csv", 2, "value", "'1.850,5' has ambiguous separators"),
    bad("value_inf.csv", 2, "value", "'inf' is not a finite number"),
    bad("value_nan.csv", 2, "value", "'nan' is not a finite number"),
    bad("value_empty.csv", 2, "value", "the value is empty"),
    bad("value_two_numbers.csv", 2, "value", "'600 700' looks like two numbers or a range"),
    bad("value_range.csv", 2, "value", "'50-60' looks like two numbers or a range"),
    bad("value_two_signs.csv", 2, "value", "'+-5' has two signs"),
    bad("value_money_and_percent.csv", 2, "value", "'£5%' is both money and a percentage"),
    bad("value_too_large.csv", 2, "value", "'1e400' is too large"),
    bad("value_two_qualifiers.csv", 2, "value", "'over 50+' has two qualifiers"),
    bad("count_below_zero.csv", 2, "value", "impossible value for this measure; expected a count"),
    bad("cost_below_zero.csv", 2, "value", "impossible value for this measure; expected a count"),
    bad("percent_120.csv", 2, "value", "expected 0 to 100 per cent"),
    bad("percent_minus_1.csv", 2, "value", "expected 0 to 100 per cent"),
    bad("percent_sign_on_count.csv", 2, "value", ""),
    bad("pounds_on_percentage.csv", 2, "value", ""),
    bad("bad_qualifier.csv", 2, "qualifier", "'maybe' is not a qualifier"),
    bad("qualifier_contradicts_value.csv", 2, "qualifier", ""),
    bad("bad_status.csv", 2, "status", "'draft' is not a status"),
    bad("same_key_different_values.csv", 3, "value",
        "the same measure, area and period as row 2 with a different value"),
    # layout
    bad("missing_value_column.csv", 1, "value", "the required column 'value' is missing"),
    bad("duplicate_column.csv", 1, "value", "appears 2 times in the header (as 'value', 'Value')"),
    bad("header_only.csv", None, None, "the file has a header but no rows"),
    bad("empty.csv", None, None, "the file is empty"),
    bad("blank_lines_only.csv", None, None, "the file is empty"),
    bad("no_header.csv", None, None, "no header row found"),
    bad("header_below_row_20.csv", None, None, "no header row found"),
    bad("binary_junk.csv", None, None, "it contains binary data"),
    bad("pdf_named_csv.csv", None, None, "this is a PDF document"),
    bad("old_excel_named_csv.csv", None, None, "an old-style Excel .xls workbook"),
    bad("gzip_named_csv.csv", None, None, "this is a gzip archive"),
    bad("not_windows_1252.csv", None, None, "byte 0x81 at position 115 is not valid cp1252"),
    bad("wrong_delimiter_mess.csv", 2, "measure", "unknown measure", errors=4),
    bad("unclosed_quote.csv", 3, None, 'a quote (") opened in this row is never closed'),
    bad("too_many_cells.csv", 2, None, "a number such as 1,850 must be in quotes"),
    bad("over_size_limit.csv", None, None, "over the limit of 200 bytes",
        limits=Limits(max_bytes=200)),
    bad("over_row_limit.csv", None, None, "more than 3 rows, over the limit of 3",
        limits=Limits(max_rows=3)),
    # workbooks
    bad("xlsx_no_header.xlsx", None, None, "no sheet has a header row with the expected columns"),
    bad("xlsx_unknown_sheet.xlsx", None, None,
        "there is no sheet named 'Data'; the workbook has sheets 'Return', 'Notes'", sheet="Data"),
    bad("xlsx_not_a_workbook.xlsx", None, None, "named like a workbook but is not an .xlsx file"),
    bad("xlsx_corrupt.xlsx", None, None, "not a readable .xlsx workbook"),
    bad("xlsx_value_error.xlsx", 2, "value", "'#DIV/0!' is not a number"),
    bad("xlsx_percent_over_100.xlsx", 2, "value", "expected 0 to 100 per cent"),
]  # fmt: skip

# Files with more than one mistake, tested on their own below.
SEVERAL_MISTAKES = ("three_mistakes.csv", "layout_and_cell_mistakes.csv")


def test_the_corpus_is_big_enough_and_every_file_is_in_a_table() -> None:
    cases = {param.values[0].file for param in MALFORMED_CASES}  # type: ignore[attr-defined]
    files = {path.name for path in MALFORMED.iterdir()}
    assert len(cases) == len(MALFORMED_CASES) >= 40
    assert files == cases | set(SEVERAL_MISTAKES)
    assert {path.name for path in VALID.iterdir()} == set(VALID_CASES)


def test_the_readme_lists_every_file() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for path in [*MALFORMED.iterdir(), *VALID.iterdir()]:
        assert f"`{path.name}`" in readme, path.name


@pytest.mark.parametrize("case", MALFORMED_CASES)
def test_malformed_file_is_reported_and_refused(corpus_db: Database, case: Bad) -> None:
    data = (MALFORMED / case.file).read_bytes()
    before = database_checksum(corpus_db)
    check = check_return(corpus_db, data, case.file, sheet=case.sheet, limits=case.limits)
    assert check.errors, f"{case.file}: no error reported"
    first = check.errors[0]
    where = (first.file_name, first.row, first.column)
    assert where == (case.file, case.row, case.column), str(first)
    assert case.fragment in first.message
    assert len(check.errors) == case.errors, [str(p) for p in check.errors]
    with pytest.raises(ReturnRefused, match="nothing was written"):
        commit_return(corpus_db, check, confirm_warnings=True)
    assert database_checksum(corpus_db) == before


def test_three_mistakes_are_reported_at_once(corpus_db: Database) -> None:
    name = "three_mistakes.csv"
    before = database_checksum(corpus_db)
    check = check_return(corpus_db, (MALFORMED / name).read_bytes(), name, limits=Limits())
    found = [(p.row, p.column, p.value) for p in check.errors]
    assert found == [
        (3, "measure", "rough-sleeper-count"),
        (4, "period", "Jume 2002"),
        (5, "value", "1.850,5"),
    ]
    assert "did you mean 'rough-sleepers-count'" in check.errors[0].message
    with pytest.raises(ReturnRefused, match="3 error"):
        commit_return(corpus_db, check, confirm_warnings=True)
    assert database_checksum(corpus_db) == before


def test_a_layout_error_does_not_hide_the_cell_errors(corpus_db: Database) -> None:
    name = "layout_and_cell_mistakes.csv"
    check = check_return(corpus_db, (MALFORMED / name).read_bytes(), name, limits=Limits())
    assert [(p.row, p.column) for p in check.errors] == [(2, None), (3, "period")]


# --- messy but valid files -------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """One figure a valid file must store, with the row it came from."""

    row: int
    measure: str
    area: str
    period: Period
    value: float | None
    qualifier: str = "exact"
    marker: str | None = None
    status: str = "final"
    note: str = ""
    partner: str = "corpus partner"


RS = "rough-sleepers-count"
COST = "rough-sleeping-cost-per-person"
PLACES = "new-childcare-places"
NURSERY3 = "nursery-places-3-year-olds"
JUNE_2001, JUNE_2002 = month(2001, 6), month(2002, 6)
FY_2002 = financial_year(2002)


def years(first: int, last: int) -> Period:
    """The interval "first to last" in whole calendar years."""
    return interval(date(first, 1, 1), date(last, 12, 31))


VALID_CASES: dict[str, tuple[str | None, list[Stored]]] = {
    "utf8_bom.csv": (None, [Stored(2, RS, "E08000001", JUNE_2001, 12),
                            Stored(3, RS, "E08000001", JUNE_2002, 10)]),
    "windows_1252_pound_note.csv": (None, [
        Stored(2, COST, "E08000004", financial_year(2001), 650, note="£650 a head, in real terms"),
    ]),
    "semicolons.csv": (None, [Stored(2, PLACES, "E08000010", day(date(2001, 3, 31)), 1850),
                              Stored(3, PLACES, "E08000010", day(date(2002, 3, 31)), 2100)]),
    "tabs.tsv": (None, [
        Stored(2, "nursery-places-4-year-olds", "E06000011", day(date(2001, 3, 31)), 98.5),
        Stored(3, "nursery-places-4-year-olds", "E06000011", year(2002), 99),
    ]),
    "title_rows_and_notes.csv": (None, [Stored(5, RS, "E07000166", JUNE_2001, 7),
                                        Stored(6, RS, "E07000166", JUNE_2002, 6)]),
    "blank_trailing_rows_and_columns.csv": (None, [Stored(2, RS, "E07000032", JUNE_2001, 3),
                                                   Stored(3, RS, "E07000032", JUNE_2002, 4)]),
    "quoted_note_newline.csv": (None, [
        Stored(2, RS, "E07000034", JUNE_2001, 8, note="first line\r\nsecond line"),
        Stored(4, RS, "E07000034", JUNE_2002, 9, note="plain"),  # physical line 4
    ]),
    "thousands_separators.csv": (None, [
        Stored(2, PLACES, "E06000061", day(date(2001, 3, 31)), 140_000),
        Stored(3, PLACES, "E06000061", day(date(2002, 3, 31)), 182_500),
        Stored(4, "childcare-place-cost", "E06000061", financial_year(2001), 1234.5),
    ]),
    "percent_sign.csv": (None, [
        Stored(2, NURSERY3, "E07000141", day(date(2001, 3, 31)), 55.4),
        Stored(3, NURSERY3, "E07000141", day(date(2002, 3, 31)), 60, qualifier="over"),
        Stored(4, NURSERY3, "E07000141", day(date(2003, 3, 31)), 66.7),
    ]),
    "pounds.csv": (None, [Stored(2, COST, "E07000193", years(1998, 1999), 650),
                          Stored(3, COST, "E07000193", years(1999, 2001), 700)]),
    "period_spellings.csv": (None, [
        Stored(2, RS, "E07000220", day(date(2002, 6, 30)), 5),  # 30/06/2002
        Stored(3, RS, "E07000221", JUNE_2002, 6),  # June 2002
        Stored(4, RS, "E07000239", JUNE_2002, 7),  # 2002-06
        Stored(5, RS, "E07000095", quarter(2002, 2), 8),  # 2002 Q2
        Stored(6, RS, "E07000242", FY_2002, 9),  # 2002-03
        Stored(7, RS, "E07000202", FY_2002, 10),  # 2002/03
        Stored(8, RS, "E06000031", FY_2002, 11),  # FY2002-03
        Stored(9, RS, "E07000102", year(2002), 12),  # 2002
        Stored(10, RS, "E09000004", quarter(2002, 2), 13),  # Q2 2002
        Stored(11, RS, "E09000011", day(date(2002, 6, 30)), 14),  # 30 June 2002
        Stored(12, RS, "E09000019", day(date(2002, 6, 30)), 15),  # 2002-06-30
        Stored(13, RS, "E09000027", JUNE_2002, 16),  # Jun 2002
        Stored(14, RS, "E07000224", JUNE_2002, 17),  # 06/2002
        Stored(15, RS, "E07000225", FY_2002, 18),  # 2002/2003
        Stored(16, RS, "E07000208", interval(date(2002, 6, 1), date(2003, 5, 31)), 19),
    ]),
    "markers.csv": (None, [
        Stored(2, RS, "E07000090", month(1999, 6), None, marker=".."),
        Stored(3, RS, "E07000090", month(2000, 6), None, marker="x"),
        Stored(4, RS, "E07000090", JUNE_2001, None, marker="-"),
        Stored(5, RS, "E07000090", JUNE_2002, 3),
        Stored(6, RS, "E07000210", month(1999, 6), None, marker="x"),  # [c]
        Stored(7, RS, "E07000210", month(2000, 6), None, marker=".."),  # :
        Stored(8, RS, "E07000210", JUNE_2001, None, marker="-"),  # [z]
    ]),
    "header_variants.csv": (None, [
        Stored(2, RS, "E07000092", JUNE_2001, 41, qualifier="around", status="provisional",
               note="made-up figure", partner="Rushmoor Borough Council"),
        Stored(3, RS, "E07000092", JUNE_2002, 38, qualifier="around", status="provisional"),
    ]),
    "qualifiers_and_status.csv": (None, [
        Stored(2, RS, "E07000188", month(1999, 6), 50, qualifier="over"),
        Stored(3, RS, "E07000188", month(2000, 6), 45, qualifier="around", status="provisional"),
        Stored(4, RS, "E07000188", JUNE_2001, 40, qualifier="under", status="provisional"),
        Stored(5, RS, "E07000188", JUNE_2002, 40, qualifier="over"),
        Stored(6, RS, "E07000188", month(2003, 6), 39, qualifier="under"),
    ]),
    "excel_unicode_text.txt": (None, [
        Stored(2, RS, "E07000080", JUNE_2001, 9, note="counted by £-funded outreach"),
    ]),
    "sheet_by_name.xlsx": ("Return", [Stored(4, RS, "E07000215", JUNE_2001, 4),
                                      Stored(5, RS, "E07000215", JUNE_2002, 5)]),
    "excel_month_cells.xlsx": (None, [Stored(2, RS, "E06000043", JUNE_2001, 9),
                                      Stored(3, RS, "E06000052", JUNE_2002, 11)]),
    "typed_cells.xlsx": (None, [
        Stored(2, NURSERY3, "E06000037", day(date(2002, 3, 31)), 55.4),
        Stored(3, "childcare-place-cost", "E06000037", day(date(2001, 12, 7)), 650),
        Stored(4, PLACES, "E06000037", financial_year(2001), 1850),
    ]),
}  # fmt: skip


def _stored(db: Database, return_id: int) -> tuple[list[Stored], list[Observation]]:
    """The observations a return recorded, as :class:`Stored`, in row order."""
    with db.session() as session:
        slugs = dict(session.execute(select(Measure.id, Measure.slug)).all())
        query = (
            select(Observation)
            .where(Observation.return_id == return_id)
            .order_by(Observation.row_number)
        )
        observations = list(session.scalars(query))
    stored = [
        Stored(
            row=obs.row_number or 0,
            measure=slugs[obs.measure_id],
            area=obs.area_code,
            period=Period(obs.period_start, obs.period_end, PeriodKind(obs.period_kind)),
            value=obs.value,
            qualifier=obs.qualifier,
            marker=obs.marker,
            status=obs.data_status,
            note=obs.note,
            partner=obs.partner,
        )
        for obs in observations
    ]
    return stored, observations


VALID_PARAMS = sorted(VALID_CASES)


@pytest.mark.parametrize("name", VALID_PARAMS)
def test_messy_but_valid_file_lands_with_the_right_values(corpus_db: Database, name: str) -> None:
    sheet, expected = VALID_CASES[name]
    data = (VALID / name).read_bytes()
    check = check_return(
        corpus_db, data, name, sheet=sheet, partner="corpus partner", limits=Limits()
    )
    assert check.problems == [], [str(p) for p in check.problems]
    assert check.counts == {"read": len(expected), "new": len(expected), "revised": 0,
                            "unchanged": 0}  # fmt: skip
    outcome = commit_return(corpus_db, check)
    assert outcome.return_id is not None
    stored, observations = _stored(corpus_db, outcome.return_id)
    assert stored == expected
    assert {obs.source for obs in observations} == {f"return {outcome.return_id} ({name})"}
    # Read back through the library too: each figure is current, traced to its row.
    with corpus_db.session() as session:
        ids = dict(session.execute(select(Measure.slug, Measure.id)).all())
        for figure in expected:
            views = series(session, ids[figure.measure], figure.area, KnownAt.audit(datetime.now()))
            view = next(v for v in views if v.period == figure.period)
            assert (view.value, view.marker, view.return_id, view.row_number) == (
                figure.value,
                figure.marker,
                outcome.return_id,
                figure.row,
            )
            trail = history(session, ids[figure.measure], figure.area, figure.period)
            assert [v.return_id for v in trail] == [outcome.return_id]


def test_markers_are_never_read_as_zero(corpus_db: Database) -> None:
    name = "markers.csv"
    check = check_return(corpus_db, (VALID / name).read_bytes(), name, limits=Limits())
    marked = [row for row in check.rows if row.marker is not None]
    assert len(marked) == 6
    assert all(row.value is None for row in marked)


def test_without_a_sheet_name_the_first_sheet_with_a_header_is_read(corpus_db: Database) -> None:
    name = "sheet_by_name.xlsx"
    check = check_return(corpus_db, (VALID / name).read_bytes(), name, limits=Limits())
    assert check.table.sheet == "Draft"
    assert [row.value for row in check.rows] == [99]


def test_valid_files_are_stable_on_disk() -> None:
    """The corpus is data: guard against an editor re-saving it (BOM, encoding, line ends)."""
    assert (VALID / "utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\xa3" in (VALID / "windows_1252_pound_note.csv").read_bytes()
    assert (VALID / "excel_unicode_text.txt").read_bytes().startswith(b"\xff\xfe")
    assert (MALFORMED / "empty.csv").read_bytes() == b""
    assert (MALFORMED / "xlsx_corrupt.xlsx").read_bytes().startswith(b"PK\x03\x04")
