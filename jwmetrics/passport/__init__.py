"""The measure passport (issue 23, items 4 and 5): what each measure means, and how far its
figures get revised.

- :mod:`~jwmetrics.passport.fields`: the passport's fields, and the passports catalogue file
  (``data/passports.csv``) that fills them, checked row by row;
- :mod:`~jwmetrics.passport.record`: a measure's :class:`Passport`: the catalogue's facts,
  the passport's fields, the method links and the revision statistics
  (:mod:`jwmetrics.store.revisions`).

A peer of the other analyses (row 6), so the briefing packs can carry passports in their
annex and the catalogue loader can check passports files.
"""

from __future__ import annotations

from jwmetrics.passport.record import MethodLink, Passport

__all__ = ["MethodLink", "Passport"]
