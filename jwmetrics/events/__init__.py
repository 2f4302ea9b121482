"""Dated events: what happened on a day that explains a series' movement (issue 23).

- :mod:`~jwmetrics.events.record`: recording an event (checked, audited, role checked in
  the write) and reading back the ones that apply to a scope, as known on a day;
- :mod:`~jwmetrics.events.splits`: where a change of definition splits a series, so the
  forecast fits only the figures after it.

Charts draw events, packs list them, SPC change points cite them (``docs/events.md``).
"""

from __future__ import annotations

from jwmetrics.events.record import DEFINITION, KINDS, EventView
from jwmetrics.events.splits import after_split, definition_day

__all__ = ["DEFINITION", "KINDS", "EventView", "after_split", "definition_day"]
