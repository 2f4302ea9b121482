"""One figure as read from the store: :class:`ObservationView`, and how rows become one.

Every read of figures returns these (``store.figures``, ``store.versions``): the value with
its qualifier, marker and status, and its provenance (source, return and row, when it was
published and recorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jwmetrics.db.models import Observation
from jwmetrics.periods import Period, PeriodKind


@dataclass(frozen=True)
class ObservationView:
    """The current value of one period of one series, with its provenance."""

    id: int
    measure_id: int
    area_code: str
    period: Period
    value: float | None
    qualifier: str
    marker: str | None
    data_status: str
    partner: str
    note: str
    source: str
    return_id: int | None
    row_number: int | None
    published_on: date
    recorded_at: datetime

    @property
    def is_synthetic(self) -> bool:
        """True when the figure's source or note says it is synthetic (test or demo data,
        labelled wherever it shows)."""
        return "synthetic" in f"{self.source} {self.note}".lower()

    @property
    def is_bound(self) -> bool:
        """True for "over 50%" or "under 600": a bound on the value, not the value."""
        return self.qualifier in BOUND_QUALIFIERS


BOUND_QUALIFIERS = frozenset({"over", "under"})


KINDS: dict[str, PeriodKind] = {str(kind): kind for kind in PeriodKind}
"""Period kinds by their stored text: a dict look-up, not an Enum call, per figure read."""


def view_of_row(row: Any) -> ObservationView:
    """An :class:`ObservationView` from a row of the observation table (Core, no ORM object:
    three times quicker for the tens of thousands of figures a status table reads)."""
    return ObservationView(
        id=row["id"],
        measure_id=row["measure_id"],
        area_code=row["area_code"],
        period=Period(row["period_start"], row["period_end"], KINDS[row["period_kind"]]),
        value=row["value"],
        qualifier=row["qualifier"],
        marker=row["marker"],
        data_status=row["data_status"],
        partner=row["partner"],
        note=row["note"],
        source=row["source"],
        return_id=row["return_id"],
        row_number=row["row_number"],
        published_on=row["published_on"],
        recorded_at=row["recorded_at"],
    )


def view_of(row: Observation) -> ObservationView:
    """An :class:`ObservationView` from an ORM ``Observation``."""
    return ObservationView(
        id=row.id,
        measure_id=row.measure_id,
        area_code=row.area_code,
        period=Period(row.period_start, row.period_end, KINDS[row.period_kind]),
        value=row.value,
        qualifier=row.qualifier,
        marker=row.marker,
        data_status=row.data_status,
        partner=row.partner,
        note=row.note,
        source=row.source,
        return_id=row.return_id,
        row_number=row.row_number,
        published_on=row.published_on,
        recorded_at=row.recorded_at,
    )
