"""The catalogue: what is measured, by whom, against which target, and the report's figures.

- :mod:`~jwmetrics.catalogue.load`: client groups, initiatives, partners, areas, measures,
  targets and spend, loaded from ``data/*.csv`` and checked row by row;
- :mod:`~jwmetrics.catalogue.balancing` and :mod:`~jwmetrics.catalogue.schedule`: the
  balancing-measure and returns-schedule files;
- :mod:`~jwmetrics.catalogue.seed`: the report's own figures, loaded into an empty database;
- :mod:`~jwmetrics.catalogue.snapshot`: the official rough sleeping snapshot, as a return;
- :mod:`~jwmetrics.catalogue.listings`: initiatives and measures as plain records;
- :mod:`~jwmetrics.catalogue.profiles`: initiative profiles (who delivers, how, at what cost);
- :mod:`~jwmetrics.catalogue.passport_fields`: the measure passport's fields and the
  passports file (``data/passports.csv``) that fills them;
- :mod:`~jwmetrics.catalogue.passport`: a measure's passport, with its method links and
  revision statistics.
"""

from __future__ import annotations

from jwmetrics.catalogue.passport import MethodLink, Passport
from jwmetrics.catalogue.profiles import InitiativeProfile, MeasureLine

__all__ = ["InitiativeProfile", "MeasureLine", "MethodLink", "Passport"]
