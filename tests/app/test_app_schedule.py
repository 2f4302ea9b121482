"""AppTests of the returns schedule in the dashboard: each initiative's completeness on the
overview, the "Returns due" page, and data quality beside the initiative page's status.

Conventions of ``tests/test_app.py``: a fresh seeded database per test, once on SQLite and
once on PostgreSQL, empty Streamlit caches, every page opened through ``app.py``.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest
from test_app import app_database, assert_no_exception, markdown_text, new_app  # noqa: F401
from test_app_hardening import downloads  # noqa: F401  (a fixture: the bytes of each download)

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.catalogue.snapshot import load_snapshot

RETURNS_DUE_PAGE = "pages/returns_due.py"
AS_OF = "2025-06-01"  # 2010-2024 due by then; the snapshot brought 2010-2022


def load_the_snapshot(url: str) -> None:
    """The official snapshot, as published on 28 February 2023 (it brings its schedule)."""
    db = open_seeded(url)
    try:
        load_snapshot(db, published_on=date(2023, 2, 28))
    finally:
        db.engine.dispose()


def open_page(page: str, params: dict[str, str]) -> AppTest:
    """``page`` opened as a pasted link with ``params`` would, in a fresh session."""
    at = new_app().run()
    at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert_no_exception(at)
    return at


def returns_lines(at: AppTest) -> dict[str, str]:
    """Each initiative's "Returns:" line on the overview, by the initiative's subheader."""
    lines: dict[str, str] = {}
    names = [s.value for s in at.subheader]
    texts = [str(m.value) for m in at.markdown if "**Returns:**" in str(m.value)]
    others = ("Status of", "Download", "Briefing", "Remedial actions", "Off track and why")
    initiatives = [n for n in names if not n.startswith(others)]
    for name, text in zip(initiatives, texts, strict=True):
        lines[name] = text.split("**Returns:** ", 1)[1].replace("\\", "")
    return lines


def test_the_overview_says_each_initiative_has_no_schedule(app_database: str) -> None:  # noqa: F811
    at = new_app().run()
    assert_no_exception(at)
    lines = returns_lines(at)
    assert len(lines) == 5
    assert set(lines.values()) == {"no returns schedule"}


def test_the_overview_shows_completeness_beside_the_statuses(app_database: str) -> None:  # noqa: F811
    load_the_snapshot(app_database)
    at = open_page("pages/overview.py", {"as_of": AS_OF})
    lines = returns_lines(at)
    # 309 councils x 15 years expected, 13 received: 86.7%; 2023 and 2024 overdue.
    assert lines["Rough Sleepers Unit"] == "86.7% complete, 618 overdue"
    assert lines["Sure Start"] == "no returns schedule"
    schedules = [c.value for c in at.caption if c.value.startswith("Returns counted against")]
    assert schedules == [  # which schedule the figures belong to, said beside them
        "Returns counted against the schedule: Local authorities' annual return of People "
        "sleeping rough on a single autumn night (official snapshot) (every local authority), "
        "due 59 days after each year ends, from 2010."
    ]


def test_the_returns_due_page(app_database: str, downloads: dict[str, bytes]) -> None:  # noqa: F811
    load_the_snapshot(app_database)
    at = open_page(RETURNS_DUE_PAGE, {"as_of": AS_OF})
    assert at.title[0].value == "Returns due"
    assert "Returns due as of 1 June 2025" in [s.value for s in at.subheader]
    cards = {m.label: m.value for m in at.metric}
    assert cards == {
        "Completeness": "86.7%",
        "Timeliness": "7.7%",
        "Overdue": "618",
        "Awaiting approval": "0",
    }
    summary, overdue = (frame.value for frame in at.dataframe)
    assert summary.to_dict("records") == [
        {
            "Partner": "Local authorities",
            "Initiative": "Rough Sleepers Unit",  # names, not ids
            "Expected": 4635,
            "On time": 309,
            "Late": 3708,
            "Overdue": 618,
            "Awaiting approval": 0,
            "Completeness (%)": pytest.approx(4017 / 4635 * 100),
            "Timeliness (%)": pytest.approx(100 / 13),
        }
    ]
    assert len(overdue) == 618 and set(overdue["Period"]) == {"2023", "2024"}
    first = overdue.iloc[0]
    assert (first["Area"], first["Area code"], first["Measure"]) == (
        "Adur",
        "E07000223",
        "People sleeping rough on a single autumn night (official snapshot)",
    )
    assert "Overdue figures (618)" in [s.value for s in at.subheader]
    assert [d.label for d in at.download_button] == ["Returns due (CSV)", "Overdue figures (CSV)"]
    files = {name: data for name, data in downloads.items() if "returns-due" in name}
    table = list(
        csv.DictReader(
            io.StringIO(files["jwmetrics-returns-due-2025-06-01.csv"].decode("utf-8-sig"))
        )
    )
    assert [(r["Partner"], r["Overdue"]) for r in table] == [("Local authorities", "618")]
    items = files["jwmetrics-returns-due-2025-06-01-overdue.csv"].decode("utf-8-sig")
    assert len(items.strip().splitlines()) == 1 + 618


def test_the_returns_due_page_without_a_schedule(app_database: str) -> None:  # noqa: F811
    at = open_page(RETURNS_DUE_PAGE, {})
    assert "No returns schedule" in at.info[0].value
    assert not at.dataframe and not at.download_button
    assert any(s.value.endswith("(today)") for s in at.subheader)


def test_data_quality_beside_the_initiative_pages_status(app_database: str) -> None:  # noqa: F811
    params = {"initiative": "business-link", "measure": "business-link-customer-satisfaction"}
    at = open_page("pages/initiative.py", params)
    assert "**Data quality:** Based on a figure 47 months old" in markdown_text(at).replace(
        "\\", ""
    )
