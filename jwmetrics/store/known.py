"""What counts as known: the one rule of time every read of the store follows.

A :class:`KnownAt` is built once at the edge (a page's "As known on", the CLI's ``--as-of``)
and passed down to every read: figures *published* on or before its day count, as the
database stood at its ``recorded_by`` moment. A figure from a return counts from the moment
the return began to count (its commit, or its approval where returns need approval) until
the moment it was withdrawn; a submitted or rejected return's figures never count. Targets,
partners and spend carry one timestamp (when they were set) and count when it is at or
before :attr:`KnownAt.cutoff`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, and_, or_, select

from jwmetrics.db.models import Observation, Return


@dataclass(frozen=True)
class KnownAt:
    """What counts as known: figures published by ``day``, in the database as at ``recorded_by``.

    Built once at the edge (a page's "As known on", the CLI's ``--as-of``) and passed down.
    ``recorded_by`` is now for every ordinary view; an audit of what the database itself
    held at an earlier moment sets it to that moment.
    """

    day: date
    recorded_by: datetime = field(default_factory=datetime.now)

    @classmethod
    def on(cls, day: date) -> KnownAt:
        """As known on ``day``: everything published by the end of that day."""
        return cls(day)

    @classmethod
    def audit(cls, moment: datetime) -> KnownAt:
        """The database as it stood at ``moment``: recorded by then and published by then."""
        return cls(moment.date(), moment)

    @property
    def cutoff(self) -> datetime:
        """The latest timestamp that counts: the end of ``day``, or ``recorded_by`` if earlier.

        Targets, partners and spend carry one timestamp (when they were set); they count
        when it is at or before this moment.
        """
        return min(end_of_day(self.day), self.recorded_by)


def end_of_day(day: date) -> datetime:
    """The last moment of ``day``: "as known on 7 December 2001" includes that whole day."""
    return datetime.combine(day, time.max)


def visible_condition(known: KnownAt) -> ColumnElement[bool]:
    """Rows that count at ``known``: published by its day, recorded by its ``recorded_by``,
    and from a return that counted then (approved, or needing no approval, by that moment,
    and not withdrawn by it)."""
    not_counting = (
        select(Return.id)
        .where(
            or_(
                Return.counts_from.is_(None),
                Return.counts_from > known.recorded_by,
                and_(Return.withdrawn_at.is_not(None), Return.withdrawn_at <= known.recorded_by),
            )
        )
        .scalar_subquery()
    )
    return and_(
        Observation.published_on <= known.day,
        Observation.recorded_at <= known.recorded_by,
        or_(Observation.return_id.is_(None), Observation.return_id.not_in(not_counting)),
    )


EVERYTHING = KnownAt(date.max, datetime.max)
"""Everything stored and not withdrawn, whenever published: what ``current_value`` holds."""
