"""Balancing measures: what could get worse while a target is chased (paragraph 16).

The catalogue pairs the rough sleeping count with two balancing measures and no figures; a
balancing measure that moves the wrong way by more than its threshold, against its figure
at the target's baseline, adds a sentence to the target's status reason. Both backends.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from jwmetrics.assess.balancing import NO_DATA, ONE_FIGURE, WITHIN, WRONG_WAY, balancing_checks
from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import status_table
from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import BalancingMeasure
from jwmetrics.db.models import Measure, Observation
from jwmetrics.governance.audit import events
from jwmetrics.periods import parse_period
from jwmetrics.present.balancing_chart import NO_DATA_TEXT, balancing_figure
from jwmetrics.problems import InputError
from jwmetrics.store.lookup import find_measure
from jwmetrics.store.writes import ObservationInput, add_observations

COUNT = "rough-sleepers-count"
RETURNING = "rough-sleepers-returning"
HOSTELS = "rough-sleepers-hostel-places"
ENGLAND, LONDON = "E92000001", "E12000007"
PUBLISHED = date(2001, 12, 7)
HEADER = "measure,balancing_measure,threshold,why,source\n"


def add_figures(
    db: Database,
    measure: str,
    figures: list[tuple[str, float]],
    area: str = ENGLAND,
    published: date = PUBLISHED,
    qualifier: str = "exact",
) -> None:
    """Synthetic figures for one series, all published on ``published``."""
    with db.session() as session, session.begin():
        measure_id = find_measure(session, measure).id
        items = [
            ObservationInput(
                measure_id,
                area,
                parse_period(period),
                value,
                "synthetic, for a test",
                qualifier=qualifier,
                published_on=published,
            )
            for period, value in figures
        ]
        add_observations(session, items, datetime.now())


def count_reason(db: Database, as_of: date | None = None) -> str:
    """The reason the status table gives the rough sleeping count in England."""
    rows = status_table(db, as_of, measure=COUNT, area_codes=[ENGLAND])
    assert len(rows) == 1
    return rows[0].reason


def checks_by_measure(db: Database, area: str = ENGLAND) -> dict[str, object]:
    return {c.pair.slug: c for c in balancing_checks(db, COUNT, area)}


# --------------------------------------------------------------------------------------------
# The shipped catalogue: pairs, thresholds, and no invented figures
# --------------------------------------------------------------------------------------------


def test_the_count_is_paired_with_two_balancing_measures_and_no_figures(db: Database) -> None:
    checks = balancing_checks(db, COUNT, ENGLAND)
    assert [(c.pair.slug, c.pair.threshold, c.pair.direction) for c in checks] == [
        (RETURNING, 50.0, "down"),
        (HOSTELS, 100.0, "up"),
    ]
    assert all("Paragraph 16" in c.pair.source and c.pair.why for c in checks)
    assert [c.state for c in checks] == [NO_DATA, NO_DATA]
    assert not any(c.alert for c in checks)
    with db.session() as session:
        ids = [find_measure(session, slug).id for slug in (RETURNING, HOSTELS)]
        stored = select(func.count()).where(Observation.measure_id.in_(ids))
        assert session.scalar(stored) == 0  # no invented figures
    assert "Balancing measure" not in count_reason(db)
    new = status_table(db, measure=RETURNING)
    assert [(r.status, r.reason) for r in new] == [
        ("Grey", "No data yet: no figure has been recorded.")
    ]


def test_a_measure_without_balancing_measures_has_none(db: Database) -> None:
    assert balancing_checks(db, "nursery-places-3-year-olds", ENGLAND) == []


# --------------------------------------------------------------------------------------------
# The rule: against the figure at the target's baseline, the wrong way, beyond the threshold
# --------------------------------------------------------------------------------------------


def test_a_rise_beyond_the_threshold_is_said_in_the_reason(db: Database) -> None:
    add_figures(db, RETURNING, [("June 1998", 300), ("June 1999", 330), ("June 2001", 420)])
    check = checks_by_measure(db)[RETURNING]
    assert (check.change, check.worse_by, check.alert, check.state) == (120, 120, True, WRONG_WAY)
    sentence = (
        "Balancing measure: people returning to the streets after help rose by 120 since "
        "June 1998, to 420 in June 2001, more than the 50 allowed."
    )
    reason = count_reason(db)
    assert reason.startswith("At risk: 700 in June 2001")  # the call itself is unchanged
    assert reason.endswith(" " + sentence)
    assert series_detail(db, COUNT).assessment.reason == reason  # the one place: both agree
    assert status_table(db, measure=COUNT)[0].status == "Amber"


def test_a_move_up_to_the_threshold_is_not_said(db: Database) -> None:
    add_figures(db, RETURNING, [("June 1998", 300), ("June 2001", 350)])  # exactly 50
    check = checks_by_measure(db)[RETURNING]
    assert (check.worse_by, check.alert, check.state) == (50, False, WITHIN)
    assert check.sentence() == ""
    assert "Balancing measure" not in count_reason(db)


def test_the_wrong_way_is_against_the_balancing_measures_own_direction(db: Database) -> None:
    # Hostel places are better higher: a fall of 150 is the wrong way, beyond 100.
    add_figures(db, HOSTELS, [("June 1998", 1000), ("June 2001", 850)])
    # Fewer people returning to the streets is the better way, however far.
    add_figures(db, RETURNING, [("June 1998", 300), ("June 2001", 100)])
    checks = checks_by_measure(db)
    hostels, returning = checks[HOSTELS], checks[RETURNING]
    assert (hostels.change, hostels.worse_by, hostels.alert) == (-150, 150, True)
    assert hostels.limit == 900
    assert (returning.change, returning.worse_by, returning.alert) == (-200, -200, False)
    reason = count_reason(db)
    assert reason.endswith(
        "Balancing measure: hostel places for people sleeping rough fell by 150 since June "
        "1998, to 850 in June 2001, more than the 100 allowed."
    )
    assert "returning" not in reason


def test_more_hostel_places_is_no_alert(db: Database) -> None:
    add_figures(db, HOSTELS, [("June 1998", 1000), ("June 2001", 1600)])
    assert checks_by_measure(db)[HOSTELS].alert is False
    assert "Balancing measure" not in count_reason(db)


def test_the_reference_is_the_figure_at_the_targets_baseline(db: Database) -> None:
    # Baseline June 1998: the 1997 figure is older than it, so June 1998's is the reference.
    add_figures(db, RETURNING, [("1997", 100), ("June 1998", 300), ("June 2001", 360)])
    check = checks_by_measure(db)[RETURNING]
    assert check.reference is not None and check.reference.period.label == "June 1998"
    assert check.change == 60
    assert "rose by 60 since June 1998" in count_reason(db)


def test_with_no_figure_as_old_as_the_baseline_the_first_after_it_is_used(db: Database) -> None:
    add_figures(db, RETURNING, [("June 1999", 200), ("June 2001", 290)])
    check = checks_by_measure(db)[RETURNING]
    assert check.reference is not None and check.reference.period.label == "June 1999"
    assert "rose by 90 since June 1999" in count_reason(db)


def test_without_a_target_baseline_the_first_figure_is_the_reference(db: Database) -> None:
    # London has count figures but no target: its balancing figures start from their first.
    add_figures(db, COUNT, [("June 2000", 500), ("June 2001", 400)], area=LONDON)
    add_figures(db, RETURNING, [("1997", 20), ("June 2001", 90)], area=LONDON)
    check = checks_by_measure(db, LONDON)[RETURNING]
    assert check.reference is not None and check.reference.period.label == "1997"
    assert check.alert  # 70 > 50
    (london,) = status_table(db, measure=COUNT, area_codes=[LONDON])
    assert london.reason.endswith(
        "rose by 70 since 1997, to 90 in June 2001, more than the 50 allowed."
    )
    assert "Balancing measure" not in count_reason(db)  # England's has no such figures


def test_one_figure_and_bounds_are_no_move(db: Database) -> None:
    add_figures(db, RETURNING, [("June 1998", 300)])
    add_figures(db, RETURNING, [("June 2001", 900)], qualifier="over")  # a bound, not a value
    check = checks_by_measure(db)[RETURNING]
    assert (check.state, check.change, check.alert) == (ONE_FIGURE, None, False)
    assert len(check.figures) == 2  # both drawn, only the value compared


def test_balancing_figures_count_only_once_published(db: Database) -> None:
    add_figures(db, RETURNING, [("June 1998", 300), ("June 2001", 500)], published=date(2002, 3, 1))
    assert "Balancing measure" not in count_reason(db, as_of=date(2002, 1, 1))
    assert "rose by 200" in count_reason(db, as_of=date(2002, 3, 1))
    # Without a day: one date for the view, the newest publication day (2002-03-01 here).
    row = status_table(db, measure=COUNT, area_codes=[ENGLAND])[0]
    assert row.as_of == date(2002, 3, 1) and "rose by 200" in row.reason


def test_the_status_table_reads_every_pair_in_one_query(db: Database) -> None:
    add_figures(db, RETURNING, [("June 1998", 300), ("June 2001", 420)])
    add_figures(db, COUNT, [("June 2000", 500), ("June 2001", 400)], area=LONDON)
    statements: list[str] = []

    def grab(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        rows = status_table(db)
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    assert sum("Balancing measure" in r.reason for r in rows) == 1
    touching = [s for s in statements if "balancing_measure" in s]
    assert len(touching) == 1, touching  # one query for every pair, not one per series


# --------------------------------------------------------------------------------------------
# The catalogue file
# --------------------------------------------------------------------------------------------


def test_a_new_pairing_loads_from_a_catalogue_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "balancing.csv"
    path.write_text(
        HEADER + "nursery-places-3-year-olds,new-childcare-places,5000,"
        '"Places for 3 year olds could be made by turning childcare places over",'
        "synthetic pairing for a test\n",
        encoding="utf-8",
    )
    assert load_catalogue_file(db, path, by="admin@x") == ("balancing_measures", 1)
    (pair,) = [c.pair for c in balancing_checks(db, "nursery-places-3-year-olds", ENGLAND)]
    assert (pair.slug, pair.threshold, pair.direction) == ("new-childcare-places", 5000, "up")
    (logged,) = [e for e in events(db) if e.action == "catalogue"]
    assert "balancing measures" in logged.detail and "new-childcare-places" in logged.detail


def test_a_balancing_file_with_problems_names_each_row_and_column(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "balancing.csv"
    path.write_text(
        HEADER
        + "rough-sleeper-count,rough-sleepers-returning,50,why,src\n"  # 2: unknown measure
        + "rough-sleepers-count,rough-sleepers-count,50,why,src\n"  # 3: itself
        + "rough-sleepers-count,new-childcare-places,-5,why,src\n"  # 4: negative threshold
        + "rough-sleepers-count,new-childcare-places,lots,,\n"  # 5: not a number, no why/source
        + "rough-sleepers-count,rough-sleepers-returning,10,why,src\n",  # 6: paired already
        encoding="utf-8",
    )
    with db.session() as session:
        before = session.scalar(select(func.count()).select_from(BalancingMeasure))
    with pytest.raises(InputError) as caught:
        load_catalogue_file(db, path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (2, "measure"),
        (3, "balancing_measure"),
        (4, "threshold"),
        (5, "threshold"),
        (5, "why"),
        (5, "source"),
        (6, "balancing_measure"),
    }
    messages = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "did you mean 'rough-sleepers-count'" in messages[(2, "measure")]
    assert "cannot balance itself" in messages[(3, "balancing_measure")]
    assert "already a balancing measure" in messages[(6, "balancing_measure")]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(BalancingMeasure)) == before


def test_the_shipped_measures_cite_paragraph_16(db: Database) -> None:
    with db.session() as session:
        for slug in (RETURNING, HOSTELS):
            measure = session.scalar(select(Measure).where(Measure.slug == slug))
            assert measure is not None and measure.initiative_slug == "rough-sleepers-unit"
            assert "16" in measure.source and "ours" in measure.source


# --------------------------------------------------------------------------------------------
# The chart
# --------------------------------------------------------------------------------------------


def test_without_balancing_figures_each_panel_says_no_data_yet(db: Database) -> None:
    figure = balancing_figure(series_detail(db, COUNT), balancing_checks(db, COUNT, ENGLAND))
    placed = [a.yref for a in figure.layout.annotations if a.text == NO_DATA_TEXT]
    assert placed == ["y2 domain", "y3 domain"]
    start, end = figure.to_plotly_json()["layout"]["xaxis"]["range"]
    assert str(start) < "1998-06-30" < "2002-04-30" < str(end) < "2003"  # not from 1970


def test_the_chart_shares_its_time_axis_and_says_no_data_yet(db: Database) -> None:
    add_figures(db, RETURNING, [("June 1998", 300), ("June 2001", 420)])
    detail = series_detail(db, COUNT)
    figure = balancing_figure(detail, balancing_checks(db, COUNT, ENGLAND))
    layout = figure.to_plotly_json()["layout"]
    assert layout["xaxis"]["matches"] == "x3" and layout["xaxis2"]["matches"] == "x3"
    names = [t.name for t in figure.data]
    assert names[0] == detail.measure_name and "Target" in names
    assert "People returning to the streets after help" in names
    limit = [t for t in figure.data if t.name.startswith("Wrong-way limit")]
    assert len(limit) == 1 and list(limit[0].y) == [350, 350]  # 300 + the 50 allowed
    texts = [a.text for a in figure.layout.annotations]
    (no_data,) = [a for a in figure.layout.annotations if a.text == NO_DATA_TEXT]
    assert no_data.yref == "y3 domain"  # in the hostel places' own panel: no figure yet
    start, end = layout["xaxis3"]["range"]  # the shared axis spans what is drawn, no more
    assert str(start) < "1998-06-30" < "2002-04-30" < str(end) < "2003"
    assert any(t.startswith("Source:") and "synthetic" in t for t in texts)
