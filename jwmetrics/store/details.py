"""Partners and spend of each initiative, as known at a :class:`~jwmetrics.store.known.KnownAt`.

Both carry one timestamp, when they were recorded; they count when it is at or before the
``KnownAt``'s cutoff, the same rule targets follow. Filtered in SQL, so a profile never
holds a partner or a spend figure the chosen day did not know.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.models import Partner, Spend
from jwmetrics.store.known import KnownAt


def partners_known(session: Session, known: KnownAt) -> dict[str, list[Partner]]:
    """Each initiative's partners known at ``known``, in the order they were recorded."""
    query = select(Partner).where(Partner.recorded_at <= known.cutoff).order_by(Partner.id)
    found: dict[str, list[Partner]] = {}
    for partner in session.scalars(query):
        found.setdefault(partner.initiative_slug, []).append(partner)
    return found


def spend_known(session: Session, known: KnownAt) -> dict[str, list[Spend]]:
    """Each initiative's spend figures known at ``known``, earliest period first (those
    without a period last)."""
    query = select(Spend).where(Spend.recorded_at <= known.cutoff).order_by(Spend.id)
    found: dict[str, list[Spend]] = {}
    for spend in session.scalars(query):
        found.setdefault(spend.initiative_slug, []).append(spend)
    for figures in found.values():
        figures.sort(key=lambda s: (s.period_start is None, s.period_start))
    return found
