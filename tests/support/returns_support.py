"""Shared helpers for the returns tests: checksums, synthetic returns, workbooks, a child process.

Run as a script it is the child process of the kill and concurrency tests::

    python tests/returns_support.py commit --url URL --file RETURN.csv [--wait]
    python tests/returns_support.py commit --url URL --synthetic 200000

It checks the return (or builds a checked return of synthetic rows), prints
``CHECKED <errors> <warnings>``, waits for a line on stdin when ``--wait`` is given (so that
two children commit at the same moment), prints ``COMMITTING`` just before
:func:`~jwmetrics.returns.commit_return`, then ``RESULT <id> <message>`` or
``REFUSED <message>``. With ``--synthetic`` it also prints ``INSERTING`` when the driver's
``executemany`` of the observations begins (SQLite), so that the kill test can strike in the
middle of it; PostgreSQL inserts with ``COPY``, which the test watches in pg_stat_activity.

Every synthetic row says so in its note: none of these figures is real.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make the package importable
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, inspect, select, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from jwmetrics.catalogue.seed import open_seeded  # noqa: E402
from jwmetrics.db.engine import Database, make_engine  # noqa: E402
from jwmetrics.db.models import Measure, Observation, Return  # noqa: E402

if TYPE_CHECKING:
    from jwmetrics.returns import ReturnCheck

CORPUS = Path(__file__).resolve().parents[1] / "returns" / "corpus"
MALFORMED = CORPUS / "malformed"
VALID = CORPUS / "valid"
SUPPORT_SCRIPT = Path(__file__).resolve()
AREAS_CSV = ROOT / "data" / "areas_england.csv"

HEADER = ("initiative", "measure", "area_code", "period", "value", "note")
SYNTHETIC_NOTE = "synthetic test row"
KILL_NOTE = "synthetic row of the kill test"

# Measures of the seeded catalogue, with their initiative and the kind of value they take.
SYNTHETIC_MEASURES: dict[str, tuple[str, str]] = {
    "rough-sleepers-count": ("rough-sleepers-unit", "count"),
    "new-childcare-places": ("eydcp", "count"),
    "nursery-places-3-year-olds": ("eydcp", "percent"),
    "nursery-places-4-year-olds": ("eydcp", "percent"),
    "rough-sleeping-cost-per-person": ("rough-sleepers-unit", "money"),
    "childcare-place-cost": ("eydcp", "money"),
}


def database_checksum(db: Database) -> str:
    """SHA-256 of every row of every table, to prove a refused file changed nothing."""
    digest = hashlib.sha256()
    with db.engine.connect() as connection:
        for table in sorted(inspect(db.engine).get_table_names()):
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).fetchall()
            digest.update(f"{table}:{rows!r}".encode())
    return digest.hexdigest()


def backend_database(backend: str, folder: Path) -> Database:
    """A fresh, seeded database of ``backend`` (PostgreSQL is skipped when no server is set)."""
    from db_backends import backend_url  # the tests folder is on sys.path under pytest

    return open_seeded(backend_url(backend, folder))


def database_url(db: Database) -> str:
    """The URL of ``db`` with its password, for a child process."""
    return db.engine.url.render_as_string(hide_password=False)


# --- synthetic returns ------------------------------------------------------------------


def local_authority_codes() -> list[str]:
    """The ONS codes of England's local authorities, in file order (data/areas_england.csv)."""
    with AREAS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return [row["area_code"] for row in rows if row["area_type"] == "local authority"]


def quarter_label(index: int, first_year: int = 1990) -> str:
    """The ``index``-th calendar quarter from ``first_year`` Q1, written "1990 Q1"."""
    return f"{first_year + index // 4} Q{index % 4 + 1}"


def synthetic_value(kind: str, area_index: int, quarter_index: int) -> str:
    """A plausible value that never moves 50% from one quarter to the next (no warnings)."""
    step = (area_index * 7 + quarter_index * 3) % 40
    if kind == "percent":
        return f"{40 + step / 2:.1f}"
    if kind == "money":
        return f"£{600 + step * 5:,}"
    return f"{1000 + step * 10:,}"


def _synthetic_keys(count: int, measures: Sequence[str]) -> Iterator[tuple[str, str, int, int]]:
    """(measure, area code, area index, quarter index) of ``count`` distinct figures."""
    areas = local_authority_codes()
    series = [(measure, index) for measure in measures for index in range(len(areas))]
    quarters = -(-count // len(series))
    made = 0
    for measure, area_index in series:
        for quarter_index in range(min(quarters, count - made)):
            yield measure, areas[area_index], area_index, quarter_index
        made += min(quarters, count - made)


def synthetic_rows(
    count: int,
    measures: Sequence[str] = tuple(SYNTHETIC_MEASURES),
    *,
    first_year: int = 1990,
    label: str = SYNTHETIC_NOTE,
) -> list[dict[str, str]]:
    """``count`` synthetic rows: measures x local authorities x quarters, all distinct keys.

    Each row's note says it is synthetic (``label``), so nobody mistakes it for real data.
    Periods start at ``first_year`` Q1 and stay in the past for counts up to 200,000.
    """
    return [
        {
            "initiative": SYNTHETIC_MEASURES[measure][0],
            "measure": measure,
            "area_code": area,
            "period": quarter_label(quarter_index, first_year),
            "value": synthetic_value(SYNTHETIC_MEASURES[measure][1], area_index, quarter_index),
            "note": label,
        }
        for measure, area, area_index, quarter_index in _synthetic_keys(count, measures)
    ]


def csv_bytes(
    rows: Sequence[dict[str, str]],
    columns: Sequence[str] = HEADER,
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    """Rows written as a UTF-8 CSV file the way a spreadsheet saves it (CRLF line ends)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def synthetic_check(db: Database, count: int, file_name: str) -> ReturnCheck:
    """A checked return of ``count`` new synthetic rows, built directly (no file is read).

    The kill test needs a big commit, not a big check: reading and checking 200,000 rows
    takes several seconds and is covered by the other tests, so the rows are made here as
    :func:`~jwmetrics.returns.check_return` would make them.
    """
    from jwmetrics.periods import quarter
    from jwmetrics.returns import Change, ReturnCheck, ReturnRow, sha256_of
    from jwmetrics.tabular import RawRow, RawTable

    with db.session() as session:
        ids = dict(session.execute(select(Measure.slug, Measure.id)).all())
    quarters = [quarter(1990 + index // 4, index % 4 + 1) for index in range(800)]
    rows = [
        ReturnRow(
            row_number=number,
            measure_id=ids[measure],
            measure_slug=measure,
            area_code=area,
            period=quarters[quarter_index],
            value=float(
                synthetic_value(SYNTHETIC_MEASURES[measure][1], area_index, quarter_index)
                .lstrip("£")
                .replace(",", "")
            ),
            qualifier="exact",
            marker=None,
            data_status="final",
            partner="test partner",
            note=KILL_NOTE,
        )
        for number, (measure, area, area_index, quarter_index) in enumerate(
            _synthetic_keys(count, tuple(SYNTHETIC_MEASURES)), start=2
        )
    ]
    table = RawTable(file_name=file_name, rows=[RawRow(row.row_number, {}) for row in rows])
    return ReturnCheck(
        file_name=file_name,
        sha256=sha256_of(f"{file_name} {count} {os.getpid()}".encode()),
        partner="test partner",
        table=table,
        rows=rows,
        changes=[Change("new", row) for row in rows],
    )


# --- workbooks --------------------------------------------------------------------------


def workbook_bytes(
    sheets: dict[str, list[list[object]]], formats: dict[str, str] | None = None
) -> bytes:
    """An .xlsx workbook with one sheet per entry (rows of cell values), made with openpyxl.

    ``formats`` maps a cell reference such as ``"Return!E2"`` to an Excel number format.
    """
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for reference, number_format in (formats or {}).items():
        name, cell = reference.split("!")
        book[name][cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading the database back ----------------------------------------------------------


def observation_count(db: Database, *conditions: object) -> int:
    """How many observations are stored (all of them, or those matching ``conditions``)."""
    with db.session() as session:
        query = select(func.count()).select_from(Observation).where(*conditions)
        return int(session.scalar(query) or 0)


def returns_where(db: Database, *conditions: object) -> list[Return]:
    """The data_return rows matching ``conditions``, oldest first."""
    with db.session() as session:
        return list(session.scalars(select(Return).where(*conditions).order_by(Return.id)))


def duplicate_keys(db: Database) -> int:
    """How many (measure, area, period) keys more than one return recorded."""
    with db.session() as session:
        keys = (
            select(Observation.measure_id)
            .where(Observation.return_id.is_not(None))
            .group_by(
                Observation.measure_id,
                Observation.area_code,
                Observation.period_start,
                Observation.period_end,
            )
            .having(func.count() > 1)
            .subquery()
        )
        return int(session.scalar(select(func.count()).select_from(keys)) or 0)


# --- child processes --------------------------------------------------------------------


class Child:
    """A child process running :func:`child_commit`; a thread reads its stdout line by line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for text_line in self.process.stdout:
            self.lines.put(text_line.rstrip("\n"))
        self.lines.put("")  # end of output

    def line(self, prefix: str | tuple[str, ...], timeout: float = 120.0) -> str:
        """The next line on the child's stdout, which must start with ``prefix``."""
        try:
            text_line = self.lines.get(timeout=timeout)
        except queue.Empty:
            text_line = ""
        if not text_line.startswith(prefix):
            self.process.kill()
            _, stderr = self.process.communicate(timeout=30)
            raise AssertionError(f"child said {text_line!r}, expected {prefix!r}:\n{stderr}")
        return text_line

    def send(self, text_line: str) -> None:
        """Write one line to the child's stdin (the go-ahead of ``--wait``)."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(text_line + "\n")
        stdin.flush()

    def finish(self, timeout: float = 120.0) -> int:
        """Wait for the child to exit; its exit code."""
        code = self.process.wait(timeout=timeout)
        for stream in (self.process.stdin, self.process.stderr):
            if stream is not None:
                stream.close()
        return code


def start_child(
    url: str, path: Path | None = None, *, synthetic: int = 0, wait: bool = False
) -> Child:
    """Start ``python tests/returns_support.py commit`` on a return file or synthetic rows.

    With ``synthetic`` rows the child also prints ``INSERTING`` when the driver's
    ``executemany`` of the observations starts (SQLite's path; not COPY on PostgreSQL).
    """
    command = [sys.executable, str(SUPPORT_SCRIPT), "commit", "--url", url]
    command += ["--file", str(path)] if path is not None else ["--synthetic", str(synthetic)]
    if wait:
        command.append("--wait")
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        cwd=str(ROOT),
    )
    return Child(process)


def child_commit(url: str, path: Path | None, synthetic: int, wait: bool) -> int:
    """The child process: check, (wait,) commit, and say on stdout what happened."""
    from jwmetrics.returns import ReturnRefused, check_return, commit_return

    engine = make_engine(url)  # the test has migrated and seeded it: skip Alembic
    db = Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    if path is None:
        check = synthetic_check(db, synthetic, f"synthetic-{synthetic}.csv")
        _announce_insert()  # SQLite's path
    else:
        check = check_return(db, path.read_bytes(), path.name, partner="test partner")
    print(f"CHECKED {len(check.errors)} {len(check.warnings)}", flush=True)
    if wait:
        sys.stdin.readline()
    print("COMMITTING", flush=True)
    try:
        outcome = commit_return(db, check, uploaded_by="child", confirm_warnings=True)
    except ReturnRefused as exc:
        print(f"REFUSED {exc}", flush=True)
        return 0
    print(f"RESULT {outcome.return_id} {outcome.message}", flush=True)
    return 0


def _announce_insert() -> None:
    """Say ``INSERTING`` as the driver's executemany of the observations starts.

    :func:`jwmetrics.store.writes.insert_figures` calls the driver directly (no engine event),
    through ``_execute_many``; the child wraps that one call.
    """
    from jwmetrics.store import writes as write

    execute = write._execute_many

    def announced(connection: object, params: object) -> None:
        print("INSERTING", flush=True)
        execute(connection, params)  # type: ignore[arg-type]

    write._execute_many = announced  # type: ignore[assignment]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of the child process."""
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commit = commands.add_parser("commit", help="check and commit one return")
    commit.add_argument("--url", required=True, help="database URL")
    source = commit.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", type=Path, help="a return file to check and commit")
    source.add_argument("--synthetic", type=int, default=0, help="commit this many made-up rows")
    commit.add_argument("--wait", action="store_true", help="wait for a line on stdin first")
    args = parser.parse_args(argv)
    return child_commit(args.url, args.file, args.synthetic, args.wait)


if __name__ == "__main__":
    sys.exit(main())
