"""The governance commands: the approval flow and four eyes, users, who the CLI acts as, and
the audit log (and that the database itself keeps it append-only).

Every test runs on SQLite and on PostgreSQL (the ``db_url`` fixture), with returns needing
approval (``JWMETRICS_REQUIRE_APPROVAL=1``) unless it says otherwise.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.models import AuditEvent
from jwmetrics.governance import audit

ENGLAND = "E92000001"
HEADER = "initiative,measure,area_code,period,value"
RS = "rough-sleepers-unit,rough-sleepers-count"
PARTNER = "Rough Sleepers Unit"


def run(url: str, *args: str) -> tuple[int, str, str]:
    """Run the command line; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def ok(url: str, *args: str) -> str:
    """Run a command that must succeed; its output."""
    code, out, err = run(url, *args)
    assert (code, err) == (0, ""), err
    return out


def as_json(url: str, *args: str) -> Any:
    return json.loads(ok(url, *args, "--format", "json"))


def write(folder: Path, name: str, *rows: str) -> Path:
    path = folder / name
    path.write_text("".join(f"{line}\n" for line in (HEADER, *rows)), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def approval_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWMETRICS_REQUIRE_APPROVAL", "1")


@pytest.fixture
def cli_db(db_url: str) -> Iterator[Database]:
    """The (seeded) database the command line works on, opened to look inside it."""
    database = open_seeded(db_url)
    yield database
    database.engine.dispose()


def latest_rough_sleepers(url: str) -> float:
    """``status``'s latest value of people sleeping rough in England."""
    records = as_json(url, "status", "--initiative", "rough-sleepers-unit")
    (record,) = [
        r for r in records if r["measure"] == "rough-sleepers-count" and r["area_code"] == ENGLAND
    ]
    return float(record["latest_value"])


def import_june(url: str, folder: Path, year: int = 2002, user: str = "alice") -> str:
    """Import England's rough sleepers in June of ``year`` (532) as ``user``; what it said."""
    path = write(folder, f"june-{year}.csv", f"{RS},{ENGLAND},June {year},532")
    return ok(url, "import", str(path), "--user", user, "--partner", PARTNER)


def returns_json(url: str) -> list[dict[str, Any]]:
    return list(as_json(url, "returns"))


# --- the approval flow ----------------------------------------------------------------------


def test_a_submitted_return_counts_only_once_another_user_approves_it(
    db_url: str, cli_db: Database, tmp_path: Path
) -> None:
    said = import_june(db_url, tmp_path)
    assert "return 1 submitted for approval: 1 new, 0 revised, 0 unchanged" in said
    (record,) = returns_json(db_url)
    assert (record["id"], record["state"], record["outcome"]) == (1, "submitted", "committed")
    assert [(e["state"], e["by"], e["reason"]) for e in record["events"]] == [
        ("submitted", "alice", "")
    ]
    assert latest_rough_sleepers(db_url) == 700  # kept, listed, but not counted

    code, out, err = run(db_url, "approve", "1", "--user", "Alice")  # four eyes, any case
    assert (code, out) == (1, "")
    assert err == "error: Alice uploaded return 1 and cannot approve it: four eyes\n"
    assert returns_json(db_url)[0]["state"] == "submitted"
    assert latest_rough_sleepers(db_url) == 700

    assert ok(db_url, "approve", "1", "--user", "bob") == (
        "return 1 approved by bob; its figures count from now\n"
    )
    assert latest_rough_sleepers(db_url) == 532
    (record,) = returns_json(db_url)
    assert record["state"] == "approved"
    events = record["events"]
    assert [(e["state"], e["by"]) for e in events] == [("submitted", "alice"), ("approved", "bob")]
    moments = [datetime.fromisoformat(e["at"]) for e in events]
    assert moments == sorted(moments)  # oldest first
    assert {"file_name", "sha256", "partner", "uploaded_by", "rows_new", "withdrawn_at"} <= set(
        record
    )  # every field the log printed before approval existed

    code, _, err = run(db_url, "approve", "1", "--user", "carol")
    assert code == 1
    assert "return 1 is approved, not submitted; only a submitted return can be approved" in err
    line = ok(db_url, "returns")
    assert "committed  june-2002.csv (new 1, revised 0, unchanged 0) approved by bob " in line


def test_reject_needs_a_reason_and_a_rejected_return_never_counts(
    db_url: str, cli_db: Database, tmp_path: Path
) -> None:
    import_june(db_url, tmp_path)
    with pytest.raises(SystemExit) as usage:  # --reason is required: a usage error
        run(db_url, "reject", "1", "--user", "bob")
    assert usage.value.code == 2
    code, _, err = run(db_url, "reject", "1", "--user", "bob", "--reason", "  ")
    assert code == 1 and "say why the return is rejected (--reason); nothing changed" in err
    assert returns_json(db_url)[0]["state"] == "submitted"

    said = ok(db_url, "reject", "1", "--user", "bob", "--reason", "counted twice")
    assert said == "return 1 rejected by bob: counted twice\n"
    (record,) = returns_json(db_url)
    assert record["state"] == "rejected"
    assert record["events"][-1] | {"at": None} == {
        "state": "rejected",
        "by": "bob",
        "at": None,
        "reason": "counted twice",
    }
    code, _, err = run(db_url, "approve", "1", "--user", "carol")
    assert code == 1 and "return 1 is rejected, not submitted" in err
    assert latest_rough_sleepers(db_url) == 700
    with pytest.raises(SystemExit) as usage:
        run(db_url, "approve", "1")  # --user is required too
    assert usage.value.code == 2


def test_approving_a_missing_return_exits_1(db_url: str, cli_db: Database) -> None:
    code, out, err = run(db_url, "approve", "9", "--user", "bob")
    assert (code, out, err) == (1, "", "error: there is no return 9\n")


def test_without_approval_a_return_counts_at_once(
    db_url: str, cli_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWMETRICS_REQUIRE_APPROVAL", "0")
    assert "return 1 committed: 1 new" in import_june(db_url, tmp_path)
    (record,) = returns_json(db_url)
    assert record["state"] == "approved"
    assert [(e["state"], e["by"], e["reason"]) for e in record["events"]] == [
        ("approved", "alice", "no approval needed")
    ]
    assert latest_rough_sleepers(db_url) == 532


# --- users and who the command line acts as -------------------------------------------------


def test_users_add_list_and_remove(db_url: str, cli_db: Database) -> None:
    assert "No users" in ok(db_url, "users", "list")
    code, _, err = run(db_url, "users", "add", "v@example.gov.uk", "--role", "viewer")
    assert code == 1 and "the first user must be an admin (not viewer)" in err
    assert as_json(db_url, "users", "list") == []
    assert ok(db_url, "users", "add", "Boss@Example.gov.uk", "--role", "admin", "--user", "setup")
    added = ok(
        db_url, "users", "add", "up@example.gov.uk", "--role", "uploader",
        "--partner", PARTNER, "--partner", "Shelter", "--initiative", "Rough Sleepers Unit",
        "--initiative", "sure-start", "--user", "boss@example.gov.uk",
    )  # fmt: skip
    assert added == "up@example.gov.uk is now uploader.\n"
    users = as_json(db_url, "users", "list")
    fields = ("email", "role", "partners", "initiatives", "added_by")
    assert [tuple(u[k] for k in fields) for u in users] == [
        ("Boss@Example.gov.uk", "admin", [], [], "setup"),  # as entered
        (
            "up@example.gov.uk", "uploader", [PARTNER, "Shelter"],
            ["rough-sleepers-unit", "sure-start"], "Boss@Example.gov.uk",
        ),
    ]  # fmt: skip
    assert all(datetime.fromisoformat(u["added_at"]) for u in users)
    listed = ok(db_url, "users", "list")
    assert (
        "partners Rough Sleepers Unit, Shelter; initiatives rough-sleepers-unit, sure-start"
        in listed
    )

    code, _, err = run(
        db_url,
        "users",
        "add",
        "x@example.gov.uk",
        "--role",
        "viewer",
        "--user",
        "up@example.gov.uk",
    )
    assert code == 1 and "up@example.gov.uk is an uploader and may not users" in err
    code, _, err = run(db_url, "users", "remove", "up@example.gov.uk")  # no --user
    assert code == 1 and "name the one acting with --user" in err
    code, _, err = run(
        db_url, "users", "remove", "ghost@example.gov.uk", "--user", "boss@example.gov.uk"
    )
    assert code == 1 and "there is no such user" in err
    code, _, err = run(
        db_url, "users", "add", "bad address", "--role", "viewer", "--user", "boss@example.gov.uk"
    )
    assert code == 1 and "not an e-mail address" in err
    with pytest.raises(SystemExit) as usage:
        run(db_url, "users", "add", "x@example.gov.uk", "--role", "root")
    assert usage.value.code == 2
    assert ok(db_url, "users", "remove", "UP@example.gov.uk", "--user", "boss@example.gov.uk") == (
        "Removed UP@example.gov.uk.\n"
    )
    assert [u["email"] for u in as_json(db_url, "users", "list")] == ["Boss@Example.gov.uk"]


def test_once_there_are_users_the_user_named_must_exist_and_their_role_applies(
    db_url: str, cli_db: Database, tmp_path: Path
) -> None:
    ok(db_url, "users", "add", "boss@example.gov.uk", "--role", "admin")
    ok(
        db_url,
        "users",
        "add",
        "up@example.gov.uk",
        "--role",
        "uploader",
        "--partner",
        PARTNER,
        "--user",
        "boss@example.gov.uk",
    )
    ok(
        db_url,
        "users",
        "add",
        "ap@example.gov.uk",
        "--role",
        "approver",
        "--initiative",
        "sure-start",
        "--user",
        "boss@example.gov.uk",
    )
    path = write(tmp_path, "r.csv", f"{RS},{ENGLAND},June 2002,532")

    code, out, err = run(db_url, "import", str(path), "--user", "stranger@example.gov.uk")
    assert (code, out) == (1, "")
    assert err == (
        "error: stranger@example.gov.uk is not a user of this database (see `users list`)\n"
    )
    code, _, err = run(
        db_url, "import", str(path), "--user", "up@example.gov.uk", "--partner", "Other"
    )
    assert code == 1 and "may send returns only for Rough Sleepers Unit, not Other" in err
    code, _, err = run(
        db_url, "import", str(path), "--user", "ap@example.gov.uk", "--partner", PARTNER
    )
    assert code == 1 and "is an approver and may not upload" in err
    assert returns_json(db_url) == []  # nothing written by any refusal

    ok(db_url, "import", str(path), "--user", "UP@example.gov.uk", "--partner", PARTNER)
    (record,) = returns_json(db_url)
    assert record["uploaded_by"] == "up@example.gov.uk"  # the stored user, not the spelling
    code, _, err = run(db_url, "approve", "1", "--user", "ap@example.gov.uk")
    assert (
        code == 1
        and "ap@example.gov.uk may approve only for sure-start, not rough-sleepers-unit" in err
    )
    code, _, err = run(db_url, "approve", "1", "--user", "up@example.gov.uk")
    assert code == 1 and "is an uploader and may not approve" in err
    code, _, err = run(db_url, "withdraw", "1", "--user", "up@example.gov.uk")
    assert code == 1 and "may not withdraw" in err
    ok(db_url, "approve", "1", "--user", "boss@example.gov.uk")
    assert "return 1 withdrawn" in ok(db_url, "withdraw", "1", "--user", "boss@example.gov.uk")

    measures = tmp_path / "measures.csv"
    measures.write_text("initiative,slug,name,unit,direction\n")
    code, _, err = run(db_url, "catalogue", str(measures), "--user", "up@example.gov.uk")
    assert code == 1 and "may not catalogue" in err
    code, _, err = run(
        db_url, "change-point", "rough-sleepers-count", "2000-01-01", "--user", "ap@example.gov.uk"
    )
    assert code == 1 and "may not catalogue" in err
    code, _, err = run(db_url, "load-snapshot", "--user", "ap@example.gov.uk")
    assert code == 1 and "may not catalogue" in err


# --- the audit log --------------------------------------------------------------------------


MEASURE_ROW = (
    "initiative,slug,name,unit,direction,kind,description,source\n"
    "sure-start,sure-start-visits,Home visits,count,up,output,Synthetic,synthetic test row\n"
)


def test_each_action_adds_one_event_with_who_and_what(
    db_url: str, cli_db: Database, tmp_path: Path
) -> None:
    import_june(db_url, tmp_path)  # 1: submit, by alice
    ok(db_url, "approve", "1", "--user", "bob")
    import_june(db_url, tmp_path, 2003, user="carol")  # 2
    ok(db_url, "reject", "2", "--user", "bob", "--reason", '=HYPERLINK("x")')
    ok(db_url, "withdraw", "1", "--user", "=dave")  # a name a spreadsheet would run
    measures = tmp_path / "visits.csv"
    measures.write_text(MEASURE_ROW, encoding="utf-8")
    ok(db_url, "catalogue", str(measures), "--user", "erin")
    ok(
        db_url,
        "change-point",
        "rough-sleepers-count",
        "2000-01-01",
        "--note",
        "new teams",
        "--no-known-cause",
        "--user",
        "erin",
    )
    ok(db_url, "users", "add", "boss@example.gov.uk", "--role", "admin", "--user", "erin")

    records = as_json(db_url, "audit")
    assert [set(r) for r in records] == [{"at", "actor", "action", "subject", "detail"}] * 8
    assert [(r["actor"], r["action"], r["subject"]) for r in records] == [
        ("alice", "submit", "return 1"),
        ("bob", "approve", "return 1"),
        ("carol", "submit", "return 2"),
        ("bob", "reject", "return 2"),
        ("=dave", "withdraw", "return 1"),
        ("erin", "catalogue", "visits.csv"),
        ("erin", "change-point", f"rough-sleepers-count in {ENGLAND}"),
        ("erin", "user-add", "boss@example.gov.uk"),
    ]
    details = [r["detail"] for r in records]
    assert details[0] == "june-2002.csv from Rough Sleepers Unit: 1 new, 0 revised, 0 unchanged"
    assert details[3] == 'june-2003.csv: =HYPERLINK("x")'
    assert details[5] == "added 1 measures row(s): sure-start-visits"
    assert details[6] == "from 2000-01-01: new teams (no known cause)"
    assert details[7] == "role admin"
    moments = [datetime.fromisoformat(r["at"]) for r in records]
    assert moments == sorted(moments)

    rows = list(csv.DictReader(io.StringIO(ok(db_url, "audit", "--format", "csv"))))
    assert [r["action"] for r in rows] == [r["action"] for r in records]
    assert rows[4]["actor"] == "'=dave"  # formula-safe: text starting "=" is quoted
    assert rows[3]["detail"] == details[3]  # text with "=" further in is left as it is
    assert rows[0]["detail"] == details[0]
    text_lines = ok(db_url, "audit").splitlines()
    assert len(text_lines) == 8 and "bob" in text_lines[1] and "approve" in text_lines[1]


def test_audit_since_keeps_the_events_from_the_start_of_that_day(
    db_url: str, cli_db: Database
) -> None:
    with cli_db.session() as session, session.begin():
        audit.append(session, "old", "sign-in", "", "", at=datetime(2001, 12, 6, 23, 59, 59))
        audit.append(session, "early", "sign-in", "", "", at=datetime(2001, 12, 7, 0, 0))
    audit.record(cli_db, "now", "sign-in")
    day = lambda *args: [r["actor"] for r in as_json(db_url, "audit", *args)]  # noqa: E731
    assert day() == ["old", "early", "now"]
    assert day("--since", "2001-12-07") == ["early", "now"]
    assert day("--since", date.today().isoformat()) == ["now"]
    assert day("--since", (date.today() + timedelta(days=1)).isoformat()) == []
    assert "No audit events." in ok(db_url, "audit", "--since", "2100-01-01")
    with pytest.raises(SystemExit) as usage:
        run(db_url, "audit", "--since", "07/12/2001")
    assert usage.value.code == 2


def test_the_database_refuses_to_change_or_delete_an_audit_event(cli_db: Database) -> None:
    audit.record(cli_db, "someone", "sign-in", "", "first")
    for statement in (
        update(AuditEvent).values(detail="rewritten"),
        delete(AuditEvent),
    ):
        with (
            pytest.raises(DBAPIError, match="audit_event is append-only"),
            cli_db.engine.begin() as connection,
        ):
            connection.execute(statement)
    with pytest.raises(DBAPIError, match="append-only"), cli_db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE actor = 'someone'"))
    assert [(e.actor, e.detail) for e in audit.events(cli_db)] == [("someone", "first")]
