"""The joint-working tables (issue 12): balancing measures, self-assessments, remedial actions.

Kept beside :mod:`jwmetrics.db.models`, on the same declarative base.

- :class:`BalancingMeasure` pairs a target measure with a measure that could get worse if the
  target were chased narrowly (paragraph 16), and says how far it may move the wrong way
  before the target's status reason mentions it.
- :class:`SelfAssessment` is one partnership's answer to one question of the self-assessment
  (the five requirements of joint working and the Annex's key questions), on a 1-4 scale with
  evidence, dated. A new answer is a new row: scores are kept over time.
- :class:`RemedialAction` is who does what by when about an Amber or Red measure in an area
  (paragraph 24, recommendation 7), and what became of it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jwmetrics.db.models import Base


class BalancingMeasure(Base):
    """A measure to watch beside a target measure, and the wrong-way move that matters.

    ``threshold`` is the change (in the balancing measure's unit, against its value at the
    target's baseline or its first figure) beyond which the move is worth saying; the wrong
    way is against the balancing measure's own ``direction``.
    """

    __tablename__ = "balancing_measure"
    __table_args__ = (Index("ix_balancing_measure_target", "measure_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))  # the target measure
    balancing_measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    threshold: Mapped[float] = mapped_column(Float)
    why: Mapped[str] = mapped_column(Text, default="")  # what could get worse, in words
    source: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class SelfAssessment(Base):
    """One partnership's answer to one self-assessment question, as given on one day."""

    __tablename__ = "self_assessment"
    __table_args__ = (
        Index("ix_self_assessment_partnership", "initiative_slug", "area_code", "answered_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_slug: Mapped[str] = mapped_column(ForeignKey("initiative.slug"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    question_id: Mapped[str] = mapped_column(String(40))  # data/self_assessment_questions.csv
    score: Mapped[int] = mapped_column(Integer)  # 1 (not at all) to 4 (fully)
    evidence: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date] = mapped_column(Date)
    answered_by: Mapped[str] = mapped_column(String(320), default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")  # the import it came in
    row_number: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class RemedialAction(Base):
    """An action about one measure in one area: owner, what, by when, and its state
    (``open``, ``done``, ``dropped``), with the status it responds to."""

    __tablename__ = "remedial_action"
    __table_args__ = (Index("ix_remedial_action_series", "measure_id", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    owner: Mapped[str] = mapped_column(String(320))
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="open")
    responds_to_status: Mapped[str] = mapped_column(String(20), default="")  # "Red"
    responds_to_reason: Mapped[str] = mapped_column(Text, default="")
    responds_to_as_of: Mapped[date | None] = mapped_column(Date)  # the status's as-known-on day
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    closed_by: Mapped[str] = mapped_column(String(320), default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
