"""Revisions, measured: a series whose first figures were revised (one three times), checked
against statistics worked out by hand, per partner, as known on a day (both backends)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation
from jwmetrics.present.passport import revision_note
from jwmetrics.returns import check_return, commit_return
from jwmetrics.store.known import KnownAt
from jwmetrics.store.revisions import RevisionStats, revision_stats

HEADER = "initiative,measure,area_code,period,value,status,note\n"
PARTNER = "Local authorities"


def row(period: str, value: float, status: str = "provisional") -> str:
    return f"rough-sleepers-unit,rough-sleepers-count,E12000007,{period},{value:g},{status},t\n"


def commit(db: Database, rows: str, published_on: date) -> None:
    """Commit London's rough sleepers count from the local authorities, published that day."""
    check = check_return(
        db, (HEADER + rows).encode(), f"r{published_on}.csv", partner=PARTNER,
        published_on=published_on,
    )  # fmt: skip
    assert not check.errors, check.errors
    commit_return(db, check, confirm_warnings=True, uploaded_by="uploader")


@pytest.fixture
def revised(db: Database) -> Database:
    """June 2002: first 200, revised to 210, 220, then 180 (three revisions); June 2003:
    100 then 120; June 2004: 50, never revised; June 2005: 0 then 5 (no per cent)."""
    commit(db, row("June 2002", 200) + row("June 2003", 100) + row("June 2004", 50)
           + row("June 2005", 0), date(2005, 3, 1))  # fmt: skip
    commit(db, row("June 2002", 210) + row("June 2003", 120) + row("June 2005", 5),
           date(2005, 4, 1))  # fmt: skip
    commit(db, row("June 2002", 220), date(2005, 5, 1))
    commit(db, row("June 2002", 180, "final"), date(2005, 6, 1))
    return db


def stats(db: Database, day: date) -> dict[str, RevisionStats]:
    with db.session() as session:
        rough = session.scalar(select(Measure.id).where(Measure.slug == "rough-sleepers-count"))
        found = revision_stats(session, KnownAt.on(day), Observation.measure_id == rough)
    return {s.partner: s for s in found}


def test_a_series_revised_three_times_gives_the_statistics_worked_by_hand(
    revised: Database,
) -> None:
    found = stats(revised, date(2026, 1, 1))
    london = found[PARTNER]
    # Revisions (latest - first): -20, +20, 0, +5; relative: -10%, +20%, 0% (June 2005's
    # first figure is 0, so it has no per cent).
    assert (london.first_figures, london.revised) == (4, 3)
    assert london.share_revised == pytest.approx(0.75)
    assert london.mean_revision == pytest.approx((-20 + 20 + 0 + 5) / 4)  # 1.25
    assert london.mean_abs_revision == pytest.approx((20 + 20 + 0 + 5) / 4)  # 11.25
    assert london.mean_revision_pct == pytest.approx((-10 + 20 + 0) / 3)  # 3.33
    assert london.mean_abs_revision_pct == pytest.approx((10 + 20 + 0) / 3)  # 10
    report = found[""]  # the report's own England figures: no partner, never revised
    assert (report.first_figures, report.revised, report.mean_abs_revision) == (2, 0, 0.0)


def test_revisions_are_as_known_on_the_day(revised: Database) -> None:
    london = stats(revised, date(2005, 4, 15))[PARTNER]  # June 2002 then stood at 210
    assert (london.first_figures, london.revised) == (4, 3)
    assert london.mean_revision == pytest.approx((10 + 20 + 0 + 5) / 4)
    assert london.mean_revision_pct == pytest.approx((5 + 20 + 0) / 3)
    assert PARTNER not in stats(revised, date(2005, 2, 1))  # nothing of theirs published yet


def test_the_note_beside_a_provisional_figure_says_the_size_and_direction(
    revised: Database,
) -> None:
    london = stats(revised, date(2026, 1, 1))[PARTNER]
    note = revision_note(london, "people")
    assert note.startswith("Figures like this have been revised by about ±10")  # 10%
    assert "mostly" not in note  # +3.3% signed against 10% absolute: not clearly one way
    assert "3 of 4 first figures from Local authorities" in note
    upward = RevisionStats(1, "X", 4, 2, 2.0, 2.0, 3.0, 3.0)
    assert "±3.0% on average, mostly upward" in revision_note(upward)
    assert revision_note(None) == "Figures like this: no revisions recorded yet."
    unrevised = RevisionStats(1, "", 2, 0, 0.0, 0.0, 0.0, 0.0)
    assert revision_note(unrevised) == (
        "Figures like this: no revisions recorded yet (2 first figures kept)."
    )
