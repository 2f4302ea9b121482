"""Eight processes at once: four import returns while four read the status and a series.

Why: partners upload while analysts look at the dashboard, each in its own server process
(or on its own server). The import must land every return exactly once and the readers
must never see an error, on SQLite (WAL, busy timeout) and on PostgreSQL. A "database is
locked" escaping to a user would be a bug in jwmetrics.

Each worker is a fresh interpreter (``python tests/test_concurrency.py import|read ...``), as
separate servers would be. They all wait for a "go" file before starting, so the imports and
reads really overlap, and each prints one JSON line with what it did or its traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.models import Observation, Return

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402

IMPORTERS = 4
READERS = 4
ROWS_PER_RETURN = 2_000
READ_MEASURE = "syn-rs-street-count"


GO_WAIT_S = 60
PROCESS_TIMEOUT_S = 240


def _wait_for(path: Path) -> None:
    """Block until ``path`` exists (the parent's "go"), at most a minute."""
    deadline = time.monotonic() + GO_WAIT_S
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no go signal at {path}")
        time.sleep(0.01)


def _import_worker(url: str, path: str, go: Path) -> dict[str, Any]:
    """Check and commit one return; what it recorded."""
    from jwmetrics.returns import check_return, commit_return

    name = Path(path).name
    db = open_seeded(url)
    data = Path(path).read_bytes()
    _wait_for(go)
    check = check_return(db, data, name, partner="Synthetic benchmark partner")
    if check.errors:
        raise AssertionError(f"{name}: {[str(p) for p in check.errors[:5]]}")
    outcome = commit_return(db, check, uploaded_by="test_concurrency", confirm_warnings=True)
    db.engine.dispose()
    return {"kind": "import", "name": name, "id": outcome.return_id, "counts": outcome.counts}


def _read_worker(url: str, number: int, go: Path, stop: Path) -> dict[str, Any]:
    """Read the status table and one series in a loop until the importers are done."""
    from jwmetrics.assess.detail import series_detail
    from jwmetrics.assess.portfolio import status_table

    db = open_seeded(url)
    _wait_for(go)
    loops = 0
    while loops < 2 or not stop.exists():
        status_table(db)
        series_detail(db, READ_MEASURE, "E92000001")
        loops += 1
    db.engine.dispose()
    return {"kind": "read", "name": f"reader-{number}", "loops": loops}


def worker_main(argv: Sequence[str]) -> int:
    """A worker process: print one JSON line, with the traceback if anything failed."""
    try:
        if argv[0] == "import":
            result = _import_worker(argv[1], argv[2], Path(argv[3]))
        else:
            result = _read_worker(argv[1], int(argv[2]), Path(argv[3]), Path(argv[4]))
        result["error"] = ""
    except BaseException:  # every failure must reach the parent
        result = {"kind": argv[0], "name": " ".join(argv[1:]), "error": traceback.format_exc()}
    print(json.dumps(result), flush=True)
    return 0


def _start(args: list[str]) -> subprocess.Popen[str]:
    """A worker in a fresh interpreter that can import jwmetrics from this checkout."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(BENCH_DIR)])}
    return subprocess.Popen(
        [sys.executable, __file__, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env=env,
    )


def _result(process: subprocess.Popen[str]) -> dict[str, Any]:
    """The worker's JSON line; its stderr if it printed none."""
    try:
        out, err = process.communicate(timeout=PROCESS_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if not lines:
        return {"kind": "?", "name": str(process.args), "error": f"no result; stderr:\n{err}"}
    return json.loads(lines[-1])


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
    db = open_seeded(db_url)
    load_catalogue_file(db, synthetic.CATALOGUE_DIR / synthetic.MEASURES_FILE)
    with db.session() as session:
        before = int(session.scalar(select(func.count()).select_from(Observation)) or 0)
    paths = _write_returns(tmp_path)

    go, stop = tmp_path / "go", tmp_path / "stop"
    importers = [_start(["import", db_url, str(p), str(go)]) for p in paths]
    readers = [_start(["read", db_url, str(n), str(go), str(stop)]) for n in range(READERS)]
    go.touch()
    imports = [_result(process) for process in importers]
    stop.touch()
    reads = [_result(process) for process in readers]

    errors = [f"{r['kind']} {r['name']}:\n{r['error']}" for r in imports + reads if r["error"]]
    assert not errors, "\n".join(errors)
    assert all(process.returncode == 0 for process in importers + readers)
    assert all(r["loops"] >= 2 for r in reads)

    imported = {r["name"]: r for r in imports}
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


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1:]))
