"""AppTest of dated events on the initiative page: the form records an event for the series
and the list shows it; bad input is refused naming the field; the change point form cites
the event.

Conventions of ``tests/test_app.py`` (imported from it): a fresh database per test on SQLite
and PostgreSQL, empty Streamlit caches. The event text is synthetic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    ENGLAND,
    app_database,
    assert_no_exception,
    open_initiative,
)

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.event_models import ChangePointCause
from jwmetrics.events.record import events

TAB = {"tab": "Commentary and actions"}  # the events' form is on this tab
COUNT = {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count", "area": ENGLAND}
FUNDING = "synthetic: outreach funding began"


@pytest.fixture
def app_db(app_database: str) -> Any:  # noqa: F811
    database = open_seeded(app_database)
    yield database
    database.engine.dispose()


def record(at: AppTest, day: date, kind: str, text: str) -> AppTest:
    """Fill the event form and press "Record event"."""
    at.date_input(key="event_day").set_value(day)
    at.selectbox(key="event_kind").set_value(kind)
    at.text_input(key="event_text").set_value(text)
    return next(b for b in at.button if b.label == "Record event").click().run()


def test_the_form_records_an_event_the_list_shows_it_and_empty_text_is_refused(
    app_db: Any,
) -> None:
    at = open_initiative(COUNT | TAB)
    assert_no_exception(at)
    assert any("No event recorded for this series" in str(c.value) for c in at.caption)
    at = record(at, date(2000, 4, 1), "funding", " ")
    assert_no_exception(at)
    assert any("text: say what happened" in e.value for e in at.error)
    assert events(app_db) == []
    at = record(at, date(2000, 4, 1), "funding", FUNDING)
    assert_no_exception(at)
    assert any("Recorded event 1: funding on 1 April 2000" in s.value for s in at.success)
    (stored,) = events(app_db)
    assert (stored.kind, stored.measure, stored.area_code) == (
        "funding",
        "rough-sleepers-count",
        ENGLAND,
    )
    table = next(d.value for d in at.dataframe if "What happened" in d.value.columns)
    assert list(table["What happened"]) == [FUNDING]
    # The change point form offers the series' events and "No known cause".
    causes = at.selectbox(key="change_cause")
    assert causes.options == [f"Event 1: funding: {FUNDING[:27]}… (1 April 2000)", "No known cause"]
    at.date_input(key="change_day").set_value(date(2000, 4, 1))
    causes.set_value(causes.options[0])
    at = next(b for b in at.button if b.label == "Record change point").click().run()
    assert_no_exception(at)
    assert any("Recorded a change point from 1 April 2000" in s.value for s in at.success)
    with app_db.session() as session:
        (cause,) = session.scalars(select(ChangePointCause)).all()
    assert (cause.event_id, cause.no_known_cause) == (1, False)
