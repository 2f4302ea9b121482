"""Each measure's periods and first day read by stepping along an index give what a pass
over every figure gives (both backends), with regional figures, a revision and a marker."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from jwmetrics.compare import available
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Observation, Target
from jwmetrics.returns import check_return, commit_return
from jwmetrics.store.known import KnownAt
from jwmetrics.store.names import measure_first_days
from jwmetrics.store.periods_held import periods_held

HEADER = "initiative,measure,area_code,period,value,note\n"
ROWS = (
    "rough-sleepers-unit,rough-sleepers-count,E12000007,June 2002,250,synthetic\n"
    "rough-sleepers-unit,rough-sleepers-count,E12000001,June 2002,..,synthetic\n"
    "rough-sleepers-unit,rough-sleepers-count,E12000001,June 2003,40,synthetic\n"
    "rough-sleepers-unit,rough-sleepers-count,E92000001,June 2004,400,synthetic\n"
)


def commit(db: Database, rows: str, published_on: date) -> None:
    """Commit rows of the rough sleepers count, published that day."""
    check = check_return(
        db, (HEADER + rows).encode(), f"r{published_on}.csv", published_on=published_on
    )
    assert not check.errors, check.errors
    commit_return(db, check, confirm_warnings=True, uploaded_by="uploader")


def test_area_periods_from_the_index_match_the_ranked_pass(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(db, ROWS, date(2005, 3, 1))
    commit(
        db,
        "rough-sleepers-unit,rough-sleepers-count,E12000001,June 2003,..,rev\n",
        date(2005, 4, 1),
    )
    known = KnownAt.on(date(2026, 1, 1))
    stepped = available._area_periods(db, known)
    monkeypatch.setattr(available, "table_serves", lambda session, known: False)
    ranked = available._area_periods(db, known)
    assert stepped == ranked
    with db.session() as session:
        rough = session.scalar(select(Measure.id).where(Measure.slug == "rough-sleepers-count"))
        held = {(p.start, p.end): p.kind_elsewhere for p in periods_held(session, rough)}
    # London's June 2002 has a value; June 2003's only regional value became ".." (revised).
    assert held[(date(2002, 6, 1), date(2002, 6, 30))] == "month"  # the count is monthly
    assert held[(date(2003, 6, 1), date(2003, 6, 30))] is None
    assert held[(date(2004, 6, 1), date(2004, 6, 30))] is None  # England only
    assert list(held) == sorted(held)  # oldest first, each period once


def test_first_days_match_the_earliest_figure_or_baseline(db: Database) -> None:
    commit(db, ROWS, date(2005, 3, 1))
    with db.session() as session:
        figures = dict(
            session.execute(
                select(Measure.slug, func.min(Observation.period_start))
                .join(Observation, Observation.measure_id == Measure.id)
                .group_by(Measure.slug)
            ).all()
        )
        baselines = dict(
            session.execute(
                select(Measure.slug, func.min(Target.baseline_date))
                .join(Target, Target.measure_id == Measure.id)
                .group_by(Measure.slug)
            ).all()
        )
    expected = {
        slug: min(d for d in (figures.get(slug), baselines.get(slug)) if d is not None)
        for slug in set(figures) | set(baselines)
        if figures.get(slug) is not None or baselines.get(slug) is not None
    }
    assert measure_first_days(db) == expected
