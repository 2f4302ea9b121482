"""AppTests of what a team deployment (several server processes) needs of a page.

* Freshness: a write made by another OS process (the command line here), which never calls
  this process's ``clear_caches``, shows at this session's next rerun, and the sidebar's
  "Latest data" agrees with the page.
* Reconnection: under :mod:`dashboard.server`, a session whose URL carries a marker this process did
  not hand out says the connection moved; a fresh session or one of this process does not.
* Downloads: under :mod:`dashboard.server` a page's downloads are signed links to ``/download/...``
  whose file, fetched through the route's own checks, is the one the page would give.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.downloads import SERVED_ENV, link_refusal
from dashboard.reconnect import MOVED_MESSAGE, SESSION_PARAM
from jwmetrics.periods import format_date

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "app.py"
ENGLAND = "E92000001"


@pytest.fixture(autouse=True)
def app_database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[str]:
    """A fresh database per backend, approval off (a return counts at once), empty caches."""
    monkeypatch.setenv("JWMETRICS_DATABASE_URL", db_url)
    monkeypatch.setenv("JWMETRICS_REQUIRE_APPROVAL", "0")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_url
    st.cache_data.clear()
    st.cache_resource.clear()


def run_app(at: AppTest | None = None) -> AppTest:
    """Run (or rerun) the app; fail on any exception it shows."""
    at = at if at is not None else AppTest.from_file(str(APP_PATH), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def latest_data_line(at: AppTest) -> str:
    """The sidebar's "Latest data" caption (a first run's: AppTest reruns a page without
    app.py, so without its sidebar)."""
    (line,) = [c.value for c in at.sidebar.caption if "Latest data" in c.value]
    return str(line)


def import_in_another_process(url: str, folder: Path) -> None:
    """Commit a return of England's rough sleepers in June 2002 with the command line, in an
    OS process of its own (its writes never reach this process's caches)."""
    path = folder / "june.csv"
    path.write_text(
        "initiative,measure,area_code,period,value\n"
        f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2002,532\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "jwmetrics", "--database-url", url, "import", str(path)]
    command += ["--partner", "Rough Sleepers Unit"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def status_heading(at: AppTest) -> str:
    """The overview's status heading, which names the day its figures are as known on."""
    (heading,) = [str(h.value) for h in at.subheader if str(h.value).startswith("Status of")]
    return heading


def test_a_write_by_another_process_shows_at_the_next_rerun(db_url: str, tmp_path: Path) -> None:
    seeded, today = format_date(date(2001, 12, 7)), format_date(date.today())
    at = run_app()
    assert latest_data_line(at) == f"**Latest data:** {seeded}"
    assert status_heading(at).endswith(f"as known on {seeded}")
    log = run_app(AppTest.from_file(str(APP_PATH), default_timeout=60))
    log.switch_page("pages/returns_log.py")
    log = run_app(log)
    assert not log.dataframe or "june.csv" not in str(log.dataframe[0].value)

    import_in_another_process(db_url, tmp_path)

    at = run_app(at)  # the same session and process caches; nobody called clear_caches
    assert status_heading(at).endswith(f"as known on {today}")
    log = run_app(log)
    assert "june.csv" in str(log.dataframe[0].value)
    another = run_app()  # a new session of this process: the sidebar agrees with the page
    assert latest_data_line(another) == f"**Latest data:** {today}"
    assert status_heading(another).endswith(f"as known on {today}")


def test_a_session_from_another_process_says_the_connection_moved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SERVED_ENV, "1")
    fresh = run_app()
    assert MOVED_MESSAGE not in [i.value for i in fresh.info]
    mine = fresh.query_params[SESSION_PARAM]
    assert mine  # the session's marker is in the URL

    moved = AppTest.from_file(str(APP_PATH), default_timeout=60)
    moved.query_params[SESSION_PARAM] = "from-a-process-that-died"
    moved = run_app(moved)
    assert MOVED_MESSAGE in [i.value for i in moved.info]

    reload = AppTest.from_file(str(APP_PATH), default_timeout=60)
    reload.query_params[SESSION_PARAM] = mine  # a reload on the process that served it
    assert MOVED_MESSAGE not in [i.value for i in run_app(reload).info]


def test_downloads_are_signed_links_under_the_team_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SERVED_ENV, "1")
    at = AppTest.from_file(str(APP_PATH), default_timeout=60)
    at.query_params["as_of"] = "2001-06-01"
    at = run_app(at)
    links = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert not at.get("download_button") or all(
        b.proto.label.startswith("Briefing pack") for b in at.get("download_button")
    )
    url = urlparse(links["Status table (CSV)"])
    assert url.path == "/download/status.csv"
    query = dict(parse_qsl(url.query))
    assert (query["as_of"], query["by"], query["name"]) == (
        "2001-06-01",
        "local analyst",
        "jwmetrics-status.csv",
    )
    assert link_refusal("status.csv", query) is None
    assert link_refusal("status.csv", {**query, "as_of": "2001-06-02"}) is not None
    assert link_refusal("audit-log.csv", query) is not None  # a link is for one file only


SECRET = "ab" * 32  # 64 hex characters, as the README says to make one


def test_a_link_is_checked_against_the_role_at_the_moment_of_download(
    monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path
) -> None:
    from dashboard.downloads import role_refusal, signed_query
    from jwmetrics.governance import Actor, Role
    from jwmetrics.metrics import Metrics

    local = signed_query("status.csv", {}, "viewer@example.gov.uk")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[auth]\ncookie_secret = "{SECRET}"\n', encoding="utf-8")
    monkeypatch.setenv("JWMETRICS_SECRETS_FILE", str(secrets))
    monkeypatch.setenv("JWMETRICS_UNKNOWN_USERS", "none")
    assert link_refusal("status.csv", local) is not None  # signed with another key
    assert link_refusal("status.csv", signed_query("status.csv", {}, "x@example.gov.uk")) is None

    with Metrics.open(db_url) as metrics:
        metrics.add_user("admin@example.gov.uk", "admin")  # the first: the local admin may
        admin = Actor("admin@example.gov.uk", Role.ADMIN)
        metrics.add_user("viewer@example.gov.uk", "viewer", actor=admin)
        assert role_refusal(metrics, "status.csv", "viewer@example.gov.uk") is None
        assert role_refusal(metrics, "audit-log.csv", "viewer@example.gov.uk") is not None
        assert role_refusal(metrics, "audit-log.csv", "admin@example.gov.uk") is None
        assert role_refusal(metrics, "status.csv", "stranger@example.gov.uk") is not None
        metrics.remove_user("viewer@example.gov.uk", actor=admin)  # a link made before, used after
        assert role_refusal(metrics, "status.csv", "viewer@example.gov.uk") is not None


def test_the_initiative_pages_figures_are_signed_links_csv_and_excel(
    monkeypatch: pytest.MonkeyPatch, app_database: str
) -> None:
    """Both of a series' figure downloads are links any process can answer; the Excel one
    builds the workbook of the series as known on the page's day."""
    import io

    import openpyxl

    from dashboard.download_kinds import DOWNLOADS
    from jwmetrics.metrics import Metrics

    monkeypatch.setenv(SERVED_ENV, "1")
    at = run_app()
    at.switch_page("pages/initiative.py")
    series = {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count"}
    at.query_params.update(series | {"area": ENGLAND, "tab": "Figures"})
    at = run_app(at)
    links = {b.proto.label: b.proto.url for b in at.get("link_button")}
    assert urlparse(links["Figures (CSV)"]).path == "/download/figures.csv"
    url = urlparse(links["Figures (Excel)"])
    assert url.path == "/download/figures.xlsx"
    query = dict(parse_qsl(url.query))
    assert query["name"] == f"jwmetrics-rough-sleepers-count-{ENGLAND}.xlsx"
    assert link_refusal("figures.xlsx", query) is None
    with Metrics.open(app_database) as metrics:
        data = DOWNLOADS["figures.xlsx"].build(metrics, query)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        cells = [c for row in workbook["Figures"].iter_rows(values_only=True) for c in row]
        about = [c for row in workbook["About"].iter_rows(values_only=True) for c in row]
    finally:
        workbook.close()
    assert {1850, 700} <= {c for c in cells if isinstance(c, int | float)}
    assert any("People counted sleeping rough in England" in str(c) for c in about)
