"""Import benchmark: a 100,000-row return into SQLite, against raw inserts and pandas.

``.venv/bin/python bench/import_bench.py [--rows 100000] [--repeat 3] [--profile]``

The return is synthetic (every row's note says "synthetic benchmark row"): real local
authority codes from ``data/areas_england.csv`` x calendar quarters x six seeded measures,
with valid values written the way partners write them ("1,850", "55.4%", "£650"). It is
written to a temporary CSV file, then, on a fresh SQLite file each time:

a. the full import: :func:`~jwmetrics.returns.check_return` (read, validate, diff) and
   :func:`~jwmetrics.returns.commit_return`, timed in three parts (read, validate+diff,
   commit; the read is timed by wrapping ``read_table`` where the check calls it);
b. the same rows, already converted, inserted with the ``sqlite3`` module's
   ``executemany`` into an identical ``observation`` table (DDL and indexes copied from a
   migrated jwmetrics database; same journal pragmas);
c. :meth:`pandas.DataFrame.to_sql` of the same rows into the same table, through a
   ``sqlite3`` connection and through a SQLAlchemy engine.

The four take turns, ``--repeat`` times, and the best time of each is kept. The goals
(issue 9): the full import, checking every cell, at least 50% of the raw rate, and faster
than ``to_sql`` through SQLAlchemy (which checks nothing).
``--profile`` adds a cProfile of one full import, by function and summed by jwmetrics
module. No test asserts on these times.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import importlib
import io
import os
import platform
import pstats
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from jwmetrics.catalogue.seed import open_seeded  # noqa: E402
from jwmetrics.returns import INSERT_COLUMNS, Limits, check_return, commit_return  # noqa: E402

AREAS_CSV = ROOT / "data" / "areas_england.csv"
NOTE = "synthetic benchmark row"
# Seeded measures: initiative and the kind of value written.
MEASURES = {
    "rough-sleepers-count": ("rough-sleepers-unit", "count"),
    "new-childcare-places": ("eydcp", "count"),
    "nursery-places-3-year-olds": ("eydcp", "percent"),
    "nursery-places-4-year-olds": ("eydcp", "percent"),
    "rough-sleeping-cost-per-person": ("rough-sleepers-unit", "money"),
    "childcare-place-cost": ("eydcp", "money"),
}
COLUMNS = len(INSERT_COLUMNS.split(","))  # the values insert_rows writes per row
GOAL_OF_RAW = 0.50
GOAL_OVER_TO_SQL = 1.0  # against DataFrame.to_sql through a SQLAlchemy engine


def local_authorities() -> list[str]:
    """ONS codes of the local authorities in data/areas_england.csv."""
    with AREAS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return [row["area_code"] for row in rows if row["area_type"] == "local authority"]


def value_text(kind: str, area: int, quarter: int) -> str:
    """A valid value that moves less than 50% between quarters (so no warnings)."""
    step = (area * 7 + quarter * 3) % 40
    if kind == "percent":
        return f"{40 + step / 2:.1f}%"
    if kind == "money":
        return f"£{600 + step * 5:,}"
    return f"{1000 + step * 10:,}"


def synthetic_csv(count: int) -> bytes:
    """``count`` synthetic rows (measure x local authority x quarter from 1990 Q1) as CSV."""
    areas = local_authorities()
    series = [(measure, index) for measure in MEASURES for index in range(len(areas))]
    quarters = -(-count // len(series))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["initiative", "measure", "area_code", "period", "value", "note"])
    written = 0
    for measure, area in series:
        initiative, kind = MEASURES[measure]
        for quarter in range(min(quarters, count - written)):
            period = f"{1990 + quarter // 4} Q{quarter % 4 + 1}"
            value = value_text(kind, area, quarter)
            writer.writerow([initiative, measure, areas[area], period, value, NOTE])
            written += 1
    return buffer.getvalue().encode("utf-8")


@dataclass
class FullRun:
    """One end-to-end import: seconds in each part."""

    read: float
    check: float
    commit: float

    @property
    def total(self) -> float:
        """Check (read, validate, diff) plus commit."""
        return self.check + self.commit

    @property
    def validate_diff(self) -> float:
        """The check without the read."""
        return self.check - self.read


class Fixture:
    """A migrated, seeded template database copied to a fresh file for every run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite"
        db = open_seeded(f"sqlite:///{self.template}")
        db.engine.dispose()
        with sqlite3.connect(self.template) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.ddl = [
                sql
                for (sql,) in connection.execute(
                    "SELECT sql FROM sqlite_master WHERE tbl_name = 'observation' "
                    "AND sql IS NOT NULL ORDER BY type DESC, name"
                )
            ]
        self.runs = 0

    def fresh_copy(self) -> Path:
        """A new file holding the migrated, seeded database."""
        self.runs += 1
        path = self.folder / f"run-{self.runs}.sqlite"
        shutil.copyfile(self.template, path)
        return path

    def fresh_table(self) -> Path:
        """A new file holding only an empty observation table, with jwmetrics' DDL."""
        self.runs += 1
        path = self.folder / f"run-{self.runs}.sqlite"
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            for statement in self.ddl:
                connection.execute(statement)
        return path


def full_import(fixture: Fixture, data: bytes, name: str) -> tuple[FullRun, Any]:
    """The whole import on a fresh database; its timings and the checked return."""
    db = open_seeded(f"sqlite:///{fixture.fresh_copy()}")
    reads: list[float] = []
    home = read_table_home()
    original = home.read_table  # type: ignore[attr-defined]

    def timed_read(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            reads.append(time.perf_counter() - start)

    home.read_table = timed_read  # type: ignore[attr-defined]
    try:
        start = time.perf_counter()
        check = check_return(db, data, name, limits=Limits())
        checked = time.perf_counter()
        outcome = commit_return(db, check)
        done = time.perf_counter()
    finally:
        home.read_table = original  # type: ignore[attr-defined]
        db.engine.dispose()
    assert not check.errors and not check.warnings, check.problems[:3]
    assert outcome.return_id is not None and check.counts["new"] == len(check.rows)
    return FullRun(reads[0], checked - start, done - checked), check


def read_table_home() -> Any:
    """The module whose ``read_table`` the check calls (``jwmetrics.returns.read``; the
    single-module ``jwmetrics.returns`` of before 2 December 2026, for comparisons)."""
    try:
        return importlib.import_module("jwmetrics.returns.read")
    except ImportError:
        return sys.modules[check_return.__module__]


def raw_parameters(check: Any) -> list[tuple[object, ...]]:
    """The rows as ``insert_rows`` sends them, with dates as SQLAlchemy stores them in SQLite."""
    now = datetime.now().isoformat(" ")
    published = check.published_on.isoformat()
    source = f"return 1 ({check.file_name})"
    return [
        (
            row.measure_id,
            row.area_code,
            row.period.start.isoformat(),
            row.period.end.isoformat(),
            str(row.period.kind),
            row.value,
            row.qualifier,
            row.marker,
            row.data_status,
            row.partner,
            row.note,
            source,
            1,
            row.row_number,
            published,
            now,
        )
        for row in check.rows
    ]


def raw_insert(fixture: Fixture, params: list[tuple[object, ...]]) -> float:
    """Seconds for sqlite3 ``executemany`` + commit into an empty observation table."""
    connection = sqlite3.connect(fixture.fresh_table())
    connection.execute("PRAGMA synchronous=NORMAL")
    statement = f"INSERT INTO observation ({INSERT_COLUMNS}) VALUES ({', '.join('?' * COLUMNS)})"
    start = time.perf_counter()
    connection.executemany(statement, params)
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def raw_insert_seeded(fixture: Fixture, params: list[tuple[object, ...]]) -> float:
    """As :func:`raw_insert`, but into a seeded jwmetrics database with foreign keys on.

    Not part of the goal: it shows how much of the commit is the foreign key checks that
    jwmetrics turns on (measure, area and return of every row).
    """
    connection = sqlite3.connect(fixture.fresh_copy())
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")
    statement = f"INSERT INTO observation ({INSERT_COLUMNS}) VALUES ({', '.join('?' * COLUMNS)})"
    start = time.perf_counter()
    connection.execute(
        "INSERT INTO data_return (id, file_name, sha256, partner, uploaded_by, uploaded_at, "
        "rows_read, rows_new, rows_revised, rows_unchanged, outcome, withdrawn_by) "
        "VALUES (1, 'bench.csv', 'x', '', '', ?, 0, 0, 0, 0, 'committed', '')",
        (datetime.now().isoformat(" "),),
    )
    connection.executemany(statement, params)
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def to_sql_insert(fixture: Fixture, frame: pd.DataFrame, *, engine: bool) -> float:
    """Seconds for ``DataFrame.to_sql`` (append) into an empty observation table."""
    path = fixture.fresh_table()
    if engine:
        target = create_engine(f"sqlite:///{path}")
        start = time.perf_counter()
        frame.to_sql("observation", target, if_exists="append", index=False)
        elapsed = time.perf_counter() - start
        target.dispose()
        return elapsed
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    frame.to_sql("observation", connection, if_exists="append", index=False)
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def machine() -> str:
    """nproc, CPU model and Python version."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, pandas {pd.__version__}, load average {load}"
    )


def profile_import(fixture: Fixture, data: bytes, name: str, top: int = 25) -> str:
    """cProfile of one full import: the top functions, and time summed by jwmetrics module."""
    profiler = cProfile.Profile()
    profiler.enable()
    full_import(fixture, data, name)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(r"jwmetrics/(returns|tabular|values|periods)", top)
    by_module: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        marker = f"{os.sep}jwmetrics{os.sep}"
        if marker in filename and ".venv" not in filename:
            key = "jwmetrics/" + filename.split(marker, 1)[1]
        elif "sqlalchemy" in filename:
            key = "sqlalchemy"
        elif filename.startswith("~") or "{" in filename:
            key = "built-ins (C: csv, str, re, dict, sqlite3 executemany...)"
        else:
            key = "other Python"
        by_module[key] += tottime
    total = sum(by_module.values())
    lines = ["Own time by module (cProfile tottime; profiling inflates Python-level calls):"]
    for key, seconds in sorted(by_module.items(), key=lambda item: -item[1]):
        lines.append(f"  {key:<60} {seconds:7.2f} s  {seconds / total:5.1%}")
    return "\n".join(lines) + "\n\n" + out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the return")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best is kept)")
    parser.add_argument("--profile", action="store_true", help="cProfile one full import")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "synthetic-benchmark-return.csv"
        csv_path.write_bytes(synthetic_csv(args.rows))
        data = csv_path.read_bytes()
        fixture = Fixture(folder)

        # The four ways take turns, so that a busy machine slows them alike; best of each.
        fulls: list[FullRun] = []
        timings: dict[str, list[float]] = defaultdict(list)
        adapters = dict(sqlite3.adapters)  # to_sql registers pandas' own; undo after each
        for _ in range(args.repeat):
            run, check = full_import(fixture, data, csv_path.name)
            fulls.append(run)
            params = raw_parameters(check)
            frame = pd.DataFrame(params, columns=[c.strip() for c in INSERT_COLUMNS.split(",")])
            timings["raw"].append(raw_insert(fixture, params))
            timings["raw_seeded"].append(raw_insert_seeded(fixture, params))
            timings["to_sql_connection"].append(to_sql_insert(fixture, frame, engine=False))
            timings["to_sql_engine"].append(to_sql_insert(fixture, frame, engine=True))
            sqlite3.adapters.clear()
            sqlite3.adapters.update(adapters)
        full = min(fulls, key=lambda run: run.total)
        raw, raw_seeded, to_sql_connection, to_sql_engine = (
            min(timings[name])
            for name in ("raw", "raw_seeded", "to_sql_connection", "to_sql_engine")
        )
        profile = profile_import(fixture, data, csv_path.name) if args.profile else ""

    rows = args.rows

    def rate(seconds: float) -> str:
        return f"{rows / seconds:>10,.0f} rows/s  ({seconds:6.2f} s)"

    print(f"Machine: {machine()}")
    print(f"Return: {rows:,} synthetic rows, {len(data) / 1e6:.1f} MB CSV; best of {args.repeat}")
    print(f"(a) full import (check + commit)     {rate(full.total)}")
    print(
        f"      read (tabular.read_table)       {full.read:6.2f} s  {full.read / full.total:5.1%}"
    )
    print(
        f"      validate + diff                 {full.validate_diff:6.2f} s  "
        f"{full.validate_diff / full.total:5.1%}"
    )
    share = full.commit / full.total
    print(f"      commit (commit_return)          {full.commit:6.2f} s  {share:5.1%}")
    print(f"(b) raw sqlite3 executemany          {rate(raw)}")
    print(f"    raw, seeded db + foreign keys on {rate(raw_seeded)}")
    print(f"(c) DataFrame.to_sql, sqlite3 conn.  {rate(to_sql_connection)}")
    print(f"    DataFrame.to_sql, SQLAlchemy     {rate(to_sql_engine)}")
    of_raw = raw / full.total
    over_to_sql = to_sql_engine / full.total
    verdict_raw = "met" if of_raw >= GOAL_OF_RAW else "MISSED"
    verdict_sql = "met" if over_to_sql >= GOAL_OVER_TO_SQL else "MISSED"
    print(f"full / raw    = {of_raw:6.1%}   goal >= {GOAL_OF_RAW:.0%}: {verdict_raw}")
    print(
        f"full / to_sql = {over_to_sql:6.2f}x   goal >= {GOAL_OVER_TO_SQL:.0f}x (to_sql through "
        f"SQLAlchemy): {verdict_sql}; {to_sql_connection / full.total:.2f}x through sqlite3"
    )
    if profile:
        print()
        print(profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
