"""The official rough sleeping snapshot, 2010-2022, loaded as a return (real local data)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from jwmetrics.assess.detail import area_table, series_detail
from jwmetrics.assess.portfolio import status_table
from jwmetrics.catalogue.snapshot import load_snapshot, rate_per_100k
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Observation


def test_rate_is_computed_and_missing_population_is_a_marker() -> None:
    assert rate_per_100k("1768", "52642452") == "3.36"
    assert rate_per_100k("3069", "") == ".."


def test_load_snapshot_once(db: Database) -> None:
    first = load_snapshot(db)  # a return a year, each published on its own day
    again = load_snapshot(db)
    assert first.return_id is not None and "8294 new" in first.message
    assert "already imported" in again.message
    with db.session() as session:
        stored = session.scalar(select(func.count()).where(Observation.return_id.is_not(None)))
        last = session.scalar(select(func.count()).where(Observation.return_id == first.return_id))
    assert stored == 8294  # 4,147 areas and years (Rest of England left out), two measures
    assert last == 2 * 319  # the last return is 2022's: England, 9 regions, 309 authorities
    england = series_detail(db, "rough-sleeping-snapshot", "E92000001")
    assert [v.value for v in england.observations][:2] == [1768, 2181]
    rate = series_detail(db, "rough-sleeping-rate", "E92000001").observations
    assert rate[-1].period.label == "2022" and rate[-1].marker == ".." and rate[-1].value is None
    regions = area_table(db, "rough-sleeping-snapshot")
    assert len(regions) == 9
    london = next(r for r in regions if r.area_name == "London")
    assert (london.latest_value, london.latest_period, london.status) == (858, "2022", "No target")
    assert len(area_table(db, "rough-sleeping-snapshot", "E12000007")) == 33


def test_loading_the_snapshot_leaves_the_reports_2002_target_alone(db: Database) -> None:
    """Real 2010-2022 data, published in 2023, must not turn a 2002 target Missed: the
    snapshot is another measure, so the count's target still awaits its own figure."""
    load_snapshot(db, published_on=date(2023, 2, 28))
    rows = {r.measure: r for r in status_table(db, area_codes=["E92000001"])}
    rough = rows["rough-sleepers-count"]
    assert (rough.status, rough.as_of) == ("Awaiting", date(2023, 2, 28))  # one date per view
    assert rows["rough-sleeping-snapshot"].as_of == date(2023, 2, 28)
    assert rows["rough-sleeping-snapshot"].published_on == date(2023, 2, 28)
    # Judged as known today instead, the 2002 target is awaiting its figure, never Missed.
    today = {r.measure: r for r in status_table(db, as_of=date.today(), area_codes=["E92000001"])}
    assert today["rough-sleepers-count"].status == "Awaiting"
