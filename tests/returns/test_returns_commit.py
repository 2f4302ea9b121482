"""Committing returns: revisions, re-uploads, withdrawal, warnings, the log, crashes, races.

Every test runs on SQLite and on PostgreSQL (the ``db`` fixture). The kill and concurrency
tests run the commit in child processes (``tests/returns_support.py``) on synthetic rows,
each labelled as synthetic in its note.
"""

from __future__ import annotations

import signal
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from returns_support import (
    KILL_NOTE,
    Child,
    csv_bytes,
    database_checksum,
    database_url,
    duplicate_keys,
    observation_count,
    returns_where,
    start_child,
    synthetic_rows,
)
from sqlalchemy import select, text

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation, Return
from jwmetrics.periods import month
from jwmetrics.returns import (
    Change,
    Limits,
    RecordedChange,
    ReturnCheck,
    ReturnRefused,
    ReturnRow,
    check_return,
    commit_return,
    return_changes,
    return_observation_count,
    returns_log,
    sha256_of,
    withdraw_return,
)
from jwmetrics.store.figures import history, series
from jwmetrics.store.known import KnownAt

HEADER = "initiative,measure,area_code,period,value"
RS = "rough-sleepers-unit,rough-sleepers-count"
ENGLAND = "E92000001"
JUNE_1998, JUNE_2001 = month(1998, 6), month(2001, 6)
# England's June 2001 count of 700 (final) revised to 650, plus one new local figure.
REVISION = f"{HEADER}\r\n{RS},{ENGLAND},June 2001,650\r\n{RS},E09000033,June 2001,40\r\n".encode()
KILL_ROWS = 200_000
RACE_ROWS = 5_000


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    """A small return as UTF-8 CSV bytes with CRLF line ends."""
    return "".join(f"{line}\r\n" for line in (header, *rows)).encode()


def check(db: Database, data: bytes, name: str = "return.csv", **kwargs: object) -> ReturnCheck:
    """``check_return`` with the default limits (not the environment's)."""
    return check_return(db, data, name, limits=Limits(), **kwargs)  # type: ignore[arg-type]


def rough_sleepers_id(db: Database) -> int:
    """The id of the ``rough-sleepers-count`` measure."""
    with db.session() as session:
        found = session.scalar(select(Measure.id).where(Measure.slug == "rough-sleepers-count"))
    assert found is not None
    return found


def current_value(db: Database, area: str, when: datetime, period: object = JUNE_2001) -> object:
    """The current value of the rough sleepers count in ``area`` for ``period`` as of ``when``."""
    with db.session() as session:
        views = series(session, rough_sleepers_id(db), area, KnownAt.audit(when))
    return next(v.value for v in views if v.period == period)


# --- revisions, re-uploads, withdrawal ---------------------------------------------------


def test_a_revision_keeps_the_old_value(db: Database) -> None:
    checked = check(db, REVISION, "revision.csv")
    assert [(p.row, p.column, p.message) for p in checked.warnings] == [
        (2, "value", "revises a value marked final (was 700)")
    ]
    assert checked.counts == {"read": 2, "new": 1, "revised": 1, "unchanged": 0}
    before = datetime.now()
    outcome = commit_return(db, checked, confirm_warnings=True)
    after = datetime.now()
    assert outcome.return_id is not None
    with db.session() as session:
        trail = history(session, rough_sleepers_id(db), ENGLAND, JUNE_2001)
        views = {
            v.period: v
            for v in series(session, rough_sleepers_id(db), ENGLAND, KnownAt.audit(after))
        }
    assert [(v.value, v.return_id, v.row_number) for v in trail] == [
        (700, None, 3),  # row 3 of data/observations.csv
        (650, outcome.return_id, 2),
    ]
    assert current_value(db, ENGLAND, before) == 700
    assert views[JUNE_2001].value == 650
    assert views[JUNE_1998].value == 1850  # not in the file: untouched


def test_uploading_the_same_bytes_again_changes_nothing(db: Database) -> None:
    data = csv_file(f"{RS},E09000033,June 2001,40", f"{RS},E09000033,June 2002,38")
    first = commit_return(db, check(db, data, "westminster.csv"))
    before = database_checksum(db)
    again = check(db, data, "westminster (copy).csv")  # same bytes, another name
    assert again.already_imported == first.return_id
    outcome = commit_return(db, again)
    assert outcome.return_id == first.return_id
    assert "already imported as return" in outcome.message and "nothing changed" in outcome.message
    assert database_checksum(db) == before
    assert len(returns_log(db)) == 1


def test_a_file_whose_values_are_all_stored_writes_nothing(db: Database) -> None:
    rows = (f"{RS},E09000033,June 2001,40", f"{RS},E09000033,June 2002,38")
    commit_return(db, check(db, csv_file(*rows), "westminster.csv"))
    before = database_checksum(db)
    # The same figures in other bytes: semicolons, and England's stored June 2001 count.
    same = csv_file(*rows, f"{RS},{ENGLAND},June 2001,700").replace(b",", b";")
    checked = check(db, same, "westminster-again.csv")
    assert checked.problems == [] and checked.already_imported is None
    assert checked.counts == {"read": 3, "new": 0, "revised": 0, "unchanged": 3}
    assert not checked.has_changes
    outcome = commit_return(db, checked)
    assert outcome.return_id is None
    assert "already stored; nothing changed" in outcome.message
    assert database_checksum(db) == before


def test_withdrawal_restores_the_replaced_value(db: Database) -> None:
    outcome = commit_return(db, check(db, REVISION, "revision.csv"), confirm_warnings=True)
    return_id = outcome.return_id
    assert return_id is not None

    def row(number: int, area: str, value: float) -> ReturnRow:
        """A row of the revision as recorded: exact, final, no partner or note given."""
        measure = rough_sleepers_id(db)
        slug = "rough-sleepers-count"
        return ReturnRow(number, measure, slug, area, JUNE_2001, value, "exact", None, "final",
                         "", "")  # fmt: skip

    expected = [  # the change type the check showed, now with what each replaced
        Change("revised", row(2, ENGLAND, 650), 700, "exact", None, "final"),
        Change("new", row(3, "E09000033", 40)),
    ]
    assert RecordedChange is Change
    assert return_changes(db, return_id) == expected
    assert current_value(db, ENGLAND, datetime.now()) == 650
    before_withdrawal = datetime.now()

    message = withdraw_return(db, return_id, by="tester")
    assert message == f"return {return_id} withdrawn; the values it replaced count again"
    assert current_value(db, ENGLAND, datetime.now()) == 700
    assert current_value(db, ENGLAND, before_withdrawal) == 650  # history is kept
    with db.session() as session:
        local = series(session, rough_sleepers_id(db), "E09000033", KnownAt.audit(datetime.now()))
    assert local == []  # the new figure it added no longer counts
    assert return_changes(db, return_id) == expected  # still says what it did
    [logged] = returns_log(db)
    assert (logged.outcome, logged.withdrawn_by) == ("withdrawn", "tester")
    assert logged.withdrawn_at is not None

    with pytest.raises(ReturnRefused, match=f"return {return_id} was already withdrawn"):
        withdraw_return(db, return_id)
    with pytest.raises(ReturnRefused, match="there is no return 9999"):
        withdraw_return(db, 9999)

    # Once withdrawn, the same file may be imported again, as a new return.
    again = check(db, REVISION, "revision.csv")
    assert again.already_imported is None
    assert again.counts["revised"] == 1
    second = commit_return(db, again, confirm_warnings=True)
    assert second.return_id not in (None, return_id)
    assert current_value(db, ENGLAND, datetime.now()) == 650


def test_warnings_block_the_commit_until_confirmed(db: Database) -> None:
    data = csv_file(
        f"{RS},E09000033,Camden,June 2001,40",  # E09000033 is Westminster
        f"{RS},E09000033,Westminster,June 2002,38",  # after "today" below
        header="initiative,measure,area_code,area_name,period,value",
    )
    checked = check(db, data, today=date(2001, 12, 7))
    assert checked.errors == []
    assert [(p.row, p.column) for p in checked.warnings] == [(2, "area_name"), (3, "period")]
    assert "is in the future" in checked.warnings[1].message
    before = database_checksum(db)
    with pytest.raises(ReturnRefused, match=r"2 warning\(s\) to confirm first; nothing was"):
        commit_return(db, checked)
    assert database_checksum(db) == before
    outcome = commit_return(db, checked, confirm_warnings=True)
    assert outcome.return_id is not None and outcome.counts["new"] == 2
    assert return_observation_count(db, outcome.return_id) == 2


def test_the_returns_log_lists_outcome_and_counts(db: Database) -> None:
    data = csv_file(
        f"{RS},E09000033,June 2001,40",  # new
        f"{RS},E09000007,June 2001,12",  # new
        f"{RS},{ENGLAND},June 2001,690",  # revised (a final value: warning)
        f"{RS},{ENGLAND},June 1998,1850",  # unchanged
    )
    checked = check(db, data, "log.csv", partner="Westminster partner")
    first = commit_return(db, checked, uploaded_by="tester", confirm_warnings=True)
    assert first.message == (f"return {first.return_id} committed: 2 new, 1 revised, 1 unchanged")
    second = commit_return(db, check(db, csv_file(f"{RS},E09000033,June 2002,38")))
    log = returns_log(db)
    assert [r.id for r in log] == [second.return_id, first.return_id]  # newest first
    entry = log[1]
    assert (entry.file_name, entry.partner, entry.uploaded_by, entry.outcome) == (
        "log.csv",
        "Westminster partner",
        "tester",
        "committed",
    )
    assert (entry.rows_read, entry.rows_new, entry.rows_revised, entry.rows_unchanged) == (
        4,
        2,
        1,
        1,
    )
    assert entry.sha256 == sha256_of(data) and entry.withdrawn_at is None
    assert first.return_id is not None
    assert return_observation_count(db, first.return_id) == 3  # the unchanged row is not copied
    withdraw_return(db, first.return_id)
    assert [r.outcome for r in returns_log(db)] == ["committed", "withdrawn"]


# --- crashes and races -------------------------------------------------------------------


def wait_for_other_sessions_to_end(db: Database, timeout: float = 30.0) -> None:
    """On PostgreSQL, wait until the killed client's server session has rolled back."""
    if db.engine.dialect.name != "postgresql":
        return
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND state <> 'idle'"
    )
    deadline = time.monotonic() + timeout
    with db.engine.connect() as connection:
        while connection.execute(query).scalar() and time.monotonic() < deadline:
            connection.rollback()
            time.sleep(0.1)
        assert not connection.execute(query).scalar(), "the killed session is still running"


def wait_for_postgres_insert(db: Database, child: Child, timeout: float = 60.0) -> bool:
    """Wait until the child's session is copying or inserting observations (or has exited)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND state = 'active' "
        "AND (query LIKE 'COPY observation%' OR query LIKE 'INSERT INTO observation%')"
    )
    deadline = time.monotonic() + timeout
    with db.engine.connect() as connection:
        while child.process.poll() is None and time.monotonic() < deadline:
            if connection.execute(query).scalar():
                return True
            connection.rollback()
            time.sleep(0.02)
    return False


def test_sigkill_during_a_large_commit_leaves_no_partial_return(db: Database) -> None:
    seed = observation_count(db)
    child = start_child(database_url(db), synthetic=KILL_ROWS)
    child.line("CHECKED 0 0", timeout=180)
    child.line("COMMITTING")
    if db.engine.dialect.name == "postgresql":  # COPY: watch the server
        inserting = wait_for_postgres_insert(db, child)
    else:  # the child says when the driver's executemany starts
        inserting = child.line(("INSERTING", "RESULT"), timeout=60) == "INSERTING"
    if inserting:
        time.sleep(0.3)
    child.process.send_signal(signal.SIGKILL)
    code = child.finish()
    wait_for_other_sessions_to_end(db)

    returns = returns_where(db, Return.file_name == f"synthetic-{KILL_ROWS}.csv")
    labelled = observation_count(db, Observation.note == KILL_NOTE)
    if code == -signal.SIGKILL and not returns:
        assert labelled == 0, f"{labelled} rows of a killed commit were left behind"
        assert observation_count(db) == seed
    else:  # the commit finished before the kill landed: it must be whole
        [record] = returns
        assert labelled == KILL_ROWS == record.rows_new
        assert return_observation_count(db, record.id) == KILL_ROWS
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # The database takes the next return as usual.
    outcome = commit_return(db, check(db, csv_file(f"{RS},E09000033,June 2001,40")))
    assert outcome.return_id is not None


def race(db: Database, *paths: Path) -> list[str]:
    """Import each file in its own process, committing at the same moment; their last words."""
    url = database_url(db)
    children = [start_child(url, path, wait=True) for path in paths]
    for child in children:
        child.line("CHECKED 0 0")
    for child in children:
        child.send("go")
    outcomes = []
    for child in children:
        child.line("COMMITTING")
        outcomes.append(child.line(("RESULT", "REFUSED")))  # type: ignore[arg-type]
        assert child.finish() == 0
    return outcomes


def test_two_imports_at_once_both_land(db: Database, tmp_path: Path) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(csv_bytes(synthetic_rows(RACE_ROWS, ["rough-sleepers-count"])))
    second.write_bytes(csv_bytes(synthetic_rows(RACE_ROWS, ["new-childcare-places"])))
    before = observation_count(db)
    outcomes = race(db, first, second)
    assert all(f"{RACE_ROWS} new, 0 revised" in line for line in outcomes), outcomes
    shas = [sha256_of(path.read_bytes()) for path in (first, second)]
    returns = returns_where(db, Return.sha256.in_(shas))
    assert len(returns) == 2
    assert [return_observation_count(db, r.id) for r in returns] == [RACE_ROWS, RACE_ROWS]
    assert observation_count(db) == before + 2 * RACE_ROWS
    assert duplicate_keys(db) == 0


def test_the_same_file_imported_twice_at_once_lands_once(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_bytes(csv_bytes(synthetic_rows(RACE_ROWS, ["nursery-places-3-year-olds"])))
    before = observation_count(db)
    outcomes = sorted(race(db, path, path))
    committed = [line for line in outcomes if "committed" in line]
    assert len(committed) == 1, outcomes
    other = next(line for line in outcomes if line not in committed)
    assert (
        "imported by someone else a moment ago; nothing was written" in other
        or "already imported" in other
    ), other
    assert len(returns_where(db, Return.sha256 == sha256_of(path.read_bytes()))) == 1
    assert observation_count(db) == before + RACE_ROWS
    assert duplicate_keys(db) == 0
