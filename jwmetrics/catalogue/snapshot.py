"""Real local data: the official rough sleeping snapshot, 2010-2022, loaded as a return.

``data/rough_sleeping_snapshot_by_area_2010_2022.csv`` gives the autumn count for England,
its regions and every local authority, with mid-year populations. :func:`load_snapshot`
adds its two measures (the count, and the rate per 100,000 residents, computed here) and
imports the figures through the same path as a partner's return, so they carry the same
provenance. It is not part of the default seed: the report's figures stand alone until an
analyst loads it (``python -m jwmetrics load-snapshot``). Loading it changes the catalogue,
so it is an administrator's job (``Action.CATALOGUE``); the measures it adds and the returns
it commits are audit events, and where returns need approval each return waits for one.

Each year's figures became public the winter after the count, years before anyone loads
them: by default each year is one return, published on its own day
(``data/snapshot_publication_days.csv``), so "as known on" a day and the returns schedule's
timeliness see each year when it was published, never the day it was loaded. Given one
``published_on`` day, the whole table is one return published then (as before).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from sqlalchemy import select

from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.catalogue.seed import seed_schedule
from jwmetrics.db.engine import DATA_DIR, Database
from jwmetrics.db.models import Measure
from jwmetrics.governance.roles import LOCAL_USER, Action, Actor
from jwmetrics.governance.users import authorise
from jwmetrics.returns import CommitOutcome, check_return, commit_return
from jwmetrics.steps import Progress, quiet

SNAPSHOT_FILE = DATA_DIR / "rough_sleeping_snapshot_by_area_2010_2022.csv"
PUBLICATION_FILE = DATA_DIR / "snapshot_publication_days.csv"
MEASURES_FILE = DATA_DIR / "snapshot_measures.csv"
PASSPORTS_FILE = DATA_DIR / "snapshot_passports.csv"  # what the two measures mean
PARTNER = "Official statistics: rough sleeping snapshot in England"
COLUMNS = ["initiative", "measure", "area_code", "area_name", "period", "value", "note"]


def rate_per_100k(people: str, population: str) -> str:
    """People per 100,000 residents to two decimals, or ".." when the population is missing."""
    if not population.strip():
        return ".."
    return f"{int(people) / int(population) * 100_000:.2f}"


def publication_days(path: Path = PUBLICATION_FILE) -> dict[str, date]:
    """The day each year's snapshot became public, by year ("2019": 27 February 2020)."""
    with path.open(encoding="utf-8") as handle:
        return {
            row["year"]: date.fromisoformat(row["published_on"]) for row in csv.DictReader(handle)
        }


def snapshot_return(path: Path = SNAPSHOT_FILE, year: str | None = None) -> bytes:
    """The snapshot table rewritten in the return format: count and rate for each area and
    year (``year``: that year's rows only).

    The "Rest of England" row (area code "-") is left out: it is not an area.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["area_code"] == "-" or (year is not None and row["year"] != year):
                continue
            common = ["rough-sleepers-unit"]
            place = [row["area_code"], row["area_name"], row["year"]]
            people = row["people_sleeping_rough"]
            writer.writerow([*common, "rough-sleeping-snapshot", *place, people, ""])
            rate = rate_per_100k(people, row["population_mid_year"])
            note = "" if rate != ".." else "no population published for this year"
            writer.writerow([*common, "rough-sleeping-rate", *place, rate, note])
    return out.getvalue().encode("utf-8")


def load_snapshot(
    db: Database,
    uploaded_by: str = "",
    published_on: date | None = None,
    actor: Actor = LOCAL_USER,
    progress: Progress = quiet,
) -> CommitOutcome:
    """Add the snapshot measures if missing, then import the figures (idempotent);
    ``progress`` hears each step of the check and the commit.

    ``published_on`` is the day the whole snapshot became public, loaded as one return;
    by default each year is a return of its own, published on its own day
    (:func:`publication_days`). The outcome of several returns sums their counts and names
    the last one. :class:`~jwmetrics.governance.roles.PermissionDenied` unless ``actor`` may
    change the catalogue; ``uploaded_by`` (default the actor's name) is recorded.
    """
    authorise(db, actor, Action.CATALOGUE)
    with db.session() as session:
        known = session.scalar(select(Measure.id).where(Measure.slug == "rough-sleeping-snapshot"))
    if known is None:
        load_catalogue_file(db, MEASURES_FILE, by=uploaded_by, actor=actor)
        load_catalogue_file(db, PASSPORTS_FILE, by=uploaded_by, actor=actor)
        seed_schedule(db)  # the local authorities' annual snapshot return
    if published_on is not None:
        whole = snapshot_return()
        return _commit(db, whole, SNAPSHOT_FILE.name, published_on, uploaded_by, actor, progress)
    outcomes = [
        _commit(
            db,
            snapshot_return(year=year),
            f"rough_sleeping_snapshot_autumn_{year}.csv",  # that year's rows of SNAPSHOT_FILE
            day,
            uploaded_by,
            actor,
            progress,
        )
        for year, day in sorted(publication_days().items())
    ]
    return _together(outcomes)


def _commit(
    db: Database,
    data: bytes,
    file_name: str,
    published_on: date,
    uploaded_by: str,
    actor: Actor,
    progress: Progress,
) -> CommitOutcome:
    """Check and commit one return of the snapshot, published on ``published_on``."""
    check = check_return(
        db, data, file_name, partner=PARTNER, published_on=published_on, progress=progress
    )
    return commit_return(
        db, check, uploaded_by=uploaded_by, confirm_warnings=True, actor=actor, progress=progress
    )


def _together(outcomes: list[CommitOutcome]) -> CommitOutcome:
    """Several returns' outcomes as one: the counts summed, the last return named."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        for kind, count in outcome.counts.items():
            counts[kind] = counts.get(kind, 0) + count
    ids = [o.return_id for o in outcomes if o.return_id is not None]
    imported = sum(1 for o in outcomes if "already imported" in o.message)
    if imported == len(outcomes):
        message = (
            f"every year of the snapshot was already imported ({imported} returns); nothing changed"
        )
    else:
        tally = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("new", "revised", "unchanged"))
        waits = any("submitted for approval" in o.message for o in outcomes)
        done = "submitted for approval" if waits else "committed"
        message = (
            f"{len(outcomes)} returns {done}, one a year, each published on its own day "
            f"(data/{PUBLICATION_FILE.name}): {tally}"
        )
    return CommitOutcome(ids[-1] if ids else None, message, counts)
