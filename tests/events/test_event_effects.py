"""What dated events change: a definition change splits the forecast; a change point cites
its cause; charts draw events at their day; packs list them as known; migration 0016 keeps
the change points stored before it.

Tests that take ``db`` or ``db_url`` run on SQLite and PostgreSQL. Events and figures made
up here are synthetic; the measures and areas are the report's.
"""

from __future__ import annotations

from datetime import date

import pytest
from migrations import engine_at
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from jwmetrics.assess.progress import ResolvedTarget
from jwmetrics.assess.status import MeasureFacts, judge
from jwmetrics.db.engine import Database, migrate
from jwmetrics.db.event_models import ChangePointCause
from jwmetrics.db.models import ChangePoint
from jwmetrics.events.record import add_event, every_event
from jwmetrics.metrics import Metrics
from jwmetrics.periods import month
from jwmetrics.present.balancing_chart import balancing_figure
from jwmetrics.present.spc_chart import spc_figure
from jwmetrics.present.trend_chart import trend_figure
from jwmetrics.problems import InputError
from jwmetrics.spc.series import add_change_point, cause_text, causes, spc_for_series
from jwmetrics.store.figure import ObservationView

ENGLAND = "E92000001"
MEASURE = "rough-sleepers-count"
RSU = "rough-sleepers-unit"
WIDER = "synthetic: count widened to people bedded down in doorways"
SPLIT = date(2002, 1, 1)


def monthly(first_year: int, values: list[float]) -> list[ObservationView]:
    """Synthetic monthly figures from January of ``first_year``."""
    views = []
    for n, value in enumerate(values):
        period = month(first_year + n // 12, n % 12 + 1)
        views.append(
            ObservationView(
                id=n, measure_id=1, area_code=ENGLAND, period=period, value=value,
                qualifier="exact", marker=None, data_status="final", partner="", note="",
                source="synthetic", return_id=None, row_number=None,
                published_on=period.end, recorded_at=period.end,  # type: ignore[arg-type]
            )
        )  # fmt: skip
    return views


def test_a_definition_change_splits_the_forecast_which_follows_the_new_definition() -> None:
    """Old definition: 24 months falling from 1,000 to 700. New one (wider) from January
    2002: 12 months rising from 900 to 1,010. The forecast fits only the new figures."""
    old = [1000 - 300 * n / 23 for n in range(24)]
    new = [900 + 10 * n for n in range(12)]
    series = monthly(2000, [*old, *new])
    target = ResolvedTarget(600.0, 1000.0, date(1999, 12, 31), date(2004, 12, 31), "down")
    facts = MeasureFacts(unit="people", direction="down")
    joined = judge(series, target, facts, date(2003, 1, 15))
    split = judge(series, target, facts, date(2003, 1, 15), split=SPLIT)
    assert joined.forecast is not None and split.forecast is not None
    assert split.forecast.first >= SPLIT and split.forecast.points == 12
    assert joined.forecast.points == 36  # every figure, old definition and new
    assert split.forecast.value > new[-1]  # rising, as the new definition does
    assert joined.forecast.value < split.forecast.value
    assert split.evidence is not None and split.evidence.trend_figures == 12
    assert "12 figures since the definition change of 1 January 2002" in split.reason
    assert "definition change" not in joined.reason
    assert split.probability_met is not None and joined.probability_met is not None
    assert split.probability_met < joined.probability_met


def test_a_stored_definition_event_splits_the_series_and_the_status_table_agrees(
    db: Database,
) -> None:
    metrics = Metrics(db)
    before = metrics.series(MEASURE)
    assert before.split is None
    metrics.add_event("2000-04-01", WIDER, kind="definition", measure=MEASURE)
    metrics.add_event("2000-05-01", "synthetic: funding", kind="funding", measure=MEASURE)
    after = metrics.series(MEASURE)
    assert after.split == date(2000, 4, 1)
    said = "(1 exact figure since the definition change of 1 April 2000; 2 needed)"
    assert said in after.assessment.reason
    row = next(r for r in metrics.national_status() if r.measure == MEASURE)
    assert row.reason == after.assessment.reason
    assert metrics.series(MEASURE, as_of=date(2000, 3, 31)).split is None  # not happened yet


def test_a_change_point_cites_an_event_or_says_no_known_cause(db: Database) -> None:
    event = add_event(db, date(2000, 1, 1), "synthetic: outreach teams doubled", measure=MEASURE)
    other = add_event(db, date(2000, 1, 1), "synthetic: Sure Start", initiative="sure-start")
    start = date(2000, 1, 1)
    with pytest.raises(InputError) as neither:
        add_change_point(db, MEASURE, ENGLAND, start, "why")
    assert [p.column for p in neither.value.problems] == ["cause"]
    with pytest.raises(InputError, match="cause"):
        add_change_point(db, MEASURE, ENGLAND, start, event_id=event.id, no_known_cause=True)
    with pytest.raises(InputError, match="applies to other series") as elsewhere:
        add_change_point(db, MEASURE, ENGLAND, start, event_id=other.id)
    assert f"this series' events are {event.id}" in str(elsewhere.value)
    with pytest.raises(InputError, match="no such event"):
        add_change_point(db, MEASURE, ENGLAND, start, event_id=999)
    cited = add_change_point(db, MEASURE, ENGLAND, start, event_id=event.id)
    unknown = add_change_point(db, MEASURE, ENGLAND, date(2000, 6, 1), no_known_cause=True)
    found, cited_causes = every_event(db), causes(db)
    assert cited_causes[cited.id].event_id == event.id
    assert cause_text(cited, cited_causes[cited.id], found) == (
        "from 1 January 2000: policy, synthetic: outreach teams doubled (1 January 2000)"
    )
    said = cause_text(unknown, cited_causes[unknown.id], found)
    assert said == "from 1 June 2000: no known cause"
    result = spc_for_series(db, MEASURE)
    assert result.causes == (cause_text(cited, cited_causes[cited.id], found), said)
    assert result.as_record()["change_point_causes"] == list(result.causes)


def _shapes(figure: object) -> dict[str, object]:
    return {s.name: s for s in figure.layout.shapes if s.name}  # type: ignore[attr-defined]


def _events_trace(figure: object) -> object:
    return next(t for t in figure.data if t.name == "Events")  # type: ignore[attr-defined]


def test_each_chart_draws_an_event_at_its_day(db: Database) -> None:
    metrics = Metrics(db)
    event = metrics.add_event("2000-04-01", WIDER, kind="definition", measure=MEASURE)
    early = metrics.add_event("1990-01-01", "synthetic: before the axis", measure=MEASURE)
    found = metrics.events(measure=MEASURE, area=ENGLAND)
    assert [e.id for e in found] == [early.id, event.id]
    detail = metrics.series(MEASURE)
    spc = metrics.spc(MEASURE, ENGLAND)
    figures = {
        "trend": trend_figure(detail, events=found),
        "spc": spc_figure(spc, detail.unit, "SPC", events=found),
        "balancing": balancing_figure(detail, metrics.balancing(MEASURE, ENGLAND), found),
    }
    for name, figure in figures.items():
        shapes = _shapes(figure)
        assert set(shapes) == {f"event {event.id}"}, name  # the 1990 one is off the axis
        line = shapes[f"event {event.id}"]
        assert (line.x0, line.x1) == (date(2000, 4, 1), date(2000, 4, 1)), name  # type: ignore[attr-defined]
        marks = _events_trace(figure)
        assert list(marks.x) == [date(2000, 4, 1)], name  # type: ignore[attr-defined]
        assert list(marks.customdata) == [event.id], name  # type: ignore[attr-defined]
        assert marks.text[0].startswith("definition: synthetic: count"), name  # type: ignore[attr-defined]
        assert WIDER in marks.hovertext[0], name  # type: ignore[attr-defined]
    assert _shapes(figures["balancing"])[f"event {event.id}"].yref == "paper"  # type: ignore[attr-defined]
    # The definition change breaks the trend line there (on the trend and balancing charts).
    for name, trace in (("trend", "Actual"), ("balancing", detail.measure_name)):
        actual = next(t for t in figures[name].data if t.name == trace)
        at = list(actual.x).index(date(2000, 4, 1))
        assert actual.y[at] is None and actual.x[at - 1] < date(2000, 4, 1) < actual.x[at + 1]
    assert not any(t.name == "Events" for t in trend_figure(detail).data)  # none given


def test_the_pack_lists_the_events_known_and_a_rebuild_leaves_out_later_ones(
    db: Database,
) -> None:
    metrics = Metrics(db)
    metrics.add_event("2000-04-01", WIDER, kind="definition", measure=MEASURE)
    made = metrics.add_pack(RSU, date(2001, 12, 7), by="ann")
    page = made.data.decode()
    assert "<h2>Dated events</h2>" in page and WIDER in page
    assert "<td>1 April 2000</td><td>definition</td>" in page
    assert '"name":"event 1"' in page  # drawn on the measure's chart too
    metrics.add_event("2000-06-01", "synthetic: recorded after the pack", measure=MEASURE)
    again = metrics.rebuilt_pack(made.pack_id)
    assert again.sha256 == made.sha256
    assert "recorded after the pack" not in again.data.decode()
    assert "recorded after the pack" in metrics.add_pack(RSU, date(2001, 12, 7)).data.decode()


def test_migration_0016_keeps_the_change_points_stored_before_it(db_url: str) -> None:
    engine = engine_at(db_url, "0015")
    rows = (
        "INSERT INTO client_group (slug, name, description, source) "
        "VALUES ('cg', 'Group', '', 's')",
        "INSERT INTO initiative (slug, name, client_group_slug, purpose, joint_working_form, "
        "lead_departments, key_features, performance_measurement, satisfaction_assessment, "
        "impact, source) VALUES ('rsu', 'RSU', 'cg', '', '', '', '', '', '', '', 's')",
        "INSERT INTO area (code, name, area_type, parent_code) "
        "VALUES ('E92000001', 'England', 'country', NULL)",
        "INSERT INTO measure (id, slug, initiative_slug, name, unit, direction, kind, "
        "description, results_expected, too_early_note, source, recorded_at) VALUES "
        "(1, 'count', 'rsu', 'Count', 'people', 'down', 'outcome', '', '', '', 's', "
        "'2001-01-01 00:00:00')",
        "INSERT INTO change_point (id, measure_id, area_code, starts_on, note, recorded_by, "
        "recorded_at) VALUES (1, 1, 'E92000001', '2000-01-01', 'synthetic: new teams', 'ann', "
        "'2001-01-01 00:00:00')",
    )
    with engine.begin() as connection:
        for row in rows:
            connection.execute(text(row))
    migrate(engine)
    with Session(engine) as session:
        point = session.scalars(select(ChangePoint)).one()
        assert point.note == "synthetic: new teams"
        assert session.scalars(select(ChangePointCause)).all() == []  # cites nothing
        assert cause_text(point, None, []) == "from 1 January 2000: synthetic: new teams"
    engine.dispose()
