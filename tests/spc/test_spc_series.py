"""SPC of stored series and the change point table, on each database backend (synthetic).

The figures added here are synthetic monthly counts for the rough sleeping measure, made
up for the tests; the report itself has only two figures for it (too few for a chart).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.models import ChangePoint, Measure
from jwmetrics.periods import month
from jwmetrics.problems import InputError
from jwmetrics.spc.series import add_change_point, change_points, spc_for_series
from jwmetrics.store.writes import ObservationInput, add_observations

ENGLAND = "E92000001"
MEASURE = "rough-sleepers-count"
# synthetic: twelve months about 1,800 in 1999, then twelve about 1,000 in 2000
SYNTHETIC = [
    1800, 1820, 1790, 1810, 1805, 1795, 1815, 1800, 1790, 1810, 1800, 1805,
    1000, 1010, 990, 1005, 995, 1000, 1010, 990, 1000, 1005, 995, 1000,
]  # fmt: skip


def add_synthetic(db: Database, qualifier_for: dict[int, str] | None = None) -> None:
    """Record the synthetic monthly series for Jan 1999 to Dec 2000 (before 7 Dec 2001)."""
    qualifiers = qualifier_for or {}
    with db.session() as session, session.begin():
        measure_id = session.scalar(select(Measure.id).where(Measure.slug == MEASURE))
        items = [
            ObservationInput(
                measure_id=measure_id,
                area_code=ENGLAND,
                period=month(1999 + i // 12, i % 12 + 1),
                value=value,
                source="synthetic test figure",
                qualifier=qualifiers.get(i, "exact"),
            )
            for i, value in enumerate(SYNTHETIC)
        ]
        add_observations(session, items, recorded_at=datetime(2001, 12, 1))


def test_report_figures_alone_are_too_few(db: Database) -> None:
    result = spc_for_series(db, MEASURE)
    assert not result.charted and result.warning == "too few figures for an SPC chart (3 needed)"
    assert (result.measure, result.area_code, result.as_of) == (MEASURE, ENGLAND, date(2001, 12, 7))


def test_stored_series_is_charted_with_target_and_change_points(db: Database) -> None:
    add_synthetic(db)
    before = spc_for_series(db, MEASURE)
    assert len(before.points) == 26 and len(before.segments) == 1  # 24 synthetic + 2 report
    assert before.target == pytest.approx(616.67, abs=0.01)
    add_change_point(
        db, MEASURE, ENGLAND, date(2000, 1, 1), "synthetic: new teams", "t", no_known_cause=True
    )
    after = spc_for_series(db, MEASURE)
    assert [s.first_period for s in after.segments] == ["June 1998", "January 2000"]
    assert after.assurance == "consistently fails"  # limits far above a "down" target of 617
    assert after.points[-1].period_label == "June 2001"  # 700: below the new limits
    assert (
        after.points[-1].rules[0] == "beyond_limits"
        and after.variation == "special cause improving"
    )


def test_change_points_are_stored_and_listed_in_date_order(db: Database) -> None:
    add_change_point(
        db, MEASURE, "England", date(2000, 6, 1), "second", "analyst b", no_known_cause=True
    )
    first = add_change_point(
        db,
        "People counted sleeping rough in England",
        ENGLAND,
        date(1999, 1, 1),
        no_known_cause=True,
    )
    with db.session() as session:
        measure_id = session.scalar(select(Measure.id).where(Measure.slug == MEASURE))
    rows = change_points(db, measure_id, ENGLAND)
    assert [r.starts_on for r in rows] == [date(1999, 1, 1), date(2000, 6, 1)]
    assert (rows[1].note, rows[1].recorded_by, rows[0].id) == ("second", "analyst b", first.id)
    assert isinstance(rows[0].recorded_at, datetime)
    assert change_points(db, measure_id, "E12000007") == []


def test_unknown_measure_or_area_is_an_input_error(db: Database) -> None:
    with pytest.raises(InputError, match="unknown measure"):
        add_change_point(db, "no-such-measure", ENGLAND, date(2000, 1, 1), no_known_cause=True)
    with pytest.raises(InputError, match="unknown area"):
        spc_for_series(db, MEASURE, "Atlantis")
    with db.session() as session:
        assert session.scalars(select(ChangePoint)).all() == []


def test_bounds_are_left_out_with_a_note(db: Database) -> None:
    add_synthetic(db, {3: "over", 4: "under"})
    result = spc_for_series(db, MEASURE)
    assert len(result.points) == 24
    assert "April 1999" not in [p.period_label for p in result.points]
    assert "2 figure(s) given as bounds left out of the chart (April 1999, May 1999)" in (
        result.warning or ""
    )


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_assess_json_and_text(db_url: str) -> None:
    database = open_seeded(db_url)
    add_synthetic(database)
    database.engine.dispose()
    code, out, _ = run(db_url, "spc", MEASURE, "--format", "json")
    record = json.loads(out)
    assert code == 0 and record["measure"] == MEASURE and len(record["points"]) == 26
    assert {"mean", "lower_limit", "upper_limit", "variation", "assurance"} <= set(record)
    assert record["points"][-1]["special_cause"] is True and record["points"][-1]["rules"]
    code, out, _ = run(db_url, "spc", MEASURE, "--area", "England", "--as-of", "2001-12-07")
    assert code == 0 and out.startswith(f"SPC of {MEASURE} in {ENGLAND}, as known on 2001-12-07")
    assert "Variation: special cause improving" in out and "Assurance: " in out
    assert "June 2001" in out and "beyond_limits" in out


def test_cli_change_point_then_spc(db_url: str) -> None:
    code, out, _ = run(
        db_url,
        "change-point",
        MEASURE,
        "2000",
        "--note",
        "synthetic",
        "--no-known-cause",
        "--user",
        "me",
    )
    assert code == 0 and "from 2000-01-01" in out
    code, out, _ = run(db_url, "spc", MEASURE)
    assert code == 0 and "Warning: too few figures" in out


def test_cli_unknown_measure_exits_1(db_url: str) -> None:
    code, _, err = run(db_url, "spc", "no-such-measure")
    assert code == 1 and "unknown measure" in err
    code, _, err = run(db_url, "change-point", "no-such-measure", "2000-01-01")
    assert code == 1 and "unknown measure" in err
