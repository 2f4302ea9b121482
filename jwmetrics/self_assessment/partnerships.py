"""The self-assessment tool: partnerships rating how well they meet the five requirements.

Recommendation 1 of the report suggests a self-assessment tool to help partnerships see how
far their joint working reflects good practice. Here a **partnership** is one initiative in
one area (England, a region or a local authority); it answers each question of
:mod:`jwmetrics.self_assessment.questions` on a 1-4 scale with evidence, on a day, and a
later answer is a new row, so scores are kept over time
(:class:`~jwmetrics.db.joint_models.SelfAssessment`).

- :func:`partnerships`: the partnerships of an initiative: the areas it works in (England
  always, areas with a target, areas partners sent figures for, and any area that has
  answered already), or on request every area with a figure;
- :func:`template`: the CSV to fill in, one row per question per partnership area;
- :func:`answers`: every answer as known on a day;
- :func:`jwmetrics.self_assessment.scores.scores`: scores per requirement, latest and over
  time; importing a filled-in template is :mod:`jwmetrics.self_assessment.answers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import SelfAssessment
from jwmetrics.db.models import Area, Initiative, Measure, Observation, Target
from jwmetrics.self_assessment.questions import question_index, questions
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ENGLAND, find_initiative

TEMPLATE_COLUMNS = [
    "initiative",
    "area_code",
    "area_name",
    "question_id",
    "requirement",
    "question",
    "score",
    "evidence",
    "answered_on",
    "answered_by",
]
"""The template's columns; score, evidence, answered_on and answered_by are to fill in."""

RECORD_FIELDS = [
    "initiative",
    "area_code",
    "question_id",
    "requirement",
    "score",
    "evidence",
    "answered_on",
    "answered_by",
]
"""The fields of one answer as ``self-assessment list --format json`` writes it."""


@dataclass(frozen=True)
class Partnership:
    """One initiative in one area."""

    initiative: str  # the initiative's id
    initiative_name: str
    area_code: str
    area_name: str

    @property
    def key(self) -> tuple[str, str]:
        """(initiative id, area code)."""
        return (self.initiative, self.area_code)


@dataclass(frozen=True)
class Answer:
    """One answer to one question by one partnership, as recorded."""

    initiative: str
    area_code: str
    area_name: str
    question_id: str
    requirement: str
    score: int
    evidence: str
    answered_on: date
    answered_by: str
    file_name: str
    row_number: int | None
    recorded_at: datetime

    def as_record(self) -> dict[str, object]:
        """The :data:`RECORD_FIELDS` of the answer, the day in ISO 8601."""
        return {
            "initiative": self.initiative,
            "area_code": self.area_code,
            "question_id": self.question_id,
            "requirement": self.requirement,
            "score": self.score,
            "evidence": self.evidence,
            "answered_on": self.answered_on.isoformat(),
            "answered_by": self.answered_by,
        }


def _area_order(area: Area) -> tuple[bool, bool, str]:
    """England first, then regions, then the rest, each by name."""
    return (area.code != ENGLAND, area.area_type != "region", area.name)


NATIONAL_COLLECTION_SHARE = 0.5
"""A measure with figures for more than this share of all local authorities is a national
collection (the official rough sleeping snapshot counts every council): its figures say
what the country looks like, not where the initiative works, so they make no partnership
unless every area is asked for."""


def _areas_with_figures(session: Session, initiative: str, every_area: bool) -> set[str]:
    """The areas with a figure of one of the initiative's measures; unless ``every_area``,
    leaving out the areas only a national collection has figures for."""
    measure_ids = select(Measure.id).where(Measure.initiative_slug == initiative)
    pairs = session.execute(
        select(Observation.measure_id, Observation.area_code)
        .where(Observation.measure_id.in_(measure_ids))
        .distinct()
    ).all()
    if every_area:
        return {code for _, code in pairs}
    authorities = set(session.scalars(select(Area.code).where(Area.area_type == "local authority")))
    by_measure: dict[int, set[str]] = {}
    for measure_id, code in pairs:
        by_measure.setdefault(measure_id, set()).add(code)
    limit = NATIONAL_COLLECTION_SHARE * len(authorities)
    return {
        code
        for codes in by_measure.values()
        if not authorities or len(codes & authorities) <= limit
        for code in codes
    }


def initiative_partnerships(
    session: Session, initiative: Initiative, every_area: bool = False
) -> list[Partnership]:
    """The partnerships of ``initiative``, the areas it works in: England, every area with
    a target or with a figure for one of its measures (but not a national collection's,
    :data:`NATIONAL_COLLECTION_SHARE`, unless ``every_area``), and every area that has
    answered the self-assessment for it."""
    measure_ids = select(Measure.id).where(Measure.initiative_slug == initiative.slug)
    codes = {ENGLAND}
    codes |= _areas_with_figures(session, initiative.slug, every_area)
    codes |= set(
        session.scalars(select(Target.area_code).where(Target.measure_id.in_(measure_ids)))
    )
    codes |= set(
        session.scalars(
            select(SelfAssessment.area_code)
            .where(SelfAssessment.initiative_slug == initiative.slug)
            .distinct()
        )
    )
    areas = sorted(session.scalars(select(Area).where(Area.code.in_(codes))), key=_area_order)
    return [Partnership(initiative.slug, initiative.name, a.code, a.name) for a in areas]


def partnerships(db: Database, initiative: str, every_area: bool = False) -> list[Partnership]:
    """The partnerships of the initiative ``initiative`` names (id or name), England first:
    the areas it works in, or (``every_area``) every area with a figure too;
    :class:`~jwmetrics.problems.InputError` for an unknown one."""
    with db.session() as session:
        found = find_initiative(session, initiative)
        return initiative_partnerships(session, found, every_area)


def initiative_names(db: Database) -> dict[str, str]:
    """Every initiative's name by its id."""
    with db.session() as session:
        return {
            slug: name for slug, name in session.execute(select(Initiative.slug, Initiative.name))
        }


def template_rows(db: Database, initiative: str, every_area: bool = False) -> list[dict[str, str]]:
    """The rows of the self-assessment template of ``initiative``: :data:`TEMPLATE_COLUMNS`,
    one row per question for each of its partnerships (the areas it works in; every area
    with a figure when ``every_area``), score, evidence, answered_on and answered_by left
    blank (written as CSV by :func:`jwmetrics.present.templates.self_assessment_csv`)."""
    rows: list[dict[str, str]] = []
    for partnership in partnerships(db, initiative, every_area):
        for question in questions():
            row = {
                "initiative": partnership.initiative,
                "area_code": partnership.area_code,
                "area_name": partnership.area_name,
                "question_id": question.question_id,
                "requirement": question.requirement,
                "question": question.question,
            }
            rows.append({c: row.get(c, "") for c in TEMPLATE_COLUMNS})
    return rows


def answers(db: Database, initiative: str | None = None, as_of: date | None = None) -> list[Answer]:
    """Every answer known on ``as_of`` (answered by that day; None: all), of one initiative
    (id or name) or all, by initiative, area, day answered and question order."""
    known = KnownAt.on(as_of) if as_of else None
    query = select(SelfAssessment, Area.name).join(Area, Area.code == SelfAssessment.area_code)
    with db.session() as session:
        if initiative is not None:
            slug = find_initiative(session, initiative).slug
            query = query.where(SelfAssessment.initiative_slug == slug)
        if known is not None:
            query = query.where(
                SelfAssessment.answered_on <= known.day,
                SelfAssessment.recorded_at <= known.recorded_by,
            )
        found = [_answer(row, name) for row, name in session.execute(query).all()]
    order = {q.question_id: n for n, q in enumerate(questions())}
    return sorted(
        found,
        key=lambda a: (
            a.initiative,
            a.area_code != ENGLAND,
            a.area_name,
            a.answered_on,
            order.get(a.question_id, len(order)),
            a.recorded_at,
        ),
    )


def _answer(row: SelfAssessment, area_name: str) -> Answer:
    question = question_index().get(row.question_id)
    return Answer(
        initiative=row.initiative_slug,
        area_code=row.area_code,
        area_name=area_name,
        question_id=row.question_id,
        requirement=question.requirement if question else "",
        score=row.score,
        evidence=row.evidence,
        answered_on=row.answered_on,
        answered_by=row.answered_by,
        file_name=row.file_name,
        row_number=row.row_number,
        recorded_at=row.recorded_at,
    )
