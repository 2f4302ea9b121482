"""Seeding: the report's own figures, loaded into an empty database as an explicit step.

Opening a database only connects and migrates it (:func:`jwmetrics.db.engine.open_database`).
Filling it with the report's catalogue and results is done here, by ``python -m jwmetrics
init`` and at the start of the app and of every CLI command (:func:`open_seeded`), never as a
side effect of opening, so a test or a benchmark can hold an empty database.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, inspect, select

from jwmetrics.catalogue.load import KINDS, load_rows
from jwmetrics.db.engine import DATA_DIR, Database, open_database, startup_lock
from jwmetrics.db.models import Initiative, Measure, ReturnSchedule
from jwmetrics.periods import parse_period
from jwmetrics.problems import InputError
from jwmetrics.store.writes import ObservationInput, add_observations
from jwmetrics.tabular.csv_rows import Loader, read_csv_rows

REPORT_PUBLISHED = datetime(2001, 12, 7)
REPORT_CITATION = "NAO, Joining Up to Improve Public Services, HC 383 2001-02"
SCHEDULE_FILE = "returns_schedule.csv"
SEED_ORDER = (
    "client_groups",
    "areas",
    "initiatives",
    "partners",
    "measures",
    "passports",
    "balancing_measures",
    "targets",
    "spend",
)
SEED_FILES = {
    "client_groups": "client_groups.csv",
    "areas": "areas_england.csv",
    "initiatives": "initiatives.csv",
    "partners": "partners.csv",
    "measures": "measures.csv",
    "passports": "passports.csv",
    "balancing_measures": "balancing_measures.csv",
    "targets": "targets.csv",
    "spend": "spend.csv",
}


def _seed_observations(loader: Loader, path: Path) -> None:
    """The report's own results, recorded as known on its publication date."""
    _, rows = read_csv_rows(path)
    measures = loader.known(Measure, "slug")
    items = []
    for row in rows:
        measure = measures[row.get("measure")]
        value = row.get("value")
        items.append(
            ObservationInput(
                measure_id=measure.id,  # type: ignore[attr-defined]
                area_code=row.get("area_code"),
                period=parse_period(row.get("period")),
                value=float(value) if value else None,
                qualifier=row.get("qualifier") or "exact",
                data_status=row.get("status") or "final",
                note=row.get("note"),
                source=f"{REPORT_CITATION}, {row.get('source')}",
                row_number=row.number,
            )
        )
    add_observations(loader.session, items, loader.recorded_at)


def load_report_figures(db: Database, data_dir: Path = DATA_DIR) -> None:
    """Seed an empty database with the report's figures from ``data_dir``, in one transaction."""
    with db.session() as session, session.begin():
        loader = Loader(session, REPORT_PUBLISHED)
        for kind in SEED_ORDER:
            load_rows(loader, data_dir / SEED_FILES[kind], kind)
            session.flush()
        if loader.problems:
            raise InputError(loader.problems)
        _seed_observations(loader, data_dir / "observations.csv")


def is_seeded(db: Database) -> bool:
    """True once the report's initiatives are in the database."""
    if not inspect(db.engine).has_table("initiative"):
        return False
    with db.session() as session:
        return bool(session.scalar(select(func.count()).select_from(Initiative)))


def seed_if_empty(db: Database) -> bool:
    """Load the report's figures unless the database already has them; True if it loaded."""
    if is_seeded(db):
        return False
    load_report_figures(db)
    return True


def seed_schedule(db: Database, data_dir: Path = DATA_DIR) -> int:
    """Add the shipped returns schedule's rows that are not yet scheduled; how many were added.

    A row is added once the measure it is owed for is in the catalogue (the snapshot's are
    added by ``load-snapshot``) and while no row for the same partner, measure and areas is
    stored, so a row an analyst has revised or ended is never added again over theirs.
    """
    _, rows = read_csv_rows(data_dir / SCHEDULE_FILE)
    with db.session() as session, session.begin():
        measures = {slug: id_ for slug, id_ in session.execute(select(Measure.slug, Measure.id))}
        schedule = select(ReturnSchedule.partner, ReturnSchedule.measure_id, ReturnSchedule.areas)
        held = {(p, m, a) for p, m, a in session.execute(schedule)}
        wanted = [
            row
            for row in rows
            if row.get("measure") in measures
            and (row.get("partner"), measures[row.get("measure")], row.get("areas")) not in held
        ]
        loader = Loader(session, datetime.now().replace(microsecond=0))
        for row in wanted:
            KINDS["returns_schedule"][1](loader, row)
        if loader.problems:
            raise InputError(loader.problems)
    return len(wanted)


def open_seeded(url: str | None = None) -> Database:
    """Open (and migrate) the database at ``url``, then seed it if it is empty, and add the
    shipped returns schedule's new rows: the start-up step of the app and the CLI.

    Seeding runs under the database's start-up lock (:func:`startup_lock`), as migrating
    does, so processes that start together seed once: the first loads, the rest wait and find
    the figures there.
    """
    db = open_database(url)
    try:
        with startup_lock(db.engine):
            seed_if_empty(db)
            seed_schedule(db)
    except BaseException:
        db.engine.dispose()
        raise
    return db
