"""Eight processes at once: four import returns while four read the status and a series.

Why: partners upload while analysts look at the dashboard, each in its own server process
(or on its own server). The import must land every return exactly once and the readers
must never see an error, on SQLite (WAL, busy timeout) and on PostgreSQL. A "database is
locked" escaping to a user would be a bug in jwmetrics.

The processes are started with ``spawn`` (a fresh interpreter each, as separate servers
would be) and wait at a barrier, so the imports and reads really overlap.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from jwmetrics.catalogue import load_catalogue_file
from jwmetrics.db import open_database
from jwmetrics.models import Observation, Return

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402

IMPORTERS = 4
READERS = 4
ROWS_PER_RETURN = 2_000
BARRIER_TIMEOUT_S = 120
RESULT_TIMEOUT_S = 180
READ_MEASURE = "syn-rs-street-count"


def _import_worker(url: str, path: str, barrier: Any, results: Any) -> None:
    """Check and commit one return; report (kind, name, outcome or error)."""
    name = Path(path).name
    try:
        from jwmetrics.db import open_database
        from jwmetrics.returns import check_return, commit_return

        db = open_database(url)
        data = Path(path).read_bytes()
        barrier.wait(BARRIER_TIMEOUT_S)
        check = check_return(db, data, name, partner="Synthetic benchmark partner")
        if check.errors:
            raise AssertionError(f"{name}: {[str(p) for p in check.errors[:5]]}")
        outcome = commit_return(db, check, uploaded_by="test_concurrency", confirm_warnings=True)
        db.engine.dispose()
        results.put(("import", name, {"id": outcome.return_id, "counts": outcome.counts}, ""))
    except BaseException:  # every failure must reach the parent
        results.put(("import", name, None, traceback.format_exc()))


def _read_worker(url: str, number: int, barrier: Any, stop: Any, results: Any) -> None:
    """Read the status table and one series in a loop until the importers are done."""
    loops = 0
    try:
        from jwmetrics.db import open_database
        from jwmetrics.detail import series_detail
        from jwmetrics.portfolio import status_table

        db = open_database(url)
        barrier.wait(BARRIER_TIMEOUT_S)
        while loops < 2 or not stop.is_set():
            status_table(db)
            series_detail(db, READ_MEASURE, "E92000001")
            loops += 1
        db.engine.dispose()
        results.put(("read", f"reader-{number}", {"loops": loops}, ""))
    except BaseException:  # every failure must reach the parent
        results.put(("read", f"reader-{number}", {"loops": loops}, traceback.format_exc()))


def _write_returns(folder: Path) -> list[Path]:
    """Four synthetic returns of 2,000 new figures each, over different series."""
    areas = synthetic.read_areas()
    per_return = -(-ROWS_PER_RETURN // len(synthetic.QUARTERS))
    paths = []
    for number in range(IMPORTERS):
        measure = number * 7  # a different measure, and initiative, for each importer
        rows: list[tuple[str, ...]] = []
        for area in range(per_return):
            series = synthetic.generate_series(
                synthetic.MEASURES[measure], areas[area], (measure, area), seed=number
            )
            rows.extend(synthetic.series_rows(series))
        path = folder / f"synthetic-concurrent-{number + 1}.csv"
        path.write_bytes(synthetic.return_csv(rows[:ROWS_PER_RETURN]))
        paths.append(path)
    return paths


def test_four_imports_and_four_readers_at_once(db_url: str, tmp_path: Path) -> None:
    """Every return lands exactly once, counts add up, nobody sees an exception."""
    db = open_database(db_url)
    load_catalogue_file(db, synthetic.CATALOGUE_DIR / synthetic.MEASURES_FILE)
    with db.session() as session:
        before = int(session.scalar(select(func.count()).select_from(Observation)) or 0)
    paths = _write_returns(tmp_path)

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(IMPORTERS + READERS)
    stop = context.Event()
    results = context.Queue()
    importers = [
        context.Process(target=_import_worker, args=(db_url, str(p), barrier, results))
        for p in paths
    ]
    readers = [
        context.Process(target=_read_worker, args=(db_url, n, barrier, stop, results))
        for n in range(READERS)
    ]
    started = time.monotonic()
    for process in importers + readers:
        process.start()
    collected: list[tuple[str, str, Any, str]] = []
    try:
        while len([r for r in collected if r[0] == "import"]) < IMPORTERS:
            collected.append(results.get(timeout=RESULT_TIMEOUT_S))
        stop.set()
        while len(collected) < IMPORTERS + READERS:
            collected.append(results.get(timeout=RESULT_TIMEOUT_S))
    finally:
        stop.set()
        for process in importers + readers:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    elapsed = time.monotonic() - started

    errors = [f"{kind} {name}:\n{error}" for kind, name, _, error in collected if error]
    assert not errors, "\n".join(errors)
    assert all(process.exitcode == 0 for process in importers + readers)
    assert all(info["loops"] >= 2 for kind, _, info, _ in collected if kind == "read")

    imported = {name: info for kind, name, info, _ in collected if kind == "import"}
    assert sorted(imported) == sorted(p.name for p in paths)
    assert all(info["counts"]["new"] == ROWS_PER_RETURN for info in imported.values())
    with db.session() as session:
        returns = list(session.scalars(select(Return)))
        assert sorted(r.file_name for r in returns) == sorted(p.name for p in paths)
        assert all(r.outcome == "committed" and r.withdrawn_at is None for r in returns)
        assert {r.id for r in returns} == {info["id"] for info in imported.values()}
        per_return = dict(
            session.execute(
                select(Observation.return_id, func.count())
                .where(Observation.return_id.is_not(None))
                .group_by(Observation.return_id)
            ).all()
        )
        assert per_return == {r.id: ROWS_PER_RETURN for r in returns}
        total = session.scalar(select(func.count()).select_from(Observation))
        assert total == before + IMPORTERS * ROWS_PER_RETURN
        duplicates = session.execute(
            select(Observation.measure_id, Observation.area_code, Observation.period_end)
            .group_by(
                Observation.measure_id,
                Observation.area_code,
                Observation.period_start,
                Observation.period_end,
            )
            .having(func.count() > 1)
        ).all()
        assert duplicates == []
    db.engine.dispose()
    assert elapsed < 60, f"eight processes took {elapsed:.0f} s"
