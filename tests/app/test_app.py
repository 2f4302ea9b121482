"""AppTests of the dashboard (``streamlit.testing.v1.AppTest``), without a browser.

The app uses ``st.navigation``, so every test starts from ``app.py`` (the entry point). In
Streamlit 1.67 ``AppTest.switch_page("pages/initiative.py")`` resolves the page by its script
path among the pages the previous run registered, so the app is run once (the default page,
the overview) before switching. Query parameters set in ``at.query_params`` before a run are
what the page reads from ``st.query_params``; after the run ``at.query_params`` holds the
query string the app left behind. Keyed widgets keep their state across runs of one
``AppTest``, so each deep link is opened in a fresh ``AppTest``, as a pasted link opens a
fresh session.

Each test runs on a freshly seeded database, once on SQLite and once on PostgreSQL
(``JWMETRICS_DATABASE_URL``), with empty Streamlit caches, so the cached database handle of
one test never leaks into the next.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from app_tabs import show_tab
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Header, Node, Subheader

from dashboard.sections.initiative import CHART_TAB_KEY, SECTIONS

APP_PATH = Path(__file__).resolve().parents[2] / "app.py"
INITIATIVE_PAGE = "pages/initiative.py"
TIMEOUT_S = 60
ENGLAND = "E92000001"

TEST_USER: dict[str, Any] = {
    "is_logged_in": True,
    "name": "Test Analyst",
    "email": "analyst@example.gov.uk",
}
"""The simulated ``st.user``: the app does not read it yet, but a test must not depend on it."""

CLIENT_GROUPS: dict[str, list[str]] = {
    "Rough sleepers": ["Rough Sleepers Unit"],
    "Pre-school children": ["Early Years Development and Childcare Partnerships", "Sure Start"],
    "Small and medium sized businesses": [
        "Business Link partnerships",
        "British Trade International",
    ],
}
"""Figure 4 of the report: the five initiatives under their three client groups, in order."""

INITIATIVES = [name for names in CLIENT_GROUPS.values() for name in names]

EXPECTED_STATUS_COUNTS: dict[str, list[int]] = {
    "★ Achieved": [0, 2, 0, 0, 0],
    "▲ Amber": [1, 1, 0, 0, 0],
    "○ Grey": [2, 0, 1, 1, 2],
    "– No target": [0, 0, 0, 1, 0],
}
"""Measures per status and initiative (in :data:`INITIATIVES` order) on 7 December 2001.

The three cost lines (cost per unit of outcome) are not statuses: they have their own
section, out of the chart and the initiatives' tables. The Rough Sleepers Unit's two Grey
measures are its balancing measures (``data/balancing_measures.csv``), catalogued with no
figures: "no data yet"."""

COST_MEASURES = {
    "Average cost of reducing the number of people counted sleeping rough by one",
}
STATUS_MEASURES = 11
"""Measures in the status chart and tables: the twelve seeded from the report and the two
balancing measures of the rough sleeping count, less the three cost lines."""

INITIATIVE_MEASURES: dict[str, list[str]] = {
    "rough-sleepers-unit": [
        "rough-sleepers-count",
        "rough-sleeping-cost-per-person",
        "rough-sleepers-returning",
        "rough-sleepers-hostel-places",
    ],
    "eydcp": [
        "nursery-places-4-year-olds",
        "nursery-places-3-year-olds",
        "new-childcare-places",
        "childcare-place-cost",
        "out-of-school-place-cost-before",
    ],
    "sure-start": ["mothers-smoking-in-pregnancy"],
    "business-link": ["business-link-customer-satisfaction", "business-link-market-penetration"],
    "british-trade-international": ["bti-established-exporters", "bti-new-exporters"],
}
"""Every initiative's measures, as seeded from the report, with the balancing measures."""

GREY_MEASURES = {
    "People returning to the streets after help",
    "Hostel places for people sleeping rough",
    "Mothers who smoke during pregnancy",
    "Market penetration of Business Link partnerships",
    "Improvement in business performance of established exporters assisted",
    "Improvement in business performance of new exporters assisted",
}
"""The measures that are Grey (too early / no data yet) on 7 December 2001."""


# --------------------------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------------------------


def _clear_streamlit_caches() -> None:
    """Forget cached data and resources (the database handle) of any earlier test."""
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(autouse=True)
def app_database(monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[str]:
    """Point the app at a fresh database, once on SQLite and once on PostgreSQL (``db_url``),
    and start and end with empty Streamlit caches."""
    url = db_url
    monkeypatch.setenv("JWMETRICS_DATABASE_URL", url)
    _clear_streamlit_caches()
    yield url
    _clear_streamlit_caches()


def new_app() -> AppTest:
    """An ``AppTest`` of the entry point with the test user, not yet run."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    at.user = dict(TEST_USER)
    return at


def assert_no_exception(at: AppTest) -> None:
    """Fail with the message and stack of every uncaught exception the run showed."""
    problems = [f"{e.message}\n" + "".join(e.stack_trace) for e in at.exception]
    assert not problems, "app raised:\n" + "\n---\n".join(problems)


def open_overview() -> AppTest:
    """Run the app on its default page, the overview; assert it raised nothing."""
    at = new_app().run()
    assert_no_exception(at)
    return at


def open_initiative(params: Mapping[str, str]) -> AppTest:
    """Open the initiative page as a pasted link with ``params`` would, in a fresh session."""
    at = new_app().run()  # registers the st.navigation pages, so switch_page can find them
    at.switch_page(INITIATIVE_PAGE)
    at.query_params.clear()
    at.query_params.update(params)
    return at.run()


def type_day(at: AppTest, key: str, day: date | str) -> AppTest:
    """Type ``day`` into the date field ``key`` ("As known on") and press Enter."""
    text = day if isinstance(day, str) else day.strftime("%d/%m/%Y")
    return at.text_input(key=key).input(text).run()


def shown_day(at: AppTest, key: str) -> date:
    """The day the date field ``key`` shows (it shows DD/MM/YYYY)."""
    return datetime.strptime(at.text_input(key=key).value, "%d/%m/%Y").date()


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` (itself included) in document order."""
    yield node
    for _, child in sorted(getattr(node, "children", {}).items()):
        yield from walk(child)


def plotly_figures(at: AppTest) -> list[dict[str, Any]]:
    """The figure JSON of every ``st.plotly_chart`` on the page, in order."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def selectbox_value(at: AppTest, label: str) -> Any:
    """The value of the selectbox labelled ``label``."""
    matches = [box for box in at.selectbox if box.label == label]
    assert len(matches) == 1, f"expected one selectbox {label!r}, got {len(matches)}"
    return matches[0].value


def markdown_text(at: AppTest) -> str:
    """All markdown on the page (st.markdown and st.write of text) as one string."""
    return "\n".join(str(m.value) for m in at.markdown)


def overview_tables(at: AppTest) -> list[pd.DataFrame]:
    """The per-initiative status tables of the overview, in page order, Status as a column."""
    tables = [table.value.reset_index() for table in at.table]
    return [table for table in tables if "Status" in table.columns]


def cost_rows(at: AppTest) -> pd.DataFrame:
    """The overview's cost-effectiveness table."""
    (table,) = [t.value for t in at.table if "Initiative" in t.value.columns]
    return table


def status_of(tables: list[pd.DataFrame], measure: str) -> str:
    """The status text the overview tables show for ``measure``."""
    rows = [row for table in tables for _, row in table.iterrows() if row["Measure"] == measure]
    assert len(rows) == 1, f"{measure!r} appears {len(rows)} times in the overview tables"
    return str(rows[0]["Status"])


# --------------------------------------------------------------------------------------------
# Overview
# --------------------------------------------------------------------------------------------


def test_overview_groups_statuses_and_summary_chart() -> None:
    """The overview shows five initiatives under three client groups, statuses and a chart."""
    at = open_overview()

    headings = [
        (type(node).__name__, node.value)
        for node in walk(at.main)
        if isinstance(node, Header | Subheader) and node.value in {*CLIENT_GROUPS, *INITIATIVES}
    ]
    expected = [
        item
        for group, names in CLIENT_GROUPS.items()
        for item in [("Header", group), *(("Subheader", name) for name in names)]
    ]
    assert headings == expected

    tables = overview_tables(at)
    assert len(tables) == len(INITIATIVES)
    assert status_of(tables, "People counted sleeping rough in England") == "▲ Amber"
    assert status_of(tables, "New childcare places created") == "★ Achieved"
    assert sum(len(t) for t in tables) == STATUS_MEASURES
    assert any(s.value.startswith("Status of 11 measures in England") for s in at.subheader)
    for table in tables:  # every line says why, in a short reason column
        assert "Why" in table.columns
        assert all(isinstance(why, str) and len(why) > 5 for why in table["Why"])
    costs = cost_rows(at)
    assert len(costs) == 3 and set(costs["Measure"]) >= COST_MEASURES
    assert "Cost-effectiveness" in [h.value for h in at.header]

    figures = plotly_figures(at)
    assert len(figures) == 1, "the overview should draw exactly one chart, the status summary"
    bars = figures[0]["data"]
    assert all(trace["type"] == "bar" for trace in bars)
    names = [trace["name"] for trace in bars]
    assert len(names) == len(set(names)), f"one trace per status, got {names}"
    counts = {trace["name"]: list(trace["x"]) for trace in bars}
    assert counts == EXPECTED_STATUS_COUNTS
    for trace in bars:
        assert list(trace["y"]) == INITIATIVES
    # The chart agrees with the tables under it, initiative by initiative.
    shown = Counter(
        (INITIATIVES[i], status) for i, table in enumerate(tables) for status in table["Status"]
    )
    drawn = Counter(
        {
            (name, trace["name"]): n
            for trace in bars
            for name, n in zip(trace["y"], trace["x"], strict=True)
        }
    )
    assert +drawn == shown


def test_overview_status_filter_grey() -> None:
    """Filtering on Grey leaves the Rough Sleepers Unit's balancing measures (no data yet),
    Sure Start, Business Link market penetration and BTI."""
    at = open_overview()
    status_filter = next(m for m in at.multiselect if m.label == "Status")
    status_filter.select("Grey").run()
    assert_no_exception(at)

    initiatives = [s.value for s in at.subheader if s.value in INITIATIVES]
    assert initiatives == [
        "Rough Sleepers Unit",
        "Sure Start",
        "Business Link partnerships",
        "British Trade International",
    ]
    assert [h.value for h in at.header] == [
        "Rough sleepers",
        "Pre-school children",
        "Small and medium sized businesses",
    ]
    tables = overview_tables(at)
    assert {m for t in tables for m in t["Measure"]} == GREY_MEASURES
    assert {s for t in tables for s in t["Status"]} == {"○ Grey"}
    (figure,) = plotly_figures(at)
    assert [(t["name"], list(t["x"])) for t in figure["data"]] == [("○ Grey", [2, 1, 1, 2])]


def test_overview_before_publication_is_all_grey() -> None:
    """As known on 6 December 2001, before the report's figures, every measure is Grey."""
    at = open_overview()
    type_day(at, "as_of", date(2001, 12, 6))
    assert_no_exception(at)

    tables = overview_tables(at)
    statuses = [s for t in tables for s in t["Status"]]
    assert len(statuses) == STATUS_MEASURES
    assert set(statuses) == {"○ Grey"}
    assert any("as known on 6 December 2001" in s.value for s in at.subheader)
    (figure,) = plotly_figures(at)
    assert [t["name"] for t in figure["data"]] == ["○ Grey"]
    assert sum(figure["data"][0]["x"]) == STATUS_MEASURES


# --------------------------------------------------------------------------------------------
# Initiative page
# --------------------------------------------------------------------------------------------


def test_deep_link_rough_sleepers() -> None:
    """A link with ids opens that initiative, measure and area, with status, reason and trend."""
    at = open_initiative(
        {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count", "area": ENGLAND}
    )
    assert_no_exception(at)
    assert selectbox_value(at, "Initiative") == "rough-sleepers-unit"
    assert selectbox_value(at, "Measure") == "rough-sleepers-count"
    assert selectbox_value(at, "Area") == ENGLAND
    text = markdown_text(at)
    assert "▲ Amber" in text
    assert "the trajectory value of 783" in text
    assert "**Chance of meeting the target:** about 3 in 5 (62%)" in text

    # Two figures: value cards, and the points (no line) against the target.
    cards = [(m.label, m.value) for m in at.metric][-2:]
    assert cards == [("June 1998", "1,850"), ("June 2001", "700")]
    figures = plotly_figures(at)
    assert figures, "no trend chart"
    traces = {trace["name"]: trace for trace in figures[0]["data"]}
    assert {"Actual", "Target", "Trajectory"} <= set(traces)
    assert list(traces["Actual"]["y"]) == [1850, 700]
    assert "lines" not in traces["Actual"]["mode"]
    # The link survives the run: the URL still names the same view.
    assert at.query_params == {
        "initiative": "rough-sleepers-unit",
        "measure": "rough-sleepers-count",
        "area": ENGLAND,
    }


def test_deep_link_by_name_sure_start() -> None:
    """A link naming "Sure Start" opens it; "too early to measure" is said once, no chart."""
    at = open_initiative({"initiative": "Sure Start"})
    assert_no_exception(at)
    assert selectbox_value(at, "Initiative") == "sure-start"
    assert at.query_params.get("initiative") == "sure-start"
    assert "Too early to measure" in markdown_text(at)
    main_text = [str(n.value) for n in walk(at.main) if isinstance(getattr(n, "value", None), str)]
    assert sum(t.lower().count("too early") for t in main_text) == 1, main_text
    assert plotly_figures(at) == [], "a measure without figures draws no chart"


@pytest.mark.parametrize("initiative", list(INITIATIVE_MEASURES))
def test_every_measure_renders(initiative: str) -> None:
    """Every measure of the initiative renders without an exception, with its chart."""
    failures: list[str] = []
    measures = INITIATIVE_MEASURES[initiative]
    for measure in measures:
        at = open_initiative({"initiative": initiative, "measure": measure})
        if at.exception:
            failures.append(f"{measure}: {at.exception[0].message}")
            continue
        box = next(b for b in at.selectbox if b.label == "Measure")
        if box.value != measure:
            failures.append(f"{measure}: opened {box.value} instead")
        if len(box.options) != len(measures):
            failures.append(f"{measure}: the app offers {len(box.options)} measures")
        if not (plotly_figures(at) or at.metric or "Too early" in markdown_text(at)):
            failures.append(f"{measure}: no chart, no value cards and no reason")
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------------------------
# Honest status on the initiative page: SPC beside RAG, Awaiting, the track record
# --------------------------------------------------------------------------------------------

SYNTHETIC_COUNTS = [("2000 Q2", 1875), ("2000 Q3", 1740), ("2000 Q4", 1641),
                    ("2001 Q1", 1526), ("2001 Q2", 1436), ("2001 Q3", 1330),
                    ("2001 Q4", 1253), ("2002 Q1", 1163), ("2002 Q2", 1098),
                    ("2002 Q3", 1017), ("2002 Q4", 958), ("2003 Q1", 891)]  # fmt: skip
"""A synthetic rough-sleeping count for London, one quarter at a time."""


def add_synthetic_london_series(url: str, folder: Path) -> None:
    """The synthetic quarterly counts for London with a target, each published in turn."""
    from jwmetrics.catalogue.load import load_catalogue_file
    from jwmetrics.catalogue.seed import open_seeded
    from jwmetrics.periods import parse_period
    from jwmetrics.store.lookup import find_measure
    from jwmetrics.store.writes import ObservationInput, add_observations

    db = open_seeded(url)
    targets = folder / "synthetic-targets.csv"
    targets.write_text(
        "measure,area_code,baseline_value,baseline_period,target_value,target_change,"
        "target_date,wording,value_qualifier,milestones,source,recorded_at\n"
        "rough-sleepers-count,E12000007,2000,2000 Q1,1000,,2003 Q1,halve it (synthetic),exact,,"
        "synthetic,2000-04-01\n"
    )
    load_catalogue_file(db, targets)
    with db.session() as session, session.begin():
        measure_id = find_measure(session, "rough-sleepers-count").id
        for index, (period, value) in enumerate(SYNTHETIC_COUNTS):
            item = ObservationInput(
                measure_id, "E12000007", parse_period(period), float(value), "synthetic",
                published_on=parse_period(period).end + timedelta(days=45),
            )  # fmt: skip
            add_observations(session, [item], datetime(2026, 1, 1, 0, index))
    db.engine.dispose()


def test_initiative_page_shows_spc_and_track_record(app_database: str, tmp_path: Path) -> None:
    add_synthetic_london_series(app_database, tmp_path)
    from jwmetrics.briefing.ratings import rate
    from jwmetrics.catalogue.seed import open_seeded

    db = open_seeded(app_database)  # judged Red from June 2002: wrong on the last 3 calls
    rate(db, "rough-sleepers-count", "E12000007", "Red", reason="synthetic: judged off track",
         evidence="synthetic", as_of=date(2002, 6, 1), by="ann@example.gov.uk")  # fmt: skip
    db.engine.dispose()
    at = open_initiative(
        {
            "initiative": "rough-sleepers-unit",
            "measure": "rough-sleepers-count",
            "area": "E12000007",
        }
    )
    assert_no_exception(at)
    labels = [tab.label for tab in at.tabs]
    assert [label for label in labels if label in SECTIONS] == list(SECTIONS)  # as tabs
    assert [label for label in labels if label not in SECTIONS] == [  # within "Trend"
        "Trend and target",
        "SPC (XmR) chart",
    ]
    assert at.title[0].value == "Rough Sleepers Unit: People counted sleeping rough in England"
    assert "Status in London" in [s.value for s in at.subheader]
    trend = plotly_figures(at)[0]
    assert {t["name"] for t in trend["data"]} >= {"Actual", "Forecast", "Forecast interval"}
    assert all(value >= 0 for t in trend["data"] for value in t["y"] if value is not None)
    assert "**Variation:**" not in markdown_text(at)  # the SPC tab is drawn only when open
    at.session_state[CHART_TAB_KEY] = "SPC (XmR) chart"  # as a click on the tab does
    at.run()
    assert_no_exception(at)
    spc = plotly_figures(at)[0]
    assert "Value" in {t["name"] for t in spc["data"]}
    assert "Actual" not in {t["name"] for t in spc["data"]}  # the trend chart is not drawn
    text = markdown_text(at)
    assert "**Variation:**" in text and "**Assurance:**" in text
    assert "Track record" not in [s.value for s in at.subheader]  # only the open tab runs
    show_tab(at, "About")
    assert_no_exception(at)
    assert at.query_params["tab"] == "About"  # a copied link reopens the tab
    assert "Track record" in [s.value for s in at.subheader]
    (table,) = [df.value for df in at.dataframe if "Proved" in df.value.columns]
    assert set(table["Proved"]) <= {"right", "wrong", "hedge or no call"}
    assert len(table) == len(SYNTHETIC_COUNTS) - 1  # one call per earlier publication
    (summary,) = [df.value for df in at.dataframe if "Hedged (Amber)" in df.value.columns]
    london = summary[summary["Area"] == "London"].iloc[0]
    assert london["Calls"] == len(table)
    assert london["Right"] + london["Wrong"] + london["Hedged (Amber)"] <= london["Calls"]
    assert london["Right"] == (table["Proved"] == "right").sum()
    (both,) = [df.value for df in at.dataframe if "Judgement (delivery confidence)" in df.value]
    judged = dict(zip(both["Calls"], both["Judgement (delivery confidence)"], strict=True))
    assert judged["Decisive (expected met or missed)"] == "3"  # the calls after June 2002
    assert judged["Right, of its decisive calls"] == "0 of 3 (0%)"  # the target was met
    assert any("too few to say which is better" in c.value for c in at.caption)


def test_initiative_page_shows_the_trend_call_beside_awaiting() -> None:
    at = new_app().run()
    at.switch_page(INITIATIVE_PAGE)
    at.query_params.update({"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count"})
    at.run()
    type_day(at, "initiative_as_of", date(2002, 6, 1))
    assert_no_exception(at)
    text = markdown_text(at)
    assert "### ◐ Awaiting" in text
    assert "**Call while the verdict is awaited:** ▲ Amber" in text


def test_partners_and_spend_follow_as_known_on() -> None:
    """Before the report was published, the page knows none of its partners or spending."""
    at = open_initiative({"initiative": "rough-sleepers-unit", "tab": "About"})
    partners = [t.value for t in at.table if "Partner" in t.value.columns]
    assert partners and len(partners[0]) == 4
    type_day(at, "initiative_as_of", date(2001, 12, 6))
    assert_no_exception(at)
    partners = [t.value for t in at.table if "Partner" in t.value.columns]
    assert partners and len(partners[0]) == 0
    assert "**Expenditure:** not stated" in markdown_text(at)


# --------------------------------------------------------------------------------------------
# Where am I in time: the "As known on" banner, and the date and area level in the URL
# --------------------------------------------------------------------------------------------

PAST = date(2001, 6, 1)
BANNER = "Showing figures as they stood on 1 June 2001"


def banner_texts(at: AppTest) -> list[str]:
    """The markdown of the as-known-on banner, if shown."""
    return [str(m.value) for m in at.markdown if "Showing figures as they stood" in str(m.value)]


def sidebar_text(at: AppTest) -> str:
    """Every caption in the sidebar, as one string."""
    return "\n".join(str(c.value) for c in at.sidebar.caption)


def test_as_of_in_the_url_shows_the_banner_and_show_latest_resets() -> None:
    """A link with ``as_of`` opens the overview on that day, says so, and can go back."""
    at = new_app()
    at.query_params["as_of"] = PAST.isoformat()
    at.run()
    assert_no_exception(at)
    assert shown_day(at, "as_of") == PAST
    assert banner_texts(at) == [f":material/history: **{BANNER}**"]
    assert "**Showing:** 1 June 2001 (not the latest)" in sidebar_text(at)
    assert "**Latest data:** 7 December 2001" in sidebar_text(at)
    assert any("as known on 1 June 2001" in s.value for s in at.subheader)
    assert at.query_params["as_of"] == PAST.isoformat()

    (latest,) = [b for b in at.button if b.label == "Show latest"]
    latest.click().run()
    assert_no_exception(at)
    assert banner_texts(at) == []
    assert "as_of" not in at.query_params
    assert shown_day(at, "as_of") == date(2001, 12, 7)
    assert "Showing:" not in sidebar_text(at)


def test_choosing_a_date_puts_it_in_the_url() -> None:
    at = open_overview()
    assert banner_texts(at) == [] and "as_of" not in at.query_params
    type_day(at, "as_of", PAST)
    assert_no_exception(at)
    assert at.query_params["as_of"] == PAST.isoformat()
    assert banner_texts(at) == [f":material/history: **{BANNER}**"]
    (link,) = [p for p in at.get("page_link") if "Rough Sleepers Unit" in p.proto.label]
    assert "as_of=2001-06-01" in link.proto.query_string  # the link carries the date on


def test_a_typed_day_reads_the_british_way_and_a_wrong_one_says_why() -> None:
    at = open_overview()
    type_day(at, "as_of", "1 Jun 2001")
    assert_no_exception(at)
    assert at.query_params["as_of"] == "2001-06-01"
    assert at.text_input(key="as_of").value == "01/06/2001"  # shown one way
    type_day(at, "as_of", "31/02/2001")
    assert at.query_params["as_of"] == "2001-06-01"  # refused: nothing moves
    assert any("'31/02/2001' is not a real day" in e.value for e in at.error)
    assert at.text_input(key="as_of").value == "31/02/2001"  # the text stays, to mend
    type_day(at, "as_of", "latest")
    assert "as_of" not in at.query_params and not at.error
    assert banner_texts(at) == []


def test_a_day_typed_then_a_link_followed_keeps_the_typed_day() -> None:
    """Leaving the field by a click on a page link commits the text and follows the link,
    which was drawn with the day before: the typed day stands on the new page."""
    at = open_overview()
    at.text_input(key="as_of").input("01/06/2001")  # typed; the next run is the link's
    at.switch_page(INITIATIVE_PAGE)
    at.query_params.clear()
    at.query_params.update({"initiative": "rough-sleepers-unit"})  # drawn at the latest
    at.run()
    assert_no_exception(at)
    assert shown_day(at, "initiative_as_of") == PAST
    assert at.query_params["as_of"] == PAST.isoformat()
    assert any(BANNER in t for t in banner_texts(at))


def test_a_stale_link_is_told_from_back() -> None:
    """The rule behind the two tests around it: after a day typed on the overview, a URL with
    the day before is a link drawn before it on another page, and Back on the overview."""
    from dashboard.as_of import stale_link

    typed = {"before": None, "page": "", "runs": 1}
    assert stale_link(None, typed, "initiative")  # the sidebar's link, drawn at the latest
    assert not stale_link(None, typed, "")  # Back on the overview itself
    assert not stale_link("2001-03-01", typed, "initiative")  # a link with another day
    assert not stale_link(None, None, "initiative")  # nothing typed


def test_back_after_typing_a_day_still_moves_it() -> None:
    at = open_overview()
    type_day(at, "as_of", PAST)
    at.query_params.clear()  # Back: the overview's URL before the day was typed
    at.run()
    assert_no_exception(at)
    assert "as_of" not in at.query_params and banner_texts(at) == []
    assert shown_day(at, "as_of") == date(2001, 12, 7)


def sidebar_links(at: AppTest) -> dict[str, str]:
    """The sidebar's page links: each title and its query string. (An ``AppTest`` shows the
    sidebar of a session's first run only.)"""
    found = [n for n in walk(at.sidebar) if getattr(n, "type", "") == "page_link"]
    return {n.proto.label: n.proto.query_string for n in found}


def test_the_sidebar_links_carry_the_day_and_each_page_view() -> None:
    """Every sidebar link carries ``as_of``; the overview's its filters too."""
    at = new_app()
    at.query_params.update({"as_of": PAST.isoformat(), "status": ["Amber", "Grey"]})
    at.run()
    assert_no_exception(at)
    links = sidebar_links(at)
    assert len(links) == 11 and all("as_of=2001-06-01" in q for q in links.values()), links
    assert {"Measure passport", "Inbox"} <= set(links), links  # the two pages added
    assert "status=Amber&status=Grey" in links["Overview"]
    assert "status" not in links["Initiative"]
    # a page as it was left: tests/browser/test_dates_and_keyboard.py (switch_page here
    # runs the page alone, without app.py and its sidebar)
    assert at.session_state["page_params"][""] == {"status": ["Amber", "Grey"]}


def test_overview_filters_follow_the_url() -> None:
    """A link with filters opens them; unknown values and letter case do not matter."""
    at = new_app()
    at.query_params.update({"status": ["grey", "Nonsense"], "group": "rough-sleepers"})
    at.run()
    assert_no_exception(at)
    assert at.multiselect(key="pick_status").value == ["Grey"]
    assert at.multiselect(key="pick_group").value == ["rough-sleepers"]
    assert {m for t in overview_tables(at) for m in t["Status"]} == {"○ Grey"}
    assert at.query_params["status"] == "Grey" and at.query_params["group"] == "rough-sleepers"


def test_changes_since_reaches_back_to_the_first_figure() -> None:
    """Any day from the first figure (1997) is taken; one before it is refused, saying so."""
    at = open_overview()
    at.session_state["changes_panel"] = True  # open the panel: its content runs only then
    at.run().text_input(key="changes_since").input("01/01/1998").run()
    assert_no_exception(at)
    assert at.text_input(key="changes_since").value == "01/01/1998" and not at.error
    assert any("Change" in d.value.columns for d in at.dataframe)
    at.text_input(key="changes_since").input("31/12/1989").run()
    assert any(e.value.startswith("Choose a day from 1 January 1997") for e in at.error)


def test_measures_not_defined_then_are_hidden() -> None:
    """Long before the report, measures whose figures start later are not shown."""
    at = new_app()
    at.query_params["as_of"] = "1990-01-02"
    at.run()
    assert_no_exception(at)
    shown = {m for t in overview_tables(at) for m in t["Measure"]}
    assert "People counted sleeping rough in England" not in shown
    assert len(shown) < STATUS_MEASURES


def test_the_measure_picker_offers_only_measures_defined_then() -> None:
    """Early Years on 1 June 2001: its place counts (from March 2001) are offered, its cost
    measures (first figures with the report, December 2001) are not; in June 2000 none is."""
    link = {"initiative": "eydcp"}
    now = open_initiative(link)
    assert_no_exception(now)
    offered_now = set(now.selectbox(key="pick_measure").options)
    past = open_initiative({**link, "as_of": "2001-06-01"})
    assert_no_exception(past)
    offered_then = set(past.selectbox(key="pick_measure").options)
    hidden = offered_now - offered_then
    assert offered_then and all("place" in name.lower() for name in offered_then)
    assert hidden and all("cost" in name.lower() for name in hidden), hidden
    before = open_initiative({**link, "as_of": "2000-06-01"})
    assert_no_exception(before)
    assert not [box for box in before.selectbox if box.key == "pick_measure"]
    assert any("was defined yet" in info.value for info in before.info)


def test_deep_link_carries_as_of_and_area_level(app_database: str, tmp_path: Path) -> None:
    """A link with ``as_of`` and ``level`` opens that day and that list of areas."""
    add_synthetic_london_series(app_database, tmp_path)
    link = {
        "initiative": "rough-sleepers-unit",
        "measure": "rough-sleepers-count",
        "area": "E12000007",
        "as_of": "2002-06-01",
        "level": "E12000007",
        "tab": "Areas",
    }
    at = open_initiative(link)
    assert_no_exception(at)
    assert shown_day(at, "initiative_as_of") == date(2002, 6, 1)
    assert selectbox_value(at, "Areas under") == "E12000007"
    assert any("as they stood on 1 June 2002" in t for t in banner_texts(at))
    assert dict(at.query_params) == link

    boxes = [b for b in at.selectbox if b.label == "Areas under"]
    boxes[0].set_value(ENGLAND).run()
    assert_no_exception(at)
    assert at.query_params["level"] == ENGLAND
    assert at.query_params["as_of"] == "2002-06-01"


def test_initiative_page_puts_the_status_first() -> None:
    """Status and reason, then the tabs with the chart; the figures and the profile each on
    their own tab, run only when opened."""
    at = open_initiative(
        {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count", "area": ENGLAND}
    )
    assert_no_exception(at)
    order: list[str] = []
    for node in walk(at.main):
        kind = type(node).__name__
        value = str(getattr(node, "value", ""))
        if kind == "Markdown" and value.startswith("### ▲ Amber"):
            order.append("status")
        elif kind == "Markdown" and "the trajectory value of 783" in value:
            order.append("reason")
        elif getattr(node, "type", "") == "plotly_chart" and "chart" not in order:
            order.append("chart")
        elif kind == "Markdown" and value == "**Figures and where they came from**":
            order.append("figures")
        elif kind == "Subheader" and value == "About Rough Sleepers Unit":
            order.append("profile")
    assert order == ["status", "reason", "chart"]
    assert [tab.label for tab in at.tabs][:2] == ["Trend", "Trend and target"]
    show_tab(at, "Figures")
    assert "**Figures and where they came from**" in markdown_text(at)
    assert not [p for p in at.get("plotly_chart")]  # the trend is not drawn on this tab
    show_tab(at, "About")
    assert "About Rough Sleepers Unit" in [s.value for s in at.subheader]


def test_the_overview_opens_with_off_track_and_why() -> None:
    """First on the page, above the filters and the chart: every Red, Missed or overdue
    (Awaiting) measure with its reason in a line and a link carrying the date; the status
    filter does not hide it."""
    at = new_app()
    at.query_params["as_of"] = "2002-06-01"
    at.run()
    assert_no_exception(at)
    headings = [s.value for s in at.subheader]
    assert headings[0] == "Off track and why (2)"
    assert headings.index("Off track and why (2)") < next(
        n for n, h in enumerate(headings) if h.startswith("Status of")
    )
    links = [p.proto for p in at.get("page_link") if p.proto.label.startswith("◐ Awaiting")]
    assert [link.label for link in links] == [
        "◐ Awaiting · People counted sleeping rough in England",
        "◐ Awaiting · 3 year olds with a free part-time nursery place",
    ]
    assert all("as_of=2002-06-01" in link.query_string for link in links)
    reasons = [c.value for c in at.caption if c.value.startswith("Rough Sleepers Unit. ")]
    assert reasons == [
        "Rough Sleepers Unit. Awaiting: due April 2002, 1 month ago; the figure for that period "
        "is not yet published."
    ]
    at.multiselect[2].select("Achieved").run()  # the Status filter
    assert_no_exception(at)
    assert at.subheader[0].value == "Off track and why (2)"


def test_nothing_off_track_says_so() -> None:
    at = open_overview()  # as known on 7 December 2001: Amber at worst
    (box,) = [s.value for s in at.success if s.value.startswith("Nothing is off track")]
    assert "2 at risk (Amber) are in the tables below" in box


def test_clicked_status_bar_names_its_initiative() -> None:
    from dashboard.sections.overview import clicked_initiative, initiative_link

    event = {"selection": {"points": [{"y": "Sure Start", "customdata": "sure-start"}]}}
    assert clicked_initiative(event) == "sure-start"
    assert clicked_initiative({"selection": {"points": []}}) is None
    assert clicked_initiative(None) is None
    at = open_overview()
    (figure,) = plotly_figures(at)
    assert all(len(t["customdata"]) == len(t["y"]) for t in figure["data"])
    assert figure["data"][0]["customdata"][0] == "rough-sleepers-unit"
    (chart,) = at.get("plotly_chart")
    assert chart.proto.selection_mode  # the chart reruns on a selection: a click opens it
    row = cached_rows_for_link()
    assert initiative_link(row, PAST)["as_of"] == "2001-06-01"


def cached_rows_for_link() -> Any:
    """One status row of the seeded database (for the link a clicked bar follows)."""
    from jwmetrics.metrics.face import Metrics

    metrics = Metrics.open()
    try:
        return metrics.national_status()[0]
    finally:
        metrics.close()
