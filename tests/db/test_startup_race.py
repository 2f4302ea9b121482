"""Start-up under a race: four OS processes open one empty database at the same moment.

Each process calls ``Metrics.open(url)`` (migrate, then seed) once a barrier lets all four go.
Every one must succeed, the schema must be at the head revision, and the report's figures
must be there once: as many measures and observations as a single seed gives.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import HEAD_REVISION, Database, schema_revision
from jwmetrics.db.models import Measure, Observation, ReturnSchedule

PROCESSES = 4


def _open_after(barrier: Any, url: str, outcomes: Any) -> None:
    """One process: wait for the others, open the database, report ``ok`` or the error."""
    from jwmetrics.metrics import Metrics

    barrier.wait()
    try:
        Metrics.open(url).close()
        outcomes.put("ok")
    except Exception as exc:  # the test reports what went wrong in which process
        outcomes.put(f"{type(exc).__name__}: {exc}")


def _counts(db: Database) -> tuple[int, int, int]:
    """Measures, observations and scheduled returns held."""
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Measure)) or 0,
            session.scalar(select(func.count()).select_from(Observation)) or 0,
            session.scalar(select(func.count()).select_from(ReturnSchedule)) or 0,
        )


def test_four_processes_open_one_empty_database_at_once(db_url: str, tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    outcomes = context.Queue()
    workers = [
        context.Process(target=_open_after, args=(barrier, db_url, outcomes))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [outcomes.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert results == ["ok"] * PROCESSES
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES

    reference = open_seeded(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    raced = open_seeded(db_url)
    try:
        assert schema_revision(raced.engine) == HEAD_REVISION
        assert _counts(raced) == _counts(reference)
        assert _counts(reference)[1] > 0
    finally:
        raced.engine.dispose()
        reference.engine.dispose()
