"""The populations reference table: derived from the snapshot table, read by area and year."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from jwmetrics.compare.denominators import (
    POPULATIONS_FILE,
    SNAPSHOT_FILE,
    Denominator,
    NoDenominator,
    derive_populations,
    populations,
    read_populations,
    write_populations,
)


def _snapshot() -> list[dict[str, str]]:
    with SNAPSHOT_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_shipped_table_is_the_derivation(tmp_path: Path) -> None:
    fresh = tmp_path / "populations.csv"
    write_populations(fresh)
    assert fresh.read_text(encoding="utf-8") == POPULATIONS_FILE.read_text(encoding="utf-8")


def test_every_published_population_is_kept_as_published() -> None:
    derived = {(r["area_code"], r["year"]): r for r in derive_populations()}
    published = [r for r in _snapshot() if r["population_mid_year"] and r["area_code"] != "-"]
    assert len(published) == 3_816  # 12 years x 318 areas (East of England has none)
    for row in published:
        kept = derived[(row["area_code"], row["year"])]
        assert (kept["population"], kept["basis"]) == (row["population_mid_year"], "published")
    assert not any(r["year"] == "2022" for r in derived.values())


def test_a_regions_local_authorities_sum_to_its_published_population() -> None:
    """Why the East of England may be summed: for the other eight regions the sum of their
    local authorities equals the published figure exactly, every year."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    published: dict[tuple[str, str], int] = {}
    for row in _snapshot():
        code, year, people = row["area_code"], row["year"], row["population_mid_year"]
        if not people or code == "-":
            continue
        if code.startswith("E12"):
            published[(code, year)] = int(people)
        elif code != "E92000001":
            sums[(row["region_code"], year)] += int(people)
    assert len(published) == 8 * 12
    assert all(sums[key] == value for key, value in published.items())


def test_the_east_of_england_is_the_sum_of_its_45_local_authorities() -> None:
    table = populations()
    east = table.lookup("E12000006", 2019)
    assert isinstance(east, Denominator)
    assert east.value == 6_236_072
    assert "sum of its 45 local authorities" in east.basis
    london = table.lookup("E12000007", 2019)
    assert london == Denominator(8_961_989, "mid-year population 2019")


def test_a_missing_population_says_why() -> None:
    table = populations()
    assert table.lookup("E09000033", 2022) == NoDenominator("no population for 2022 in the source")
    assert table.lookup("E99999999", 2019) == NoDenominator(
        "no population for this area in 2019 in the source"
    )
    assert table.years == set(range(2010, 2022))


def test_reading_a_table_of_ones_own(tmp_path: Path) -> None:
    path = tmp_path / "populations.csv"
    path.write_text("area_code,year,population,basis\nE1,2020,100,published\n", encoding="utf-8")
    table = read_populations(path)
    assert table.lookup("E1", 2020) == Denominator(100.0, "mid-year population 2020")
    assert isinstance(table.lookup("E1", 2021), NoDenominator)
