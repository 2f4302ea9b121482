"""The measure passport's table (issue 23, item 4), beside :mod:`jwmetrics.db.models` on the
same declarative base: kept apart so that file stays one screenful of the core tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jwmetrics.db.models import Base


class MeasurePassport(Base):
    """What a measure means, where its parts come from and how it is handled (issue 23).

    Every field is text, never blank: where the source does not say, it says so ("Not
    known (the report does not say)"). A revised passport is a new row with a later
    ``recorded_at``; the newest counts, the old stays. ``source`` cites where the passport's
    facts come from (the report's paragraphs).
    """

    __tablename__ = "measure_passport"
    __table_args__ = (Index("ix_measure_passport_measure", "measure_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    definition: Mapped[str] = mapped_column(Text)
    numerator: Mapped[str] = mapped_column(Text)
    numerator_source: Mapped[str] = mapped_column(Text)
    denominator: Mapped[str] = mapped_column(Text)
    denominator_source: Mapped[str] = mapped_column(Text)
    frequency: Mapped[str] = mapped_column(Text)
    publication_lag: Mapped[str] = mapped_column(Text)
    revisions_policy: Mapped[str] = mapped_column(Text)
    rounding: Mapped[str] = mapped_column(Text)
    disclosure: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text)
    caveats: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
