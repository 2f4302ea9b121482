"""Start-up under a race: four OS processes open one empty database at the same moment.

Each process calls ``Metrics.open(url)`` (migrate, then seed) once a barrier lets all four go.
Every one must succeed, the schema must be at the head revision, and the report's figures
must be there once: as many measures and observations as a single seed gives.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import HEAD_REVISION, Database, schema_revision
from jwmetrics.db.models import Measure, Observation, ReturnSchedule

PROCESSES = 4
ROOT = Path(__file__).resolve().parents[2]

# One process: import everything first, say "ready", wait for the word "go" on stdin (the
# parent sends it once all four are ready), open the database, print "ok" or the error. Plain
# subprocesses, not multiprocessing: a spawned worker re-imports the parent's __main__, and
# earlier tests in the same run (Streamlit's AppTest) leave a script there.
WORKER = """
import sys
from jwmetrics.metrics import Metrics
print("ready", flush=True)
sys.stdin.readline()
try:
    Metrics.open(sys.argv[1]).close()
    print("ok")
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
"""


def _counts(db: Database) -> tuple[int, int, int]:
    """Measures, observations and scheduled returns held."""
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Measure)) or 0,
            session.scalar(select(func.count()).select_from(Observation)) or 0,
            session.scalar(select(func.count()).select_from(ReturnSchedule)) or 0,
        )


def test_four_processes_open_one_empty_database_at_once(db_url: str, tmp_path: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_url],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    for worker in workers:  # each has imported everything and waits
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:  # all four are ready: let them go together
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [worker.communicate(timeout=300)[0].strip().splitlines()[-1:] for worker in workers]
    assert results == [["ok"]] * PROCESSES
    assert [worker.returncode for worker in workers] == [0] * PROCESSES

    reference = open_seeded(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    raced = open_seeded(db_url)
    try:
        assert schema_revision(raced.engine) == HEAD_REVISION
        assert _counts(raced) == _counts(reference)
        assert _counts(reference)[1] > 0
    finally:
        raced.engine.dispose()
        reference.engine.dispose()
