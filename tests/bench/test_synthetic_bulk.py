"""The bulk loader (``bench/synthetic_bulk.py``): synthetic wards by COPY on PostgreSQL.

Why: the 10M benchmark trusts it to add labelled figures that the store reads like any
other (current values kept, foreign keys and indexes back in place, an approved return
behind each figure). Run with two wards on a small synthetic database.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from jwmetrics.briefing.changes import change_counts
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.models import Area, CurrentValue, Observation, Return

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402
import synthetic_bulk  # noqa: E402


def test_bulk_wards_are_labelled_current_and_keyed(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the bulk loader uses PostgreSQL COPY")
    db = open_seeded(db_url)
    try:
        synthetic.generate(db, observations=2_000, seed=1, log=lambda text: None)
        with db.session() as session:
            before = session.scalar(select(func.count()).select_from(Observation)) or 0
        lines: list[str] = []
        done = synthetic_bulk.bulk_load(db_url, 0, log=lines.append, authorities=2)
        added = 2 * len(synthetic.MEASURES) * len(synthetic.QUARTERS)
        assert done["rows"] == added and done["wards"] == 2
        with db.session() as session:
            total = session.scalar(select(func.count()).select_from(Observation))
            wards = list(session.scalars(select(Area).where(Area.area_type == "ward")))
            current = session.scalar(
                select(func.count())
                .select_from(CurrentValue)
                .where(CurrentValue.area_code.in_([w.code for w in wards]))
            )
            bulk = list(
                session.scalars(select(Return).where(Return.file_name.like("synthetic-bulk-%")))
            )
        assert total == before + added and current == added  # one version each, all current
        assert all(w.name.startswith("[Synthetic] ward 1 of ") and w.parent_code for w in wards)
        assert bulk and all(r.state == "approved" and r.counts_from for r in bulk)
        keys = {k["name"] for k in inspect(db.engine).get_foreign_keys("observation")}
        assert len(keys) == 3  # measure, area, return: dropped for the COPY, back again
        assert "ix_current_value_newest" in {
            i["name"] for i in inspect(db.engine).get_indexes("current_value")
        }
        published = bulk[0].published_on
        assert published is not None
        counts = {c.kind: c for c in change_counts(db, date(2000, 1, 1), published)}
        assert counts["figure"].count > 0
        with pytest.raises(RuntimeError, match="already holds the synthetic wards"):
            synthetic_bulk.bulk_load(db_url, 0, log=lines.append, authorities=2)
    finally:
        db.engine.dispose()
