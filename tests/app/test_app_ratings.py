"""AppTests of delivery confidence on the initiative page: the judged rating under the
status, the warning when judgement and rule are two steps apart, the history and the form.

Conventions of ``tests/test_app.py`` (imported from it): a fresh database per test on SQLite
and PostgreSQL, empty Streamlit caches. Who acts is ``app_auth.current_actor``, patched per
role; the library's check still decides. Reasons and evidence are synthetic.
"""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    ENGLAND,
    app_database,
    assert_no_exception,
    open_initiative,
)

import dashboard.auth as app_auth
from jwmetrics.briefing.ratings import ratings
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.governance.roles import Actor, Role

TAB = {"tab": "Commentary and actions"}  # the ratings' form is on this tab
THREE = {"initiative": "eydcp", "measure": "nursery-places-3-year-olds", "area": ENGLAND} | TAB


@pytest.fixture
def app_db(app_database: str) -> Any:  # noqa: F811
    database = open_seeded(app_database)
    yield database
    database.engine.dispose()


def markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def record(at: AppTest, rating: str, reason: str, evidence: str) -> AppTest:
    """Fill the rating form and press "Record rating"."""
    at.selectbox(key="rating_point").set_value(rating)
    at.text_area(key="rating_reason").set_value(reason)
    at.text_area(key="rating_evidence").set_value(evidence)
    return next(b for b in at.button if b.label == "Record rating").click().run()


def test_a_rating_is_recorded_and_shown_beside_the_status_with_the_divergence(
    app_db: Any,
) -> None:
    at = open_initiative(THREE)
    assert_no_exception(at)
    assert any("Delivery confidence: not judged yet" in str(c.value) for c in at.caption)
    assert "Amber" in markdown(at)  # the computed status of this measure on the seed
    at = record(at, "Red", "synthetic: places are behind plan", "synthetic: partnership returns")
    assert_no_exception(at)
    assert any("Recorded Red as at" in s.value for s in at.success)
    text = markdown(at)
    assert "**Delivery confidence (judged):** Red, by local analyst" in text
    assert any("are 2 steps apart on the five-point scale" in w.value for w in at.warning)
    (stored,) = ratings(app_db)
    assert (stored.rating, stored.reason) == ("Red", "synthetic: places are behind plan")
    table = next(d.value for d in at.dataframe if "Rating" in d.value.columns)
    assert list(table["Rating"]) == ["Red"]


def test_a_rating_without_evidence_is_refused_naming_the_field(app_db: Any) -> None:
    at = record(open_initiative(THREE), "Amber", "synthetic: on plan", "")
    assert_no_exception(at)
    assert any("evidence: say the evidence" in e.value for e in at.error)
    assert ratings(app_db) == []


def test_a_viewer_sees_the_ratings_but_no_form(
    app_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_auth, "current_actor", lambda: Actor("v@x.gov.uk", Role.VIEWER))
    at = open_initiative(THREE)
    assert_no_exception(at)
    assert not [s for s in at.selectbox if s.key == "rating_point"]
    assert "Approvers and administrators record ratings." in [str(c.value) for c in at.caption]


def test_the_overview_shows_the_judged_rating_beside_the_status(app_db: Any) -> None:
    from datetime import date

    from test_app import new_app, overview_tables

    from jwmetrics.briefing.ratings import rate

    rate(
        app_db, THREE["measure"], ENGLAND, "Green", reason="synthetic: on plan",
        evidence="synthetic: returns", as_of=date(2000, 1, 1),
    )  # fmt: skip
    at = new_app().run()
    assert_no_exception(at)
    judged = {
        measure: cell
        for table in overview_tables(at)
        for measure, cell in zip(table["Measure"], table["Judged"], strict=True)
    }
    three = "3 year olds with a free part-time nursery place"
    assert judged[three] == "Green (2 steps from the status)"  # the rule says Amber
    assert {cell for name, cell in judged.items() if name != three} == {"–"}
