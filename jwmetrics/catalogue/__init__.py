"""The catalogue: what is measured, by whom, against which target, and the report's figures.

- :mod:`~jwmetrics.catalogue.load`: client groups, initiatives, partners, areas, measures,
  targets and spend, loaded from ``data/*.csv`` and checked row by row;
- :mod:`~jwmetrics.catalogue.balancing` and :mod:`~jwmetrics.catalogue.schedule`: the
  balancing-measure and returns-schedule files;
- :mod:`~jwmetrics.catalogue.seed`: the report's own figures, loaded into an empty database;
- :mod:`~jwmetrics.catalogue.snapshot`: the official rough sleeping snapshot, as a return;
- :mod:`~jwmetrics.catalogue.listings`: initiatives and measures as plain records;
- :mod:`~jwmetrics.catalogue.profiles`: initiative profiles (who delivers, how, at what cost).

The measure passports file (``data/passports.csv``) is checked by
:mod:`jwmetrics.passport.fields`, registered here as one more kind of catalogue file.
"""

from __future__ import annotations

from jwmetrics.catalogue.profiles import InitiativeProfile, MeasureLine

__all__ = ["InitiativeProfile", "MeasureLine"]
