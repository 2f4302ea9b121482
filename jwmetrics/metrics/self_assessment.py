"""The self-assessment part of :class:`jwmetrics.metrics.face.Metrics`: questions, templates,
imports, answers and scores.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; each method is a thin call into :mod:`jwmetrics.self_assessment.partnerships`
and its sibling
modules, imported where used.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor

if TYPE_CHECKING:
    from jwmetrics.self_assessment.answers import ImportOutcome
    from jwmetrics.self_assessment.partnerships import Answer, Partnership
    from jwmetrics.self_assessment.questions import Question
    from jwmetrics.self_assessment.scores import MeasurementTimeliness, PartnershipScores


class SelfAssessmentMethods:
    """Partnerships rating themselves against the five requirements of joint working."""

    db: Database

    def self_assessment_questions(self) -> tuple[Question, ...]:
        """The questions, by requirement (``data/self_assessment_questions.csv``)."""
        from jwmetrics.self_assessment.questions import questions

        return questions()

    def partnerships(self, initiative: str, every_area: bool = False) -> list[Partnership]:
        """The partnerships (areas) of one initiative, England first: the areas it works in,
        or every area with a figure too."""
        from jwmetrics.self_assessment.partnerships import partnerships

        return partnerships(self.db, initiative, every_area)

    def self_assessment_template(self, initiative: str, every_area: bool = False) -> bytes:
        """The CSV to fill in: one row per question per partnership area of ``initiative``
        (the areas it works in; ``every_area``: every area with a figure)."""
        from jwmetrics.present.templates import self_assessment_csv
        from jwmetrics.self_assessment.partnerships import template_rows

        return self_assessment_csv(template_rows(self.db, initiative, every_area))

    def add_self_assessment(
        self, data: bytes, file_name: str, by: str = "", actor: Actor = LOCAL_USER
    ) -> ImportOutcome:
        """Record a filled-in template, all or nothing (InputError by row and column)."""
        from jwmetrics.self_assessment.answers import import_self_assessment

        return import_self_assessment(self.db, data, file_name, actor=actor, by=by)

    def may_self_assess(self, actor: Actor, initiative: str | None = None) -> bool:
        """True when ``actor`` may record answers (for ``initiative``)."""
        from jwmetrics.self_assessment.answers import may_self_assess

        return may_self_assess(actor, initiative)

    def self_assessments(
        self, initiative: str | None = None, as_of: date | None = None
    ) -> list[Answer]:
        """Every answer known on ``as_of`` (None: all), of one initiative or all."""
        from jwmetrics.self_assessment.partnerships import answers

        return answers(self.db, initiative, as_of)

    def self_assessment_scores(
        self, initiative: str | None = None, as_of: date | None = None
    ) -> list[PartnershipScores]:
        """Scores per partnership and requirement, the latest and every earlier round."""
        from jwmetrics.self_assessment.scores import scores

        return scores(self.db, initiative, as_of)

    def measurement_timeliness(
        self, initiative: str | None = None, as_of: date | None = None
    ) -> list[MeasurementTimeliness]:
        """Each assessed partnership's progress-measurement score beside its timeliness."""
        from jwmetrics.self_assessment.scores import measurement_and_timeliness

        return measurement_and_timeliness(self.db, initiative, as_of)

    # Earlier names, kept working for scripts that call them (see CHANGELOG.md).
    import_self_assessment = add_self_assessment
    measurement_and_timeliness = measurement_timeliness
