"""The store: every read and write of figures, targets, partners and spend goes through here.

- :mod:`~jwmetrics.store.known`: the one rule of time. A :class:`~jwmetrics.store.known.KnownAt`
  is built once at the edge (a page's "As known on", the CLI's ``--as-of``) and passed down.
- :mod:`~jwmetrics.store.figures`: reading figures back as known at a ``KnownAt``.
- :mod:`~jwmetrics.store.writes`: the one insert path for figures, and the current-values
  table it keeps in step on every insert and withdrawal.
- :mod:`~jwmetrics.store.targets`: the target in force for each series.
- :mod:`~jwmetrics.store.details`: partners and spend as known on a day.
- :mod:`~jwmetrics.store.lookup`: finding an initiative, measure or area by id or name, with
  the nearest names suggested when nothing matches.
"""
