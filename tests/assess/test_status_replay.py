"""Series published over time, replayed through ``import --published``: the status on each day.

Every series here is synthetic (made up to be realistic, labelled so in its name) and runs
on SQLite and PostgreSQL. Each case imports its figures as they would have been published,
then asks ``status --as-of`` what the dashboard would have said on a run of days.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from jwmetrics.cli.main import main

MEASURES = (
    "initiative,slug,name,unit,direction,kind,description,results_expected,too_early_note,source\n"
    "rough-sleepers-unit,syn-decline,[Synthetic] Steady decline,people,down,outcome,,,,synthetic\n"
    "eydcp,syn-rollout,[Synthetic] S-shaped roll-out,percent,up,output,,,,synthetic\n"
    "rough-sleepers-unit,syn-narrow,[Synthetic] Narrow miss,people,down,outcome,,,,synthetic\n"
    "eydcp,syn-over,[Synthetic] Share with an over figure,percent,up,output,,,,synthetic\n"
)
TARGETS = (
    "measure,area_code,baseline_value,baseline_period,target_value,target_change,target_date,"
    "wording,value_qualifier,milestones,source,recorded_at\n"
    "syn-decline,E92000001,2000,2000 Q1,1000,,2003 Q1,halve it,exact,,synthetic,2000-04-01\n"
    "syn-rollout,E92000001,0,March 2000,90,,March 2004,reach 90%,exact,"
    "March 2001=5; March 2002=25; March 2003=65,synthetic,2000-04-01\n"
    "syn-narrow,E92000001,1000,2000 Q4,500,,2002 Q4,halve it,exact,,synthetic,2001-01-01\n"
    "syn-over,E92000001,,,60,,2002-03,reach 60%,exact,,synthetic,2000-04-01\n"
)
HEADER = "initiative,measure,area_code,period,value\n"
NARROW_QUARTERS = [("2001 Q1", 930), ("2001 Q2", 880), ("2001 Q3", 800),
                   ("2001 Q4", 760), ("2002 Q1", 690), ("2002 Q2", 640),
                   ("2002 Q3", 585), ("2002 Q4", 520)]  # fmt: skip
NARROW_DAYS = ["2001-05-01", "2001-08-01", "2001-11-01", "2002-02-01",
               "2002-05-01", "2002-08-01", "2002-11-01", "2003-02-01"]  # fmt: skip
"""A synthetic count closing on a target of 500 and missing it narrowly, with the days
each quarter's figure was published."""


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def catalogue(db_url: str, tmp_path: Path) -> str:
    """A seeded database with the four synthetic measures and their targets."""
    for name, text in (("measures.csv", MEASURES), ("targets.csv", TARGETS)):
        path = tmp_path / name
        path.write_text(text)
        code, _, err = run(db_url, "catalogue", str(path))
        assert code == 0, err
    return db_url


def publish(url: str, folder: Path, measure: str, rows: list[tuple[str, str]], on: str) -> None:
    """Import one return of ``(period, value)`` rows for ``measure``, published ``on``."""
    initiative = "eydcp" if measure in ("syn-rollout", "syn-over") else "rough-sleepers-unit"
    lines = [f"{initiative},{measure},E92000001,{period},{value}" for period, value in rows]
    path = folder / f"synthetic-{measure}-{on}.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n")
    code, out, err = run(url, "import", str(path), "--published", on, "--yes")
    assert code == 0, out + err


def status(url: str, measure: str, day: str) -> dict[str, object]:
    """The status record of ``measure`` in England as known on ``day``."""
    code, out, err = run(url, "status", "--format", "json", "--as-of", day)
    assert code == 0, err
    return next(r for r in json.loads(out) if r["measure"] == measure)


def test_a_steady_decline_that_meets_its_target(catalogue: str, tmp_path: Path) -> None:
    # About 6.5% fewer each quarter, with a little noise: on course to beat 1,000 by 2003 Q1.
    quarters = [("2000 Q2", 1875), ("2000 Q3", 1740), ("2000 Q4", 1641),
                ("2001 Q1", 1526), ("2001 Q2", 1436), ("2001 Q3", 1330),
                ("2001 Q4", 1253), ("2002 Q1", 1163), ("2002 Q2", 1098),
                ("2002 Q3", 1017), ("2002 Q4", 958), ("2003 Q1", 891)]  # fmt: skip
    published = ["2000-08-15", "2000-11-15", "2001-02-15", "2001-05-15", "2001-08-15",
                 "2001-11-15", "2002-02-15", "2002-05-15", "2002-08-15", "2002-11-15",
                 "2003-02-15", "2003-05-15"]  # fmt: skip
    for (period, value), day in zip(quarters, published, strict=True):
        publish(catalogue, tmp_path, "syn-decline", [(period, str(value))], day)
    early = status(catalogue, "syn-decline", "2000-12-01")
    assert early["status"] == "Amber"  # two figures: a thin record hedges
    assert early["probability_met"] is not None
    five = status(catalogue, "syn-decline", "2001-08-20")
    assert five["status"] == "Amber" and five["forecast_low"] is not None
    assert 0.5 < five["probability_met"] < 0.8  # type: ignore[operator]
    assert five["published_on"] == "2001-08-15"
    # The chance grows with the record; a path may still bend, so Green from the ninth.
    nine = status(catalogue, "syn-decline", "2002-08-20")
    assert nine["status"] == "Green" and nine["probability_met"] >= 0.8  # type: ignore[operator]
    early_met = status(catalogue, "syn-decline", "2003-02-15")
    assert early_met["status"] == "Green"  # met early: confirmed only by 2003 Q1's figure
    assert "met early, to be confirmed" in str(early_met["reason"])
    due = status(catalogue, "syn-decline", "2003-04-20")
    assert (due["status"], due["trend_status"]) == ("Awaiting", "Green")
    assert str(due["reason"]).startswith("Awaiting: due March 2003, 20 days ago; the figure")
    done = status(catalogue, "syn-decline", "2003-05-15")
    assert (done["status"], done["target_period"]) == ("Achieved", "2003 Q1")


def test_an_s_shaped_roll_out_judged_against_its_milestones(catalogue: str, tmp_path: Path) -> None:
    figures = [
        ("March 2001", "6"),
        ("March 2002", "27"),
        ("March 2003", "66"),
        ("March 2004", "91"),
    ]
    days = ["2001-06-01", "2002-06-01", "2003-06-01", "2004-06-01"]
    for row, day in zip(figures, days, strict=True):
        publish(catalogue, tmp_path, "syn-rollout", [row], day)
    middle = status(catalogue, "syn-rollout", "2002-06-01")
    # A straight line from 0% to 90% would expect 45% by March 2002; the plan expects 25%.
    assert middle["trajectory_value"] == pytest.approx(25)
    assert middle["status"] != "Red"
    assert "milestone path value of 25%" in str(middle["reason"])
    late = status(catalogue, "syn-rollout", "2003-06-01")
    assert late["status"] != "Red" and late["probability_met"] >= 0.7  # type: ignore[operator]
    assert 0 <= late["forecast_value"] <= 100  # type: ignore[operator]
    assert late["forecast_scale"] == "logit"
    assert status(catalogue, "syn-rollout", "2004-06-01")["status"] == "Achieved"


def test_a_target_missed_narrowly(catalogue: str, tmp_path: Path) -> None:
    quarters, days = NARROW_QUARTERS, NARROW_DAYS
    for (period, value), day in zip(quarters, days, strict=True):
        publish(catalogue, tmp_path, "syn-narrow", [(period, str(value))], day)
        record = status(catalogue, "syn-narrow", day)
        if record["status"] == "Red":  # Red only at a chance of 0.2 or less
            assert record["probability_met"] <= 0.2  # type: ignore[operator]
    assert status(catalogue, "syn-narrow", "2003-01-15")["status"] == "Awaiting"
    final = status(catalogue, "syn-narrow", "2003-02-01")
    assert final["status"] == "Missed"
    assert "the figure for the target period, 520 in 2002 Q4, is above it" in str(final["reason"])


def test_a_series_with_an_over_figure(catalogue: str, tmp_path: Path) -> None:
    publish(catalogue, tmp_path, "syn-over", [("2000-01", "48.0")], "2001-01-10")
    publish(catalogue, tmp_path, "syn-over", [("2001-02", "55.4")], "2002-01-10")
    # An early estimate for the target year comes as a bound ...
    path = tmp_path / "synthetic-syn-over-estimate.csv"
    path.write_text(HEADER + "eydcp,syn-over,E92000001,2002-03,over 50%\n")
    code, out, _ = run(catalogue, "import", str(path), "--published", "2003-04-20", "--dry-run")
    assert code == 0
    assert "the exact 55.4 for 2001-02 stays the figure the status is judged on" in out
    code, out, err = run(catalogue, "import", str(path), "--published", "2003-04-20", "--yes")
    assert code == 0, err
    # ... which can neither meet nor miss a target of 60%: not Missed, and it says why.
    unsure = status(catalogue, "syn-over", "2003-04-25")
    assert unsure["status"] == "Amber"
    assert "is a bound that does not show whether the target was met" in str(unsure["reason"])
    # The exact figure for the year, published later, decides.
    publish(catalogue, tmp_path, "syn-over", [("2002-03", "61.2")], "2003-08-01")
    assert status(catalogue, "syn-over", "2003-08-01")["status"] == "Achieved"
    assert status(catalogue, "syn-over", "2003-07-31")["status"] == "Amber"  # history kept


def test_a_revised_figure_changes_the_verdict_from_its_publication(
    catalogue: str, tmp_path: Path
) -> None:
    publish(
        catalogue, tmp_path, "syn-narrow", [("2002 Q3", "600"), ("2002 Q4", "530")], "2003-02-01"
    )
    publish(catalogue, tmp_path, "syn-narrow", [("2002 Q4", "495")], "2003-06-01")  # revision
    first = status(catalogue, "syn-narrow", "2003-03-01")
    assert (first["status"], first["latest_value"]) == ("Missed", 530)
    revised = status(catalogue, "syn-narrow", "2003-06-01")
    assert (revised["status"], revised["latest_value"]) == ("Achieved", 495)
    assert revised["published_on"] == "2003-06-01"


def test_a_publication_date_in_the_future_is_refused(catalogue: str, tmp_path: Path) -> None:
    path = tmp_path / "synthetic-future.csv"
    path.write_text(HEADER + "rough-sleepers-unit,syn-decline,E92000001,2000 Q2,1900\n")
    code, out, err = run(catalogue, "import", str(path), "--published", "2999-01-01", "--yes")
    assert code == 1 and "nothing was written" in err
    assert "published on 01/01/2999 is in the future" in out


def test_one_view_is_judged_as_known_on_one_day(catalogue: str, tmp_path: Path) -> None:
    """Every row of a view has one date: the newest publication day, unless one is given."""
    publish(catalogue, tmp_path, "syn-decline", [("2010 Q1", "900")], "2010-05-01")
    _, out, _ = run(catalogue, "status", "--format", "json")
    rows = json.loads(out)
    assert {r["as_of"] for r in rows} == {"2010-05-01"}
    rough = next(r for r in rows if r["measure"] == "rough-sleepers-count")
    assert rough["status"] == "Awaiting"  # due April 2002; no figure for April 2002 since
    _, out, _ = run(catalogue, "status", "--format", "json", "--as-of", "2001-12-07")
    assert {r["as_of"] for r in json.loads(out)} == {"2001-12-07"}


def test_track_record_checks_earlier_calls_against_the_outcome(
    catalogue: str, tmp_path: Path
) -> None:
    quarters, days = NARROW_QUARTERS, NARROW_DAYS
    for (period, value), day in zip(quarters, days, strict=True):
        publish(catalogue, tmp_path, "syn-narrow", [(period, str(value))], day)
    code, out, err = run(catalogue, "track-record", "--format", "json")
    assert code == 0, err
    record = json.loads(out)
    narrow = next(t for t in record["targets"] if t["measure"] == "syn-narrow")
    assert (narrow["outcome"], narrow["outcome_known_on"]) == ("Missed", "2003-02-01")
    # One call per earlier publication day, each judged with only what was public then.
    assert [c["as_of"] for c in narrow["calls"]] == days[:-1]
    for call in narrow["calls"]:
        expected = status(catalogue, "syn-narrow", call["as_of"])
        assert call["status"] == expected["status"]
        assert call["right"] == {"Red": True, "Missed": True, "Green": False,
                                 "Achieved": False}.get(call["call"])  # fmt: skip
    decisive = [c for t in record["targets"] for c in t["calls"] if c["right"] is not None]
    hedged = [c for t in record["targets"] for c in t["calls"] if c["call"] == "Amber"]
    assert record["decisive_calls"] == len(decisive)
    assert record["hedged_calls"] == len(hedged)
    if decisive:
        assert record["share_right"] == sum(c["right"] for c in decisive) / len(decisive)
    code, out, _ = run(catalogue, "track-record")
    assert code == 0 and "syn-narrow in E92000001: Missed, known on 2003-02-01" in out


def test_track_record_of_the_report_alone_has_no_earlier_calls(catalogue: str) -> None:
    code, out, _ = run(catalogue, "track-record", "--format", "json")
    assert code == 0
    record = json.loads(out)
    # The 4-year-olds target (March 2001) was met, but its figure is the report's own,
    # published on 7 December 2001: there were no earlier publications to judge on.
    nursery = next(t for t in record["targets"] if t["measure"] == "nursery-places-4-year-olds")
    assert nursery["outcome"] == "Achieved" and nursery["calls"] == []
    assert record["share_right"] is None


def test_the_track_record_scores_every_word_and_the_chance_by_band() -> None:
    """Per word and per band, each target weighs one however many calls it had."""
    from datetime import date

    from jwmetrics.assess.track_record import Call, TargetRecord, TrackRecord

    def target(name: str, outcome: str, calls: list[tuple[str, float]]) -> TargetRecord:
        made = tuple(
            Call(date(2001, 1, 1 + i), word, word, None, chance)
            for i, (word, chance) in enumerate(calls)
        )
        return TargetRecord("i", name, name, "E92000001", "England", 1.0, date(2002, 1, 1),
                            outcome, date(2002, 2, 1), made, 1)  # fmt: skip

    monthly = target("monthly", "Missed", [("Red", 0.1)] * 20 + [("Amber", 0.5)] * 5)
    annual = target("annual", "Achieved", [("Amber", 0.7), ("Green", 0.9)])
    record = TrackRecord((monthly, annual))
    words = record.by_word()
    assert words["Amber"].targets == 2 and words["Amber"].share_met == 0.5  # not 1 in 6
    assert (words["Red"].targets, words["Red"].share_met) == (1, 0.0)
    assert (words["Green"].targets, words["Green"].share_met) == (1, 1.0)
    bands = {(b.low, b.high): b for b in record.calibration()}
    assert bands[(0.0, 0.2)].targets == 1
    assert bands[(0.0, 0.2)].mean_chance == pytest.approx(0.1)
    assert bands[(0.8, 1.0)].share_met == 1.0
    assert bands[(0.4, 0.6)].share_met == 0.0 and bands[(0.6, 0.8)].share_met == 1.0
    as_json = record.as_record()
    assert set(as_json) >= {"share_right", "share_hedged", "by_word", "calibration", "targets"}
