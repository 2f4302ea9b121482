"""The briefing tables: analysts' commentary and the packs generated (issue 11).

Kept beside :mod:`jwmetrics.db.models`, on the same declarative base, so that module stays one
screenful of the core data model.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jwmetrics.db.models import Base


class Commentary(Base):
    """One version of an analyst's commentary on a measure in an area for a period.

    An edit is a new row for the same (measure, area, period); the newest written is the
    one shown and the earlier ones stay, so every version can be read back. ``text`` is
    plain text with simple Markdown (emphasis, lists), rendered without HTML or links
    (:mod:`jwmetrics.present.commentary_text`).
    """

    __tablename__ = "commentary"
    __table_args__ = (
        Index("ix_commentary_key", "measure_id", "area_code", "period_end", "period_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    period_kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(320))
    written_at: Mapped[datetime] = mapped_column(DateTime)


class BriefingPack(Base):
    """A briefing pack as generated: who, when, for which day and scope, and its checksum.

    Enough to rebuild it exactly: the pack is made from the database as it stood at
    ``generated_at`` (:meth:`jwmetrics.store.known.KnownAt.audit`), judged as known on
    ``as_of``; rebuilding with the same values gives the same bytes (``sha256``).
    """

    __tablename__ = "briefing_pack"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_slug: Mapped[str | None] = mapped_column(String(64))  # None: the portfolio
    as_of: Mapped[date] = mapped_column(Date)
    since: Mapped[date | None] = mapped_column(Date)
    file_format: Mapped[str] = mapped_column(String(10))  # "html" or "pdf"
    generated_by: Mapped[str] = mapped_column(String(320))
    generated_at: Mapped[datetime] = mapped_column(DateTime)
    sha256: Mapped[str] = mapped_column(String(64))


class DeliveryRating(Base):
    """One delivery confidence rating: a person's judgement of how likely a target is to be
    met, on the five-point scale of the Infrastructure and Projects Authority (Green,
    Amber/Green, Amber, Amber/Red, Red), with the reason and the evidence, as at a day.

    Never updated: a new judgement is a new row, so the history of every rating is kept;
    the one that applies on a day is the newest with ``as_of`` on or before it.
    """

    __tablename__ = "delivery_rating"
    __table_args__ = (Index("ix_delivery_rating_key", "measure_id", "area_code", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    rating: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    as_of: Mapped[date] = mapped_column(Date)  # the day the judgement is made as at
    rated_by: Mapped[str] = mapped_column(String(320))
    rated_at: Mapped[datetime] = mapped_column(DateTime)  # when it was recorded
