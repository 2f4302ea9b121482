"""The self-assessment tool: partnerships rating how well they meet the five requirements.

- :mod:`~jwmetrics.self_assessment.questions`: the five requirements and their questions;
- :mod:`~jwmetrics.self_assessment.partnerships`: the partnerships of an initiative, the
  template's rows, and every answer as known on a day;
- :mod:`~jwmetrics.self_assessment.answers`: importing a filled-in template, all or nothing;
- :mod:`~jwmetrics.self_assessment.scores`: scores per requirement, latest and over time,
  and beside each partnership's timeliness.

Written for analysts in ``docs/self_assessment.md``.
"""

from __future__ import annotations

from jwmetrics.self_assessment.answers import MAX_FILE_BYTES, ImportOutcome
from jwmetrics.self_assessment.partnerships import Answer, Partnership
from jwmetrics.self_assessment.questions import REQUIREMENTS, SCALE, Question
from jwmetrics.self_assessment.scores import MeasurementTimeliness, PartnershipScores

__all__ = [
    "MAX_FILE_BYTES",
    "REQUIREMENTS",
    "SCALE",
    "Answer",
    "ImportOutcome",
    "MeasurementTimeliness",
    "Partnership",
    "PartnershipScores",
    "Question",
]
