"""The dated events' part of :class:`jwmetrics.metrics.face.Metrics` (issue 23, item 3).

A mixin, so ``Metrics`` stays one face while this concern's methods are listed in a file of
their own; each is a thin call into :mod:`jwmetrics.events.record`, imported where used.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor

if TYPE_CHECKING:
    from jwmetrics.events.record import EventView


class EventMethods:
    """What happened on a day: a policy, definition, data or funding change."""

    db: Database

    def add_event(
        self,
        occurred_on: date | str,
        text: str,
        *,
        kind: str = "policy",
        initiative: str | None = None,
        measure: str | None = None,
        area: str | None = None,
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> EventView:
        """Record a dated event (:func:`jwmetrics.events.record.add_event`): checked, role
        checked in its transaction, audited; never changed afterwards."""
        from jwmetrics.events.record import add_event

        return add_event(
            self.db,
            occurred_on,
            text,
            kind=kind,
            initiative=initiative,
            measure=measure,
            area=area,
            actor=actor,
            by=by,
        )

    def events(
        self,
        initiative: str | None = None,
        measure: str | None = None,
        area: str | None = None,
        as_of: date | None = None,
        recorded_by: datetime | None = None,
    ) -> list[EventView]:
        """The events that apply to a series (or to whatever scope is given), oldest first.

        ``as_of`` keeps to those that had occurred by that day and, with ``recorded_by``
        (default now), were recorded by that moment: as known on, like every figure. None
        gives every event whatever its day.
        """
        from jwmetrics.events.record import events
        from jwmetrics.store.known import KnownAt

        known = KnownAt(as_of, recorded_by or datetime.now()) if as_of else None
        return events(self.db, initiative, measure, area, known)
