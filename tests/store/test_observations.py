"""Revisions never overwrite, and any earlier state can be read back (both backends)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import status_table
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation
from jwmetrics.periods import parse_period
from jwmetrics.store.figures import history, latest_values, series
from jwmetrics.store.known import KnownAt
from jwmetrics.store.writes import ObservationInput, add_observations

ENGLAND = "E92000001"


def record(db: Database, period: str, value: float, when: datetime, note: str = "") -> None:
    with db.session() as session, session.begin():
        measure_id = session.scalar(
            select(Measure.id).where(Measure.slug == "rough-sleepers-count")
        )
        item = ObservationInput(
            measure_id=measure_id, area_code=ENGLAND, period=parse_period(period), value=value,
            source="synthetic test figure", note=note,
        )  # fmt: skip
        add_observations(session, [item], recorded_at=when)


def test_revision_adds_a_row_and_keeps_the_old_value(db: Database) -> None:
    record(db, "June 2001", 703, datetime(2002, 2, 1), "revised")
    with db.session() as session:
        measure_id = session.scalar(
            select(Measure.id).where(Measure.slug == "rough-sleepers-count")
        )
        trail = history(session, measure_id, ENGLAND, parse_period("June 2001"))
        assert [v.value for v in trail] == [700, 703]
        now = series(session, measure_id, ENGLAND, KnownAt.on(date(2002, 2, 1)))
        then = series(session, measure_id, ENGLAND, KnownAt.on(date(2001, 12, 7)))
        count = session.scalar(select(func.count()).select_from(Observation))
    assert [v.value for v in now] == [1850, 703]
    assert [v.value for v in then] == [1850, 700]
    assert count == 11


def test_default_reporting_date_follows_newest_data(db: Database) -> None:
    record(db, "June 2002", 550, datetime(2002, 9, 1))
    row = series_detail(db, "rough-sleepers-count").assessment
    assert row.as_of == date(2002, 9, 1)
    assert row.status == "Achieved"
    old = series_detail(db, "rough-sleepers-count", as_of=date(2001, 12, 7)).assessment
    assert (old.status, old.latest_value) == ("Amber", 700)


def test_awaiting_not_missed_when_target_date_passes_without_new_figures(db: Database) -> None:
    rows = {r.measure: r for r in status_table(db, as_of=date(2002, 6, 1))}
    assert rows["rough-sleepers-count"].status == "Awaiting"
    assert rows["rough-sleepers-count"].reason.startswith(
        "Awaiting: due April 2002, 1 month ago; the figure for that period is not yet published."
    )
    assert rows["rough-sleepers-count"].latest_age_days == 336


def test_latest_values_reads_one_row_per_series(db: Database) -> None:
    record(db, "June 1999", 1633, datetime(2002, 1, 1))
    """A later-recorded figure for an earlier period does not become the latest."""
    with db.session() as session:
        latest = latest_values(session, KnownAt.on(date(2002, 1, 1)))
        measure_id = session.scalar(
            select(Measure.id).where(Measure.slug == "rough-sleepers-count")
        )
    assert len(latest) == 8  # the report gives figures for 8 of its 12 measures
    assert latest[(measure_id, ENGLAND)].value == 700
