"""Moved to :mod:`jwmetrics.present.text`; kept only for ``jwmetrics/profiles.py``.

``profiles.py`` still says ``from jwmetrics import fmt`` and is not this change's to edit.
Once its import reads ``from jwmetrics.present import text as fmt``, delete this file.
"""

from jwmetrics.present.text import money

__all__ = ["money"]
