"""Dated events: recorded, checked, audited and role checked; the ones that apply to a
series as known on a day; the command line.

Each test that takes ``db`` runs on SQLite and PostgreSQL. The events are synthetic
(written for these tests); the measures and areas are the report's.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pytest

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.events.record import EventView, add_event, events
from jwmetrics.governance import audit
from jwmetrics.governance.roles import Actor, PermissionDenied, Role
from jwmetrics.governance.users import add_user
from jwmetrics.metrics import Metrics
from jwmetrics.problems import InputError
from jwmetrics.store.known import KnownAt

ENGLAND = "E92000001"
LONDON = "E12000007"
MEASURE = "rough-sleepers-count"
RSU = "rough-sleepers-unit"
FUNDING = "synthetic: Rough Sleepers Unit outreach funding began"


def test_an_event_is_stored_listed_and_audited(db: Database) -> None:
    version = Metrics(db).data_version()
    made = add_event(db, "2000-04-01", f"  {FUNDING}  ", kind="Funding", measure=MEASURE, by="ann")
    assert (made.occurred_on, made.text, made.kind) == (date(2000, 4, 1), FUNDING, "funding")
    assert (made.initiative, made.measure, made.area_code) == (RSU, MEASURE, None)
    assert made.label == "funding: synthetic: Rough Sleepers U…"  # 28 characters of text
    assert events(db) == [made]
    logged = audit.events(db, action="event-add")
    assert [(e.actor, e.subject) for e in logged] == [
        ("ann", f"event {made.id} on 2000-04-01 (measure {MEASURE})")
    ]
    assert logged[0].detail == f"funding: {FUNDING}"
    assert Metrics(db).data_version() != version  # the app's caches see it at once


def test_bad_input_names_each_field_and_changes_nothing(db: Database) -> None:
    with pytest.raises(InputError) as refused:
        add_event(db, "2000-13-01", " ", kind="defnition", measure="rough-sleepr", area="Atlantis")
    by_field = {p.column: p.message for p in refused.value.problems}
    assert set(by_field) == {"on", "text", "kind", "measure", "area"}
    assert "YYYY-MM-DD" in by_field["on"]
    assert "did you mean 'definition'" in by_field["kind"]
    assert "did you mean 'rough-sleepers-count'" in by_field["measure"]
    with pytest.raises(InputError, match="belongs to initiative rough-sleepers-unit"):
        add_event(db, date(2000, 1, 1), FUNDING, initiative="sure-start", measure=MEASURE)
    with pytest.raises(InputError, match="unknown initiative"):
        add_event(db, date(2000, 1, 1), FUNDING, initiative="no-such-thing")
    assert events(db) == []
    assert audit.events(db, action="event-add") == []


def test_only_approvers_for_the_initiative_and_administrators_add_events(db: Database) -> None:
    add_user(db, "admin@example.gov.uk", "admin")
    admin = Actor("admin@example.gov.uk", Role.ADMIN)
    add_user(db, "rsu@example.gov.uk", "approver", initiatives=(RSU,), actor=admin)
    add_user(db, "sure@example.gov.uk", "approver", initiatives=("sure-start",), actor=admin)
    add_user(db, "up@example.gov.uk", "uploader", actor=admin)
    add_user(db, "view@example.gov.uk", "viewer", actor=admin)
    refused = [
        ("view@example.gov.uk", Role.VIEWER, MEASURE),
        ("up@example.gov.uk", Role.UPLOADER, MEASURE),
        ("sure@example.gov.uk", Role.APPROVER, MEASURE),  # another initiative's measure
        ("rsu@example.gov.uk", Role.APPROVER, None),  # every series: not theirs alone
    ]
    for email, role, measure in refused:
        with pytest.raises(PermissionDenied):
            add_event(db, date(2000, 4, 1), FUNDING, measure=measure, actor=Actor(email, role))
    rsu = Actor("rsu@example.gov.uk", Role.APPROVER, initiatives=(RSU,))
    add_event(db, date(2000, 4, 1), FUNDING, measure=MEASURE, actor=rsu)
    add_event(db, date(2000, 5, 1), "synthetic: census", kind="data", actor=admin)
    assert [e.recorded_by for e in events(db)] == ["rsu@example.gov.uk", "admin@example.gov.uk"]


def test_the_events_of_a_series_are_its_own_and_the_wider_ones_as_known_on(db: Database) -> None:
    everywhere = add_event(db, date(1999, 1, 1), "synthetic: new counting guidance", kind="data")
    initiative = add_event(db, date(1999, 6, 1), FUNDING, kind="funding", initiative=RSU)
    measure = add_event(
        db, date(2000, 4, 1), "synthetic: wider", kind="definition", measure=MEASURE
    )
    london = add_event(db, date(2000, 6, 1), "synthetic: London", measure=MEASURE, area=LONDON)
    other = add_event(db, date(2000, 7, 1), "synthetic: Sure Start", initiative="sure-start")
    ids = [e.id for e in events(db, measure=MEASURE, area=ENGLAND)]
    assert ids == [everywhere.id, initiative.id, measure.id]
    assert [e.id for e in events(db, measure=MEASURE, area=LONDON)][-1] == london.id
    assert other.id not in [e.id for e in events(db, initiative=RSU)]
    assert london.id not in [e.id for e in events(db, area=ENGLAND)]  # London's alone
    # As known on a day: only what had happened by then, as recorded by then.
    on = KnownAt.on(date(1999, 12, 31))
    assert [e.id for e in events(db, measure=MEASURE, known=on)] == [everywhere.id, initiative.id]
    before = KnownAt(date(2001, 12, 7), everywhere.recorded_at - timedelta(seconds=1))
    assert events(db, known=before) == []
    metrics = Metrics(db)
    assert [e.id for e in metrics.events(measure=MEASURE, as_of=date(1999, 3, 1))] == [
        everywhere.id
    ]


def run(url: str, *args: str) -> tuple[int, str, str]:
    """Run the command line; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_event_add_and_events_json(db_url: str) -> None:
    open_seeded(db_url).engine.dispose()
    code, said, err = run(
        db_url, "event", "add", "--on", "2000-04-01", "--text", FUNDING, "--kind", "funding",
        "--measure", MEASURE, "--area", ENGLAND, "--user", "ann",
    )  # fmt: skip
    assert code == 0, err
    assert said.startswith("Event 1 recorded: funding on 1 April 2000")
    code, listed, _ = run(db_url, "events", "--measure", MEASURE, "--format", "json")
    records = json.loads(listed)
    assert [(r["id"], r["occurred_on"], r["kind"], r["area_code"]) for r in records] == [
        (1, "2000-04-01", "funding", ENGLAND)
    ]
    assert set(records[0]) == {
        "id", "occurred_on", "text", "kind", "initiative", "measure", "area_code",
        "recorded_by", "recorded_at",
    }  # fmt: skip
    assert datetime.fromisoformat(records[0]["recorded_at"]) <= datetime.now()
    code, listed, _ = run(db_url, "events", "--initiative", "sure-start", "--format", "json")
    assert json.loads(listed) == []
    code, _, err = run(db_url, "event", "add", "--on", "1 April", "--text", "x", "--kind", "cash")
    assert code == 1 and "'on'" in err and "'kind'" in err


def test_an_events_scope_is_said_by_name_where_shown() -> None:
    """Tables and packs say what an event applies to by name, not by id; an id with no name
    is shown as it is."""
    names = {
        "rough-sleepers-count": "People counted sleeping rough in England",
        "E92000001": "England",
        "rough-sleepers-unit": "Rough Sleepers Unit",
    }
    moment = datetime(2002, 1, 1, 9, 0)

    def event(initiative: str | None, measure: str | None, area: str | None) -> EventView:
        return EventView(1, date(2001, 4, 1), "t", "policy", initiative, measure, area, "", moment)

    assert event(None, "rough-sleepers-count", "E92000001").scope_named(names) == (
        "People counted sleeping rough in England"  # its name says its area already
    )
    assert event("rough-sleepers-unit", None, "E92000001").scope_named(names) == (
        "every measure of Rough Sleepers Unit, in England"
    )
    assert event(None, "rough-sleepers-count", None).scope_named(names) == (
        "People counted sleeping rough in England, every area"
    )
    assert event("rough-sleepers-unit", None, None).scope_named(names) == (
        "every measure of Rough Sleepers Unit"
    )
    assert event(None, None, None).scope_named(names) == "every series"
    assert event(None, "unknown-measure", None).scope_named({}) == "unknown-measure, every area"
