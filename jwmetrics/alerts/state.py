"""What was last alerted per follow and key (``alert_state``): "fire once, then reset until
it changes again". A rule reads the state, compares it with what is known now, and writes
the new state in the same transaction as the alert it makes, so a change fires once."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.alert_models import AlertState


class States:
    """The alert state of every follow, read once and written back as rules change it."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self._rows = {(r.watch_id, r.state_key): r for r in session.scalars(select(AlertState))}

    def get(self, watch_id: int, key: str) -> Any:
        """The value last stored (None: never seen, so the rule only records a baseline)."""
        row = self._rows.get((watch_id, key))
        return None if row is None else json.loads(row.value)

    def put(self, watch_id: int, key: str, value: Any) -> None:
        """Store ``value`` as what was last alerted or seen."""
        text = json.dumps(value, sort_keys=True, default=str)
        row = self._rows.get((watch_id, key))
        if row is None:
            row = AlertState(
                watch_id=watch_id, state_key=key[:300], value=text, updated_at=self.now
            )
            self.session.add(row)
            self._rows[(watch_id, key)] = row
        elif row.value != text:
            row.value, row.updated_at = text, self.now
