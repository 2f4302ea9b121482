"""The current-values table never disagrees with the versions it summarises (both backends).

A seeded series of synthetic returns (revisions, late returns of old publications, same-day
republications, withdrawals) is written through the real check and commit; after every
write the table is compared with the general rule, which ranks every version.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from jwmetrics.db.engine import Database
from jwmetrics.db.models import CurrentValue, Observation
from jwmetrics.returns import check_return, commit_return, withdraw_return
from jwmetrics.store.figures import series
from jwmetrics.store.known import EVERYTHING, KnownAt
from jwmetrics.store.versions import current_versions, table_serves
from jwmetrics.store.writes import KEY_COLUMNS

MEASURE = "rough-sleepers-count"
AREAS = ("E92000001", "E09000001", "E09000002")
PERIODS = ("June 2002", "June 2003", "June 2004")


def held(db: Database) -> dict[tuple[object, ...], int]:
    """What the table says is current: key -> observation id."""
    with db.session() as session:
        rows = session.execute(select(CurrentValue))
        return {tuple(getattr(r, k) for k in KEY_COLUMNS): r.observation_id for (r,) in rows}


def ranked(db: Database) -> dict[tuple[object, ...], int]:
    """What the general rule says is current, ranking every version."""
    inner = current_versions(EVERYTHING).subquery()
    query = select(*(inner.c[k] for k in KEY_COLUMNS), inner.c.id).where(inner.c.version_rank == 1)
    with db.session() as session:
        return {tuple(row[:-1]): row[-1] for row in session.execute(query)}


def synthetic_return(rng: random.Random, number: int) -> bytes:
    """A small return of synthetic figures: a random handful of (area, period) cells."""
    lines = ["initiative,measure,area_code,period,value,note"]
    cells = rng.sample([(a, p) for a in AREAS for p in PERIODS], k=rng.randint(1, 5))
    for area, period in cells:
        value = rng.randint(100, 2000)
        lines.append(
            f"rough-sleepers-unit,{MEASURE},{area},{period},{value},synthetic row {number}"
        )
    return ("\n".join(lines) + "\n").encode()


def test_table_matches_the_ranked_versions_after_every_write(db: Database) -> None:
    rng = random.Random(20261202)  # derandomised: the same writes every run
    committed: list[int] = []
    start = date(2004, 9, 1)
    assert held(db) == ranked(db)  # the report's figures, as seeded
    for number in range(40):
        if committed and rng.random() < 0.25:
            withdraw_return(db, committed.pop(rng.randrange(len(committed))), by="test")
        else:
            # Publication days go back and forth: a late return of an old publication must
            # not displace a figure published after it.
            published = start + timedelta(days=rng.choice([0, 0, 30, -400, 90]))
            data = synthetic_return(rng, number)
            check = check_return(db, data, f"synthetic-{number}.csv", published_on=published)
            assert not check.errors, check.errors
            outcome = commit_return(db, check, confirm_warnings=True)
            if outcome.return_id is not None and outcome.return_id not in committed:
                committed.append(outcome.return_id)
        assert held(db) == ranked(db), f"after write {number}"


def late_figure(db: Database, value: int, published_on: date | None = None) -> None:
    """Commit one synthetic June 2002 figure for England."""
    data = (
        "initiative,measure,area_code,period,value,note\n"
        f"rough-sleepers-unit,{MEASURE},E92000001,June 2002,{value},synthetic row\n"
    ).encode()
    check = check_return(db, data, f"synthetic-{value}.csv", published_on=published_on)
    commit_return(db, check, confirm_warnings=True)


def test_reads_through_the_table_match_the_ranked_reads(db: Database) -> None:
    late_figure(db, 600, date(2002, 9, 1))
    today = KnownAt.on(date.today())
    with db.session() as session:
        measure_id = session.scalar(
            select(Observation.measure_id).where(Observation.note == "synthetic row")
        )
        assert measure_id is not None
        assert table_serves(session, today)
        through_table = series(session, measure_id, "E92000001", today)
        inner = current_versions(today, Observation.measure_id == measure_id).subquery()
        ranked_ids = set(
            session.scalars(
                select(inner.c.id).where(
                    inner.c.version_rank == 1, inner.c.area_code == "E92000001"
                )
            )
        )
    assert {v.id for v in through_table} == ranked_ids
    assert [v.value for v in through_table][-1] == 600


def test_an_earlier_day_or_moment_ranks_the_versions(db: Database) -> None:
    """The table holds only "now": a view of an earlier day, or an audit of an earlier
    moment, must not read it."""
    late_figure(db, 610, date(2002, 9, 1))
    with db.session() as session:
        newest = session.scalar(
            select(Observation.recorded_at).order_by(Observation.recorded_at.desc()).limit(1)
        )
        assert newest is not None
        assert not table_serves(session, KnownAt.on(date(2002, 8, 31)))
        assert not table_serves(session, KnownAt.audit(newest - timedelta(seconds=1)))
        assert table_serves(session, KnownAt.on(date(2002, 9, 1)))
