"""Commentary: every version kept, the newest shown, rendered safely (both backends)."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest

from jwmetrics.briefing.commentary import comment_versions, comments, write_comment
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.governance.audit import events
from jwmetrics.governance.roles import Actor, PermissionDenied, Role
from jwmetrics.present.commentary_text import to_html
from jwmetrics.problems import InputError
from jwmetrics.store.known import KnownAt

MEASURE = "rough-sleepers-count"
ENGLAND = "E92000001"


def test_an_edit_is_a_new_version_and_the_newest_is_shown(db: Database) -> None:
    first = write_comment(
        db, MEASURE, ENGLAND, "June 2001", "Street counts *fell* again.", by="analyst@hmt.gov.uk"
    )
    assert (first.version, first.versions, first.period) == (1, 1, "June 2001")
    moment = datetime.now()
    second = write_comment(
        db, MEASURE, ENGLAND, "June 2001", "Fell by **62%** since 1998.", by="lead@hmt.gov.uk"
    )
    assert (second.version, second.versions) == (2, 2)
    shown = comments(db)
    assert [(c.text, c.author, c.version) for c in shown] == [
        ("Fell by **62%** since 1998.", "lead@hmt.gov.uk", 2)
    ]
    history = comment_versions(db, MEASURE, ENGLAND, "June 2001")
    assert [c.text for c in history] == [
        "Street counts *fell* again.",
        "Fell by **62%** since 1998.",
    ]
    # As the database stood between the two: the first version only.
    assert [c.text for c in comments(db, KnownAt.audit(moment))] == ["Street counts *fell* again."]
    logged = [e for e in events(db) if e.action == "comment"]
    assert [e.actor for e in logged] == ["analyst@hmt.gov.uk", "lead@hmt.gov.uk"]


def test_bad_comments_are_refused_naming_the_field(db: Database) -> None:
    with pytest.raises(InputError) as refused:
        write_comment(db, MEASURE, ENGLAND, "Juneish 2001", "   ")
    columns = {p.column for p in refused.value.problems}
    assert columns == {"text", "period"}
    with pytest.raises(InputError, match="E99999999"):
        write_comment(db, MEASURE, "E99999999", "June 2001", "text")
    assert comments(db) == []


def test_only_approvers_and_admins_comment(db: Database) -> None:
    for role in (Role.VIEWER, Role.UPLOADER):
        with pytest.raises(PermissionDenied, match="may not comment"):
            write_comment(db, MEASURE, ENGLAND, "June 2001", "no", actor=Actor("x@y.gov.uk", role))
    elsewhere = Actor("a@y.gov.uk", Role.APPROVER, initiatives=("sure-start",))
    with pytest.raises(PermissionDenied, match="only for sure-start"):
        write_comment(db, MEASURE, ENGLAND, "June 2001", "no", actor=elsewhere)
    mine = Actor("b@y.gov.uk", Role.APPROVER, initiatives=("rough-sleepers-unit",))
    assert (
        write_comment(db, MEASURE, ENGLAND, "June 2001", "yes", actor=mine).author == "b@y.gov.uk"
    )
    assert [c.text for c in comments(db)] == ["yes"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Counts **fell** by *a third*.",
            "<p>Counts <strong>fell</strong> by <em>a third</em>.</p>",
        ),
        ("- one\n- two\n\nAfter.", "<ul><li>one</li><li>two</li></ul>\n<p>After.</p>"),
        ("1. first\n2. second", "<ol><li>first</li><li>second</li></ol>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("[click](javascript:alert(1))", "<p>[click](javascript:alert(1))</p>"),
        ("a_b_c and 2*3*4", "<p>a_b_c and 2*3*4</p>"),
        ('"quoted" & <b>', "<p>&quot;quoted&quot; &amp; &lt;b&gt;</p>"),
    ],
)
def test_markdown_subset_renders_safely(text: str, expected: str) -> None:
    assert to_html(text) == expected


def test_period_end_is_the_periods(db: Database) -> None:
    written = write_comment(db, MEASURE, ENGLAND, "2001-02", "Financial year.")
    assert written.period_end == date(2002, 3, 31)


def test_comment_and_comments_commands(db_url: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    base = ["--database-url", db_url]
    write = [*base, "comment", MEASURE, "--area", ENGLAND, "--period", "June 2001", "--user", "me"]
    assert main([*write, "--text", "First."], out=out, err=err) == 0
    assert main([*write, "--text", "Second."], out=out, err=err) == 0
    assert "version 2 of 2" in out.getvalue()
    listed = io.StringIO()
    assert main([*base, "comments", "--format", "json"], out=listed, err=err) == 0
    assert [(r["text"], r["version"]) for r in json.loads(listed.getvalue())] == [("Second.", 2)]
    every = io.StringIO()
    assert main([*base, "comments", "--format", "json", "--all-versions"], out=every) == 0
    assert [r["text"] for r in json.loads(every.getvalue())] == ["First.", "Second."]
    assert main([*write[:-4], "--period", "Juney", "--user", "me", "--text", " "], err=err) == 1
    assert "column 'text'" in err.getvalue() and "column 'period'" in err.getvalue()
