"""The store: every read and write of figures, targets, partners and spend goes through here.

- :mod:`~jwmetrics.store.known`: the one rule of time. A :class:`~jwmetrics.store.known.KnownAt`
  is built once at the edge (a page's "As known on", the CLI's ``--as-of``) and passed down.
- :mod:`~jwmetrics.store.figure`: one figure as read (``ObservationView``).
- :mod:`~jwmetrics.store.versions`: which version of a period counts (the kept table, or a
  ranking of every version for an earlier day or moment).
- :mod:`~jwmetrics.store.figures`: reading series and recent figures as known at a ``KnownAt``.
- :mod:`~jwmetrics.store.writes`: the one insert path for figures, and the current-values
  table it keeps in step on every insert and withdrawal.
- :mod:`~jwmetrics.store.targets`: the target in force for each series.
- :mod:`~jwmetrics.store.details`: partners and spend as known on a day.
- :mod:`~jwmetrics.store.lookup`: finding an initiative, measure or area by id or name, with
  the nearest names suggested when nothing matches (and ``ENGLAND``, the national area).
- :mod:`~jwmetrics.store.names`: every measure's and area's name, and each measure's first day.
- :mod:`~jwmetrics.store.periods_held`: each measure's periods, stepped along an index.
- :mod:`~jwmetrics.store.cross_section`: one period of one measure across every area.
- :mod:`~jwmetrics.store.receipts`: the returns schedule's reads (obligations, figures received).
- :mod:`~jwmetrics.store.keys`: many keys as one table for a join (one bound parameter).
- :mod:`~jwmetrics.store.revisions`: how far first figures have been revised since, per
  measure and partner, in one grouped query.
- :mod:`~jwmetrics.store.data_version`: one cheap query that changes with every write (the
  app's caches are keyed by it).

:func:`~jwmetrics.store.versions.current_figures` is the one query for "the figures as they
stand"; nothing outside this package ranks versions itself.
"""

from __future__ import annotations

from jwmetrics.store.figure import ObservationView
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ENGLAND, match_key
from jwmetrics.store.names import CatalogueNames

__all__ = ["ENGLAND", "CatalogueNames", "KnownAt", "ObservationView", "match_key"]
