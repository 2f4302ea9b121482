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
    at.query_params.update({"tab": "Areas"} | more)  # the page runs only the open tab
    at.run()
    problems = [e.message for e in at.exception]
    assert not problems, problems
    return at


def comparison_tables(at: AppTest) -> list[Any]:
    """The comparison's table: the one with a plain-limits verdict column."""
    return [
        d.value
        for d in at.dataframe
        if any(str(c).startswith("Verdict, plain limits") for c in d.value.columns)
    ]


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
    assert "Allowing for over-dispersion" in summary  # the headline, outliers named
    (table,) = comparison_tables(at)
    assert table.columns[0] == "Area" and table.columns[-1] == "Area code"
    with Metrics.open(snapshot_app) as metrics:
        expected = metrics.comparison(MEASURE, parse_period("2021"))
    assert len(table) == len(expected.rated)  # the areas with no rate are listed apart
    westminster = table[table["Area code"] == "E09000033"].iloc[0]
    row = next(r for r in expected.rows if r.area_code == "E09000033")
    in_use = "Verdict in use (allowing for over-dispersion)"
    assert in_use in table.columns
    assert westminster[in_use].lower().startswith(row.verdict.split()[0])
    assert westminster["Denominator"] == row.denominator  # a number, not "261,317"


def test_the_table_shows_both_verdicts_with_the_one_in_use_marked(snapshot_app: str) -> None:
    """2019: the areas are over-dispersed (phi 5.73), so the verdict allowing for it is in
    use and comes first, beside the area's name; the plain verdict is the next column. The
    15 areas above its 99.8% limit are named in the headline and the table, not only in a
    hover."""
    at = open_page()
    (box,) = [b for b in at.selectbox if b.label == "Period to compare"]
    box.select("2019").run()
    assert not at.exception
    (table,) = comparison_tables(at)
    assert list(table.columns[:3]) == [
        "Area",
        "Verdict in use (allowing for over-dispersion)",
        "Verdict, plain limits",
    ]
    in_use = table["Verdict in use (allowing for over-dispersion)"]
    plain = table["Verdict, plain limits"]
    above = table[in_use == "Above the 99.8% limit"]["Area"].tolist()
    assert len(above) == 15 and above[:2] == ["City of London", "Westminster"]
    assert (plain == "Above the 99.8% limit").sum() == 39
    headline = next(str(m.value) for m in at.markdown if "Allowing for over-dispersion" in m.value)
    assert all(name in headline for name in above)
    captions = " ".join(str(c.value) for c in at.caption)
    assert "Verdicts in use: allowing for over-dispersion" in captions
    assert table["Denominator"].dtype.kind == "f" and table["Figure"].dtype.kind == "f"
    pages = next(b for b in at.selectbox if b.label == "Areas shown")
    assert pages.options[:2] == [
        "Highest 20 rates (ranks 1 to 20)",
        "Lowest 20 rates (ranks 290 to 309)",
    ]


def test_the_overview_says_which_measures_can_be_compared(snapshot_app: str) -> None:
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    at.user = dict(TEST_USER)
    at.run()
    assert not at.exception
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "**Compare areas fairly:** 2 measures have figures for local areas" in text
    assert "People sleeping rough on a single autumn night (official snapshot)" in text
    links = [link.proto.label for link in at.get("page_link")]
    assert any(label.startswith("Compare areas: People sleeping rough") for label in links)


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
    at.query_params.update(
        {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count", "tab": "Areas"}
    )
    at.run()
    assert not at.exception
    assert "Funnel plot" not in [tab.label for tab in at.tabs]
    captions = " ".join(str(c.value) for c in at.caption)
    assert "none can be compared" in captions
    # ...and names the measures whose areas can be compared, with a link to each
    text = "\n".join(str(m.value) for m in at.markdown)
    assert "**Compare areas fairly:**" in text
    links = [link.proto.label for link in at.get("page_link")]
    assert any(label.startswith("Compare areas: People sleeping rough") for label in links)
