"""Denominators: the mid-year population of each area and year, so counts become rates.

``data/snapshot_populations_mid_year.csv`` is derived from the snapshot table
(``data/rough_sleeping_snapshot_by_area_2010_2022.csv``, whose ``population_mid_year``
column gives the ONS mid-year estimates its Table 5 used) by :func:`derive_populations`; a
test checks the file still equals the derivation. The table has no population for 2022 and
none for the East of England region in any year. For a region without one, the sum of its
local authorities' populations is used when every one of them has a figure, and its
``basis`` says so: for the eight regions the table does give, that sum equals the published
figure exactly in every year (checked by the tests), as it must, a region being its local
authorities. Nothing else is filled in: 2022 stays missing, and an area compared for it is
listed with the reason.

Regenerate after the snapshot table changes with
``python -c "from jwmetrics.compare.denominators import write_populations; write_populations()"``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jwmetrics.db.engine import DATA_DIR
from jwmetrics.store.lookup import ENGLAND

SNAPSHOT_FILE = DATA_DIR / "rough_sleeping_snapshot_by_area_2010_2022.csv"
POPULATIONS_FILE = DATA_DIR / "snapshot_populations_mid_year.csv"
COLUMNS = ["area_code", "year", "population", "basis"]
PUBLISHED = "published"
SOURCE = (
    "ONS mid-year population estimates as given in the rough sleeping snapshot in England, "
    "autumn 2010-2022, Table 5 (Open Government Licence)"
)
PER_RESIDENTS = 100_000
RESIDENTS_UNIT = "per 100,000 residents"
"""The one way a rate of a count by population is written, everywhere."""


@dataclass(frozen=True)
class Denominator:
    """A denominator found: its value and what it is (shown beside the rate)."""

    value: float
    basis: str


@dataclass(frozen=True)
class NoDenominator:
    """No denominator, and why (listed beside the area instead of a rate)."""

    why: str


def derive_populations(snapshot: Path = SNAPSHOT_FILE) -> list[dict[str, str]]:
    """The population rows: each published figure, plus each region missing one as the sum
    of its local authorities (when all of them have one that year). Sorted by area, year."""
    published: dict[tuple[str, str], int] = {}
    children: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    regions: set[tuple[str, str]] = set()
    with snapshot.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, year, people = row["area_code"], row["year"], row["population_mid_year"]
            if code == "-":  # "Rest of England" is not an area
                continue
            population = int(people) if people.strip() else None
            if population is not None:
                published[(code, year)] = population
            if code.startswith("E12"):
                regions.add((code, year))
            elif code != ENGLAND:
                children[(row["region_code"], year)].append(population)
    rows = [
        {"area_code": code, "year": year, "population": str(value), "basis": PUBLISHED}
        for (code, year), value in published.items()
    ]
    for code, year in sorted(regions - set(published)):
        found = children.get((code, year), [])
        if found and None not in found:
            total = sum(value for value in found if value is not None)
            basis = f"sum of its {len(found)} local authorities (none published for the region)"
            rows.append({"area_code": code, "year": year, "population": str(total), "basis": basis})
    return sorted(rows, key=lambda r: (r["area_code"], r["year"]))


def write_populations(path: Path = POPULATIONS_FILE, snapshot: Path = SNAPSHOT_FILE) -> None:
    """Write :func:`derive_populations` to ``path`` (the reference table in ``data/``)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(derive_populations(snapshot))


@dataclass(frozen=True)
class PopulationTable:
    """Mid-year populations by (area code, year), read from the reference table."""

    values: dict[tuple[str, int], Denominator]

    @property
    def years(self) -> set[int]:
        """The years with at least one population."""
        return {year for _, year in self.values}

    def lookup(self, area_code: str, year: int) -> Denominator | NoDenominator:
        """The population of ``area_code`` in ``year``, or why there is none."""
        found = self.values.get((area_code, year))
        if found is not None:
            return found
        if year not in self.years:
            return NoDenominator(f"no population for {year} in the source")
        return NoDenominator(f"no population for this area in {year} in the source")


def read_populations(path: Path = POPULATIONS_FILE) -> PopulationTable:
    """The reference table at ``path`` (read afresh: see :func:`populations` for the cache)."""
    values: dict[tuple[str, int], Denominator] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year = int(row["year"])
            basis = row["basis"]
            words = f"mid-year population {year}" + ("" if basis == PUBLISHED else f", {basis}")
            values[(row["area_code"], year)] = Denominator(float(row["population"]), words)
    return PopulationTable(values)


@lru_cache(maxsize=1)
def populations() -> PopulationTable:
    """The shipped reference table, read once per process."""
    return read_populations()
