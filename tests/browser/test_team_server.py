"""The team entry point :mod:`dashboard.server`: start-up under a race, readiness, failover
downloads.

These drive real server processes over HTTP (and, for freshness, a browser). Four processes
start at the same moment on one empty PostgreSQL database; each must say ``ok`` only once
the schema is at head, and the report's figures must be there once. A server whose database
cannot be reached says 503 ``database not ready``. A signed download link is answered by a
process other than the one that made it (a failover), and a link altered by hand is
refused. A return committed by another process shows on a second server's open page at its
next rerun.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from db_backends import backend_url
from helpers import (
    REPO_ROOT,
    _stop_process_group,
    _tail,
    expect_rerun,
    free_port,
    open_app,
    streamlit_command,
)
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import HEAD_REVISION, Database, make_engine, schema_revision
from jwmetrics.db.models import Measure, Observation
from jwmetrics.periods import format_date

SERVER = REPO_ROOT / "dashboard" / "server.py"
START_TIMEOUT_S = 180.0  # four processes seeding on 2 shared cores: a ceiling, not a wait


def _get(url: str) -> tuple[int, str]:
    """Status and body of a GET, or (0, "") when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except (urllib.error.URLError, OSError):
        return 0, ""


@contextlib.contextmanager
def servers(count: int, database: str) -> Iterator[list[tuple[str, subprocess.Popen[bytes]]]]:
    """``count`` dashboard/server.py processes started together on ``database``; stopped after."""
    with tempfile.TemporaryDirectory(prefix="jwmetrics-team-") as tmp:
        env = {**os.environ, "JWMETRICS_DATABASE_URL": database, "PYTHONUNBUFFERED": "1"}
        started = []
        try:
            for number in range(count):
                port = free_port()
                log = Path(tmp) / f"server{number}.log"
                with log.open("wb") as out:
                    proc = subprocess.Popen(  # fixed argv, no shell
                        streamlit_command(SERVER, port),
                        cwd=REPO_ROOT,
                        env=env,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                started.append((f"http://127.0.0.1:{port}", proc, log))
            yield [(url, proc) for url, proc, _ in started]
        except BaseException:
            for _, _, log in started:
                print(_tail(log))
            raise
        finally:
            for _, proc, _ in started:
                _stop_process_group(proc)


def _wait_for(url: str, proc: subprocess.Popen[bytes], done: tuple[int, ...]) -> tuple[int, str]:
    """Poll ``url`` until its status is one of ``done`` (a ceiling, not a sleep)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited with {proc.returncode}"
        status, body = _get(url)
        if status in done:
            return status, body
        time.sleep(0.1)
    raise AssertionError(f"{url} never answered {done}")


def _counts(db: Database) -> tuple[int, int]:
    """Measures and observations held."""
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Measure)) or 0,
            session.scalar(select(func.count()).select_from(Observation)) or 0,
        )


@pytest.mark.postgres
def test_four_servers_start_together_on_one_empty_postgres(tmp_path: Path) -> None:
    url = backend_url("postgresql", tmp_path)
    with servers(4, url) as started:
        revisions = []
        for base, proc in started:
            _, body = _wait_for(f"{base}/_stcore/health", proc, (200,))
            assert body == "ok"
            probe = make_engine(url)  # read at once: no browser has opened a page
            revisions.append(schema_revision(probe))
            probe.dispose()
        assert revisions == [HEAD_REVISION] * 4
    reference = open_seeded(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    raced = open_seeded(url)
    try:
        assert _counts(raced) == _counts(reference)
        assert _counts(reference)[1] > 0
    finally:
        raced.engine.dispose()
        reference.engine.dispose()


def test_health_says_not_ready_while_the_database_cannot_be_reached(tmp_path: Path) -> None:
    closed = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    with servers(1, closed) as [(base, proc)]:
        status, body = _wait_for(f"{base}/_stcore/health", proc, (200, 503))
        assert status == 503
        assert body.startswith("database not ready: ")


def test_a_download_link_is_answered_by_another_process(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'team.sqlite'}"
    with servers(2, database) as [(first, first_proc), (second, second_proc)]:
        _wait_for(f"{first}/_stcore/health", first_proc, (200,))
        _wait_for(f"{second}/_stcore/health", second_proc, (200,))
        os.environ["JWMETRICS_DATABASE_URL"] = database  # the key is derived from the URL
        try:
            from dashboard.downloads import signed_url

            link = signed_url("returns-log.csv", {}, "local analyst")
            status_link = signed_url("status.csv", {"as_of": "2001-12-07"}, "local analyst")
        finally:
            del os.environ["JWMETRICS_DATABASE_URL"]
        status, body = _get(second + link)  # made for a page of the first, answered by both
        assert (status, body.lstrip("\ufeff").split(",")[0]) == (200, "Id")  # a BOM for Excel
        status, body = _get(first + status_link)
        assert status == 200 and "Measure" in body.splitlines()[0]
        assert _get(second + status_link)[1] == body
        altered = status_link.replace("2001-12-07", "2001-12-08")
        assert _get(second + altered) == (403, "this link is not one the app made")


def test_a_write_shows_on_another_server_at_its_next_rerun(page: Page, tmp_path: Path) -> None:
    """Two servers on one database; a return committed by another process (the command line)
    shows on the second server's open page at its next rerun, sidebar included."""
    database = f"sqlite:///{tmp_path / 'team.sqlite'}"
    with servers(2, database) as [(first, first_proc), (second, second_proc)]:
        _wait_for(f"{first}/_stcore/health", first_proc, (200,))
        _wait_for(f"{second}/_stcore/health", second_proc, (200,))
        open_app(page, second)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("Latest data: 7 December 2001")

        path = tmp_path / "june.csv"
        path.write_text(
            "initiative,measure,area_code,period,value\n"
            "rough-sleepers-unit,rough-sleepers-count,E92000001,June 2002,532\n",
            encoding="utf-8",
        )
        command = [sys.executable, "-m", "jwmetrics", "--database-url", database, "import"]
        command += [str(path), "--partner", "Rough Sleepers Unit"]
        env = {**os.environ, "JWMETRICS_REQUIRE_APPROVAL": "0"}
        done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, check=False)
        assert done.returncode == 0, done.stderr

        with expect_rerun(page):  # the next rerun of the same session: a page link
            sidebar.get_by_role("link", name="Returns log").click()
        expect(page.get_by_test_id("stMain")).to_contain_text("june.csv")
        expect(sidebar).to_contain_text(f"Latest data: {format_date(date.today())}")
