"""The self-assessment part of :class:`jwmetrics.metrics.Metrics`: questions, templates,
imports, answers and scores.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; each method is a thin call into :mod:`jwmetrics.self_assessment` and its sibling
modules, imported where used.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.db import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor

if TYPE_CHECKING:
    from jwmetrics.self_assessment import Answer, Partnership
    from jwmetrics.self_assessment_import import ImportOutcome
    from jwmetrics.self_assessment_questions import Question
    from jwmetrics.self_assessment_scores import MeasurementTimeliness, PartnershipScores


class SelfAssessmentMethods:
    """Partnerships rating themselves against the five requirements of joint working."""

    db: Database

    def self_assessment_questions(self) -> tuple[Question, ...]:
        """The questions, by requirement (``data/self_assessment_questions.csv``)."""
        from jwmetrics.self_assessment_questions import questions

        return questions()

    def partnerships(self, initiative: str) -> list[Partnership]:
        """The partnerships (areas) of one initiative, England first."""
        from jwmetrics.self_assessment import partnerships

        return partnerships(self.db, initiative)

    def self_assessment_template(self, initiative: str) -> bytes:
        """The CSV to fill in: one row per question per partnership area of ``initiative``."""
        from jwmetrics.self_assessment import template

        return template(self.db, initiative)

    def import_self_assessment(
        self, data: bytes, file_name: str, by: str = "", actor: Actor = LOCAL_USER
    ) -> ImportOutcome:
        """Record a filled-in template, all or nothing (InputError by row and column)."""
        from jwmetrics.self_assessment_import import import_self_assessment

        return import_self_assessment(self.db, data, file_name, actor=actor, by=by)

    def may_self_assess(self, actor: Actor, initiative: str | None = None) -> bool:
        """True when ``actor`` may record answers (for ``initiative``)."""
        from jwmetrics.self_assessment_import import may_self_assess

        return may_self_assess(actor, initiative)

    def self_assessments(
        self, initiative: str | None = None, as_of: date | None = None
    ) -> list[Answer]:
        """Every answer known on ``as_of`` (None: all), of one initiative or all."""
        from jwmetrics.self_assessment import answers

        return answers(self.db, initiative, as_of)

    def self_assessment_scores(
        self, initiative: str | None = None, as_of: date | None = None
    ) -> list[PartnershipScores]:
        """Scores per partnership and requirement, the latest and every earlier round."""
        from jwmetrics.self_assessment_scores import scores

        return scores(self.db, initiative, as_of)

    def measurement_and_timeliness(
        self, initiative: str | None = None, as_of: date | None = None
    ) -> list[MeasurementTimeliness]:
        """Each assessed partnership's progress-measurement score beside its timeliness."""
        from jwmetrics.self_assessment_scores import measurement_and_timeliness

        return measurement_and_timeliness(self.db, initiative, as_of)
