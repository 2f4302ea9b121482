"""AppTests of value for money: the initiative page's section and the "Value for money" page.

Conventions of ``tests/test_app.py``: a fresh seeded database per test, once on SQLite and
once on PostgreSQL, empty Streamlit caches, every page opened through ``app.py``.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401
    app_database,
    assert_no_exception,
    markdown_text,
    new_app,
    open_initiative,
    plotly_figures,
)

from jwmetrics.db.models import Measure
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import parse_period
from jwmetrics.store.writes import ObservationInput, add_observations

VALUE_PAGE = "pages/value_for_money.py"
VALUE_TAB = "Value for money"  # the initiative page runs only the open tab's sections


def open_value_page(params: dict[str, str] | None = None) -> AppTest:
    """The "Value for money" page opened as a pasted link would, in a fresh session."""
    at = new_app().run()
    at.switch_page(VALUE_PAGE)
    at.query_params.clear()
    at.query_params.update(params or {})
    at.run()
    assert_no_exception(at)
    return at


def value_chart(at: AppTest) -> dict:  # type: ignore[type-arg]
    """The figure of the value-for-money chart (its title says so)."""
    (figure,) = [
        f
        for f in plotly_figures(at)
        if f["layout"]["title"]["text"].startswith("Cost per unit of outcome")
    ]
    return figure


def captions_text(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.caption)


def traces_by_name(figure: dict) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    found: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for trace in figure["data"]:
        found.setdefault(trace["name"], []).append(trace)
    return found


def test_the_section_replaces_the_cost_lines_and_marks_the_reports_figures() -> None:
    at = open_initiative({"initiative": "rough-sleepers-unit", "tab": VALUE_TAB})
    assert_no_exception(at)
    subheaders = [s.value for s in at.subheader]
    assert "Value for money" in subheaders
    assert "Cost per unit of outcome" not in subheaders  # the old text-only section is gone
    # The report's wording stays visible, as the reference points.
    text = markdown_text(at)
    assert (
        "**Average cost of reducing the number of people counted sleeping rough by one:** "
        "around £120,000 (1998 to 1999) → around £70,000 (1999 to 2001)"
    ) in text
    captions = " ".join(str(c.value) for c in at.caption)
    assert "costs are in real terms" in captions and "Nominal pounds" in captions

    traces = traces_by_name(value_chart(at))
    change = traces["Spend per unit of change (over its days)"]
    marks = next(t for t in change if "markers" in t["mode"])
    assert marks["y"] == [pytest.approx(150_000_000 / 1150)]
    assert marks["text"] == ["£130,435"]
    references = traces["The report's figure (paragraph 18)"]
    ref_marks = next(t for t in references if "markers" in t["mode"])
    assert ref_marks["y"] == [120_000, 70_000]
    assert ref_marks["marker"]["symbol"] == "diamond"
    # Less is better for the count: no spend per unit of its level is drawn.
    assert "Spend per unit of outcome (that year)" not in traces

    (table,) = [d.value for d in at.dataframe if "Spend per unit of change (£)" in d.value]
    assert "People counted sleeping rough in England" in markdown_text(at)  # the table's name
    rows = table.set_index("Year")
    assert list(rows.index) == ["1998-99", "1999-00", "2000-01", "2001-02"]
    assert rows.loc["2001-02", "Spend per unit of change (£)"] == pytest.approx(130_434.78, 0.01)
    assert rows.loc["1999-00", "Spend (£m)"] == pytest.approx(200 * 366 / 1096)
    assert "No figure of this measure in 1999-00" in rows.loc["1999-00", "Why none, or a caveat"]
    assert "822 of the 1,096 days" in rows.loc["2001-02", "Why none, or a caveat"]
    assert "2001-02, People counted sleeping rough in England:** spend lines cover 822" in (
        captions_text(at)
    )


def test_the_section_charts_a_costed_measure_when_the_chosen_one_has_none() -> None:
    """The 3 year olds' figure is a bound ("over 50%"): not divided, so another is drawn."""
    at = open_initiative(
        {"initiative": "eydcp", "measure": "nursery-places-3-year-olds", "tab": VALUE_TAB}
    )
    assert_no_exception(at)
    figure = value_chart(at)
    assert figure["layout"]["title"]["text"].endswith(
        "4 year olds with a free part-time nursery place"
    )
    assert "Drawn for 4 year olds" in " ".join(str(c.value) for c in at.caption)
    # Per cent: the report's costs per place are not set beside pounds per percentage point.
    assert "The report's figure (paragraph 18)" not in traces_by_name(figure)
    tables = [d.value for d in at.dataframe if "Spend per unit (£)" in d.value]
    assert len(tables) == 3  # one a measure, in the order of the measures
    bound = tables[1]
    assert bound["Spend per unit (£)"].isna().all()
    assert "bound (over 50%)" in bound.iloc[0]["Why none, or a caveat"]
    assert tables[0]["Spend per unit (£)"].iloc[0] == pytest.approx(3e6)  # per percentage point


def test_the_section_for_places_marks_the_reports_place_costs() -> None:
    at = open_initiative(
        {"initiative": "eydcp", "measure": "new-childcare-places", "tab": VALUE_TAB}
    )
    assert_no_exception(at)
    traces = traces_by_name(value_chart(at))
    unit = [t for t in traces["Spend per unit of outcome (that year)"] if "markers" in t["mode"]]
    assert unit[0]["y"] == [pytest.approx(300e6 / 140_000)]
    ref = [t for t in traces["The report's figure (paragraph 18)"] if "markers" in t["mode"]]
    assert ref[0]["y"] == [650, 640]


def test_an_initiative_with_no_cost_says_why() -> None:
    at = open_initiative({"initiative": "sure-start", "tab": VALUE_TAB})
    assert_no_exception(at)
    assert not [f for f in plotly_figures(at) if "Cost per unit" in f["layout"]["title"]["text"]]
    infos = " ".join(str(i.value) for i in at.info)
    assert "No cost per unit can be worked out for Sure Start yet" in infos
    assert "too soon to measure" in infos


def test_the_section_follows_as_known_on(app_database: str) -> None:  # noqa: F811
    """A synthetic June 2002 count, published 1 September 2002, shows from that day on."""
    metrics = Metrics.open(app_database)
    with metrics, metrics.db.session() as session, session.begin():
        measure_id = session.scalar(
            select(Measure.id).where(Measure.slug == "rough-sleepers-count")
        )
        item = ObservationInput(
            measure_id=measure_id,
            area_code="E92000001",
            period=parse_period("June 2002"),
            value=550,
            source="synthetic test figure",
            published_on=date(2002, 9, 1),
        )
        add_observations(session, [item], recorded_at=datetime(2002, 9, 1))

    def rsu_table(params: dict[str, str]) -> pd.DataFrame:
        at = open_initiative({"initiative": "rough-sleepers-unit", "tab": VALUE_TAB, **params})
        assert_no_exception(at)
        (table,) = [d.value for d in at.dataframe if "Spend per unit of change (£)" in d.value]
        return table.set_index("Year")

    now, then = rsu_table({}), rsu_table({"as_of": "2002-08-31"})
    assert "2002-03" not in then.index
    assert now.loc["2002-03", "Change"] == "-150 since June 2001"
    assert now.loc["2002-03", "Spend per unit of change (£)"] == pytest.approx(50e6 / 150)


def test_the_portfolio_page_groups_by_form_side_by_side_with_caveats() -> None:
    at = open_value_page()
    assert at.title[0].value == "Value for money"
    subheaders = [s.value for s in at.subheader]
    assert subheaders.index("Formal partnership") < subheaders.index("New organisation")
    text = markdown_text(at)
    assert "not comparable in money" in text and "not ranked" in text
    assert "without carrying out a full evaluation" in text
    assert "Nominal pounds" in text

    cards = [m for m in text.split("\n") if m.startswith("**") and m.endswith("**")]
    assert cards == [  # the report's order within each form, never sorted by cost
        "**Rough Sleepers Unit**",
        "**Early Years Development and Childcare Partnerships**",
        "**Sure Start**",
        "**Business Link partnerships**",
        "**British Trade International**",
    ]
    assert "£130,435 per person fewer (July 1998 to June 2001); caveat: spend lines" in text
    assert "£2,143 per extra place (2000-01); caveat: 2000-01's spend divided by" in text
    assert "£3,000,000" not in text  # a share's level is never priced as a cost
    assert "£160m a year (no year stated)" in text

    (figure,) = plotly_figures(at)
    bars = {t["name"]: t for t in figure["data"]}
    assert list(bars) == [
        "Rough Sleepers Unit",
        "Early Years Development and Childcare Partnerships",
        "Sure Start",
        "Business Link partnerships",
        "British Trade International",
    ]
    assert bars["British Trade International"]["xaxis"] == "x5"  # a panel each
    assert bars["British Trade International"]["x"] == ["No year stated"]
    titles = [a["text"] for a in figure["layout"]["annotations"] if "<i>" in a["text"]]
    assert [t.rsplit("<br>", 1)[-1] for t in titles] == [  # each panel its own form
        "<i>Formal partnership</i>",
        "<i>Formal partnership</i>",
        "<i>Formal partnership</i>",
        "<i>Formal partnership</i>",
        "<i>New organisation</i>",
    ]
    assert titles[3].startswith("Business Link") and titles[4].startswith("British Trade")
    assert "with everything known now" in figure["layout"]["title"]["subtitle"]["text"]
    assert bars["Sure Start"]["x"] == ["1999-00", "2003-04"]
    assert bars["Sure Start"]["marker"]["pattern"]["shape"] == ["", "/"]  # 2003-04 is planned

    (table,) = [d.value for d in at.dataframe]
    assert list(table["Initiative"].unique()) == [
        "Rough Sleepers Unit",
        "Early Years Development and Childcare Partnerships",
        "Sure Start",
        "Business Link partnerships",
        "British Trade International",
    ]
    assert table["Spend per unit"].map(type).eq(str).all()  # words, so a column never ranks


def test_the_portfolio_page_is_in_the_menu_after_returns_due(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``st.Page`` needs a running app, so the menu is read with a stand-in that keeps its
    arguments."""
    import dashboard.chrome as app_chrome

    monkeypatch.setattr(app_chrome.st, "Page", lambda path, **options: (path, options))
    menu = [(path, options.get("title")) for path, options in app_chrome.build_pages()]
    paths = [path for path, _ in menu]
    place = paths.index("pages/value_for_money.py")
    assert paths.index("pages/returns_due.py") < place < paths.index("pages/admin.py")
    assert menu[place] == ("pages/value_for_money.py", "Value for money")
    options = dict(app_chrome.build_pages())["pages/value_for_money.py"]
    assert options["url_path"] == "value-for-money"
