"""Self-assessment scores: per partnership and requirement, the latest and over time, and
beside the partnership's timeliness in sending returns.

A requirement's score is the mean of its questions' latest scores (1-4), over the questions
answered; a question not yet answered does not count as a low score, and the number
answered is kept beside the mean. Each day a partnership answered is one **round**: the
scores as they stood that day, so a round that re-answers only some questions carries the
others' latest answers forward. The latest round is what a partnership scores now; the one
before it is the earlier assessment a chart shows beside it.

:func:`measurement_and_timeliness` puts each partnership's progress-measurement score
beside its timeliness from the returns schedule
(:func:`jwmetrics.returns.schedule.schedule_report`),
for the analyst's question: do partnerships that rate their progress measurement low also
report late?
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from jwmetrics.db.engine import Database
from jwmetrics.self_assessment.partnerships import Answer, answers, initiative_names
from jwmetrics.self_assessment.questions import (
    PROGRESS_MEASUREMENT,
    REQUIREMENTS,
    questions_of,
)

NO_SCHEDULE = "no schedule"


@dataclass(frozen=True)
class RequirementScore:
    """One requirement's score in one round: the mean of its questions' latest scores."""

    requirement: str
    score: float | None  # None: none of its questions answered yet
    answered: int  # questions answered (at any earlier day)
    questions: int  # questions the requirement has

    @property
    def name(self) -> str:
        """The requirement's name."""
        return REQUIREMENTS[self.requirement]


@dataclass(frozen=True)
class ScoreRound:
    """A partnership's scores as they stood on one day it answered."""

    day: date
    requirements: tuple[RequirementScore, ...]  # in the order of REQUIREMENTS

    def score(self, requirement: str) -> float | None:
        """The score of ``requirement`` (an id) in this round."""
        return next(r.score for r in self.requirements if r.requirement == requirement)


@dataclass(frozen=True)
class PartnershipScores:
    """One partnership's self-assessment: every round, oldest first, and its answers."""

    initiative: str
    initiative_name: str
    area_code: str
    area_name: str
    rounds: tuple[ScoreRound, ...]
    answers: tuple[Answer, ...]  # every answer, oldest first

    @property
    def latest(self) -> ScoreRound:
        """The scores now: as they stood on the latest day answered."""
        return self.rounds[-1]

    @property
    def previous(self) -> ScoreRound | None:
        """The round before the latest, if there is one."""
        return self.rounds[-2] if len(self.rounds) > 1 else None

    def as_record(self) -> dict[str, object]:
        """The latest scores as a flat record: one field per requirement (its id)."""
        record: dict[str, object] = {
            "initiative": self.initiative,
            "area_code": self.area_code,
            "area_name": self.area_name,
            "assessed_on": self.latest.day.isoformat(),
            "rounds": len(self.rounds),
        }
        for requirement in self.latest.requirements:
            record[requirement.requirement] = requirement.score
        return record


def round_on(found: Iterable[Answer], day: date) -> ScoreRound:
    """The scores as they stood on ``day``: each question's latest answer by then."""
    latest: dict[str, Answer] = {}
    for answer in sorted(found, key=lambda a: (a.answered_on, a.recorded_at)):
        if answer.answered_on <= day:
            latest[answer.question_id] = answer
    requirements = []
    for requirement in REQUIREMENTS:
        asked = [q.question_id for q in questions_of(requirement)]
        scores = [latest[q].score for q in asked if q in latest]
        mean = fmean(scores) if scores else None
        requirements.append(RequirementScore(requirement, mean, len(scores), len(asked)))
    return ScoreRound(day, tuple(requirements))


def scores(
    db: Database, initiative: str | None = None, as_of: date | None = None
) -> list[PartnershipScores]:
    """Every partnership that has answered (of one initiative, id or name, or all), with its
    scores per requirement in each round up to ``as_of`` (None: all), England first."""
    names = initiative_names(db)
    grouped: dict[tuple[str, str], list[Answer]] = {}
    for answer in answers(db, initiative, as_of):
        grouped.setdefault((answer.initiative, answer.area_code), []).append(answer)
    found = []
    for (slug, code), mine in grouped.items():  # answers() orders them already
        days = sorted({a.answered_on for a in mine})
        found.append(
            PartnershipScores(
                initiative=slug,
                initiative_name=names.get(slug, slug),
                area_code=code,
                area_name=mine[0].area_name,
                rounds=tuple(round_on(mine, day) for day in days),
                answers=tuple(sorted(mine, key=lambda a: (a.answered_on, a.recorded_at))),
            )
        )
    return found


@dataclass(frozen=True)
class MeasurementTimeliness:
    """One partnership's progress-measurement score beside how its returns came."""

    initiative: str
    initiative_name: str
    area_code: str
    area_name: str
    assessed_on: date
    progress_measurement: float | None  # the latest score, 1-4
    expected: int  # figures the schedule expected from the area by the day
    received: int
    on_time: int
    timeliness_pct: float | None  # on time / received x 100; None: nothing received

    @property
    def schedule(self) -> str:
        """How its returns came, in words: "3 of 4 received on time", or "no schedule"."""
        if self.expected == 0:
            return NO_SCHEDULE
        if self.received == 0:
            return f"none of {self.expected:,} expected received"
        return f"{self.on_time:,} of {self.received:,} received on time"

    def as_record(self) -> dict[str, object]:
        """A flat record for a table or a download."""
        return {
            "initiative": self.initiative,
            "area_code": self.area_code,
            "area_name": self.area_name,
            "assessed_on": self.assessed_on.isoformat(),
            "progress_measurement": self.progress_measurement,
            "expected": self.expected,
            "received": self.received,
            "on_time": self.on_time,
            "timeliness_pct": self.timeliness_pct,
            "schedule": self.schedule,
        }


def measurement_and_timeliness(
    db: Database, initiative: str | None = None, as_of: date | None = None
) -> list[MeasurementTimeliness]:
    """Each assessed partnership's latest progress-measurement score beside its timeliness:
    the figures the returns schedule expected from its area for its initiative by ``as_of``
    (default today), how many came, and how many of those on time. An area the schedule
    does not cover says "no schedule"."""
    from jwmetrics.returns.schedule import LATE, ON_TIME, schedule_report

    report = schedule_report(db, as_of)
    counts: dict[tuple[str, str], list[int]] = {}  # expected, received, on time
    for summary in report.summaries:
        for figure in summary.figures:
            tally = counts.setdefault((figure.initiative, figure.area_code), [0, 0, 0])
            tally[0] += 1
            tally[1] += figure.state in (ON_TIME, LATE)
            tally[2] += figure.state == ON_TIME
    rows = []
    for partnership in scores(db, initiative, as_of):
        expected, received, on_time = counts.get(
            (partnership.initiative, partnership.area_code), [0, 0, 0]
        )
        rows.append(
            MeasurementTimeliness(
                initiative=partnership.initiative,
                initiative_name=partnership.initiative_name,
                area_code=partnership.area_code,
                area_name=partnership.area_name,
                assessed_on=partnership.latest.day,
                progress_measurement=partnership.latest.score(PROGRESS_MEASUREMENT),
                expected=expected,
                received=received,
                on_time=on_time,
                timeliness_pct=on_time / received * 100 if received else None,
            )
        )
    return rows
