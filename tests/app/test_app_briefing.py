"""AppTests of briefing on the pages: commentary beside the figures, the overview's Why column
with commentary on request, the Changes since panel, and the pack buttons.

Conventions of ``tests/test_app.py`` (imported from it): a fresh database per test on SQLite
and PostgreSQL, empty Streamlit caches. Who acts is ``app_auth.current_actor``, patched per
role; the library's check still decides.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from app_tabs import show_tab
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    ENGLAND,
    INITIATIVE_PAGE,
    app_database,
    assert_no_exception,
    new_app,
    open_initiative,
    overview_tables,
)

import dashboard.auth as app_auth
from jwmetrics.briefing.commentary import comments, write_comment
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.governance.roles import Actor, Role

LINK = {
    "initiative": "rough-sleepers-unit",
    "measure": "rough-sleepers-count",
    "area": ENGLAND,
    "tab": "Commentary and actions",  # the page runs only the open tab's sections
}


@pytest.fixture
def app_db(app_database: str) -> Any:  # noqa: F811
    database = open_seeded(app_database)
    yield database
    database.engine.dispose()


PERIOD_KEY = f"comment_period_rough-sleepers-count_{ENGLAND}"  # one picker per measure, area


def write_in_form(at: AppTest, period: str, text: str) -> AppTest:
    """Fill the commentary form and save it."""
    at.selectbox(key=PERIOD_KEY).select(period)
    at.text_area(key="comment_text").set_value(text)
    return next(b for b in at.button if b.label == "Save commentary").click().run()


def test_commentary_is_written_shown_and_versioned_on_the_initiative_page(app_db: Any) -> None:
    at = open_initiative(LINK)
    assert_no_exception(at)
    assert at.selectbox(key=PERIOD_KEY).value == "June 2001"  # the newest period
    at = write_in_form(at, "June 2001", "Fell by **62%** since 1998.")
    assert_no_exception(at)
    assert any("version 1" in s.value for s in at.success)
    at = write_in_form(open_initiative(LINK), "June 2001", "Revised view: *on track*.")
    assert any("version 2" in s.value for s in at.success)
    shown = [c.value for c in open_initiative(LINK).caption]
    assert any("June 2001: by local analyst on" in c and "(version 2 of 2)" in c for c in shown)
    assert [c.text for c in comments(app_db)] == ["Revised view: *on track*."]
    assert {c.author for c in comments(app_db)} == {"local analyst"}  # one name in local mode


def test_the_commentary_period_follows_the_measure_chosen(app_db: Any) -> None:
    """Choosing another measure offers that measure's periods, never the last one's."""
    at = open_initiative(LINK)
    count = at.selectbox(key=PERIOD_KEY)
    assert count.value == "June 2001" and "June 1998" in count.options
    at.selectbox(key="pick_measure").select("rough-sleeping-cost-per-person").run()
    assert_no_exception(at)
    pickers = [s for s in at.selectbox if s.label == "Commentary on the period"]
    (picker,) = pickers
    assert picker.key == f"comment_period_rough-sleeping-cost-per-person_{ENGLAND}"
    assert "June 2001" not in picker.options and picker.value == picker.options[0]
    picker.select(picker.options[0])
    at.text_area(key="comment_text").set_value("Cost per person fell.")
    next(b for b in at.button if b.label == "Save commentary").click().run()
    assert_no_exception(at)
    (written,) = comments(app_db)
    assert (written.measure, written.period) == (
        "rough-sleeping-cost-per-person",
        picker.options[0],
    )


def test_a_viewer_sees_commentary_but_no_form(app_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    write_comment(app_db, "rough-sleepers-count", ENGLAND, "June 2001", "Seen by all.")
    monkeypatch.setattr(app_auth, "current_actor", lambda: Actor("v@x.gov.uk", Role.VIEWER))
    at = open_initiative(LINK)
    assert_no_exception(at)
    assert not [t for t in at.text_area if t.key == "comment_text"]
    assert any("Approvers and administrators write commentary." in c.value for c in at.caption)


def test_the_why_column_shows_commentary_on_request(app_db: Any) -> None:
    write_comment(app_db, "rough-sleepers-count", ENGLAND, "June 2001", "Two thirds met early.")
    at = new_app().run()
    assert_no_exception(at)
    whys = [w for t in overview_tables(at) for w in t.get("Why", [])]
    assert not any("Commentary" in w for w in whys)
    at.toggle(key="why_comments").set_value(True).run()
    whys = [w for t in overview_tables(at) for w in t.get("Why", [])]
    assert any("Commentary (June 2001): Two thirds met early." in w for w in whys), whys


def open_changes(at: AppTest) -> AppTest:
    """Open the "Changes since" panel (its content runs only while it is open)."""
    at.session_state["changes_panel"] = True
    return at.run()


def test_changes_since_panel_and_pack_buttons(app_db: Any) -> None:
    at = new_app().run()
    assert_no_exception(at)
    assert not any("Change" in d.value.columns for d in at.dataframe)  # closed: not worked out
    open_changes(at).text_input(key="changes_since").input("01/06/2001").run()
    assert_no_exception(at)
    frames = [d.value for d in at.dataframe]
    changes = next(f for f in frames if "Change" in f.columns)
    assert {"status", "figure", "target"} <= set(changes["Change"])
    assert "People counted sleeping rough in England" in set(changes["Measure"])
    open_changes(at).text_input(key="changes_since").input("07/12/2000").run()
    assert_no_exception(at)
    changes = next(d.value for d in at.dataframe if "Change" in d.value.columns)
    values = set(changes["Before"]) | set(changes["After"])
    assert {"£640", "75%", "1,850", "▲ Amber", "○ Grey"} <= values, values  # in their units
    assert not [v for v in values if re.fullmatch(r"[\d,]*\.\d+", str(v))], values  # no "640.0"
    assert not [v for v in values if "None" in str(v)], values
    assert "(82,000, no date)" in " ".join(map(str, values))  # a target's value and date
    full = next(e for e in at.expander if e.label == "Each reason and target in full")
    text = " ".join(m.value for m in full.markdown)
    assert "At risk: 700 in June 2001 is below the trajectory value of 783;" in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Briefing pack (HTML)", "Briefing pack (PDF)"} <= set(labels)
    at.switch_page(INITIATIVE_PAGE).run()
    show_tab(at, "Briefing")
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Briefing pack (HTML)", "Briefing pack (PDF)"} <= set(labels)


def test_changes_panel_counts_by_kind_and_shows_more(app_db: Any, monkeypatch: Any) -> None:
    """The panel says how many changes of each kind, lists the newest page of each, and
    "Show more" adds the next page of each: together the full listing, in order, once."""
    from datetime import date

    from jwmetrics.briefing import changes as library
    from jwmetrics.metrics import Metrics
    from jwmetrics.present.change_table import change_value

    monkeypatch.setattr(library, "PAGE", 2)  # pages of two, so the seed has several
    at = open_changes(new_app().run())
    at.text_input(key="changes_since").input("01/06/2001").run()
    assert_no_exception(at)
    day = (
        date.fromisoformat(at.query_params.get("as_of", "")) if "as_of" in at.query_params else None
    )
    full = library.changes_between(app_db, date(2001, 6, 1), day or latest_day(app_db))
    by_kind = {k: [c for c in full if c.kind == k] for k in library.KINDS}
    by_kind["status"] = [c for c in by_kind["status"] if c.area_code == ENGLAND]  # headline
    caption = next(c.value for c in at.caption if c.value.startswith("Between 1 June 2001"))
    for kind, words in (("status", "statuses"), ("figure", "figures"), ("target", "targets")):
        assert f"{len(by_kind[kind]):,} {words}" in caption, caption
    units = {m.slug: m.unit for p in Metrics(app_db).profiles() for m in p.measures}
    for shown_per_kind in (2, 4):
        table = next(d.value for d in at.dataframe if "Change" in d.value.columns)
        expected = [c for k in library.KINDS for c in by_kind[k][:shown_per_kind]]
        assert list(table["Change"]) == [c.kind for c in expected]
        assert list(table["Period"].fillna("")) == [c.period for c in expected]
        assert list(table["After"].fillna("")) == [  # each in its unit, as the app writes it
            change_value(c, c.after, units.get(c.measure, "")) for c in expected
        ]
        at.button(key="changes_show_more").click().run()
        assert_no_exception(at)


def latest_day(db: Any) -> Any:
    """The day of the newest figure: the overview's default "as known on"."""
    from jwmetrics.metrics import Metrics

    return Metrics(db).latest_day()
