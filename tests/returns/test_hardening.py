"""Hardening: formulas in exports, hostile workbooks, error floods, stale checks, Markdown
from files, the Streamlit configuration and secrets in errors.

Why: the app and the command line were probed as an attacker and as a careless partner
would; each test here pins one of the holes found shut. No test asserts on time
(``bench/hostile_files.py`` measures time and memory).
"""

from __future__ import annotations

import csv
import io
import re
import threading
import tomllib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hostile import (
    base_workbook,
    blank_rows,
    deep_nesting,
    deep_part,
    empty_elements,
    far_cell,
    incompressible_strings,
    long_cell,
    shared_strings_bomb,
    wide_row,
)
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

import jwmetrics.problems
import jwmetrics.returns.cells
from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import status_table
from jwmetrics.cli import main as cli
from jwmetrics.db.engine import Database, DatabaseError, open_database
from jwmetrics.db.models import Observation, Return
from jwmetrics.present.files import (
    assessments_frame,
    observations_frame,
    safe_cell,
    to_csv_bytes,
    to_xlsx_bytes,
)
from jwmetrics.present.return_check import problems_frame, sheet_names
from jwmetrics.present.returns_log import returns_log_frame
from jwmetrics.present.templates import template_csv, template_xlsx
from jwmetrics.problems import SHORTLIST
from jwmetrics.returns import (
    MAX_PROBLEMS,
    STALE_MESSAGE,
    Limits,
    ReturnRefused,
    check_return,
    commit_return,
    returns_log,
    withdraw_return,
)
from jwmetrics.tabular import DEFAULT_MAX_BYTES, MAX_CELL_CHARS
from jwmetrics.text import plain

ROOT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://example.com","x")'
ENGLAND = "E92000001"
HEADER = "initiative,measure,area_code,period,value,partner,note\n"


def row(period: str, value: str, partner: str = "", note: str = "") -> str:
    """One CSV line of a return, quoted as a spreadsheet would quote it."""
    out = io.StringIO()
    cells = ["rough-sleepers-unit", "rough-sleepers-count", ENGLAND, period, value, partner, note]
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def commit(db: Database, data: str, name: str = "r.csv", partner: str = "") -> int | None:
    check = check_return(db, data.encode(), name, partner=partner)
    assert not check.errors, [str(p) for p in check.errors]
    return commit_return(db, check, confirm_warnings=True).return_id


def run_cli(*args: str) -> tuple[int, str]:
    """Run the command line; its exit code and everything it printed (stdout and stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_cells(data: bytes) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {s.title: [[c.value for c in r] for r in s.iter_rows()] for s in book.worksheets}


def xlsx_types(data: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {c.data_type for s in book.worksheets for r in s.iter_rows() for c in r}


def _inert(text: object) -> bool:
    return isinstance(text, str) and not text.startswith(("=", "+", "@", "\t", "\r"))


# --- 1. formulas in exports ----------------------------------------------------------------


def test_safe_cell_quotes_formula_text_and_leaves_numbers() -> None:
    assert safe_cell(FORMULA) == "'" + FORMULA
    for start in ("+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "cmd|' /C calc'!A0") == "'" + start + "cmd|' /C calc'!A0"
    assert safe_cell(-5.5) == -5.5 and safe_cell(-3) == -3
    assert safe_cell("-5") == "-5" and safe_cell("-") == "-" and safe_cell("ok") == "ok"


def test_csv_and_xlsx_of_any_frame() -> None:
    frame = pd.DataFrame({"Name": [FORMULA, "ok"], "Value": [-12.5, 3.0]})
    rows = csv_cells(to_csv_bytes(frame))
    assert rows[1] == ["'" + FORMULA, "-12.5"]
    book = xlsx_cells(to_xlsx_bytes({"Data": frame}, {"About": FORMULA}))
    assert book["Data"][1] == ["'" + FORMULA, -12.5]
    assert book["About"][1] == ["About", "'" + FORMULA]
    assert "f" not in xlsx_types(to_xlsx_bytes({"Data": frame})), "no formula cell"


def test_xlsx_text_cells_are_strings_even_without_the_quote() -> None:
    from jwmetrics.present import files as export

    frame = pd.DataFrame({"Name": [FORMULA]})
    original = export.safe_cell
    try:
        export.safe_cell = lambda value: value  # type: ignore[assignment]
        data = to_xlsx_bytes({"Data": frame})
    finally:
        export.safe_cell = original
    book = openpyxl.load_workbook(io.BytesIO(data))
    cell = book["Data"]["A2"]
    assert cell.value == FORMULA and cell.data_type == "s"


@pytest.fixture
def hostile_names(db: Database) -> Database:
    """A database whose measure, area and partner names and file names are formulas."""
    with db.session() as session, session.begin():
        session.execute(text("UPDATE measure SET name = :n"), {"n": FORMULA})
        session.execute(
            text("UPDATE area SET name = :n WHERE code = :c"), {"n": FORMULA, "c": ENGLAND}
        )
    commit(
        db,
        HEADER + row("June 2002", "532", FORMULA, FORMULA),
        name=FORMULA + ".csv",
        partner=FORMULA,
    )
    return db


def test_status_downloads_are_inert(hostile_names: Database) -> None:
    rows = status_table(hostile_names, area_codes=[ENGLAND])
    frame = assessments_frame(rows)
    table = csv_cells(to_csv_bytes(frame))
    header = table[0]
    measures = [r[header.index("Measure")] for r in table[1:]]
    assert "'" + FORMULA in measures and all(_inert(m) for m in measures)
    assert all(_inert(r[header.index("Area")]) for r in table[1:])
    book = xlsx_cells(to_xlsx_bytes({"Status": frame}))["Status"]
    column = book[0].index("Latest value")
    assert any(isinstance(r[column], (int, float)) for r in book[1:]), "numbers stay numbers"
    assert all(_inert(v) for r in book[1:] for v in r if isinstance(v, str))


def test_figures_area_and_template_downloads_are_inert(hostile_names: Database) -> None:
    detail = series_detail(hostile_names, "rough-sleepers-count", ENGLAND)
    frame = observations_frame(detail)
    for cells in csv_cells(to_csv_bytes(frame))[1:]:
        assert all(_inert(c) for c in cells)
    book = xlsx_cells(to_xlsx_bytes({"Figures": frame}, {"About": detail.measure_name}))
    assert book["About"][1][1] == "'" + FORMULA
    values = [r[book["Figures"][0].index("Value")] for r in book["Figures"][1:]]
    assert all(isinstance(v, (int, float)) for v in values if v is not None)
    template = xlsx_cells(template_xlsx(hostile_names, "rough-sleepers-unit"))
    assert "'" + FORMULA in [r[1] for r in template["Measures"]]
    assert all(
        _inert(c) for r in csv_cells(template_csv(hostile_names, "rough-sleepers-unit")) for c in r
    )


def test_returns_log_and_problems_downloads_are_inert(hostile_names: Database) -> None:
    log = returns_log_frame(returns_log(hostile_names))
    table = csv_cells(to_csv_bytes(log))
    header = table[0]
    assert table[1][header.index("File")] == "'" + FORMULA + ".csv"
    assert table[1][header.index("Partner")] == "'" + FORMULA
    book = xlsx_cells(to_xlsx_bytes({"Returns": log}))["Returns"]
    assert book[1][header.index("Partner")] == "'" + FORMULA
    assert isinstance(book[1][header.index("Id")], int)
    bad = HEADER + row("June 2002", FORMULA)
    check = check_return(hostile_names, bad.encode(), "bad.csv")
    problems = csv_cells(to_csv_bytes(problems_frame(check)))
    assert [r[3] for r in problems[1:] if FORMULA in r[3]] == ["'" + FORMULA]


def test_cli_status_csv_is_inert(
    hostile_names: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    assert cli.main(["--database-url", db_url, "status", "--format", "csv"], out=out) == 0
    records = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert any(v == "'" + FORMULA for r in records for v in r.values())
    assert all(_inert(v) for r in records for v in r.values())


# --- 2. hostile workbooks ------------------------------------------------------------------


def _no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl opened a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", refuse)


ARCHIVE_BOMBS = {
    "shared-strings bomb": (
        lambda: shared_strings_bomb(3_000_000),
        Limits(),
        "over the limit of 100 times",
    ),
    "unpacked size": (
        lambda: incompressible_strings(2_000_000),
        Limits(max_uncompressed=1_000_000),
        "unpacked",
    ),
    # a part that is not a worksheet, and not named .xml: the archive check parses it
    "deep XML nesting": (lambda: deep_part(1_000), Limits(), "over the limit of 64"),
    "empty elements": (
        lambda: empty_elements(300_000),
        Limits(max_xml_tags=200_000),
        "over the limit of 200,000 tags",
    ),
}
SHEET_BOMBS = {
    # a worksheet is parsed only as it streams, which checks the depth too
    "deep XML nesting": (lambda: deep_nesting(1_000), Limits(), "over the limit of 64"),
    "empty elements within the tag limit": (
        lambda: empty_elements(100_000),
        Limits(),
        "where a worksheet has only rows (<row>) inside <sheetData>",
    ),
    "blank rows": (lambda: blank_rows(2_000), Limits(max_rows=100), "over the limit of 100 rows"),
    "far columns (declared)": (far_cell, Limits(), "over the limit of 200 columns"),
    "far columns (not declared)": (
        lambda: far_cell(declared=False),
        Limits(),
        "over the limit of 200,000 rows",
    ),
    "wide row": (wide_row, Limits(), "over the limit of 200 columns"),
    "oversized cell": (
        lambda: long_cell(40_000),
        Limits(),
        f"over the limit of {MAX_CELL_CHARS:,} characters",
    ),
}


@pytest.mark.parametrize("kind", ARCHIVE_BOMBS)
def test_archive_bombs_are_refused_before_openpyxl_opens_them(
    kind: str, seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, limits, words = ARCHIVE_BOMBS[kind]
    data = make()
    _no_openpyxl(monkeypatch)
    assert sheet_names(data, limits) == []  # the upload page's sheet list
    check = check_return(seeded_db, data, "bomb.xlsx", limits=limits)
    assert any(words in p.message for p in check.errors), [p.message for p in check.errors]


@pytest.mark.parametrize("kind", SHEET_BOMBS)
def test_hostile_sheets_are_refused_naming_the_limit(kind: str, seeded_db: Database) -> None:
    make, limits, words = SHEET_BOMBS[kind]
    check = check_return(seeded_db, make(), "hostile.xlsx", limits=limits)
    assert any(words in p.message for p in check.errors), [p.message for p in check.errors]
    assert not check.rows


def test_oversized_cell_is_quoted_short() -> None:
    from jwmetrics.tabular import read_table

    table = read_table(long_cell(40_000), "long.xlsx")
    (problem,) = table.errors
    assert "40,000 characters" in problem.message
    assert problem.value is not None and problem.value.endswith("… (40,000 characters)")
    assert len(str(problem)) < 500


def test_long_partner_name_is_refused(seeded_db: Database) -> None:
    data = (HEADER + row("June 2002", "532", "p" * 300)).encode()
    check = check_return(seeded_db, data, "p.csv", partner="q" * 250)
    messages = [p.message for p in check.errors]
    assert sum("over the limit of 200" in m for m in messages) == 2, messages


@pytest.mark.parametrize("kind", ["shared-strings bomb", "deep XML nesting"])
def test_cli_import_refuses_bombs(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, _limits, words = ARCHIVE_BOMBS[kind]
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(make())
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    code, printed = run_cli("--database-url", url, "import", str(path))
    assert code == 1 and words in printed


def test_cli_import_refuses_blank_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWMETRICS_MAX_RETURN_ROWS", "100")
    path = tmp_path / "blank.xlsx"
    path.write_bytes(blank_rows(2_000))
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    code, printed = run_cli("--database-url", url, "import", str(path))
    assert code == 1 and "over the limit of 100 rows" in printed


def test_byte_limit_comes_first(seeded_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_openpyxl(monkeypatch)
    data = base_workbook()
    limits = Limits(max_bytes=len(data) - 1)
    assert sheet_names(data, limits) == []
    check = check_return(seeded_db, data, "big.xlsx", limits=limits)
    assert "over the limit of" in check.errors[0].message


def test_archive_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWMETRICS_MAX_UNCOMPRESSED_BYTES", "1234")
    monkeypatch.setenv("JWMETRICS_MAX_COMPRESSION_RATIO", "7")
    limits = Limits.from_environment()
    assert (limits.archive.max_uncompressed, limits.archive.max_ratio) == (1234, 7)


# --- 3. floods of errors -------------------------------------------------------------------


def test_unknown_codes_are_capped_and_suggested_once_per_text(
    seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = jwmetrics.problems.did_you_mean

    def counting(value: str, choices: object, limit: int = 3) -> str:
        calls.append(value)
        return real(value, choices, limit)  # type: ignore[arg-type]

    monkeypatch.setattr(jwmetrics.returns.cells, "did_you_mean", counting)
    lines = [
        f"rough-sleepers-unit,rough-sleepers-count,X{n % 50:08d},{1990 + n // 1000}-06,{n}\n"
        for n in range(20_000)
    ]
    data = ("initiative,measure,area_code,period,value\n" + "".join(lines)).encode()
    check = check_return(seeded_db, data, "unknown.csv")
    assert len(check.problems) == MAX_PROBLEMS + 1
    (summary,) = [p for p in check.problems if p.row is None]
    assert f"{20_000 - MAX_PROBLEMS:,} more problem(s) not listed" in summary.message
    assert len(calls) == len(set(calls)) == 50


def test_twenty_thousand_distinct_unknown_codes_are_matched_once_each_and_capped(
    seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    real = jwmetrics.problems.did_you_mean

    def counting(value: str, choices: list[str], limit: int = 3) -> str:
        calls.append((value, len(choices)))
        return real(value, choices, limit)

    monkeypatch.setattr(jwmetrics.returns.cells, "did_you_mean", counting)
    codes = [f"E0900{n:04d}" for n in range(100, 1_100)] + [f"X{n:08d}" for n in range(19_000)]
    lines = [
        f"rough-sleepers-unit,rough-sleepers-count,{code},{1990 + n // 1000}-06,{n}\n"
        for n, code in enumerate(codes)
    ]
    data = ("initiative,measure,area_code,period,value\n" + "".join(lines)).encode()
    check = check_return(seeded_db, data, "unknown.csv")
    assert len(check.problems) == MAX_PROBLEMS + 1
    (summary,) = [p for p in check.problems if p.row is None]
    assert summary.message.startswith("19,000 more problem(s) not listed (19,000 error(s)")
    assert len(calls) == len({value for value, _ in calls}) == 20_000, "once per distinct code"
    assert max(count for _, count in calls) <= SHORTLIST, "against a short list, not every code"
    assert "(did you mean 'E0900" in check.problems[0].message


# --- 4. stale checks and simultaneous withdrawals ------------------------------------------


def current_value(db: Database, period_start: date = date(2002, 6, 1)) -> float | None:
    with db.session() as session:
        query = select(Observation.value, Return.withdrawn_at).join(Return, isouter=True)
        query = query.where(Observation.period_start == period_start).order_by(Observation.id)
        values = [v for v, withdrawn in session.execute(query) if withdrawn is None]
        return values[-1] if values else None


def test_a_stale_check_cannot_overwrite_a_newer_figure(db: Database) -> None:
    check_a = check_return(db, (HEADER + row("June 2002", "500")).encode(), "a.csv")
    assert [c.kind for c in check_a.changes] == ["new"]
    commit(db, HEADER + row("June 2002", "532"), name="b.csv")
    with pytest.raises(ReturnRefused, match=STALE_MESSAGE):
        commit_return(db, check_a, confirm_warnings=True)
    assert current_value(db) == 532
    with db.session() as session:
        assert [r.file_name for r in session.scalars(select(Return))] == ["b.csv"]
    again = check_return(db, (HEADER + row("June 2002", "500")).encode(), "a.csv")
    assert [c.kind for c in again.changes] == ["revised"]


def test_two_simultaneous_withdrawals_record_one(db: Database) -> None:
    return_id = commit(db, HEADER + row("June 2002", "532"))
    assert return_id is not None
    barrier = threading.Barrier(2)
    results: list[str] = []

    def withdraw(who: str) -> None:
        barrier.wait(timeout=30)
        try:
            results.append(withdraw_return(db, return_id, by=who))
        except ReturnRefused as exc:
            results.append(f"refused: {exc}")

    workers = [threading.Thread(target=withdraw, args=(f"user{n}",)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(r.startswith("refused") for r in results) == [False, True], results
    with db.session() as session:
        record = session.get(Return, return_id)
        assert record is not None and record.outcome == "withdrawn"
        assert record.withdrawn_by in ("user0", "user1")


def test_withdraw_loses_the_race_when_the_row_changed_under_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser of a race: it read "not withdrawn", then the conditional UPDATE hit nothing."""
    return_id = commit(db, HEADER + row("June 2002", "532"))
    original = db.session

    def session_after_another_withdrawal():  # type: ignore[no-untyped-def]
        with original() as other, other.begin():
            other.execute(
                update(Return)
                .where(Return.id == return_id)
                .values(withdrawn_at=datetime.now(), outcome="withdrawn")
            )
        session = original()
        monkeypatch.setattr(db, "session", original)
        return session

    with db.session() as session:  # withdraw_return reads through get(): make it read stale
        record = session.get(Return, return_id)
        assert record is not None and record.withdrawn_at is None
    monkeypatch.setattr(Session, "get", lambda self, *a, **k: record)
    monkeypatch.setattr(db, "session", session_after_another_withdrawal)
    with pytest.raises(ReturnRefused, match="withdrawn by someone else"):
        withdraw_return(db, return_id, by="late")


# --- 5. Markdown from files ----------------------------------------------------------------


def unescaped(markdown: str) -> str:
    """What Markdown still reads as markup once every backslash-escaped character is gone."""
    return re.sub(r"\\.", "", markdown)


def test_plain_escapes_links_images_and_html() -> None:
    source = "[x](http://example.com)![i](http://example.com/i.png) <img src=x> *b* :red[r]"
    left = unescaped(plain(source))
    for markup in ("[", "]", "<", "*", "http://", ":red"):
        assert markup not in left
    assert plain("Pre-school children (HC 383): 12:30") == "Pre-school children (HC 383): 12:30"


# --- 6. configuration and secrets ------------------------------------------------------------


def test_streamlit_config_is_locked_down() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["maxUploadSize"] * 1024 * 1024 == DEFAULT_MAX_BYTES
    assert server["address"] == "127.0.0.1"
    assert server["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] in ("none", False)


SECRET_URL = "postgresql+psycopg://user:SECRETPW@127.0.0.1:1/x"


def test_password_never_in_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DatabaseError) as caught:
        open_database(SECRET_URL)
    assert "SECRETPW" not in str(caught.value)
    code, printed = run_cli("--database-url", SECRET_URL, "status")
    assert code == 1 and "SECRETPW" not in printed
    assert "PostgreSQL database x on 127.0.0.1:1" in printed
    for bad in (
        "postgresql+psycopg://user:SECRETPW@127.0.0.1:1:2/x",
        "nonsense://user:SECRETPW@h/x",
    ):
        code, printed = run_cli("--database-url", bad, "status")
        assert code == 1 and "SECRETPW" not in printed
