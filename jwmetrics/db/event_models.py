"""The dated events tables (issue 23, item 3): things that happened on a day and explain a
series' movement ("funding started", "the definition changed"), and the cause each SPC change
point cites.

Kept beside :mod:`jwmetrics.db.models`, on the same declarative base.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jwmetrics.db.models import Base


class DatedEvent(Base):
    """One dated event: on ``occurred_on`` something of ``kind`` (policy, definition, data or
    funding) happened, in the words of ``text``.

    Its scope is as narrow as the columns set: none (every series), an initiative (its
    measures), a measure (every area), or a measure in one area. Never updated or deleted:
    an event is a record of what an analyst said, kept as said (see ``docs/events.md``).
    """

    __tablename__ = "dated_event"
    __table_args__ = (Index("ix_dated_event_day", "occurred_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # policy, definition, data or funding
    initiative_slug: Mapped[str | None] = mapped_column(ForeignKey("initiative.slug"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measure.id"))
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))
    recorded_by: Mapped[str] = mapped_column(String(320))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class ChangePointCause(Base):
    """What a change point says caused it (issue 23): the dated event it cites, or "no known
    cause" said outright (NHS Making Data Count: rebase an SPC chart only at a known cause).

    One row per change point, written with it; change points recorded before revision 0016
    have none and keep their note.
    """

    __tablename__ = "change_point_cause"

    change_point_id: Mapped[int] = mapped_column(ForeignKey("change_point.id"), primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("dated_event.id"))
    no_known_cause: Mapped[bool] = mapped_column(Boolean, default=False)
