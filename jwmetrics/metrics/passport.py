"""The measure passport part of :class:`jwmetrics.metrics.face.Metrics` (issue 23, items 4-5).

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; the work is in :mod:`jwmetrics.passport.record` and
:mod:`jwmetrics.store.revisions`, imported where used.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database

if TYPE_CHECKING:
    from jwmetrics.passport.record import Passport
    from jwmetrics.store.revisions import RevisionStats


class PassportMethods:
    """What each measure means (its passport) and how far its figures get revised."""

    db: Database

    def passport(self, measure: str, as_of: date | None = None) -> Passport:
        """The passport of ``measure`` (id or name): definition, sources, frequency, lag,
        revisions policy, rounding, disclosure, owner, caveats, method links and revision
        statistics as known on ``as_of`` (default: the newest publication day)
        (:func:`jwmetrics.passport.record.passport`)."""
        from jwmetrics.passport.record import passport

        return passport(self.db, measure, as_of)

    def passports(self, measures: Sequence[str], as_of: date | None = None) -> list[Passport]:
        """The passports of several measures, in the order given (a pack's annex)."""
        from jwmetrics.passport.record import passports

        return passports(self.db, measures, as_of)

    def revisions(self, measure: str, as_of: date | None = None) -> list[RevisionStats]:
        """How far ``measure``'s first figures have been revised, per partner, as known on
        ``as_of`` (default today) (:func:`jwmetrics.store.revisions.revision_stats`)."""
        return list(self.passport(measure, as_of).revisions)
