"""Self-assessment: every partnership's latest scores on the five requirements, one
partnership's chart, the questions and their sources, and downloads."""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import as_of_picker
from dashboard.cache import cached_scores, get_metrics
from dashboard.chrome import route_through_app
from dashboard.sections.self_assessment import (
    SCORE_FORMAT,
    pick_partnership,
    portfolio_downloads,
    show_partnership_chart,
)
from dashboard.tables import show_table
from jwmetrics.periods import format_date
from jwmetrics.present.files import to_csv_bytes
from jwmetrics.present.self_assessment_tables import answers_table, portfolio_table
from jwmetrics.self_assessment import REQUIREMENTS, SCALE
from jwmetrics.store import ENGLAND
from jwmetrics.text import plain, plural

route_through_app()
st.title("Self-assessment")
st.caption(
    "Partnerships rating how well they meet the five requirements of joint working that the "
    "report found are needed as a minimum (paragraph 23): shared goals, progress measurement, "
    "resources, leadership and working well together. The report recommends such a tool "
    "(recommendation 1); the questions put its requirements and the Annex's key questions in "
    "our own words, each citing its source. Each is answered 1 (not at all) to 4 (fully) with "
    "evidence, by a partner or an analyst, on a day; a requirement's score is the mean of its "
    "questions' latest answers. Answers are imported from the template on the Initiative page's "
    "Self-assessment tab or with `python -m jwmetrics self-assessment import FILE.csv`."
)

left, _ = st.columns([1, 3])
with left:
    as_of = as_of_picker("self_assessment_as_of")
found = cached_scores(None, as_of)
day = as_of or get_metrics().latest_day()

if not found:
    st.info(
        "No partnership has assessed itself yet. Download an initiative's template from the "
        "Self-assessment tab of its Initiative page (or `python -m jwmetrics self-assessment "
        "template INITIATIVE FILE.csv`), fill in the scores, and import it."
    )
else:
    st.subheader(f"Latest scores of {plural(len(found), 'partnership')}")
    st.caption(
        "One row per partnership (an initiative in an area): the day of its latest answers, "
        "each requirement's mean score (a dash: none of its questions answered yet), how many "
        "days it has answered on. At the newest date every answer counts; an earlier date "
        "shows the answers given by then."
    )
    table = portfolio_table(found)
    show_table(
        table,
        key_columns=("Initiative", "Area"),
        column_config={name: SCORE_FORMAT for name in REQUIREMENTS.values()},
    )
    answers = answers_table(get_metrics().self_assessments(None, as_of))
    portfolio_downloads(as_of, day.isoformat(), to_csv_bytes(table), to_csv_bytes(answers))

    st.subheader("One partnership")
    chosen = pick_partnership(found, ENGLAND, "self_assessment_page_partnership")
    show_partnership_chart(chosen, "self_assessment_page_chart")
    latest = chosen.latest.day
    mine = answers[
        (answers["Area code"] == chosen.area_code) & (answers["Initiative"] == chosen.initiative)
    ]
    st.caption(
        f"Its {plural(len(mine), 'answer')}, latest on {format_date(latest)}; the evidence is the "
        "partnership's own."
    )
    show_table(mine.drop(columns=["Initiative", "Area", "Area code"]), key_columns=("Question id",))

with st.expander("The questions and where they come from"):
    scale = "; ".join(f"{n} {plain(words)}" for n, words in SCALE.items())
    st.caption(f"Scale: {scale}. The wording is ours; each question cites the report.")
    for requirement, name in REQUIREMENTS.items():
        st.markdown(f"**{plain(name)}**")
        for question in get_metrics().self_assessment_questions():
            if question.requirement == requirement:
                st.markdown(
                    f"- `{question.question_id}` {plain(question.question)} "
                    f"*({plain(question.source)})*"
                )
