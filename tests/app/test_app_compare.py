"""The initiative page's fair comparison of areas, on the official snapshot (AppTest).

Loads the real 2010-2022 rough sleeping snapshot into a fresh database, opens the initiative
page on the snapshot's count, and checks the comparison section: the funnel plot with its
limits and a point per rated area (area code in customdata), the summary in words, the table
with names first and codes last, and the period picker moving the comparison.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import parse_period

APP_PATH = Path(__file__).resolve().parents[2] / "app.py"
INITIATIVE_PAGE = "pages/initiative.py"
TIMEOUT_S = 60
TEST_USER: dict[str, Any] = {"is_logged_in": True, "name": "Test Analyst", "email": "a@b.gov.uk"}
MEASURE = "rough-sleeping-snapshot"


@pytest.fixture
def snapshot_app(monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[str]:
    """A fresh database with the snapshot loaded, the app pointed at it, caches empty."""
    metrics = Metrics.open(db_url)
    try:
        metrics.add_snapshot(uploaded_by="test")
    finally:
        metrics.close()
    monkeypatch.setenv("JWMETRICS_DATABASE_URL", db_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_url
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(area: str = "E92000001", **more: str) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    at.user = dict(TEST_USER)
    at.run()
    at.switch_page(INITIATIVE_PAGE)
    at.query_params.update({"initiative": "rough-sleepers-unit", "measure": MEASURE, "area": area})
    at.query_params.update(more)
    at.run()
    problems = [e.message for e in at.exception]
    assert not problems, problems
    return at


def figures(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_snapshot_count_is_compared_fairly_on_the_page(snapshot_app: str) -> None:
    at = open_page()
    assert "Funnel plot" in [tab.label for tab in at.tabs]
    (box,) = [b for b in at.selectbox if b.label == "Period to compare"]
    assert box.value == "2021"  # the newest year with populations (2022 has none)
    funnel = next(f for f in figures(at) if "funnel plot" in f["layout"]["title"]["text"])
    points = [t for t in funnel["data"] if t.get("customdata")]
    codes = {c[0] for t in points for c in t["customdata"]}
    assert "E09000033" in codes  # Westminster, a point you can click through
    names = {t["name"] for t in funnel["data"]}
    assert {"England", "Above the 99.8% limit"} <= names
    summary = "\n".join(str(m.value) for m in at.markdown)
    assert "outside the 95% limits" in summary
    (table,) = [d.value for d in at.dataframe if "Verdict" in d.value.columns]
    assert list(table.columns[:2]) == ["Area", "Figure"] and table.columns[-1] == "Area code"
    with Metrics.open(snapshot_app) as metrics:
        expected = metrics.comparison(MEASURE, parse_period("2021"))
    assert len(table) == len(expected.rows)
    westminster = table[table["Area code"] == "E09000033"].iloc[0]
    row = next(r for r in expected.rows if r.area_code == "E09000033")
    assert westminster["Verdict"].lower().startswith(row.verdict.split()[0])


def test_choosing_another_period_moves_the_comparison(snapshot_app: str) -> None:
    at = open_page()
    (box,) = [b for b in at.selectbox if b.label == "Period to compare"]
    box.select("2019").run()
    funnel = next(f for f in figures(at) if "funnel plot" in f["layout"]["title"]["text"])
    assert "2019" in funnel["layout"]["title"]["subtitle"]["text"]
    assert at.query_params["period"] == "2019"  # a copied link reopens 2019
    (box,) = [b for b in at.selectbox if b.label == "Period to compare"]
    box.select("2021").run()
    assert "period" not in at.query_params  # the newest: a link follows it as it moves on


def test_a_link_with_a_period_opens_it(snapshot_app: str) -> None:
    at = open_page(period="2019")
    (box,) = [b for b in at.selectbox if b.label == "Period to compare"]
    assert box.value == "2019"
    funnel = next(f for f in figures(at) if "funnel plot" in f["layout"]["title"]["text"])
    assert "2019" in funnel["layout"]["title"]["subtitle"]["text"]


def test_a_measure_with_no_area_figures_says_why(snapshot_app: str) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    at.user = dict(TEST_USER)
    at.run()
    at.switch_page(INITIATIVE_PAGE)
    at.query_params.update({"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count"})
    at.run()
    assert not at.exception
    assert "Funnel plot" not in [tab.label for tab in at.tabs]
    captions = " ".join(str(c.value) for c in at.caption)
    assert "none can be compared" in captions
