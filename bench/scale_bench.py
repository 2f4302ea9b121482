"""Scale benchmarks: does jwmetrics stay quick with about 1,000,000 observations?

``.venv/bin/python bench/scale_bench.py [--skip-postgres] [--skip-browser] [--observations N]
[--reuse] [--runs 7] [--profile] [--only abcde]``

Every figure is a RATIO of two timings (or memory readings) taken in the same run on the
same machine, so a slow or busy machine changes both sides alike:

a. page reruns (AppTest) at 1M against the same pages on a 20,000-figure synthetic
   database with the same catalogue, so both sides show the same rows (goal <= 1.5x);
b. ``status_table`` for every measure and area against one full read of the observation
   table (every column of every row, fetched), on the same 1M database, on SQLite and on
   PostgreSQL (goal <= 2x);
c. cold start of ``streamlit run app.py`` until the overview is rendered in headless
   Chromium, against ``bench/minimal_app.py`` (goal <= 1.1x);
d. peak memory (VmHWM) of the server after the overview and one initiative page at 1M,
   against the minimal app (goal <= 100 MB more);
e. a 100,000-row return into PostgreSQL through ``check_return`` + ``commit_return``
   against a raw ``COPY`` of the same rows into an identical table (goal >= 50% of its rate).

Databases live in ``bench/output/`` (git-ignored): ``seed.sqlite`` (the report's figures) and
``synthetic-N.sqlite`` (``bench/synthetic.py``; ``--reuse`` keeps an existing one). Results
go to ``bench/output/scale_bench.json``; ``--profile`` adds cProfile listings of the
measured calls to ``bench/output/profiles/``. No test asserts on these times.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
for extra in (REPO_ROOT, BENCH_DIR, REPO_ROOT / "tests" / "browser"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import synthetic  # noqa: E402

from jwmetrics.catalogue.seed import open_seeded  # noqa: E402
from jwmetrics.db.engine import URL_ENV, Database  # noqa: E402

OUTPUT_DIR = BENCH_DIR / "output"
PROFILE_DIR = OUTPUT_DIR / "profiles"
APP_PATH = REPO_ROOT / "app.py"
MINIMAL_APP = BENCH_DIR / "minimal_app.py"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
INITIATIVE_PAGE = "pages/initiative.py"
RSU_VIEW = {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count"}
SYNTHETIC_VIEW = {"initiative": "rough-sleepers-unit", "measure": "syn-rs-street-count"}
ENGLAND = "E92000001"
PG_RETURN_ROWS = 100_000


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One benchmark figure: the measured value, its baseline, the comparison and the goal."""

    key: str
    label: str
    value: float
    baseline: float
    unit: str
    comparison: str  # "ratio" (value / baseline), "difference" (value - baseline), "share"
    goal: float
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        """The compared quantity: a ratio, a difference or a share."""
        if self.comparison == "difference":
            return self.value - self.baseline
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def passed(self) -> bool:
        """True when the goal is met (a share must be at least the goal, the rest at most)."""
        return self.score >= self.goal if self.comparison == "share" else self.score <= self.goal

    def line(self) -> str:
        """One printed line: value, baseline, ratio, goal, PASS or SHORT."""
        if self.comparison == "difference":
            compared = f"+{self.score:.0f} {self.unit} (goal <= +{self.goal:.0f} {self.unit})"
        elif self.comparison == "share":
            compared = f"{self.score:.0%} of it (goal >= {self.goal:.0%})"
        else:
            compared = f"{self.score:.2f}x (goal <= {self.goal:g}x)"
        verdict = "PASS" if self.passed else "SHORT"
        return (
            f"[{verdict:5}] {self.key} {self.label}: {self.value:,.3f} vs {self.baseline:,.3f} "
            f"{self.unit} -> {compared}"
        )


@dataclass
class Results:
    """Everything one run measured, saved as JSON for the README."""

    started: str
    machine: dict[str, str]
    observations: int = 0
    generation: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def add(self, figure: Figure) -> None:
        """Record and print one figure."""
        self.figures.append(figure)
        print(figure.line(), flush=True)

    def save(self, path: Path) -> None:
        """Write the results as JSON."""
        data = asdict(self)
        for item, figure in zip(data["figures"], self.figures, strict=True):
            item["score"], item["passed"] = figure.score, figure.passed
        path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")


def save_profile(name: str, profiler: cProfile.Profile, top: int = 30) -> str:
    """Save a profile as .prof and as a text listing (cumulative time); return the listing."""
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(PROFILE_DIR / f"{name}.prof"))
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    text = buffer.getvalue()
    (PROFILE_DIR / f"{name}.txt").write_text(text, encoding="utf-8")
    print(f"  profile of {name}: {(PROFILE_DIR / name).relative_to(REPO_ROOT)}.txt", flush=True)
    return text


def profile(name: str, call: Callable[[], object]) -> str:
    """Run ``call`` under cProfile; save the stats and return the listing."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        call()
    finally:
        profiler.disable()
    return save_profile(name, profiler)


# --------------------------------------------------------------------------------------------
# Machine and databases
# --------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """nproc, CPU model, RAM, Python, SQLite and PostgreSQL versions, load average."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, IndexError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    postgres = "not found"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        postgres = subprocess.run(
            [str(PG_BIN / "postgres"), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    import sqlalchemy
    import streamlit

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
        "streamlit": streamlit.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "kernel": platform.release(),
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"


def remove_sqlite(path: Path) -> None:
    """Delete an SQLite file and its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


SMALL_OBSERVATIONS = 20_000
"""The small synthetic database: the same catalogue as at 1M and every measure's England
series in full (108 quarters), so each page has the same shape as at 1M (figure a)."""


def prepare_small(seed: int, reuse: bool) -> str:
    """The small synthetic database (built with bench/synthetic.py unless reused)."""
    path = OUTPUT_DIR / f"synthetic-{SMALL_OBSERVATIONS}.sqlite"
    if reuse and path.exists():
        return sqlite_url(path)
    remove_sqlite(path)
    db = open_seeded(sqlite_url(path))
    try:
        synthetic.generate(db, SMALL_OBSERVATIONS, seed, log=lambda text: None)
    finally:
        db.engine.dispose()
    return sqlite_url(path)


def prepare_databases(
    observations: int, seed: int, reuse: bool, results: Results
) -> tuple[str, str]:
    """The seed database and the synthetic one (built with bench/synthetic.py unless reused)."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    seed_path = OUTPUT_DIR / "seed.sqlite"
    if not (reuse and seed_path.exists()):
        remove_sqlite(seed_path)
    open_seeded(sqlite_url(seed_path)).engine.dispose()

    big_path = OUTPUT_DIR / f"synthetic-{observations}.sqlite"
    summary_path = OUTPUT_DIR / f"synthetic-{observations}.json"
    if reuse and big_path.exists():
        db = open_seeded(sqlite_url(big_path))
        try:
            if synthetic.synthetic_measures_loaded(db):
                print(f"reusing {big_path.relative_to(REPO_ROOT)}", flush=True)
                if summary_path.exists():
                    results.generation = json.loads(summary_path.read_text())
                return sqlite_url(seed_path), sqlite_url(big_path)
        finally:
            db.engine.dispose()
    remove_sqlite(big_path)
    print(f"building {big_path.relative_to(REPO_ROOT)} ({observations:,} observations)", flush=True)
    db = open_seeded(sqlite_url(big_path))
    try:
        report = synthetic.generate(
            db, observations, seed, log=lambda text: print(text, flush=True)
        )
    finally:
        db.engine.dispose()
    results.generation = {
        "observations": report.observations,
        "new": report.new,
        "revised": report.revised,
        "returns": len(report.returns),
        "series": report.series,
        "catalogue_seconds": round(report.catalogue_seconds, 1),
        "generate_seconds": round(report.generate_seconds, 1),
        "import_seconds": round(report.import_seconds, 1),
        "total_seconds": round(report.seconds, 1),
        "import_rows_per_second": round(report.observations / report.import_seconds),
        "slowest_return_seconds": round(max(r.seconds for r in report.returns), 2),
        "fastest_return_seconds": round(min(r.seconds for r in report.returns), 2),
    }
    summary_path.write_text(json.dumps(results.generation, indent=2), encoding="utf-8")
    return sqlite_url(seed_path), sqlite_url(big_path)


def count_observations(url: str) -> int:
    """How many observation rows a database holds."""
    from sqlalchemy import func, select

    from jwmetrics.db.models import Observation

    db = open_seeded(url)
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count()).select_from(Observation)) or 0)
    finally:
        db.engine.dispose()


# --------------------------------------------------------------------------------------------
# a. Page reruns with AppTest
# --------------------------------------------------------------------------------------------


def _use_database(url: str) -> None:
    """Point the app at ``url`` and forget every cached handle and result."""
    import streamlit as st

    os.environ[URL_ENV] = url
    st.cache_data.clear()
    st.cache_resource.clear()


def _open_page(url: str, params: dict[str, str] | None) -> Any:
    """An AppTest on the overview (``params`` None) or the initiative page, run once."""
    from streamlit.testing.v1 import AppTest

    _use_database(url)
    at = AppTest.from_file(str(APP_PATH), default_timeout=600)
    at.run()
    if params is not None:
        at.switch_page(INITIATIVE_PAGE)
        at.query_params.update(params)
        at.run()
    problems = [e.message for e in at.exception]
    if problems:
        raise RuntimeError(f"the app raised on {url}: {problems}")
    return at


@dataclass
class Timing:
    """Wall-clock and CPU seconds of repeated runs (CPU: this process, every thread)."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def measure(self, call: Callable[[], object]) -> None:
        """Run ``call`` once and record both times."""
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)

    def summary(self) -> dict[str, Any]:
        """Medians, minima and the samples, rounded."""
        return {
            "median": statistics.median(self.wall),
            "min": min(self.wall),
            "cpu_median": statistics.median(self.cpu),
            "samples": [round(x, 4) for x in self.wall],
            "cpu_samples": [round(x, 4) for x in self.cpu],
        }


def time_pages(
    urls: dict[str, str], params: dict[str, str] | None, runs: int
) -> dict[str, dict[str, Any]]:
    """Uncached and cached reruns of one page on each database, interleaved run by run.

    Each round, for each database in turn (order alternating): point the app at it and run
    the page once untimed (opens the database, fills the caches), then clear st.cache_data
    and time a rerun (the uncached path, with a warm database handle as a running server
    has), then time one more rerun (everything cached). Interleaving exposes both databases
    to the same machine load; the CPU time of this process is recorded beside wall time.
    """
    import streamlit as st

    apps = {name: _open_page(url, params) for name, url in urls.items()}
    timings = {name: {"uncached": Timing(), "cached": Timing()} for name in urls}
    names = list(urls)
    for round_number in range(runs):
        for name in names if round_number % 2 == 0 else reversed(names):
            at = apps[name]
            _use_database(urls[name])
            at.run()
            st.cache_data.clear()
            timings[name]["uncached"].measure(at.run)
            timings[name]["cached"].measure(at.run)
            if at.exception:
                raise RuntimeError(f"the app raised: {[e.message for e in at.exception]}")
    out: dict[str, dict[str, Any]] = {}
    for name, at in apps.items():
        out[name] = {kind: timing.summary() for kind, timing in timings[name].items()}
        out[name]["tables"] = len(at.table)
        out[name]["subheaders"] = [h.value for h in at.subheader][:2]
    return out


def profile_page(name: str, url: str, params: dict[str, str] | None) -> str:
    """cProfile one uncached rerun of a page (inside Streamlit's script thread)."""
    import streamlit as st
    from streamlit.testing.v1 import local_script_runner

    at = _open_page(url, params)
    at.run()
    st.cache_data.clear()
    profiler = cProfile.Profile()
    original = local_script_runner.LocalScriptRunner._run_script_thread

    def profiled(self: Any) -> None:
        profiler.enable()
        try:
            original(self)
        finally:
            profiler.disable()

    local_script_runner.LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    try:
        at.run()
    finally:
        local_script_runner.LocalScriptRunner._run_script_thread = original  # type: ignore[method-assign]
    return save_profile(name, profiler)


def bench_pages(small_url: str, big_url: str, runs: int, results: Results, prof: bool) -> None:
    """Figure a: page reruns at 1M against the same pages on the small synthetic database.

    Like for like: the small database has the same catalogue (the report's 12 measures and
    the 28 synthetic ones) and every measure's England series in full, so each page shows
    the same rows and figures on both sides; only the size of the database differs. The
    subheaders of both pages are compared, and a mismatch is printed.
    """
    views: list[tuple[str, str, dict[str, str] | None]] = [
        ("a1", "overview", None),
        ("a2", "initiative rough-sleepers-count/England", {**RSU_VIEW, "area": ENGLAND}),
        ("a3", "initiative syn-rs-street-count/England", {**SYNTHETIC_VIEW, "area": ENGLAND}),
    ]
    for key, name, params in views:
        measured = time_pages({"seed": small_url, "big": big_url}, params, runs)
        seed, big = measured["seed"], measured["big"]
        if seed["subheaders"] != big["subheaders"]:  # said, not hidden: the ratio is unfair
            print(f"  NOT LIKE FOR LIKE: {seed['subheaders']} / {big['subheaders']}", flush=True)
        for kind in ("uncached", "cached"):
            detail = {"seed": seed, "big": big, "kind": kind}
            figure = Figure(
                f"{key}{kind[0]}",
                f"{name} rerun, {kind}",
                big[kind]["median"],
                seed[kind]["median"],
                "s",
                "ratio",
                1.5,
                detail,
            )
            results.add(figure)
            print(
                f"  cross-checks: CPU-time ratio "
                f"{big[kind]['cpu_median'] / seed[kind]['cpu_median']:.2f}x, "
                f"best-of-{runs} ratio {big[kind]['min'] / seed[kind]['min']:.2f}x",
                flush=True,
            )
        if prof:
            profile_name = f"{key}-{name.split()[0]}-1m-uncached"
            results.notes[f"profile_{key}"] = profile_page(profile_name, big_url, params)
    bench_pack(small_url, big_url, runs, results)
    _use_database(small_url)
    os.environ.pop(URL_ENV, None)


def _pack(url: str) -> Callable[[], object]:
    """A call that builds and renders the Rough Sleepers Unit's pack (HTML) as known on the
    latest day, changes since a year before, without recording it."""
    from jwmetrics.briefing.content import PackRequest
    from jwmetrics.briefing.packs import render
    from jwmetrics.metrics import Metrics
    from jwmetrics.present.pack.document import pack_file

    db = open_seeded(url)
    day = Metrics(db).latest_day()
    since = day - timedelta(days=365)

    def call() -> object:
        request = PackRequest("rough-sleepers-unit", day, since, "bench", datetime.now())
        return render(db, request, "html", pack_file)

    return call


def bench_pack(small_url: str, big_url: str, runs: int, results: Results) -> None:
    """Figure a4: the briefing pack of one initiative on each database, interleaved."""
    calls = {"seed": _pack(small_url), "big": _pack(big_url)}
    timings = {name: Timing() for name in calls}
    for call in calls.values():
        call()  # warm each database once
    for round_number in range(runs):
        for name in calls if round_number % 2 == 0 else reversed(list(calls)):
            timings[name].measure(calls[name])
    seed, big = timings["seed"].summary(), timings["big"].summary()
    figure = Figure(
        "a4",
        "briefing pack rough-sleepers-unit (HTML)",
        big["median"],
        seed["median"],
        "s",
        "ratio",
        1.5,
        {"seed": seed, "big": big},
    )
    results.add(figure)


# --------------------------------------------------------------------------------------------
# b. Status of every measure and area against one SQL pass
# --------------------------------------------------------------------------------------------


def full_read(db: Database) -> int:
    """One full read of the observation table: every column of every row, fetched by the
    driver itself (no SQLAlchemy type processing, so the stricter baseline)."""
    with db.engine.connect() as connection:
        return len(connection.exec_driver_sql("SELECT * FROM observation").fetchall())


def typed_full_read(db: Database) -> int:
    """The same read through SQLAlchemy Core, dates and times parsed: a cross-check."""
    from sqlalchemy import select

    from jwmetrics.db.models import Observation

    with db.engine.connect() as connection:
        return len(connection.execute(select(Observation.__table__)).fetchall())


def bench_status(url: str, backend: str, runs: int, results: Results, prof: bool) -> None:
    """Figure b: ``status_table(db)`` against one full read of the observation table."""
    from sqlalchemy import select

    from jwmetrics.assess.portfolio import assess, reporting_day, status_table
    from jwmetrics.db.models import Area, Measure
    from jwmetrics.store.figures import latest_values, recent_values
    from jwmetrics.store.known import KnownAt
    from jwmetrics.store.targets import current_targets
    from jwmetrics.store.versions import table_serves

    db = open_seeded(url)
    try:
        rows = status_table(db)  # warm the page cache once
        read_rows = full_read(db)

        def latest() -> int:
            with db.session() as session:
                return len(latest_values(session, KnownAt.on(reporting_day(session))))

        series_count = latest()
        table, whole, typed, single = Timing(), Timing(), Timing(), Timing()
        for _ in range(runs):  # interleaved, so all see the same machine load
            table.measure(lambda: status_table(db))
            whole.measure(lambda: full_read(db))
            typed.measure(lambda: typed_full_read(db))
            single.measure(latest)
        table_summary, whole_summary = table.summary(), whole.summary()

        # Where status_table's time goes: the same steps, timed one by one.
        parts: dict[str, float] = {}
        with db.session() as session:
            started = time.perf_counter()
            moment = KnownAt.on(reporting_day(session))
            parts["reporting_day"] = time.perf_counter() - started
            served = table_serves(session, moment)
            started = time.perf_counter()
            targets = current_targets(session, moment)
            parts["current_targets"] = time.perf_counter() - started
            measures = list(session.scalars(select(Measure).order_by(Measure.id)))
            started = time.perf_counter()
            recent = recent_values(session, moment, [m.id for m in measures], None, count=8)
            parts["recent_values_8"] = time.perf_counter() - started
            areas = {a.code: a for a in session.scalars(select(Area))}
            by_id = {m.id: m for m in measures}
            started = time.perf_counter()
            for key in set(recent) | set(targets):
                assess(
                    by_id[key[0]], areas[key[1]], targets.get(key), recent.get(key, []), moment.day
                )
            parts["assess_all"] = time.perf_counter() - started
            views = sum(len(v) for v in recent.values())
        detail = {
            "backend": backend,
            "status_rows": len(rows),
            "observation_rows_read": read_rows,
            "series_with_values": series_count,
            "views_read_count8": views,
            "targets": len(targets),
            "current_value_table_served": served,
            "status_table": table_summary,
            "full_read": whole_summary,
            "typed_full_read": typed.summary(),
            "latest_values": single.summary(),
            "parts_seconds": {k: round(v, 3) for k, v in parts.items()},
        }
        results.add(
            Figure(
                "b",
                f"status_table(db) for every measure and area vs one full read ({backend})",
                table_summary["median"],
                whole_summary["median"],
                "s",
                "ratio",
                2.0,
                detail,
            )
        )
        cpu_ratio = table_summary["cpu_median"] / whole_summary["cpu_median"]
        print(f"  cross-check: CPU-time ratio {cpu_ratio:.2f}x", flush=True)
        print(f"  latest_values alone: {single.summary()['median']:.3f} s", flush=True)
        typed_median = typed.summary()["median"]
        print(f"  full read through SQLAlchemy types: {typed_median:.3f} s", flush=True)
        print(f"  parts of status_table: {detail['parts_seconds']}", flush=True)
        if prof:
            results.notes[f"profile_b_{backend}"] = profile(
                f"b-status-table-1m-{backend}", lambda: status_table(db)
            )
    finally:
        db.engine.dispose()


def bench_status_postgres(observations: int, seed: int, runs: int, results: Results) -> None:
    """Figure b on PostgreSQL: the same synthetic database built in a throwaway cluster."""
    with postgres_cluster() as url:
        db = open_seeded(url)
        try:
            print(f"building the synthetic database in PostgreSQL ({observations:,})", flush=True)
            synthetic.generate(db, observations, seed, log=lambda text: None)
        finally:
            db.engine.dispose()
        bench_status(url, "postgresql", runs, results, prof=False)


# --------------------------------------------------------------------------------------------
# c, d. Cold start and peak memory in headless Chromium
# --------------------------------------------------------------------------------------------


def _server_pid(port: int) -> int:
    """The pid of the Streamlit server listening on ``port`` (found by its command line)."""
    wanted = f"--server.port\0{port}\0"
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
            if "streamlit" in command and wanted in command + "\0":
                return int(entry.name)
    raise RuntimeError(f"no streamlit server process found for port {port}")


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid``."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds used so far by ``pid`` and its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in [pid, *_children(pid)]:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def peak_memory_mb(pid: int) -> tuple[float, int]:
    """VmHWM (peak resident set) of ``pid`` plus its descendants, in MB; and how many."""
    total_kib, processes = 0, 0
    for each in [pid, *_children(pid)]:
        with contextlib.suppress(OSError, IndexError, ValueError):
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kib += int(line.split()[1])
                    processes += 1
    return total_kib / 1024, processes


def _render(page: Any, url: str) -> None:
    from helpers import assert_no_exception, wait_for_app

    page.goto(url, wait_until="domcontentloaded", timeout=600_000)
    wait_for_app(page, timeout_ms=600_000)
    assert_no_exception(page)


def cold_start(
    browser: Any, app: Path, env: dict[str, str], next_url: str | None
) -> dict[str, float]:
    """Seconds from launching ``streamlit run`` to the first page rendered; then peak memory.

    ``next_url`` (a path and query) is rendered after the first page, before memory is read.
    """
    from helpers import start_streamlit

    started = time.perf_counter()
    with start_streamlit(env_overrides=env, app_path=app, timeout_s=300) as base:
        healthy = time.perf_counter() - started
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        try:
            page = context.new_page()
            _render(page, base + "/")
            rendered = time.perf_counter() - started
            port = int(base.rsplit(":", 1)[1])
            pid = _server_pid(port)
            cpu = cpu_seconds(pid)
            if next_url:
                _render(page, base + next_url)
            memory, processes = peak_memory_mb(pid)
        finally:
            context.close()
    return {
        "seconds": rendered,
        "server_cpu_seconds": cpu,
        "healthy_seconds": healthy,
        "memory_mb": memory,
        "processes": processes,
    }


def bench_browser(seed_url: str, big_url: str, runs: int, results: Results) -> None:
    """Figures c and d: cold start and peak memory of app.py at 1M against the minimal app."""
    from helpers import CHROMIUM_ARGS, CHROMIUM_PATH
    from playwright.sync_api import sync_playwright

    initiative = "/initiative?" + "&".join(
        f"{k}={v}" for k, v in {**RSU_VIEW, "area": ENGLAND}.items()
    )
    samples: dict[str, list[dict[str, float]]] = {"app": [], "minimal": [], "app_seed": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for run in range(runs):
                # Alternate the order so drift in machine load hits both sides alike.
                order = ["app", "minimal"] if run % 2 == 0 else ["minimal", "app"]
                for name in order:
                    if name == "app":
                        sample = cold_start(browser, APP_PATH, {URL_ENV: big_url}, initiative)
                    else:
                        sample = cold_start(browser, MINIMAL_APP, {URL_ENV: seed_url}, None)
                    samples[name].append(sample)
                    print(f"  run {run + 1} {name}: {sample}", flush=True)
            seed_sample = cold_start(browser, APP_PATH, {URL_ENV: seed_url}, initiative)
            samples["app_seed"].append(seed_sample)
            print(f"  app on the seed database: {seed_sample}", flush=True)
        finally:
            browser.close()

    def med(name: str, key: str) -> float:
        return statistics.median(s[key] for s in samples[name])

    detail = {"samples": samples}
    results.add(
        Figure(
            "c",
            "cold start to rendered overview: app.py at 1M vs minimal_app.py",
            med("app", "seconds"),
            med("minimal", "seconds"),
            "s",
            "ratio",
            1.1,
            detail,
        )
    )
    cpu_ratio = med("app", "server_cpu_seconds") / med("minimal", "server_cpu_seconds")
    print(f"  cross-check: server CPU seconds to first render, ratio {cpu_ratio:.2f}x", flush=True)
    results.add(
        Figure(
            "d",
            "peak memory after overview + initiative page: app.py at 1M vs minimal_app.py",
            med("app", "memory_mb"),
            med("minimal", "memory_mb"),
            "MB",
            "difference",
            100.0,
            detail,
        )
    )


# --------------------------------------------------------------------------------------------
# e. PostgreSQL import against raw COPY
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throwaway cluster from scripts/pg_cluster.sh, stopped and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="jwm-bench-pg-", dir="/tmp"))
    folder.rmdir()  # pg_cluster.sh creates it with the right owner
    script = REPO_ROOT / "scripts" / "pg_cluster.sh"
    url = subprocess.run(
        ["bash", str(script), "start", str(folder)], capture_output=True, text=True, check=True
    ).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run(["bash", str(script), "stop", str(folder)], capture_output=True, check=False)


def _pg_return(offset: int, rows: int) -> bytes:
    """A synthetic return of ``rows`` new figures (series taken from ``offset`` on)."""
    areas = synthetic.read_areas()
    keys = [(m, a) for m in range(len(synthetic.MEASURES)) for a in range(len(areas))]
    needed = -(-rows // len(synthetic.QUARTERS))
    lines: list[tuple[str, ...]] = []
    for m, a in keys[offset : offset + needed]:
        series = synthetic.generate_series(synthetic.MEASURES[m], areas[a], (m, a), 1)
        lines.extend(synthetic.series_rows(series))
    return synthetic.return_csv(lines[:rows])


def _copy_tuples(check: Any, return_id: int) -> list[tuple[object, ...]]:
    """The 16 values ``insert_rows`` writes for each row of a checked return, as COPY tuples."""
    now = datetime.now()
    source = f"return {return_id} ({check.file_name})"
    return [
        (
            r.measure_id,
            r.area_code,
            r.period.start,
            r.period.end,
            str(r.period.kind),
            r.value,
            r.qualifier,
            r.marker,
            r.data_status,
            r.partner,
            r.note,
            source,
            return_id,
            r.row_number,
            check.published_on,
            now,
        )
        for r in check.rows
    ]


def bench_postgres(runs: int, results: Results, prof: bool) -> None:
    """Figure e: rows/s of check_return + commit_return against raw COPY, 100,000 rows."""
    import psycopg

    from jwmetrics.catalogue.load import load_catalogue_file
    from jwmetrics.returns import INSERT_COLUMNS, check_return, commit_return

    with postgres_cluster() as url:
        db: Database = open_seeded(url)
        try:
            load_catalogue_file(db, synthetic.CATALOGUE_DIR / synthetic.MEASURES_FILE)
            raw_url = url.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(raw_url, autocommit=True) as conn:
                version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
                conn.execute("CREATE TABLE observation_copy (LIKE observation INCLUDING ALL)")
                foreign = conn.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'observation'::regclass AND contype = 'f'"
                ).fetchall()
                for name, definition in foreign:
                    conn.execute(
                        f"ALTER TABLE observation_copy ADD CONSTRAINT {name}_copy {definition}"
                    )
            import_samples, check_samples, copy_samples = [], [], []
            series_per_return = -(-PG_RETURN_ROWS // len(synthetic.QUARTERS))
            last_check = None
            for run in range(runs):
                data = _pg_return(run * series_per_return, PG_RETURN_ROWS)
                name = f"synthetic-pg-bench-{run + 1}.csv"
                started = time.perf_counter()
                check = check_return(db, data, name, partner="Synthetic benchmark partner")
                checked = time.perf_counter()
                outcome = commit_return(db, check, uploaded_by="bench", confirm_warnings=True)
                done = time.perf_counter()
                if outcome.counts["new"] != PG_RETURN_ROWS or outcome.return_id is None:
                    raise RuntimeError(f"unexpected import outcome: {outcome.message}")
                import_samples.append(done - started)
                check_samples.append(checked - started)
                last_check = check
                tuples = _copy_tuples(check, outcome.return_id)
                with psycopg.connect(raw_url) as conn:
                    conn.execute("TRUNCATE observation_copy")
                    conn.commit()
                    started = time.perf_counter()
                    with (
                        conn.cursor() as cursor,
                        cursor.copy(f"COPY observation_copy ({INSERT_COLUMNS}) FROM STDIN") as copy,
                    ):
                        for row in tuples:
                            copy.write_row(row)
                    conn.commit()
                    copy_samples.append(time.perf_counter() - started)
                print(
                    f"  run {run + 1}: import {import_samples[-1]:.2f} s (check "
                    f"{check_samples[-1]:.2f} s), COPY {copy_samples[-1]:.2f} s",
                    flush=True,
                )
            import_time = statistics.median(import_samples)
            copy_time = statistics.median(copy_samples)
            detail = {
                "server_version": version,
                "rows": PG_RETURN_ROWS,
                "import_samples": [round(x, 3) for x in import_samples],
                "check_samples": [round(x, 3) for x in check_samples],
                "copy_samples": [round(x, 3) for x in copy_samples],
            }
            results.machine["postgresql_server"] = version
            results.add(
                Figure(
                    "e",
                    "PostgreSQL import rows/s: check_return+commit_return vs raw COPY",
                    PG_RETURN_ROWS / import_time,
                    PG_RETURN_ROWS / copy_time,
                    "rows/s",
                    "share",
                    0.5,  # issue 22: was 40%
                    detail,
                )
            )
            if prof and last_check is not None:
                data = _pg_return(runs * series_per_return, PG_RETURN_ROWS)

                def again() -> None:
                    check = check_return(db, data, "synthetic-pg-profile.csv")
                    commit_return(db, check, confirm_warnings=True)

                results.notes["profile_e"] = profile("e-pg-import-100k", again)
        finally:
            db.engine.dispose()


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print every figure with its ratio, goal and PASS/SHORT."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (median)")
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--pg-runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="reuse bench/output databases")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--only", default="abcde", help="figures to run, e.g. 'ab'")
    parser.add_argument("--profile", action="store_true", help="cProfile the measured calls")
    parser.add_argument(
        "--big-url",
        help="an existing large database (e.g. PostgreSQL at 10M, built with synthetic.py then "
        "synthetic_bulk.py) instead of building bench/output/synthetic-N.sqlite",
    )
    parser.add_argument(
        "--small-url", help="the small side of figure a (default: 20,000 synthetic, SQLite)"
    )
    args = parser.parse_args(argv)

    results = Results(started=datetime.now().isoformat(timespec="seconds"), machine=machine())
    print(json.dumps(results.machine, indent=2), flush=True)
    if args.big_url:
        seed_url, _ = prepare_databases(args.observations, args.seed, True, results)
        big_url = args.big_url
    else:
        seed_url, big_url = prepare_databases(args.observations, args.seed, args.reuse, results)
    backend = "postgresql" if big_url.startswith("postgresql") else "sqlite"
    results.observations = count_observations(big_url)
    print(f"{results.observations:,} observations in the synthetic database", flush=True)

    if "a" in args.only:
        small_url = args.small_url or prepare_small(args.seed, args.reuse)
        bench_pages(small_url, big_url, args.runs, results, args.profile)
    if "b" in args.only:
        bench_status(big_url, backend, args.runs, results, args.profile)
        if not args.skip_postgres and not args.big_url:
            bench_status_postgres(args.observations, args.seed, args.runs, results)
    if ("c" in args.only or "d" in args.only) and not args.skip_browser:
        if not os.access("/usr/bin/chromium", os.X_OK) or shutil.which("chromium") is None:
            print("chromium not found: skipping c and d", flush=True)
        else:
            bench_browser(seed_url, big_url, args.browser_runs, results)
    if "e" in args.only and not args.skip_postgres:
        bench_postgres(args.pg_runs, results, args.profile)

    results.machine["load_average_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    path = OUTPUT_DIR / "scale_bench.json"
    results.save(path)
    print("\nSummary")
    for figure in results.figures:
        print(figure.line())
    print(f"results: {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
