"""``python -m jwmetrics import`` and friends: exit codes, what is written, and what is said.

Exit 0 on success, 1 with nothing written on errors or unconfirmed warnings. Every test
runs on SQLite and on PostgreSQL (the ``db_url`` fixture).
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from returns_support import MALFORMED, VALID, database_checksum
from sqlalchemy import select

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Observation, Return
from jwmetrics.present.templates import TEMPLATE_COLUMNS

HEADER = "initiative,measure,area_code,period,value"
RS = "rough-sleepers-unit,rough-sleepers-count"


def run(url: str, *args: str) -> tuple[int, str, str]:
    """Run the command line; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write(folder: Path, name: str, *rows: str, header: str = HEADER) -> Path:
    """A small CSV return on disk."""
    path = folder / name
    path.write_bytes("".join(f"{line}\r\n" for line in (header, *rows)).encode())
    return path


@pytest.fixture
def cli_db(db_url: str) -> Iterator[Database]:
    """The (seeded) database the command line works on, opened to look inside it."""
    database = open_seeded(db_url)
    yield database
    database.engine.dispose()


def stored_values(db: Database, file_name: str) -> list[tuple[str, float | None, int | None]]:
    """(area, value, row) of every observation recorded by returns named ``file_name``."""
    with db.session() as session:
        query = (
            select(Observation.area_code, Observation.value, Observation.row_number)
            .join(Return, Return.id == Observation.return_id)
            .where(Return.file_name == file_name)
            .order_by(Observation.row_number)
        )
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def test_dry_run_checks_and_writes_nothing(db_url: str, cli_db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "westminster.csv", f"{RS},E09000033,June 2001,40")
    before = database_checksum(cli_db)
    code, out, err = run(db_url, "import", str(path), "--dry-run")
    assert (code, err) == (0, "")
    assert "westminster.csv: 1 row read (utf-8, delimiter ',')" in out
    assert "NEW: row 2, rough-sleepers-count, E09000033, June 2001: 40" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert database_checksum(cli_db) == before


def test_errors_exit_1_with_every_error_listed_and_nothing_written(
    db_url: str, cli_db: Database
) -> None:
    before = database_checksum(cli_db)
    path = MALFORMED / "three_mistakes.csv"
    for extra in ([], ["--dry-run"], ["--yes"]):
        code, out, err = run(db_url, "import", str(path), *extra)
        assert code == 1
        assert err == "error: 3 error(s) in three_mistakes.csv; nothing was written\n"
        errors = [line for line in out.splitlines() if line.startswith("ERROR:")]
        assert [line.split(" — ")[0] for line in errors] == [
            "ERROR: three_mistakes.csv, row 3, column 'measure': 'rough-sleeper-count'",
            "ERROR: three_mistakes.csv, row 4, column 'period': 'Jume 2002'",
            "ERROR: three_mistakes.csv, row 5, column 'value': '1.850,5'",
        ]
        assert "did you mean 'rough-sleepers-count'" in errors[0]
    assert database_checksum(cli_db) == before


def test_a_file_over_the_size_limit_is_refused(
    db_url: str, cli_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWMETRICS_MAX_UPLOAD_BYTES", "60")
    path = write(tmp_path, "big.csv", f"{RS},E09000033,June 2001,40")
    before = database_checksum(cli_db)
    code, out, err = run(db_url, "import", str(path))
    assert code == 1 and "over the limit of 60 bytes" in out and "nothing was written" in err
    assert database_checksum(cli_db) == before


def test_warnings_need_yes(db_url: str, cli_db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "named.csv",
        f"{RS},E09000033,Camden,June 2001,40",  # E09000033 is Westminster
        header="initiative,measure,area_code,area_name,period,value",
    )
    before = database_checksum(cli_db)
    code, out, err = run(db_url, "import", str(path))
    assert code == 1
    assert (
        "WARNING: named.csv, row 2, column 'area_name': 'Camden' — area name does not match "
        "E09000033, which is 'Westminster'"
    ) in out
    assert "1 warning(s): check them, then run again with --yes" in err
    assert "nothing was written" in err
    assert database_checksum(cli_db) == before

    code, out, err = run(db_url, "import", str(path), "--yes")
    assert (code, err) == (0, "")
    assert "committed: 1 new, 0 revised, 0 unchanged" in out
    assert stored_values(cli_db, "named.csv") == [("E09000033", 40, 2)]


def test_partner_and_user_are_recorded_and_listed_as_json(
    db_url: str, cli_db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, "partner.csv", f"{RS},E09000033,June 2001,40", f"{RS},E09000007,2001,9")
    code, out, _ = run(
        db_url, "import", str(path), "--partner", "Westminster Council", "--user", "alice"
    )
    assert code == 0 and "return 1 committed: 2 new" in out
    code, out, _ = run(db_url, "returns", "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert {k: record[k] for k in ("id", "file_name", "partner", "uploaded_by", "outcome")} == {
        "id": 1,
        "file_name": "partner.csv",
        "partner": "Westminster Council",
        "uploaded_by": "alice",
        "outcome": "committed",
    }
    assert (record["rows_read"], record["rows_new"], record["rows_revised"]) == (2, 2, 0)
    assert record["withdrawn_at"] is None and len(record["sha256"]) == 64
    assert record["published_on"] == date.today().isoformat()
    text = run(db_url, "returns")[1]  # nobody approved it: it never reads "approved by"
    assert "counts (no approval needed) since " in text and "approved by" not in text
    assert text.rstrip().endswith("; partner Westminster Council, uploaded by alice")
    with cli_db.session() as session:
        partners = set(
            session.scalars(select(Observation.partner).where(Observation.return_id == 1))
        )
    assert partners == {"Westminster Council"}


def test_importing_the_same_file_again_says_so(db_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, "twice.csv", f"{RS},E09000033,June 2001,40")
    assert run(db_url, "import", str(path))[0] == 0
    code, out, _ = run(db_url, "import", str(path))
    assert code == 0
    assert "This file was already imported as return 1." in out
    assert "twice.csv was already imported as return 1; nothing changed" in out


def test_sheet_picks_the_worksheet(db_url: str, cli_db: Database) -> None:
    path = VALID / "sheet_by_name.xlsx"
    code, out, _ = run(db_url, "import", str(path), "--dry-run")
    assert code == 0 and "sheet 'Draft'" in out  # without --sheet: the first with a header
    code, out, _ = run(db_url, "import", str(path), "--sheet", "Return")
    assert code == 0 and "sheet 'Return'" in out and "committed: 2 new" in out
    assert stored_values(cli_db, "sheet_by_name.xlsx") == [("E07000215", 4, 4), ("E07000215", 5, 5)]
    code, out, _ = run(db_url, "import", str(path), "--sheet", "Nope")
    assert code == 1 and "there is no sheet named 'Nope'" in out


def test_withdraw_once_then_refused(db_url: str, cli_db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "revision.csv", f"{RS},E92000001,June 2001,650")
    code, out, _ = run(db_url, "import", str(path), "--yes")  # revises a final value: warning
    assert (
        code == 0
        and "REVISED: row 2, rough-sleepers-count, E92000001, June 2001: 700 -> 650" in out
    )
    code, out, err = run(db_url, "withdraw", "1", "--user", "bob")
    assert (code, err) == (0, "")
    assert out == "return 1 withdrawn; the values it replaced count again\n"
    code, out, err = run(db_url, "withdraw", "1")
    assert code == 1 and out == "" and "return 1 was already withdrawn on" in err
    code, _, err = run(db_url, "withdraw", "42")
    assert code == 1 and "there is no return 42" in err
    [record] = json.loads(run(db_url, "returns", "--format", "json")[1])
    assert (record["outcome"], record["withdrawn_at"] is not None) == ("withdrawn", True)
    code, out, _ = run(db_url, "returns")
    assert code == 0 and "withdrawn  revision.csv (new 0, revised 1, unchanged 0)" in out


def test_a_missing_file_exits_1(db_url: str, tmp_path: Path) -> None:
    code, out, err = run(db_url, "import", str(tmp_path / "nope.csv"))
    assert (code, out) == (1, "") and "no such file" in err


def test_the_template_once_filled_imports_cleanly(
    db_url: str, cli_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "rough-sleepers.xlsx"
    code, out, _ = run(db_url, "template", "rough-sleepers-unit", str(path))
    assert code == 0 and path.is_file()
    book = openpyxl.load_workbook(path)
    assert "Return" in book.sheetnames
    sheet = book["Return"]
    header = [cell.value for cell in sheet[1]]
    assert header == TEMPLATE_COLUMNS
    rows = list(sheet.iter_rows(min_row=2))
    measures = [row[header.index("measure")].value for row in rows]
    assert measures == [
        "rough-sleepers-count",
        "rough-sleeping-cost-per-person",
        "rough-sleepers-returning",  # the balancing measures arrive as returns like any other
        "rough-sleepers-hostel-places",
    ]
    figures = {
        "rough-sleepers-count": ("June 2002", 580),
        "rough-sleeping-cost-per-person": ("2001-02", 65000),
        "rough-sleepers-returning": ("June 2002", 310),
        "rough-sleepers-hostel-places": ("June 2002", 1200),
    }  # fmt: skip  (synthetic)
    for row in rows:
        period, value = figures[row[header.index("measure")].value]
        row[header.index("period")].value = period
        row[header.index("value")].value = value
    book.save(path)

    code, out, err = run(db_url, "import", str(path), "--partner", "Rough Sleepers Unit")
    assert (code, err) == (0, ""), out
    assert "0 errors, 0 warnings" in out and "sheet 'Return'" in out
    assert "return 1 committed: 4 new, 0 revised, 0 unchanged" in out
    assert stored_values(cli_db, path.name) == [
        ("E92000001", 580, 2),
        ("E92000001", 65000, 3),
        ("E92000001", 310, 4),
        ("E92000001", 1200, 5),
    ]


def test_the_template_is_made_without_deprecated_pandas_calls(db_url: str, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, _, err = run(db_url, "template", "eydcp", str(tmp_path / "eydcp.csv"))
    assert (code, err) == (0, "")
