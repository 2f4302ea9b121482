"""The alert tables (issue 24): who follows what, the outbox of alerts, what was last
alerted, each user's delivery preference and the scheduled packs.

Kept beside :mod:`jwmetrics.db.models`, on the same declarative base, so that module stays
one screenful of the core data model.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jwmetrics.db.models import Base


class Watch(Base):
    """One user following one thing: an initiative, a measure (in an area) or a partner.

    ``kind`` is "initiative", "measure" or "partner"; ``target`` the initiative's id, the
    measure's id or the partner's name; ``area_code`` the area of a measure followed.
    Unfollowing sets ``ended_at``: the row stays, so the history is kept and a default
    follow (:func:`jwmetrics.alerts.watches.follow_assigned`) is not made again.
    """

    __tablename__ = "watch"
    __table_args__ = (Index("ix_watch_user", "user_email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_email: Mapped[str] = mapped_column(String(320))  # lower-case, or the local name
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(200))
    area_code: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(320))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Alert(Base):
    """One alert for one user (or for the webhook, ``user_email`` empty): the outbox row.

    ``dedupe_key`` is unique: the same event never makes two rows for one recipient, however
    many processes find it. ``due_at`` is when it may be sent (a digest's next day or week);
    ``sent_at`` when it was delivered on ``channel`` ("email", "webhook", or "inbox" when no
    mail server is set); ``read_at`` when its user opened it in the app's inbox.
    """

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_alert_dedupe_key"),
        Index("ix_alert_user_read", "user_email", "read_at"),
        Index("ix_alert_sent_due", "sent_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(400))
    user_email: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    channel: Mapped[str] = mapped_column(String(20), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    read_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AlertState(Base):
    """What was last alerted (or first seen) for one watch and one key, as JSON: an alert
    fires when this changes, once, and then waits until it changes again."""

    __tablename__ = "alert_state"
    __table_args__ = (UniqueConstraint("watch_id", "state_key", name="uq_alert_state_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watch_id: Mapped[int] = mapped_column(Integer)
    state_key: Mapped[str] = mapped_column(String(300))
    value: Mapped[str] = mapped_column(Text)  # JSON
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AlertPreference(Base):
    """How one user wants alerts: "immediate" (the default), "daily" or "weekly" digest."""

    __tablename__ = "alert_preference"

    user_email: Mapped[str] = mapped_column(String(320), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PackSchedule(Base):
    """A briefing pack sent on a timer: for an initiative, every week or month, to whom,
    and whether to skip a pack when nothing changed since the last one sent."""

    __tablename__ = "pack_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_slug: Mapped[str] = mapped_column(String(64))
    every: Mapped[str] = mapped_column(String(10))  # "week" or "month"
    recipients: Mapped[str] = mapped_column(Text)  # e-mails, comma-separated
    skip_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(320))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_sha256: Mapped[str] = mapped_column(String(64), default="")
