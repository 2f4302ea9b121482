"""Follows and the outbox (issue 24): watch add/list/remove on the command line, unfollow
keeps the history, default follows of approvers, a return for approval alerted in the
commit's own transaction, bad input refused with nothing changed, the inbox and its count,
and migration 0018 from a database at 0015 with data. Both backends."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from alembic import command
from alembic.config import Config
from alert_support import COUNT, ENGLAND, commit
from sqlalchemy import func, inspect, select

from jwmetrics.alerts.watches import ASSIGNED_BY
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.cli.main import main
from jwmetrics.db.alert_models import Alert, Watch
from jwmetrics.db.engine import MIGRATIONS_DIR, Database
from jwmetrics.governance.audit import events
from jwmetrics.governance.roles import LOCAL_NAME
from jwmetrics.metrics import Metrics
from jwmetrics.problems import InputError


def run(db_url: str, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--database-url", db_url, *argv], out=out, err=out)
    return code, out.getvalue()


def test_watch_add_list_remove_on_the_command_line(db: Database, db_url: str) -> None:
    code, text = run(
        db_url, "watch", "add", f"measure:{COUNT}@{ENGLAND}", "--user", "Ann@Example.org"
    )
    assert code == 0 and f"ann@example.org follows measure:{COUNT}@{ENGLAND}" in text
    run(db_url, "watch", "add", "initiative:eydcp", "--user", "bob@example.org")
    code, text = run(db_url, "watch", "list", "--user", "ann@example.org", "--format", "json")
    (record,) = json.loads(text)
    assert record["what"] == f"measure:{COUNT}@{ENGLAND}" and record["ended_at"] is None
    code, text = run(db_url, "watch", "remove", str(record["id"]))
    assert code == 0 and "no longer follows" in text
    code, text = run(db_url, "watch", "list", "--format", "json")
    assert [r["user"] for r in json.loads(text)] == ["bob@example.org"]
    with db.session() as session:  # the ended follow is kept: its history stays
        ended = session.get(Watch, record["id"])
        assert ended is not None and ended.ended_at is not None
    assert [e.action for e in events(db)][-3:] == ["follow", "follow", "unfollow"]


def test_a_bad_what_is_refused_and_changes_nothing(db: Database, db_url: str) -> None:
    for bad in ("bogus", "measure:no-such-measure", f"measure:{COUNT}@E99999999", "partner:Nobody"):
        code, text = run(db_url, "watch", "add", bad)
        assert (code == 1 and "WHAT" in text) or "measure" in text, text
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Watch)) == 0
    with pytest.raises(InputError, match="expected initiative:ID"):
        Metrics(db).add_watch("nursery")


def test_approvers_follow_their_initiatives_by_default_once(db: Database, db_url: str) -> None:
    code, text = run(db_url, "users", "add", "admin@example.org", "--role", "admin")
    assert code == 0, text
    code, text = run(db_url, "users", "add", "lead@example.org", "--role", "approver",
                     "--initiative", "eydcp", "--user", "admin@example.org")  # fmt: skip
    assert code == 0, text
    metrics = Metrics(db)
    metrics.refresh_alerts()
    (made,) = metrics.watches()
    assert (made.user, made.what, made.created_by) == (
        "lead@example.org",
        "initiative:eydcp",
        ASSIGNED_BY,
    )  # fmt: skip  (the unassigned admin is not made to follow everything)
    lead = metrics.actor("lead@example.org")
    metrics.remove_watch(made.id, actor=lead)
    metrics.refresh_alerts()
    assert metrics.watches() == []  # an unfollow is not undone


def test_a_return_for_approval_is_alerted_in_the_commits_transaction(db: Database) -> None:
    metrics = Metrics(db)
    rows = f"rough-sleepers-unit,{COUNT},{ENGLAND},December 2001,900"
    lines = f"initiative,measure,area_code,period,value,note\n{rows},synthetic test row\n"
    check = metrics.check_return(lines.encode(), "wait.csv", partner="Rough Sleepers Unit")
    outcome = metrics.commit_return(check, needs_approval=True)
    with db.session() as session:
        query = select(Alert).where(Alert.kind == "approval", Alert.user_email != "#webhook")
        alert = session.scalars(query).one()
    assert alert.user_email == LOCAL_NAME and f"Return {outcome.return_id}" in alert.subject
    assert metrics.unread_alerts(LOCAL_NAME) == 1
    (item,) = metrics.inbox(LOCAL_NAME)
    assert "waits for an approver" in item.body and not item.read
    assert metrics.mark_alerts_read(LOCAL_NAME) == 1
    assert metrics.unread_alerts(LOCAL_NAME) == 0 and metrics.inbox(LOCAL_NAME)[0].read


def test_following_alerts_only_on_a_change_and_once(db: Database) -> None:
    metrics = Metrics(db)
    metrics.add_watch(f"measure:{COUNT}")
    assert metrics.refresh_alerts() == 0  # the first look is a baseline
    commit(
        metrics,
        f"rough-sleepers-unit,{COUNT},{ENGLAND},September 2001,690",
        date(2001, 12, 20),
        "amber.csv",
    )  # fmt: skip  (still Amber: no alert)
    assert metrics.unread_alerts(LOCAL_NAME) == 0
    commit(metrics, f"rough-sleepers-unit,{COUNT},{ENGLAND},December 2001,1500",
           date(2002, 1, 15), "red.csv")  # fmt: skip
    assert metrics.refresh_alerts() == 0  # already found right after the commit
    kinds = [i.kind for i in metrics.inbox(LOCAL_NAME)]
    assert kinds == ["red"]


def test_migration_0018_upgrades_a_database_at_0015_with_data(db_url: str) -> None:
    seeded = open_seeded(db_url)
    Metrics(seeded).add_watch(f"measure:{COUNT}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with seeded.engine.begin() as connection:  # down to 0015: the alert tables go
        config.attributes["connection"] = connection
        command.downgrade(config, "0015")
    assert not inspect(seeded.engine).has_table("watch")
    seeded.engine.dispose()
    db = open_seeded(db_url)  # migrates to head again
    tables = set(inspect(db.engine).get_table_names())
    assert {"watch", "alert", "alert_state", "alert_preference", "pack_schedule"} <= tables
    metrics = Metrics(db)
    assert metrics.watches() == [] and metrics.status(measure=COUNT)[0].status == "Amber"
    metrics.add_watch(f"measure:{COUNT}")
    assert len(metrics.watches()) == 1
    db.engine.dispose()
