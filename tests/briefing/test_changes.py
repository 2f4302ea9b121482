"""What changed between two days: statuses with both reasons, figures, targets (both backends)."""

from __future__ import annotations

import io
import json
from datetime import date

from jwmetrics.briefing.changes import changes_between
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.returns import check_return, commit_return

REPORT_DAY = date(2001, 12, 7)
MEASURE = "rough-sleepers-count"
HEADER = "initiative,measure,area_code,period,value,note\n"


def commit(db: Database, rows: str, published_on: date, *, needs_approval: bool = False) -> int:
    """Commit synthetic rows of the rough sleepers count, published on ``published_on``."""
    check = check_return(
        db, (HEADER + rows).encode(), f"r{published_on}.csv", published_on=published_on
    )
    assert not check.errors, check.errors
    outcome = commit_return(
        db, check, confirm_warnings=True, needs_approval=needs_approval, uploaded_by="uploader"
    )
    assert outcome.return_id is not None
    return outcome.return_id


def test_a_revision_between_two_days_is_listed_with_both_values(db: Database) -> None:
    return_id = commit(
        db,
        "rough-sleepers-unit,rough-sleepers-count,E92000001,June 2001,650,synthetic revision\n",
        date(2002, 1, 15),
    )
    found = changes_between(db, REPORT_DAY, date(2002, 2, 1), "rough-sleepers-unit")
    figures = [c for c in found if c.kind == "figure"]
    assert [(c.measure, c.period, c.before, c.after, c.when) for c in figures] == [
        ("rough-sleepers-count", "June 2001", 700.0, 650.0, date(2002, 1, 15))
    ]
    assert figures[0].source.startswith(f"return {return_id} ")
    # Before the revision was published, nothing had changed since the report.
    assert changes_between(db, REPORT_DAY, date(2002, 1, 14), "rough-sleepers-unit") == []


def test_statuses_change_with_both_reasons_and_targets_with_what_they_replaced(
    db: Database,
) -> None:
    found = changes_between(db, date(2001, 6, 1), REPORT_DAY)
    rough = [c for c in found if c.measure == "rough-sleepers-count"]
    status = next(c for c in rough if c.kind == "status")
    assert (status.before, status.after, status.when) == ("Grey", "Amber", REPORT_DAY)
    assert status.before_reason.startswith("No data yet")
    assert status.after_reason.startswith("At risk: 700 in June 2001")
    assert [c.kind for c in found] == sorted(
        (c.kind for c in found), key=["status", "figure", "target"].index
    )
    target = next(c for c in rough if c.kind == "target")
    assert target.before is None and "two thirds" in str(target.after)


def test_figures_of_a_submitted_return_are_not_changes_until_approved(db: Database) -> None:
    from jwmetrics.returns.approval import approve_return

    return_id = commit(
        db,
        "rough-sleepers-unit,rough-sleepers-count,E92000001,June 2002,532,synthetic\n",
        date(2002, 7, 1),
        needs_approval=True,
    )
    window = (REPORT_DAY, date(2002, 8, 1), "rough-sleepers-unit")
    assert [c for c in changes_between(db, *window) if c.kind == "figure"] == []
    approve_return(db, return_id, by="approver")
    figures = [c for c in changes_between(db, *window) if c.kind == "figure"]
    assert [(c.period, c.before, c.after) for c in figures] == [("June 2002", None, 532.0)]


def test_changes_command_json_and_its_refusals(db_url: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["--database-url", db_url, "changes", "--since", "2001-06-01", "--as-of", "2001-12-07"]
    assert main([*argv, "--format", "json"], out=out, err=err) == 0
    records = json.loads(out.getvalue())
    assert records and set(records[0]) >= {
        "kind",
        "initiative",
        "measure",
        "area_code",
        "before",
        "after",
        "when",
        "source",
    }
    assert {r["kind"] for r in records} == {"status", "figure", "target"}
    backwards = [
        "--database-url",
        db_url,
        "changes",
        "--since",
        "2002-01-01",
        "--as-of",
        "2001-12-07",
    ]
    assert main(backwards, out=out, err=err) == 1
    assert "must be after --since" in err.getvalue()


def test_new_commentary_is_a_change_beside_the_version_before(db: Database) -> None:
    from datetime import timedelta

    from jwmetrics.briefing.commentary import write_comment

    write_comment(db, MEASURE, "E92000001", "June 2001", "First view.", by="a@hmt.gov.uk")
    write_comment(db, MEASURE, "E92000001", "June 2001", "Second view.", by="b@hmt.gov.uk")
    today = date.today()
    found = [
        c for c in changes_between(db, today - timedelta(days=1), today) if c.kind == "comment"
    ]
    assert [(c.before, c.after, c.source) for c in found] == [
        (None, "First view.", "commentary by a@hmt.gov.uk"),
        ("First view.", "Second view.", "commentary by b@hmt.gov.uk"),
    ]
    earlier = changes_between(db, today - timedelta(days=3), today - timedelta(days=2))
    assert [c for c in earlier if c.kind == "comment"] == []  # written after that window
