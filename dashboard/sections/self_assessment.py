"""The self-assessment on the pages: scores beside performance, the template and the import.

- :func:`show_self_assessment`: the initiative page's section: the chosen partnership's
  chart and scores, each partnership's progress-measurement score beside its timeliness,
  then the template and the import.
- :func:`show_import`: the template download, and for whoever may record answers (partners,
  approvers and administrators when signed in; everyone in local mode) an uploader whose
  refusal lists every problem by row and column.
- :func:`show_partnership_chart`: one partnership's chart and scores table, for the
  initiative page and the Self-assessment page.

The import runs in the button's callback, before the page reruns, so the rerun's chart and
tables already show the new answers; the library checks the role again whatever the page
showed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import streamlit as st
from sqlalchemy.exc import OperationalError

import dashboard.auth as app_auth
from dashboard.cache import (
    cached_partnership_count,
    cached_scores,
    cached_timeliness,
    clear_caches,
    get_metrics,
)
from dashboard.chrome import BUSY_MESSAGE
from dashboard.downloads import download
from dashboard.sections.returns import acting_name
from dashboard.tables import show_table
from jwmetrics.db import is_busy_error
from jwmetrics.governance import PermissionDenied
from jwmetrics.present.chart_style import CHART_CONFIG
from jwmetrics.present.self_assessment_chart import self_assessment_figure
from jwmetrics.present.self_assessment_tables import problems_table, scores_table, timeliness_table
from jwmetrics.problems import InputError, Problem
from jwmetrics.self_assessment import MAX_FILE_BYTES, PartnershipScores
from jwmetrics.text import plain, plural

RESULT_KEY = "self_assessment_import"  # the last import's outcome, shown on the next run
UPLOADS_KEY = "self_assessment_uploads"  # bumped after a success: a fresh, empty uploader
SCORE_FORMAT = st.column_config.NumberColumn(format="%.2g")


@dataclass(frozen=True)
class ImportResult:
    """How the last import went: ``kind`` success, error, refused or busy."""

    kind: str
    message: str
    problems: list[Problem] = field(default_factory=list)


def pick_partnership(found: list[PartnershipScores], area_code: str, key: str) -> PartnershipScores:
    """A "Partnership" picker over the assessed ones; ``area_code``'s first when assessed."""
    labels = {i: f"{p.initiative_name} in {p.area_name}" for i, p in enumerate(found)}
    codes = [p.area_code for p in found]
    chosen: int = st.selectbox(
        "Partnership",
        list(labels),
        index=codes.index(area_code) if area_code in codes else 0,
        format_func=labels.__getitem__,
        key=key,
    )
    return found[chosen]


def show_partnership_chart(partnership: PartnershipScores, key: str) -> None:
    """The partnership's chart, then its scores table."""
    st.plotly_chart(self_assessment_figure(partnership), config=CHART_CONFIG, key=key)
    show_table(
        scores_table(partnership),
        key_columns=("Requirement",),
        column_config={name: SCORE_FORMAT for name in ("Latest score", "Earlier score", "Change")},
    )


def show_self_assessment(initiative: str, area_code: str, as_of: date | None) -> None:
    """The initiative page's self-assessment section (``area_code``: the page's area)."""
    st.subheader("Self-assessment")
    st.caption(
        "How well each partnership says it meets the five requirements of joint working "
        "(paragraph 23 of the report; the questions also draw on its Annex). Each question is "
        "answered 1 (not at all) to 4 (fully) with evidence; a requirement's score is the mean "
        "of its questions' latest answers. Self-assessed: read it beside the figures above."
    )
    found = cached_scores(initiative, as_of)
    if not found:
        st.info("No partnership of this initiative has assessed itself yet.")
    else:
        chosen = pick_partnership(found, area_code, f"self_assessment_area_{initiative}")
        show_partnership_chart(chosen, "self_assessment_chart")
        show_measurement_timeliness(initiative, as_of)
    show_import(initiative)


def show_measurement_timeliness(initiative: str, as_of: date | None) -> None:
    """Progress-measurement score beside timeliness, every assessed partnership."""
    st.markdown("**Progress measurement and timely returns**")
    st.caption(
        "Do partnerships that rate their progress measurement low also report late? Each "
        "assessed partnership's latest progress-measurement score beside the share of its "
        "figures received by their due date (from the returns schedule; \u201cno schedule\u201d "
        "where no return is owed from the area). Lowest score first."
    )
    show_table(
        timeliness_table(cached_timeliness(initiative, as_of)),
        key_columns=("Area",),
        column_config={
            "Progress measurement score": SCORE_FORMAT,
            "Timeliness (%)": st.column_config.NumberColumn(format="%.1f%%"),
        },
    )


def show_import(initiative: str) -> None:
    """The template download (the areas the initiative works in, or on request every area
    with a figure); the uploader and the last import's outcome, for whoever may."""
    works_in = cached_partnership_count(initiative)
    every = cached_partnership_count(initiative, True)
    every_area = every > works_in and st.checkbox(
        f"Every area with figures ({every:,} areas, not only the {works_in:,} it works in)",
        key=f"self_assessment_every_area_{initiative}",
        help="Adds every council of a national collection such as the official rough "
        "sleeping snapshot, which has figures for every local authority.",
    )
    areas = every if every_area else works_in
    which = {"initiative": initiative, "every_area": "1" if every_area else None}
    name = f"jwmetrics-self-assessment-{initiative}.csv"
    download(
        st.container(),
        "Self-assessment template (CSV)",
        "self-assessment-template.csv",
        which,
        name,
    )
    st.caption(
        "One row per question for each partnership area: fill in score (1-4), evidence, "
        "answered_on (YYYY-MM-DD) and answered_by; rows left blank are skipped."
    )
    st.caption(
        f"The template covers {plural(areas, 'area')}: England, and the areas this initiative has "
        "targets, figures sent by partners, or earlier answers for."
    )
    actor = app_auth.current_actor()
    if not get_metrics().may_self_assess(actor, initiative):
        st.caption("Partners (uploaders), approvers and administrators import self-assessments.")
        return
    uploader_key = f"self_assessment_file_{st.session_state.get(UPLOADS_KEY, 0)}"
    st.file_uploader(
        "Filled-in self-assessment (CSV)",
        type=["csv"],
        key=uploader_key,
        max_upload_size=MAX_FILE_BYTES // 1_000_000,  # MB: the one limit, shown by the widget
        help="Checked whole first: any problem refuses the file and nothing is recorded.",
    )
    st.button("Record the answers", on_click=record_answers, args=(uploader_key,))
    show_result(st.session_state.pop(RESULT_KEY, None))


def record_answers(uploader_key: str) -> None:
    """Import the chosen file as the acting user; remember how it went (button callback)."""
    upload = st.session_state.get(uploader_key)
    if upload is None:
        st.session_state[RESULT_KEY] = ImportResult("error", "Choose a CSV file first.")
        return
    actor = app_auth.current_actor()
    try:
        outcome = get_metrics().add_self_assessment(
            upload.getvalue(), upload.name, by=acting_name(actor), actor=actor
        )
    except InputError as exc:
        message = f"{plural(len(exc.problems), 'problem')} in {upload.name}: nothing was recorded."
        result = ImportResult("error", message, exc.problems)
    except PermissionDenied as exc:
        result = ImportResult("refused", str(exc))
    except OperationalError as exc:
        if not is_busy_error(exc):
            raise
        result = ImportResult("busy", BUSY_MESSAGE)
    else:
        clear_caches()
        st.session_state[UPLOADS_KEY] = st.session_state.get(UPLOADS_KEY, 0) + 1
        result = ImportResult("success", outcome.message)
    st.session_state[RESULT_KEY] = result


def show_result(result: ImportResult | None) -> None:
    """The last import's outcome: what was recorded, or every problem by row and column."""
    if result is None:
        return
    if result.kind == "success":
        st.success(plain(result.message), icon=":material/check_circle:")
    elif result.kind == "busy":
        st.warning(result.message, icon=":material/hourglass_top:")
    else:
        st.error(plain(result.message), icon=":material/error:")
    if result.problems:
        st.caption("Fix each row and column below in the file, then import it again.")
        show_table(problems_table(result.problems), key_columns=("Row", "Column"))


def portfolio_downloads(as_of: date | None, day: str, scores: bytes, answers: bytes) -> None:
    """The portfolio table and every answer as known on ``as_of``, as CSV downloads
    (``day``: ISO, in the names; ``scores`` and ``answers``: the CSVs the page has built)."""
    left, right = st.columns(2)
    when, stem = {"as_of": as_of}, "jwmetrics-self-assessment"
    scores_name, answers_name = f"{stem}-scores-{day}.csv", f"{stem}-answers-{day}.csv"
    download(left, "Latest scores (CSV)", "self-assessment-scores.csv", when, scores_name, scores)
    everything = "self-assessment-answers.csv"
    download(right, "Every answer (CSV)", everything, when, answers_name, answers)
