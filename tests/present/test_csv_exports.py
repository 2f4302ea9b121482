"""Every CSV the app offers and every ``--format csv`` stays inert, whatever a cell holds.

Why: a carriage return inside a value used to be written unquoted (pandas ``to_csv``, and the
csv module when rows end in ``"\\n"``), so a spreadsheet started a new row there; a partner's
evidence ``"Good progress\\r=cmd|' /C calc'!A0"`` reached a viewer's "Every answer (CSV)" as a
row starting with a formula. Each export below gets such text in a value and is read twice:
by Python's csv module (the value comes back as one field, no line of any field starts with
a formula) and by a naive reader that splits rows on any line break, as a careless importer
does (no line starts with a formula).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import status_table
from jwmetrics.catalogue.snapshot import load_snapshot
from jwmetrics.cli.args import emit
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.metrics import Metrics
from jwmetrics.present.comparison_table import comparison_frame
from jwmetrics.present.files import (
    assessments_frame,
    csv_text,
    observations_frame,
    safe_cell,
    to_csv_bytes,
)
from jwmetrics.present.return_check import problems_frame
from jwmetrics.present.returns_log import returns_log_frame
from jwmetrics.present.self_assessment_tables import answers_table, portfolio_table
from jwmetrics.present.tables import overdue_table, schedule_table
from jwmetrics.present.templates import template_csv
from jwmetrics.present.value_tables import portfolio_frame, value_frame

ROOT = Path(__file__).resolve().parents[2]
ENGLAND = "E92000001"
ATTACK = "Good progress\r=cmd|' /C calc'!A0"
SAFE_ATTACK = "Good progress\r'=cmd|' /C calc'!A0"  # what a cell holding ATTACK must read
LF_ATTACK = "line one\n@SUM(A1)"  # a line feed: the reader of returns splits rows on a lone CR
ATTACKS = {  # text -> the cell it must come back as
    ATTACK: SAFE_ATTACK,
    LF_ATTACK: "line one\n'@SUM(A1)",
    "a\r\n+1+1": "a\r\n'+1+1",
    "b\r\r\t=2": "b\r\r'\t=2",
    "\r-2+3": "'\r'-2+3",
    "=1\n-5\n-": "'=1\n-5\n-",  # numbers and the nil marker on a line of their own stay
    'say "hi",\rthen': 'say "hi",\rthen',
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?|-+")


def naive_lines(data: str) -> list[str]:
    """The rows a reader sees that splits on every ``\\r``, ``\\n`` and ``\\r\\n``."""
    return re.split(r"\r\n|\r|\n", data)


def runs(line: str) -> bool:
    """Whether a spreadsheet would read ``line`` (its first field) as a formula: it starts
    like one and is not a plain number."""
    first = line.split(",", 1)[0]
    return line.startswith(FORMULA_START) and not NUMBER.fullmatch(first.strip('"'))


def assert_inert(data: str, value: str | None = ATTACK) -> list[list[str]]:
    """``data`` read both ways is inert, and ``value`` (unless None) came back made safe,
    whole, within one field."""
    if data.startswith("\ufeff"):
        data = data[1:]
    assert [line for line in naive_lines(data) if runs(line)] == []
    rows = list(csv.reader(io.StringIO(data, newline="")))
    cells = [cell for row in rows for cell in row]
    if value is not None:
        assert any(ATTACKS[value] in cell for cell in cells), f"{value!r} not in one field {rows}"
    assert [c for c in cells for line in naive_lines(c) if runs(line)] == []
    widths = {len(row) for row in rows if row}
    assert len(widths) == 1, f"rows of different widths: a line break started a row {rows!r}"
    return rows


# --- the writer ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ATTACKS)
def test_safe_cell_neutralises_every_line(value: str) -> None:
    assert safe_cell(value) == ATTACKS[value]
    assert (
        safe_cell(-5.5) == -5.5 and safe_cell("-5") == "-5" and safe_cell("ok\nfine") == "ok\nfine"
    )


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_the_one_writer_quotes_every_line_break_whatever_the_row_ending(newline: str) -> None:
    data = csv_text(["Evidence", "n"], [[value, 1] for value in ATTACKS], newline)
    for value in ATTACKS:
        assert_inert(data, value)
    assert data.endswith(newline) and data.startswith("Evidence,n" + newline)


def test_the_one_writer_writes_ordinary_rows_as_the_csv_module_does() -> None:
    rows = [["a,b", 'q"', "", 1.5, None, "x y"], ["", "", "", "", "", ""], ["plain", 2, 3, 4, 5, 6]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["h"] * 6, *rows])
    assert csv_text(["h"] * 6, rows) == out.getvalue()
    assert csv_text(["only"], [[""], [None]]) == 'only\r\n""\r\n""\r\n'


def test_any_frame_downloads_inert_with_the_attack_in_a_cell_and_a_header() -> None:
    frame = pd.DataFrame({"Evidence": list(ATTACKS), ATTACK: range(len(ATTACKS))})
    data = to_csv_bytes(frame).decode("utf-8-sig")
    for value in ATTACKS:
        assert_inert(data, value)
    assert data.split("\n", 1)[0].startswith("Evidence,") and "\r\n" not in data.replace(
        "\r\n'+1", ""
    ), "rows still end in \\n, as these files always have"


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_every_format_csv_goes_through_the_one_writer(newline: str) -> None:
    out = io.StringIO()
    records = [{"note": value, "list": [value, "x"]} for value in ATTACKS]
    emit(records, "csv", out, text=print, fields=["note", "list"], csv_newline=newline)
    for value in ATTACKS:
        assert_inert(out.getvalue(), value)


def test_no_other_csv_writer_in_the_library_or_the_app() -> None:
    """Every download and ``--format csv`` goes through ``csv_text``: nothing else writes
    CSV (the two reference-data scripts write the project's own data files, not exports)."""
    writers = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(")
    allowed = {"jwmetrics/compare/denominators.py", "jwmetrics/catalogue/snapshot.py"}
    found = []
    for folder in ("jwmetrics", "dashboard", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name not in allowed and writers.search(path.read_text(encoding="utf-8")):
                found.append(name)
    assert found == []
    app = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").rglob("*.py")]
    for path in app:
        source = path.read_text(encoding="utf-8")
        for call in re.findall(r"download_button\((.*?)\n\s*\)", source, re.S):
            if '"text/csv"' in call:
                assert re.search(r"to_csv_bytes\(|cached_(self_assessment_)?template\(", call), (
                    path,
                    call,
                )


# --- the app's downloads -------------------------------------------------------------------


HEADER = "initiative,measure,area_code,period,value,partner,note\n"


def return_row(value: str, partner: str = "", note: str = "") -> str:
    out = io.StringIO()
    cells = ["rough-sleepers-unit", "rough-sleepers-count", ENGLAND, "June 2002", value]
    csv.writer(out, lineterminator="\n").writerow([*cells, partner, note])
    return out.getvalue()


@pytest.fixture
def attacked(db: Database) -> Database:
    """A database whose measure and area names, a return's file name and partner (named on
    the form), a rejection's reason and a self-assessment's evidence all hold :data:`ATTACK`."""
    metrics = Metrics(db)
    with db.session() as session, session.begin():
        session.execute(text("UPDATE measure SET name = :n"), {"n": ATTACK})
        session.execute(text("UPDATE area SET name = :n || ' ' || code"), {"n": ATTACK})
    data = (HEADER + return_row("532")).encode()
    check = metrics.check_return(data, ATTACK + ".csv", partner=ATTACK)
    assert not check.errors, [str(p) for p in check.errors]
    metrics.commit_return(check, confirm_warnings=True, uploaded_by="uploader")
    data = (HEADER + return_row("533")).encode()
    check = metrics.check_return(data, "second.csv")
    outcome = metrics.commit_return(check, confirm_warnings=True, needs_approval=True)
    assert outcome.return_id is not None
    metrics.reject_return(outcome.return_id, ATTACK, by="approver")
    template = metrics.self_assessment_template("rough-sleepers-unit").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(template, newline="")))[:3]
    for row in rows:
        row.update(score="2", evidence=ATTACK, answered_on="2002-03-01", answered_by="RSU")
    answers = io.StringIO()  # as the partner's spreadsheet writes it: the text as typed
    writer = csv.DictWriter(answers, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    metrics.add_self_assessment(answers.getvalue().encode(), "board.csv", by="test")
    return db


def test_every_answer_download_is_inert(attacked: Database) -> None:
    answers = answers_table(Metrics(attacked).self_assessments())
    assert (answers["Evidence"] == ATTACK).all(), "the evidence was stored as written"
    assert_inert(to_csv_bytes(answers).decode("utf-8-sig"))


def test_status_area_figures_and_template_downloads_are_inert(attacked: Database) -> None:
    frame = assessments_frame(status_table(attacked, area_codes=[ENGLAND]))
    assert_inert(to_csv_bytes(frame).decode("utf-8-sig"))
    detail = series_detail(attacked, "rough-sleepers-count", ENGLAND)
    assert_inert(to_csv_bytes(observations_frame(detail)).decode("utf-8-sig"))
    assert_inert(template_csv(attacked, "rough-sleepers-unit").decode("utf-8-sig"), None)
    template = Metrics(attacked).self_assessment_template("rough-sleepers-unit")
    assert_inert(template.decode("utf-8-sig"))


def test_returns_log_audit_log_and_problems_downloads_are_inert(attacked: Database) -> None:
    from dashboard.sections.admin import audit_frame

    metrics = Metrics(attacked)
    log = returns_log_frame(metrics.returns(), metrics.return_events())
    assert_inert(to_csv_bytes(log).decode("utf-8-sig"))
    events = audit_frame(metrics.audit_events())
    assert_inert(to_csv_bytes(events).decode("utf-8-sig"))
    check = metrics.check_return((HEADER + return_row(LF_ATTACK)).encode(), "bad.csv")
    assert check.errors
    assert_inert(to_csv_bytes(problems_frame(check)).decode("utf-8-sig"), LF_ATTACK)


def test_scores_comparison_value_and_schedule_downloads_are_inert(attacked: Database) -> None:
    metrics = Metrics(attacked)
    scores = portfolio_table(metrics.self_assessment_scores())
    assert_inert(to_csv_bytes(scores).decode("utf-8-sig"))
    comparison = comparison_frame(metrics.comparison("rough-sleepers-count"))
    assert_inert(to_csv_bytes(comparison).decode("utf-8-sig"))
    report = metrics.value_for_money()
    assert_inert(to_csv_bytes(portfolio_frame(report)).decode("utf-8-sig"))
    frames = [value_frame(item) for item in report.initiatives if item.records]
    assert frames, "some initiative has costs to download"
    for frame in frames:
        assert_inert(to_csv_bytes(frame).decode("utf-8-sig"))
    load_snapshot(attacked, published_on=date(2023, 2, 28))  # brings a returns schedule
    with attacked.session() as session, session.begin():
        session.execute(
            text("UPDATE return_schedule SET partner = :n || ' ' || partner"), {"n": ATTACK}
        )
    schedule = metrics.schedule(date(2026, 6, 1))
    assert_inert(to_csv_bytes(schedule_table(schedule)).decode("utf-8-sig"))
    assert_inert(to_csv_bytes(overdue_table(schedule)).decode("utf-8-sig"))


# --- the command line ----------------------------------------------------------------------


def run(db: Database, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, *args], out=out, err=err) == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--format", "csv"),
        ("changes", "--since", "2002-01-01", "--format", "csv"),
        ("audit", "--format", "csv"),
        ("compare", "rough-sleepers-count", "--format", "csv"),
    ],
    ids=lambda args: args[0],
)
def test_every_format_csv_command_is_inert(attacked: Database, args: tuple[str, ...]) -> None:
    assert_inert(run(attacked, *args))


def test_template_files_the_command_line_writes_are_inert(
    attacked: Database, tmp_path: Path
) -> None:
    run(attacked, "template", "rough-sleepers-unit", str(tmp_path / "return.csv"))
    assert_inert((tmp_path / "return.csv").read_bytes().decode("utf-8-sig"), None)  # no names
    answers = tmp_path / "answers.csv"
    run(attacked, "self-assessment", "template", "rough-sleepers-unit", str(answers))
    assert_inert(answers.read_bytes().decode("utf-8-sig"))  # no newline translation
