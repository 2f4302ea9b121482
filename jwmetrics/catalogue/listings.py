"""The catalogue as plain records: initiatives and measures, for lists and JSON output.

Records are dicts of plain values (ISO dates), so the CLI can print or dump them as they
are and nothing outside the store touches the ORM.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jwmetrics.assess.portfolio import reporting_day
from jwmetrics.assess.progress import resolve
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Initiative, Measure, Target
from jwmetrics.store.known import KnownAt
from jwmetrics.store.targets import current_targets


def initiative_records(db: Database) -> list[dict[str, Any]]:
    """Every initiative: id, name, client group, form of joint working, lead departments
    and the ids of its measures."""
    query = select(Initiative).options(
        selectinload(Initiative.client_group), selectinload(Initiative.measures)
    )
    with db.session() as session:
        return [
            {
                "id": i.slug,
                "name": i.name,
                "client_group": i.client_group.name,
                "joint_working_form": i.joint_working_form,
                "lead_departments": i.lead_departments,
                "measures": [m.slug for m in i.measures],
            }
            for i in session.scalars(query)
        ]


def _target_record(target: Target, direction: str) -> dict[str, Any]:
    """One target in force: area, value (resolved from a change if need be), date, wording."""
    return {
        "area_code": target.area_code,
        "target_value": resolve(target, direction).value,
        "target_date": target.target_date.isoformat() if target.target_date else None,
        "wording": target.wording,
    }


def measure_records(db: Database) -> list[dict[str, Any]]:
    """Every measure in the report's order, with the targets in force on the newest day
    anything became known."""
    with db.session() as session:
        targets = current_targets(session, KnownAt.on(reporting_day(session)))
        records: list[dict[str, Any]] = []
        for measure in session.scalars(select(Measure).order_by(Measure.id)):
            found = [t for (mid, _), t in targets.items() if mid == measure.id]
            records.append(
                {
                    "id": measure.slug,
                    "initiative": measure.initiative_slug,
                    "name": measure.name,
                    "unit": measure.unit,
                    "direction": measure.direction,
                    "kind": measure.kind,
                    "targets": [_target_record(t, measure.direction) for t in found],
                }
            )
        return records
