"""The report's own arithmetic, reproduced from the seeded figures (HC 383, 2001-02)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import Assessment, status_table
from jwmetrics.assess.progress import share_beyond
from jwmetrics.db.engine import DATA_DIR, Database


def by_measure(rows: list[Assessment]) -> dict[str, Assessment]:
    return {row.measure: row for row in rows}


def test_five_initiatives_three_client_groups(seeded_db: Database) -> None:
    rows = status_table(seeded_db)
    assert {r.initiative_name for r in rows} == {
        "Rough Sleepers Unit",
        "Early Years Development and Childcare Partnerships",
        "Sure Start",
        "Business Link partnerships",
        "British Trade International",
    }
    assert {r.client_group for r in rows} == {
        "rough-sleepers",
        "pre-school-children",
        "small-businesses",
    }


def test_default_reporting_date_is_publication_date(seeded_db: Database) -> None:
    assert {r.as_of for r in status_table(seeded_db)} == {date(2001, 12, 7)}


def test_rough_sleeping_fell_62_per_cent(seeded_db: Database) -> None:
    detail = series_detail(seeded_db, "rough-sleepers-count")
    first, last = detail.observations[0], detail.observations[-1]
    assert (first.value, first.period.label) == (1850, "June 1998")
    assert (last.value, last.period.label) == (700, "June 2001")
    assert round((last.value - first.value) / first.value * 100) == -62


def test_rough_sleeping_target_is_two_thirds_cut_computed(seeded_db: Database) -> None:
    detail = series_detail(seeded_db, "rough-sleepers-count")
    assert detail.target is not None
    assert detail.target.value == pytest.approx(1850 / 3)
    assert detail.target.target_date == date(2002, 4, 30)


def test_rough_sleeping_at_december_2001_quoting_trajectory_target_and_chance(
    seeded_db: Database,
) -> None:
    """As known on the report's day: 700 is ahead of the plan (a steady two-thirds cut by
    the same share each year is at 783 in June 2001), but one count since the baseline is
    thin evidence: the run rate gives about 3 in 5, so Amber, not Green."""
    row = series_detail(seeded_db, "rough-sleepers-count", as_of=date(2001, 12, 7)).assessment
    assert row.status == "Amber"
    assert row.trajectory_value == pytest.approx(783, abs=1)
    assert row.reason.startswith("At risk: 700 in June 2001 is below the trajectory value of 783")
    assert "the target of 617 (about 600)" in row.reason
    assert row.probability_met is not None and 0.5 < row.probability_met < 0.7
    assert row.progress == pytest.approx(1150 / (1850 - 1850 / 3))


def test_childcare_places_achieved_70_per_cent_over_target(seeded_db: Database) -> None:
    row = by_measure(status_table(seeded_db))["new-childcare-places"]
    assert row.status == "Achieved"  # no deadline: the figure that meets it settles it
    assert (row.latest_value, row.target_value) == (140_000, 82_000)
    assert int(share_beyond(82_000, 140_000)) == 70
    assert row.progress == pytest.approx(140_000 / 82_000)
    assert "70.7% above it" in row.reason


def test_nursery_places(seeded_db: Database) -> None:
    rows = by_measure(status_table(seeded_db))
    assert rows["nursery-places-4-year-olds"].status == "Achieved"
    three = rows["nursery-places-3-year-olds"]
    assert (three.latest_value, three.latest_qualifier) == (50, "over")
    assert three.target_value == pytest.approx(200 / 3)
    assert three.status == "Amber"
    assert "over 50% at 31 March 2001" in three.reason


def test_cost_of_reducing_rough_sleeping_fell_from_120000_to_70000(seeded_db: Database) -> None:
    detail = series_detail(seeded_db, "rough-sleeping-cost-per-person")
    values = [(o.value, o.qualifier) for o in detail.observations]
    assert values == [(120_000, "around"), (70_000, "around")]
    assert round((70_000 - 120_000) / 120_000 * 100) == -42


def test_childcare_place_cost_against_previous_arrangements(seeded_db: Database) -> None:
    rows = by_measure(status_table(seeded_db))
    assert rows["childcare-place-cost"].latest_value == 650
    assert rows["out-of-school-place-cost-before"].latest_value == 640


@pytest.mark.parametrize("initiative", ["sure-start", "british-trade-international"])
def test_too_early_initiatives_are_grey(seeded_db: Database, initiative: str) -> None:
    rows = status_table(seeded_db, initiative=initiative)
    assert rows and {r.status for r in rows} == {"Grey"}
    assert all(r.reason.startswith("Too early to measure") for r in rows)


def test_british_trade_international_results_expected_2002(seeded_db: Database) -> None:
    rows = status_table(seeded_db, initiative="British Trade International")
    assert all("Results expected 2002" in r.reason for r in rows)


def test_business_link_satisfaction_has_no_target(seeded_db: Database) -> None:
    row = by_measure(status_table(seeded_db))["business-link-customer-satisfaction"]
    assert (row.status, row.latest_value, row.latest_period) == ("No target", 75, "1997")


def test_as_of_before_publication_knows_nothing(seeded_db: Database) -> None:
    rows = status_table(seeded_db, as_of=date(2001, 7, 1))
    assert {r.status for r in rows} == {"Grey"}


REPORT_FILES = [
    p
    for p in sorted(DATA_DIR.glob("*.csv"))
    if not p.name.startswith(
        ("areas_", "rough_sleeping", "snapshot_", "returns_schedule", "self_assessment_")
    )
]


def test_report_files_found() -> None:
    assert len(REPORT_FILES) == 9  # the report's 7, balancing_measures.csv and passports.csv


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.name)
def test_every_report_row_cites_its_source(path: Path) -> None:
    """Every row of the report's figures names its figure or paragraph."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert any(word in row["source"] for word in ("Figure", "Paragraph", "paragraph")), row


def test_snapshot_measures_cite_the_official_tables() -> None:
    """The official snapshot's measures cite its tables, not the NAO report."""
    with (DATA_DIR / "snapshot_measures.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert all("Rough sleeping snapshot in England" in row["source"] for row in rows)
