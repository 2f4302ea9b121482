"""AppTest of the measure passport page: opened by a pasted link naming the measure and the
day, it shows every field, which direction is good, the method links and the revisions, and
keeps both in the URL. Conventions of ``tests/app/test_app.py`` (both backends)."""

from __future__ import annotations

from test_app import app_database, assert_no_exception, markdown_text, new_app  # noqa: F401

PASSPORT_PAGE = "pages/passport.py"


def test_the_passport_page_shows_a_measure_named_in_the_url() -> None:
    at = new_app().run()
    at.switch_page(PASSPORT_PAGE)
    at.query_params.clear()
    at.query_params.update({"measure": "rough-sleepers-count", "as_of": "2002-06-01"})
    at.run()
    assert_no_exception(at)
    assert at.title[0].value == "Measure passport: People counted sleeping rough in England"
    assert at.metric[0].value == "Lower is better"
    text = markdown_text(at)
    for heading in ("Definition", "Numerator's source", "Usual publication lag", "Owner"):
        assert f"**{heading}:**" in text
    assert "Rough Sleepers Unit (Figure 4)" in text
    assert "footnote 6" in text
    assert "None" not in text.replace("None: ", "")  # never a bare None
    subheaders = [s.value for s in at.subheader]
    assert subheaders[-2:] == ["How the dashboard works it out", "Revisions, measured"]
    assert (
        "The report (no partner named): no revisions recorded yet (2 first figures kept)." in text
    )
    assert at.query_params["measure"] == "rough-sleepers-count"
    assert at.query_params["as_of"] == "2002-06-01"
    # Choosing another measure moves the URL with it; the day stays.
    at.selectbox(key="passport_measure").select("nursery-places-3-year-olds").run()
    assert_no_exception(at)
    assert at.metric[0].value == "Higher is better"
    assert at.query_params["measure"] == "nursery-places-3-year-olds"
    assert at.query_params["as_of"] == "2002-06-01"
