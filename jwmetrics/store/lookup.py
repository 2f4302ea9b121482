"""Finding an initiative, measure or area by id or name, and suggesting the nearest.

One place for "find by id or name, else say which names come closest", so the CLI, the
pages and the returns checks word a miss the same way (:class:`InputError` with a
did-you-mean hint).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area, Initiative, Measure
from jwmetrics.problems import InputError, Problem, did_you_mean

ENGLAND = "E92000001"
"""The ONS code of England, the area every national figure is for."""

ALL_LOCAL_AUTHORITIES = "local-authorities"
"""The pseudo-parent whose areas are every local authority in England."""


def find_initiative(session: Session, key: str) -> Initiative:
    """An initiative by id (slug) or name; :class:`InputError` naming the nearest ones."""
    for initiative in session.scalars(select(Initiative)):
        if key in (initiative.slug, initiative.name) or key.lower() == initiative.name.lower():
            return initiative
    names = [*session.scalars(select(Initiative.slug)), *session.scalars(select(Initiative.name))]
    hint = did_you_mean(key, names)
    raise InputError([Problem("initiative", None, None, key, f"unknown initiative{hint}")])


def find_measure(session: Session, key: str) -> Measure:
    """A measure by id (slug) or name; :class:`InputError` naming the nearest ones."""
    for measure in session.scalars(select(Measure)):
        if key in (measure.slug, measure.name) or key.lower() == measure.name.lower():
            return measure
    names = [*session.scalars(select(Measure.slug))]
    hint = did_you_mean(key, names)
    raise InputError([Problem("measure", None, None, key, f"unknown measure{hint}")])


def find_area(db: Database, code: str) -> Area:
    """An area by ONS code or name; :class:`InputError` naming the nearest ones."""
    with db.session() as session:
        area = session.get(Area, code)
        if area is None:
            area = session.scalar(select(Area).where(Area.name == code))
        if area is None:
            names = list(session.scalars(select(Area.code))) + list(
                session.scalars(select(Area.name))
            )
            hint = did_you_mean(code, names)
            raise InputError([Problem("area", None, None, code, f"unknown area{hint}")])
        return area


def match_key(text: str, names: dict[str, str]) -> str | None:
    """The id in ``names`` that ``text`` names, by id or by name (any case); None if none."""
    wanted = text.strip().lower()
    for key, name in names.items():
        if wanted in (key.lower(), name.lower()):
            return key
    return None


def areas_under(session: Session, parent: str) -> list[Area]:
    """The areas directly under ``parent`` (or every local authority), by name."""
    query = select(Area)
    if parent == ALL_LOCAL_AUTHORITIES:
        query = query.where(Area.area_type == "local authority")
    else:
        query = query.where(Area.parent_code == parent)
    return list(session.scalars(query.order_by(Area.name)))
