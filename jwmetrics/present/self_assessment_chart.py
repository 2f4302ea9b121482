"""The self-assessment chart: one partnership's score on each of the five requirements.

Horizontal bars rather than a radar: a bar's length is read against a straight scale, a
radar's area grows with the square of its scores and depends on the order of its axes. The
latest assessment is one trace, the earlier one (when there is one) a second, hatched and
paler, so the two differ by pattern and label as well as colour; every bar is labelled with
its score and how many of the requirement's questions it rests on. The scale's words (1 not
at all ... 4 fully) are on the axis. A source note names the questions' origin and who
answered.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from jwmetrics.periods import format_date
from jwmetrics.present.chart_style import (
    ACTUAL_COLOUR,
    TRAJECTORY_COLOUR,
    add_source_note,
    base_layout,
)
from jwmetrics.self_assessment.questions import SCALE
from jwmetrics.self_assessment.scores import PartnershipScores, ScoreRound

QUESTIONS_SOURCE = "questions from NAO, HC 383 (2001-02), paragraph 23 and the Annex"
NAMED = 3  # who answered, named in the source note up to this many
NOTE_MARGIN = 180  # pixels below the plot: axis, legend, then a source note of two lines
EARLIER_COLOUR = "#A6A6A6"  # light grey bars, hatched, outlined in dark grey


def score_text(score: float | None) -> str:
    """A mean score for a label: "3.5", "4", or "not answered"."""
    if score is None:
        return "not answered"
    return f"{score:.1f}".removesuffix(".0")


def _labels(scored: ScoreRound) -> list[str]:
    """Each bar's label: the score, and the questions it rests on."""
    return [
        f"{score_text(r.score)} ({r.answered} of {r.questions} questions)"
        if r.score is not None
        else "not answered"
        for r in scored.requirements
    ]


def _trace(scored: ScoreRound, name: str, earlier: bool) -> go.Bar:
    """One assessment's bars, one per requirement; None scores are drawn as no bar."""
    colour = EARLIER_COLOUR if earlier else ACTUAL_COLOUR
    return go.Bar(
        name=name,
        y=[r.name for r in scored.requirements],
        x=[r.score for r in scored.requirements],
        orientation="h",
        text=_labels(scored),
        textposition="outside",
        cliponaxis=False,
        marker={
            "color": colour,
            "line": {"color": TRAJECTORY_COLOUR if earlier else colour, "width": 1},
            "pattern": {"shape": "/" if earlier else ""},
        },
        hovertemplate="%{y}: %{text}<extra>" + name + "</extra>",
    )


def self_assessment_figure(partnership: PartnershipScores) -> go.Figure:
    """The latest assessment of ``partnership``, with the one before it when there is one."""
    latest, previous = partnership.latest, partnership.previous
    traces = []
    if previous is not None:
        traces.append(_trace(previous, f"Earlier: {format_date(previous.day)}", earlier=True))
    traces.append(_trace(latest, f"Latest: {format_date(latest.day)}", earlier=False))
    figure = go.Figure(traces)
    title = f"Self-assessment: {partnership.initiative_name} in {partnership.area_name}"
    subtitle = "Mean score of each requirement's questions, latest answers as of each day"
    figure.update_layout(**_layout(title, subtitle))
    who = sorted({a.answered_by for a in partnership.answers if a.answered_by})
    named = ", ".join(who[:NAMED]) + (f" and {len(who) - NAMED} more" if len(who) > NAMED else "")
    answered = f"answered by {named}" if who else "self-assessment answers"
    add_source_note(figure, f"Source: {answered}; {QUESTIONS_SOURCE}.")
    figure.update_layout(margin={"b": NOTE_MARGIN})
    return figure


def _layout(title: str, subtitle: str) -> dict[str, Any]:
    """Bars grouped, the requirements top to bottom in the report's order, the 1-4 scale
    with its words, and room in the right margin for the labels past a full score."""
    layout = base_layout(title, subtitle)
    layout.update(
        barmode="group",
        height=520,
        xaxis={
            "title": {"text": "Score (1 to 4)"},
            "range": [0, 4],
            "tickvals": list(SCALE),
            "ticktext": [f"{n} {words}" for n, words in SCALE.items()],
            "showgrid": True,
        },
        yaxis={"autorange": "reversed", "title": {"text": ""}},
        legend={**layout["legend"], "traceorder": "reversed", "y": -0.18},
    )
    layout["margin"] = {**layout["margin"], "l": 190, "r": 200}
    return layout
