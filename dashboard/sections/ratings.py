"""Delivery confidence on the initiative page: the judged rating beside the computed status.

- :func:`show_judgement`: under the status, the rating that applies on the page's day (who
  judged it, as at when, why) and, when the judgement and the rule are two steps or more
  apart on the five-point scale, a warning that says so.
- :func:`show_ratings`: every rating of the series (its history) and, for approvers and
  administrators (everyone in local mode), a form to record a new one.
- :func:`show_judgement_record`: under the track record, the judgement's record beside the
  rule's on the same days.

Thin views over :mod:`jwmetrics.briefing.ratings` through the face.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import dashboard.auth as app_auth
from dashboard.cache import cached_judged_ratings, cached_ratings, get_metrics
from dashboard.tables import show_table
from dashboard.writes import refusal_text, rerun_with_flash, show_flash
from jwmetrics.assess import SeriesDetail
from jwmetrics.briefing import (
    DIVERGENT_STEPS,
    MEANINGS,
    RATINGS,
    JudgementRecord,
    Rating,
    steps_apart,
)
from jwmetrics.governance import Action, PermissionDenied
from jwmetrics.periods import format_date
from jwmetrics.present.judgement import judgement_record_note, judgement_record_rows
from jwmetrics.problems import InputError
from jwmetrics.text import plain

FLASH_KEY = "ratings_flash"  # the outcome of the last rating, shown after the rerun
EARLIEST_DAY = date(1990, 1, 1)


def show_judgement(detail: SeriesDetail) -> None:
    """The judged rating that applies on the day shown, with any divergence from the rule."""
    row = detail.assessment
    rating = cached_judged_ratings(row.as_of).get((detail.measure_slug, detail.area_code))
    if rating is None:
        st.caption(
            "Delivery confidence: not judged yet (ratings are under Commentary and actions)."
        )
        return
    st.markdown(
        f"**Delivery confidence (judged):** {rating.rating}, by {plain(rating.rated_by)} as at "
        f"{format_date(rating.as_of)}. {plain(rating.reason)}"
    )
    apart = steps_apart(rating.rating, row.status)
    if apart is not None and apart >= DIVERGENT_STEPS:
        st.warning(
            f"The judged rating ({rating.rating}) and the computed status ({row.status}) are "
            f"{apart} steps apart on the five-point scale: ask which is right, and say why in "
            "the commentary.",
            icon=":material/compare_arrows:",
        )


def ratings_frame(found: list[Rating]) -> list[dict[str, object]]:
    """Rows of the ratings table, newest first (grids show text as text)."""
    return [
        {
            "As at": r.as_of,
            "Rating": r.rating,
            "By": r.rated_by,
            "Reason": r.reason,
            "Evidence": r.evidence,
        }
        for r in reversed(found)
    ]


def show_ratings(detail: SeriesDetail) -> None:
    """Every rating of this series and, for whoever may, the form to record one."""
    st.subheader("Delivery confidence")
    st.caption(
        "A judgement of how likely the target is to be met, on the five-point scale of the "
        "Infrastructure and Projects Authority, kept beside the computed status: "
        + "; ".join(f"{name}: {MEANINGS[name]}" for name in RATINGS)
        + "."
    )
    show_flash(FLASH_KEY)
    found = cached_ratings(detail.measure_slug, detail.area_code)
    if found:
        show_table(ratings_frame(found), key_columns=("As at", "Rating"))
    else:
        st.caption("No rating recorded for this measure in this area.")
    actor = app_auth.current_actor()
    if not actor.may(Action.RATE, initiative=detail.assessment.initiative):
        st.caption("Approvers and administrators record ratings.")
        return
    _rating_form(detail)


def _rating_form(detail: SeriesDetail) -> None:
    """Record a rating: the point, the day it is made as at (by default the day the page
    shows, so the rating applies to what is on the screen), the reason and the evidence."""
    actor = app_auth.current_actor()
    with st.form(f"rating_{detail.measure_slug}_{detail.area_code}", clear_on_submit=True):
        st.markdown("**Record a rating**")
        left, right = st.columns([2, 1])
        rating = left.selectbox("Rating", RATINGS, index=2, key="rating_point")
        day = right.date_input(
            "As at",
            value=min(detail.assessment.as_of, date.today()),
            min_value=EARLIEST_DAY,
            max_value=date.today(),
            format="DD/MM/YYYY",
            key="rating_day",
        )
        reason = st.text_area("Reason (required)", key="rating_reason", max_chars=4000)
        evidence = st.text_area("Evidence (required)", key="rating_evidence", max_chars=4000)
        if st.form_submit_button("Record rating"):
            try:
                made = get_metrics().add_rating(
                    detail.measure_slug,
                    detail.area_code,
                    rating,
                    reason=reason,
                    evidence=evidence,
                    as_of=day,
                    by=actor.name,
                    actor=actor,
                )
            except (InputError, PermissionDenied) as exc:
                st.error(refusal_text(exc))
                return
            rerun_with_flash(
                FLASH_KEY,
                f"Recorded {made.rating} as at {format_date(made.as_of)} (rating {made.id}).",
            )


def show_judgement_record(record: JudgementRecord) -> None:
    """The judgement's track record beside the rule's: a small table, and how far to trust it."""
    st.markdown("**Judgement beside the rule**")
    st.caption(
        "On the same publication days, the delivery confidence rating in force and the "
        "computed status, each scored against the outcome: does judgement add to the rule?"
    )
    if record.rated_calls:
        wide = {"Calls": st.column_config.TextColumn(width="large", pinned=True)}
        show_table(judgement_record_rows(record), key_columns=("Calls",), column_config=wide)
    st.caption(judgement_record_note(record))
