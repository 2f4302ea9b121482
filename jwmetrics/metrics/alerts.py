"""The alerts' part of :class:`jwmetrics.metrics.face.Metrics` (issue 24): follows, the
inbox, delivery preferences, ``notify`` and scheduled packs.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; each method is a thin call into :mod:`jwmetrics.alerts`, imported where used.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor

if TYPE_CHECKING:
    from jwmetrics.alerts.notify import Channels, NotifyReport
    from jwmetrics.alerts.outbox import InboxItem
    from jwmetrics.alerts.schedules import ScheduleRecord
    from jwmetrics.alerts.watches import WatchRecord


class AlertMethods:
    """Who follows what, what they were told, and sending it."""

    db: Database

    def add_watch(self, what: str, user: str = "", actor: Actor = LOCAL_USER) -> WatchRecord:
        """Follow ``what`` (``initiative:ID``, ``measure:ID[@AREA]``, ``partner:NAME``) for
        ``user`` (default: the actor) (:func:`jwmetrics.alerts.watches.add_watch`), and take
        its baseline at once, so the next change is news."""
        from jwmetrics.alerts.evaluate import evaluate
        from jwmetrics.alerts.watches import add_watch

        record = add_watch(self.db, what, user, actor)
        evaluate(self.db)  # the new follow's baseline: it hears of changes from now on
        return record

    def remove_watch(self, watch_id: int, actor: Actor = LOCAL_USER) -> WatchRecord:
        """Unfollow (the row is kept, ended) (:func:`jwmetrics.alerts.watches.remove_watch`)."""
        from jwmetrics.alerts.watches import remove_watch

        return remove_watch(self.db, watch_id, actor)

    def watches(self, user: str | None = None) -> list[WatchRecord]:
        """The open follows, of one user or everyone."""
        from jwmetrics.alerts.watches import list_watches

        return list_watches(self.db, user)

    def inbox(self, user: str) -> list[InboxItem]:
        """``user``'s alerts, newest first (``user``: :func:`jwmetrics.alerts.user_key`)."""
        from jwmetrics.alerts.outbox import inbox

        return inbox(self.db, user)

    def unread_alerts(self, user: str) -> int:
        """How many of ``user``'s alerts are unread (the sidebar's bell)."""
        from jwmetrics.alerts.outbox import unread_count

        return unread_count(self.db, user)

    def mark_alerts_read(self, user: str, ids: list[int] | None = None) -> int:
        """Mark ``user``'s own alerts read (those named, or all); how many changed."""
        from jwmetrics.alerts.outbox import mark_read

        return mark_read(self.db, user, ids)

    def add_delivery_preference(
        self, delivery: str, user: str = "", actor: Actor = LOCAL_USER
    ) -> None:
        """Immediate, daily or weekly digest for ``user`` (default: the actor)."""
        from jwmetrics.alerts.outbox import set_delivery
        from jwmetrics.alerts.watches import user_key
        from jwmetrics.governance.users import email_key

        set_delivery(self.db, email_key(user) if user else user_key(actor), delivery)

    def refresh_alerts(self, now: datetime | None = None) -> int:
        """Run the alert rules now (as after a write); the outbox rows added.

        A write that succeeded is never reported as failed because this did: a database
        error here is logged, and ``notify`` finds the same alerts on its next run."""
        from sqlalchemy.exc import SQLAlchemyError

        from jwmetrics.alerts.evaluate import evaluate

        try:
            return evaluate(self.db, now)
        except SQLAlchemyError as exc:
            logging.getLogger(__name__).warning("alert rules not run now: %s", exc)
            return 0

    def notify(
        self,
        *,
        dry_run: bool = False,
        since: date | None = None,
        now: datetime | None = None,
        channels: Channels | None = None,
    ) -> NotifyReport:
        """Find and send what is due, and the scheduled packs due
        (:func:`jwmetrics.alerts.notify.notify`)."""
        from jwmetrics.alerts.notify import notify
        from jwmetrics.briefing.packs import make_pack as add_pack
        from jwmetrics.present.pack.document import pack_file  # plotly loads only here

        def make_pack(initiative: str, as_of: date, file_format: str) -> tuple[bytes, int]:
            """A pack made and recorded as the face's ``add_pack`` makes one."""
            made = add_pack(
                self.db, initiative, as_of, pack_file, file_format=file_format, by="notify"
            )
            return made.data, made.pack_id

        return notify(
            self.db, dry_run=dry_run, since=since, now=now, channels=channels, make_pack=make_pack
        )

    def add_pack_schedule(
        self,
        initiative: str,
        every: str,
        recipients: list[str],
        skip_unchanged: bool = False,
        actor: Actor = LOCAL_USER,
    ) -> ScheduleRecord:
        """Send ``initiative``'s pack every week or month to ``recipients``
        (:func:`jwmetrics.alerts.schedules.add_schedule`)."""
        from jwmetrics.alerts.schedules import add_schedule

        return add_schedule(self.db, initiative, every, recipients, skip_unchanged, actor)

    def remove_pack_schedule(self, schedule_id: int, actor: Actor = LOCAL_USER) -> ScheduleRecord:
        """Stop a scheduled pack (the row is kept, ended)."""
        from jwmetrics.alerts.schedules import remove_schedule

        return remove_schedule(self.db, schedule_id, actor)

    def pack_schedules(self) -> list[ScheduleRecord]:
        """Every scheduled pack still running."""
        from jwmetrics.alerts.schedules import list_schedules

        return list_schedules(self.db)
