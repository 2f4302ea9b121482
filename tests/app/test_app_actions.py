"""AppTests of the joint-working lens on the pages: the overview's remedial-action flags, the
initiative page's actions (list, add and close forms) and its balancing measures section.

Conventions of ``tests/test_app.py`` (imported from it): a fresh database per test on SQLite
and PostgreSQL, empty Streamlit caches. Who acts is ``app_auth.current_actor``, patched per
role; the library's check still decides.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

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

import dashboard.auth as app_auth
from jwmetrics.briefing.actions import add_action, list_actions
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.governance.roles import Actor, Role
from jwmetrics.periods import parse_period
from jwmetrics.store.lookup import find_measure
from jwmetrics.store.writes import ObservationInput, add_observations

TAB = {"tab": "Commentary and actions"}  # the page runs only the open tab's sections
THREE = {"initiative": "eydcp", "measure": "nursery-places-3-year-olds", "area": ENGLAND} | TAB
COUNT = {
    "initiative": "rough-sleepers-unit",
    "measure": "rough-sleepers-count",
    "area": ENGLAND,
}  # its balancing measures are on the first tab, Trend
THREE_NAME = "3 year olds with a free part-time nursery place"


@pytest.fixture
def app_db(app_database: str) -> Any:  # noqa: F811
    database = open_seeded(app_database)
    yield database
    database.engine.dispose()


def markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def captions(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.caption]


def frames_with(at: AppTest, column: str) -> list[Any]:
    return [d.value for d in at.dataframe if column in d.value.columns]


def click(at: AppTest, label: str) -> AppTest:
    return next(b for b in at.button if b.label == label).click().run()


# --------------------------------------------------------------------------------------------
# The overview
# --------------------------------------------------------------------------------------------


def test_the_overview_flags_amber_without_an_action_and_overdue_actions(app_db: Any) -> None:
    at = new_app().run()
    assert_no_exception(at)
    assert "Remedial actions" in [s.value for s in at.subheader]
    text = markdown(at)
    assert "**Amber or Red with no open action:**" in text and THREE_NAME in text
    assert "No action is overdue." in captions(at)

    add_action(app_db, THREE["measure"], ENGLAND, "Early years lead", "2099-01-31", "Plan places")
    add_action(app_db, COUNT["measure"], ENGLAND, "Jo Bloggs", "2002-03-31", "Recount London")
    st.cache_data.clear()  # written outside the app: seen once the cache lapses
    at = new_app().run()
    assert_no_exception(at)
    assert "Amber or Red with no open action" not in markdown(at)
    assert "Every Amber or Red measure shown has an open action." in captions(at)
    assert "**Overdue actions (1):**" in markdown(at)
    (overdue,) = frames_with(at, "Owner")
    assert list(overdue["Action"]) == ["Recount London"]
    assert list(overdue["State"]) == ["open, overdue"]
    assert list(overdue["Measure"]) == ["People counted sleeping rough in England"]


# --------------------------------------------------------------------------------------------
# The initiative page: actions
# --------------------------------------------------------------------------------------------


def test_an_action_is_added_and_closed_on_the_initiative_page(app_db: Any) -> None:
    at = open_initiative(THREE)
    assert_no_exception(at)
    assert any("with no open action" in w.value for w in at.warning)
    assert "No remedial action on this measure in this area." in captions(at)
    at.text_input(key="action_owner").set_value("Early years lead")
    at.date_input(key="action_due").set_value(date(2002, 3, 31))
    at.text_area(key="action_text").set_value("Find 3,000 more places")
    at = click(at, "Add action")
    assert_no_exception(at)
    assert any("Added action 1, due 31 March 2002." in s.value for s in at.success)
    (table,) = frames_with(at, "Owner")
    assert list(table["Action"]) == ["Find 3,000 more places"]
    assert list(table["Responds to"]) == ["Amber"]
    assert not any("with no open action" in w.value for w in at.warning)
    (stored,) = list_actions(app_db)
    assert (stored.owner, stored.created_by, stored.state) == (
        "Early years lead",
        "local analyst",
        "open",
    )

    at.radio(key="close_state").set_value("dropped")
    at = click(at, "Close action")
    assert_no_exception(at)
    assert any("Closed action 1 as dropped." in s.value for s in at.success)
    assert [a.state for a in list_actions(app_db)] == ["dropped"]
    assert any("with no open action" in w.value for w in at.warning)  # flagged again
    assert not [b for b in at.button if b.label == "Close action"]  # nothing left to close


def test_a_bad_action_is_refused_naming_the_field(app_db: Any) -> None:
    at = open_initiative(THREE)
    at.text_area(key="action_text").set_value("Find places")
    at = click(at, "Add action")
    assert_no_exception(at)
    assert any("owner: name who owns it" in e.value for e in at.error)
    assert list_actions(app_db) == []


def test_a_viewer_sees_the_actions_but_no_form(
    app_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_action(app_db, THREE["measure"], ENGLAND, "Early years lead", "2002-03-31", "Plan places")
    monkeypatch.setattr(app_auth, "current_actor", lambda: Actor("v@x.gov.uk", Role.VIEWER))
    at = open_initiative(THREE)
    assert_no_exception(at)
    (table,) = frames_with(at, "Owner")
    assert list(table["State"]) == ["open, overdue"]
    assert not [t for t in at.text_input if t.key == "action_owner"]
    assert "Approvers and administrators add and close actions." in captions(at)


# --------------------------------------------------------------------------------------------
# The initiative page: balancing measures
# --------------------------------------------------------------------------------------------


def add_returning(db: Any) -> None:
    """Synthetic figures of people returning to the streets: 300 in June 1998, 420 in 2001."""
    with db.session() as session, session.begin():
        measure_id = find_measure(session, "rough-sleepers-returning").id
        items = [
            ObservationInput(measure_id, ENGLAND, parse_period(p), v, "synthetic return")
            for p, v in (("June 1998", 300), ("June 1999", 330), ("June 2001", 420))
        ]
        add_observations(session, items, datetime.now())


def test_the_balancing_measures_are_drawn_beside_the_target(app_db: Any) -> None:
    at = open_initiative(COUNT)
    assert_no_exception(at)
    assert "Balancing measures" in [s.value for s in at.subheader]
    (table,) = frames_with(at, "Balancing measure")
    assert list(table["State"]) == ["○ no data yet", "○ no data yet"]
    assert not any("Synthetic data" in w.value for w in at.warning)

    add_returning(app_db)
    st.cache_data.clear()
    at = open_initiative(COUNT)
    assert_no_exception(at)
    (table,) = frames_with(at, "Balancing measure")
    assert list(table["State"]) == [
        "⚠ beyond its threshold",
        "○ no data yet",
    ]
    assert list(table["Moved the wrong way by"]) == ["120", "–"]
    assert any("Synthetic data" in w.value for w in at.warning)
    sentence = "people returning to the streets after help rose by 120 since June 1998"
    assert sentence in markdown(at)  # beside the chart and in the status reason
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    (chart,) = [f for f in figures if "xaxis3" in f["layout"]]
    titles = [a["text"] for a in chart["layout"]["annotations"]]
    assert "Hostel places for people sleeping rough" in titles
    assert any("No data yet" in t for t in titles)


def test_a_measure_without_balancing_measures_has_no_section(app_db: Any) -> None:
    at = open_initiative(THREE)
    assert_no_exception(at)
    assert "Balancing measures" not in [s.value for s in at.subheader]
