"""Delivery confidence ratings: judged beside the computed status, every one kept and audited.

Each test runs on SQLite and PostgreSQL. The ratings, reasons and evidence are synthetic
(written for these tests); the measures and areas are the report's.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest

from jwmetrics.briefing.ratings import judged_on, rate, rating_named, ratings, steps_apart
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.governance import audit
from jwmetrics.governance.roles import Actor, PermissionDenied, Role
from jwmetrics.governance.users import add_user
from jwmetrics.problems import InputError

ENGLAND = "E92000001"
MEASURE = "rough-sleepers-count"
REASON = "synthetic: outreach teams report the count falling as planned"
EVIDENCE = "synthetic: quarterly street counts, Figure 5"


def test_a_rating_without_a_reason_or_evidence_is_refused_and_nothing_is_kept(
    db: Database,
) -> None:
    with pytest.raises(InputError) as refused:
        rate(db, MEASURE, ENGLAND, "Amber", reason=" ", evidence="")
    assert {p.column for p in refused.value.problems} == {"reason", "evidence"}
    with pytest.raises(InputError) as off_scale:
        rate(db, MEASURE, ENGLAND, "Purple", reason=REASON, evidence=EVIDENCE)
    assert "one of Green, Amber/Green, Amber, Amber/Red, Red" in str(off_scale.value)
    with pytest.raises(InputError, match="not a future one"):
        later = date.today() + timedelta(days=1)
        rate(db, MEASURE, ENGLAND, "Red", reason=REASON, evidence=EVIDENCE, as_of=later)
    assert ratings(db) == []
    assert audit.events(db, action="rate") == []


def test_every_rating_is_kept_audited_and_applies_from_its_day(db: Database) -> None:
    first = rate(
        db, MEASURE, ENGLAND, "amber green", reason=REASON, evidence=EVIDENCE,
        as_of=date(2001, 6, 1), by="ann@example.gov.uk",
    )  # fmt: skip
    second = rate(
        db, MEASURE, ENGLAND, "R", reason="synthetic: counts rising", evidence=EVIDENCE,
        as_of=date(2001, 12, 1), by="ann@example.gov.uk",
    )  # fmt: skip
    assert (first.rating, second.rating) == ("Amber/Green", "Red")
    assert [r.id for r in ratings(db, MEASURE, ENGLAND)] == [first.id, second.id]
    assert judged_on(db, date(2001, 5, 31)) == {}
    assert judged_on(db, date(2001, 9, 1))[(MEASURE, ENGLAND)].rating == "Amber/Green"
    assert judged_on(db, date(2002, 1, 1))[(MEASURE, ENGLAND)].rating == "Red"
    events = audit.events(db, action="rate")
    assert [e.detail.split(":")[0] for e in events] == ["Amber/Green", "Red"]
    assert all(e.actor == "ann@example.gov.uk" for e in events)


def test_only_approvers_for_the_initiative_and_administrators_rate(db: Database) -> None:
    add_user(db, "admin@example.gov.uk", "admin")
    admin = Actor("admin@example.gov.uk", Role.ADMIN)
    add_user(db, "sure@example.gov.uk", "approver", initiatives=("sure-start",), actor=admin)
    add_user(db, "view@example.gov.uk", "viewer", actor=admin)
    for email, role in (
        ("view@example.gov.uk", Role.VIEWER),
        ("sure@example.gov.uk", Role.APPROVER),
    ):
        with pytest.raises(PermissionDenied):
            rate(
                db,
                MEASURE,
                ENGLAND,
                "Green",
                reason=REASON,
                evidence=EVIDENCE,
                actor=Actor(email, role),
            )
    rate(db, MEASURE, ENGLAND, "Green", reason=REASON, evidence=EVIDENCE, actor=admin)
    assert [r.rated_by for r in ratings(db)] == ["admin@example.gov.uk"]


def test_steps_apart_on_the_five_point_scale() -> None:
    assert steps_apart("Green", "Red") == 4
    assert steps_apart("Amber/Red", "Green") == 3
    assert steps_apart("Amber/Green", "Green") == 1
    assert steps_apart("Red", "Missed") == 0
    assert steps_apart("Green", "Awaiting") is None
    assert steps_apart("Green", "not a status") is None
    assert [rating_named(t) for t in ("AG", "amber-red", "GREEN", "Amber / Green", "x")] == [
        "Amber/Green",
        "Amber/Red",
        "Green",
        "Amber/Green",
        None,
    ]


def run(url: str, *args: str) -> tuple[int, str, str]:
    """Run the command line; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_status_json_adds_the_judged_rating_and_the_text_says_when_they_differ(
    db_url: str,
) -> None:
    open_seeded(db_url).engine.dispose()
    code, before, _ = run(db_url, "status", "--format", "json", "--as-of", "2002-06-01")
    assert code == 0
    plain = json.loads(before)
    assert all(r["judged_rating"] is None and r["judged_by"] is None for r in plain)
    row = next(r for r in plain if r["status"] in ("Green", "Achieved", "Red", "Missed"))
    measure, area = row["measure"], row["area_code"]
    opposite = "Red" if row["status"] in ("Green", "Achieved") else "Green"
    code, said, err = run(
        db_url, "rate", measure, "--area", area, "--rating", opposite, "--reason", REASON,
        "--evidence", EVIDENCE, "--as-of", "2002-05-01", "--user", "ann@example.gov.uk",
    )  # fmt: skip
    assert code == 0, err
    assert f"rated {opposite} as at 1 May 2002" in said
    code, after, _ = run(db_url, "status", "--format", "json", "--as-of", "2002-06-01")
    judged = json.loads(after)
    assert [set(r) for r in judged] == [set(r) for r in plain]  # every field kept
    mine = next(r for r in judged if r["target_id"] == row["target_id"] and r["measure"] == measure)
    assert (mine["judged_rating"], mine["judged_on"], mine["judged_by"]) == (
        opposite,
        "2002-05-01",
        "ann@example.gov.uk",
    )
    assert {k: v for k, v in mine.items() if not k.startswith("judged")} == {
        k: v for k, v in row.items() if not k.startswith("judged")
    }
    code, text, _ = run(db_url, "status", "--as-of", "2002-06-01")
    assert f"Judged {opposite} by ann@example.gov.uk as at 1 May 2002" in text
    assert "steps apart on the five-point scale" in text
    code, listed, _ = run(db_url, "ratings", "--format", "json")
    assert [r["rating"] for r in json.loads(listed)] == [opposite]
    code, _, err = run(
        db_url, "rate", MEASURE, "--area", ENGLAND, "--rating", "Amber", "--reason", "",
        "--evidence", EVIDENCE, "--user", "ann@example.gov.uk",
    )  # fmt: skip
    assert code == 1 and "reason" in err
