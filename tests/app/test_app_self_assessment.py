"""AppTests of the self-assessment in the dashboard: the initiative page's section (chart,
scores, progress measurement beside timeliness, template, import with its row-and-column
refusals, hidden from viewers) and the Self-assessment page (portfolio table, downloads).

Conventions of ``tests/test_app.py`` (imported from it): a fresh database per test on SQLite
and PostgreSQL, empty Streamlit caches, every page opened through ``app.py``. Who acts is
``app_auth.current_actor``, patched per role. Every answer is synthetic and says so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    ENGLAND,
    app_database,
    assert_no_exception,
    new_app,
    open_initiative,
)
from test_app_hardening import downloads  # noqa: F401  (a fixture: the bytes of each download)

import dashboard.auth as app_auth
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import Actor, Role
from jwmetrics.self_assessment.answers import import_self_assessment
from jwmetrics.self_assessment.partnerships import TEMPLATE_COLUMNS, answers

RSU = "rough-sleepers-unit"
LINK = {
    "initiative": RSU,
    "measure": "rough-sleepers-count",
    "area": ENGLAND,
    "tab": "Self-assessment",
}
PAGE = "pages/self_assessment.py"
UPLOADER = "Filled-in self-assessment (CSV)"
EVIDENCE = "synthetic test evidence"


@pytest.fixture
def app_db(app_database: str) -> Iterator[Database]:  # noqa: F811
    database = open_seeded(app_database)
    yield database
    database.engine.dispose()


def answer_file(*rows: tuple[str, object, str]) -> bytes:
    """A filled-in template: (question id, score, day) for England."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for question, score, day in rows:
        writer.writerow(
            {
                "initiative": RSU,
                "area_code": ENGLAND,
                "question_id": question,
                "score": score,
                "evidence": EVIDENCE,
                "answered_on": day,
                "answered_by": "Partnership board (synthetic)",
            }
        )
    return buffer.getvalue().encode("utf-8")


GOOD = answer_file(
    ("goals-1", 2, "2002-01-15"),
    ("goals-2", 3, "2002-01-15"),
    ("progress-1", 1, "2002-01-15"),
    ("goals-1", 4, "2002-04-15"),
)


def figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def self_assessment_figure(at: AppTest) -> dict[str, Any]:
    (figure,) = [
        f for f in figures(at) if f["layout"]["title"]["text"].startswith("Self-assessment:")
    ]
    return figure


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def import_through_page(at: AppTest, data: bytes, name: str) -> AppTest:
    (uploader,) = [u for u in at.file_uploader if u.label == UPLOADER]
    uploader.set_value((name, data, "text/csv"))
    at.run()
    next(b for b in at.button if b.label == "Record the answers").click().run()
    assert_no_exception(at)
    return at


def test_the_initiative_page_imports_answers_and_shows_them_beside_performance(
    app_db: Database,
) -> None:
    at = open_initiative(LINK)
    assert_no_exception(at)
    assert "Self-assessment" in [s.value for s in at.subheader]
    assert any("has assessed itself yet" in i.value for i in at.info)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Self-assessment template (CSV)" in labels

    at = import_through_page(at, GOOD, "rsu-board.csv")
    (success,) = [s.value for s in at.success]
    assert success.replace("\\", "") == (
        "Recorded 4 self-assessment answers for 1 partnership from rsu-board.csv."
    )
    figure = self_assessment_figure(at)
    assert figure["layout"]["title"]["text"] == "Self-assessment: Rough Sleepers Unit in England"
    earlier, latest = figure["data"]
    assert (earlier["name"], latest["name"]) == (
        "Earlier: 15 January 2002",
        "Latest: 15 April 2002",
    )
    assert latest["x"][:2] == [3.5, 1.0] and earlier["x"][0] == 2.5
    scores = frame_with(at, "Latest score")
    assert scores.iloc[0].to_dict() == {
        "Requirement": "Shared goals",
        "Latest score": 3.5,
        "Questions answered": "2 of 4",
        "Earlier score": 2.5,
        "Change": 1.0,
    }
    timeliness = frame_with(at, "Progress measurement score")
    assert timeliness[["Area", "Progress measurement score", "Returns"]].to_dict("records") == [
        {"Area": "England", "Progress measurement score": 1.0, "Returns": "no schedule"}
    ]
    assert len(answers(app_db)) == 4
    assert [u.value for u in at.file_uploader if u.label == UPLOADER] == [None]  # emptied


def test_a_bad_file_is_refused_on_the_page_with_every_row_and_column(app_db: Database) -> None:
    bad = answer_file(
        ("goals-1", 3, "2002-01-15"), ("goals-9", 3, "2002-01-15"), ("goals-2", 6, "x")
    )
    at = import_through_page(open_initiative(LINK), bad, "bad.csv")
    (error,) = [e.value for e in at.error]
    assert error.replace("\\", "") == "3 problems in bad.csv: nothing was recorded."
    problems = frame_with(at, "Problem")
    assert list(zip(problems["Row"], problems["Column"], strict=True)) == [
        (3, "question_id"),
        (4, "score"),
        (4, "answered_on"),
    ]
    assert answers(app_db) == []
    assert any("has assessed itself yet" in i.value for i in at.info)


def test_a_viewer_gets_the_template_but_no_uploader(
    app_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_self_assessment(app_db, GOOD, "board.csv")
    monkeypatch.setattr(app_auth, "current_actor", lambda: Actor("v@x.gov.uk", Role.VIEWER))
    at = open_initiative(LINK)
    assert_no_exception(at)
    assert self_assessment_figure(at)["data"][1]["name"] == "Latest: 15 April 2002"
    assert not [u for u in at.file_uploader if u.label == UPLOADER]
    caption = "Partners (uploaders), approvers and administrators import self-assessments."
    assert caption in [c.value for c in at.caption]
    assert "Self-assessment template (CSV)" in [b.proto.label for b in at.get("download_button")]


def test_the_self_assessment_page_lists_every_partnership_with_downloads(
    app_db: Database,
    downloads: dict[str, bytes],  # noqa: F811
) -> None:
    at = new_app().run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    assert at.title[0].value == "Self-assessment"
    assert any("No partnership has assessed itself yet" in i.value for i in at.info)

    import_self_assessment(app_db, GOOD, "board.csv")  # outside the app: forget its caches
    st.cache_data.clear()
    at = new_app().run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    table = frame_with(at, "Assessments")
    record = table.iloc[0].to_dict()
    assert (record["Initiative"], record["Area"], record["Assessments"]) == (
        "Rough Sleepers Unit",
        "England",
        2,
    )
    assert (record["Shared goals"], record["Progress measurement"]) == (3.5, 1.0)
    assert pd.isna(record["Leadership"])
    assert self_assessment_figure(at)["data"][1]["name"] == "Latest: 15 April 2002"
    mine = frame_with(at, "Evidence")
    assert len(mine) == 4 and set(mine["Evidence"]) == {EVIDENCE}
    files = {n: d for n, d in downloads.items() if n.startswith("jwmetrics-self-assessment")}
    (scores_name,) = [n for n in files if "-scores-" in n]
    (answers_name,) = [n for n in files if "-answers-" in n]
    rows = list(csv.DictReader(io.StringIO(files[scores_name].decode("utf-8-sig"))))
    assert [(r["Area code"], r["Shared goals"]) for r in rows] == [(ENGLAND, "3.5")]
    answered = list(csv.DictReader(io.StringIO(files[answers_name].decode("utf-8-sig"))))
    assert len(answered) == 4 and answered[0]["Question id"] == "goals-1"
    assert "The questions and where they come from" in [e.label for e in at.expander]
