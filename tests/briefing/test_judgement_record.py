"""The track record scores judgement and rule on one replayed series, call by call.

A synthetic count (labelled so in its name) falls fast, so the rule calls it Green once,
then rises and misses its target; delivery confidence ratings (synthetic reasons) are made
on some of the publication days: one gloomy rating that the outcome bears out where the
rule said Green, one hopeful rating the outcome proves wrong where the rule said Red. Runs
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from jwmetrics.cli.main import main

MEASURES = (
    "initiative,slug,name,unit,direction,kind,description,results_expected,too_early_note,source\n"
    "rough-sleepers-unit,syn-stall,[Synthetic] Fast fall then a rise,people,down,outcome,,,,"
    "synthetic\n"
)
TARGETS = (
    "measure,area_code,baseline_value,baseline_period,target_value,target_change,target_date,"
    "wording,value_qualifier,milestones,source,recorded_at\n"
    "syn-stall,E92000001,1000,2000 Q4,500,,2002 Q4,halve it,exact,,synthetic,2001-01-01\n"
)
QUARTERS = [("2001 Q1", 840), ("2001 Q2", 700), ("2001 Q3", 590), ("2001 Q4", 520),
            ("2002 Q1", 600), ("2002 Q2", 680), ("2002 Q3", 760), ("2002 Q4", 840)]  # fmt: skip
DAYS = ["2001-05-01", "2001-08-01", "2001-11-01", "2002-02-01",
        "2002-05-01", "2002-08-01", "2002-11-01", "2003-02-01"]  # fmt: skip
"""Each quarter's figure and the day it was published; 2002 Q4's settles the target."""
RATINGS = [("Amber", "2001-06-01"), ("Amber/Red", "2001-11-01"), ("Green", "2002-10-01")]
"""Ratings made as at these days: each in force from its day to the next one's."""


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def ok(url: str, *args: str) -> str:
    code, out, err = run(url, *args)
    assert code == 0, out + err
    return out


@pytest.fixture
def replayed(db_url: str, tmp_path: Path) -> str:
    """The series published quarter by quarter, rated on three days, and settled (Missed)."""
    for name, text in (("measures.csv", MEASURES), ("targets.csv", TARGETS)):
        (tmp_path / name).write_text(text)
        ok(db_url, "catalogue", str(tmp_path / name))
    for (period, value), day in zip(QUARTERS, DAYS, strict=True):
        path = tmp_path / f"synthetic-syn-stall-{day}.csv"
        path.write_text(
            "initiative,measure,area_code,period,value\n"
            f"rough-sleepers-unit,syn-stall,E92000001,{period},{value}\n"
        )
        ok(db_url, "import", str(path), "--published", day, "--yes")
    for rating, day in RATINGS:
        ok(
            db_url, "rate", "syn-stall", "--area", "E92000001", "--rating", rating,
            "--reason", f"synthetic: judged {rating}", "--evidence", "synthetic: field reports",
            "--as-of", day, "--user", "ann@example.gov.uk",
        )  # fmt: skip
    return db_url


def test_the_track_record_scores_the_judgement_beside_the_rule(replayed: str) -> None:
    record = json.loads(ok(replayed, "track-record", "--initiative", "rough-sleepers-unit",
                           "--format", "json"))  # fmt: skip
    stall = next(t for t in record["targets"] if t["measure"] == "syn-stall")
    assert (stall["outcome"], stall["outcome_known_on"]) == ("Missed", "2003-02-01")
    calls = stall["calls"]
    assert [c["as_of"] for c in calls] == DAYS[:-1]
    # The rule: Green once (wrong), Red once at the end (right), Amber otherwise.
    assert [c["call"] for c in calls] == ["Amber", "Amber", "Amber", "Green", "Amber", "Amber",
                                          "Red"]  # fmt: skip
    assert [c["right"] for c in calls] == [None, None, None, False, None, None, True]
    # The judgement in force each day: none before 1 June 2001, then each rating from its day.
    assert [c["judged_rating"] for c in calls] == [
        None, "Amber", "Amber/Red", "Amber/Red", "Amber/Red", "Amber/Red", "Green",
    ]  # fmt: skip
    assert [c["judged_call"] for c in calls] == [None, "Amber", "Red", "Red", "Red", "Red",
                                                 "Green"]  # fmt: skip
    assert [c["judged_right"] for c in calls] == [None, None, True, True, True, True, False]
    assert [c["judged_on"] for c in calls] == [
        None, "2001-06-01", "2001-11-01", "2001-11-01", "2001-11-01", "2001-11-01", "2002-10-01",
    ]  # fmt: skip
    assert {c["judged_by"] for c in calls[1:]} == {"ann@example.gov.uk"}
    # Recorded today, dated back: every rating is marked as written after its day.
    assert [c["judged_recorded_later"] for c in calls] == [None] + [True] * 6
    assert record["judgement"] == {
        "rated_calls": 6,
        "judged_decisive_calls": 5,
        "judged_right_calls": 4,
        "judged_share_right": 0.8,
        "compared_calls": 2,  # 1 February 2002 (Green v Amber/Red), 1 November 2002 (Red v Green)
        "rule_right_compared": 1,
        "judged_right_compared": 1,
        "rule_share_right_compared": 0.5,
        "judged_share_right_compared": 0.5,
        "disagreed": 2,
        "judgement_right_rule_wrong": 1,
        "rule_right_judgement_wrong": 1,
        "judged_where_rule_hedged": 3,
        "judged_right_where_rule_hedged": 3,
        "recorded_later": 6,
    }
    # The rule's own scores are unchanged by the ratings.
    assert (record["decisive_calls"], record["right_calls"], record["hedged_calls"]) == (2, 1, 5)
    text = ok(replayed, "track-record", "--initiative", "rough-sleepers-unit")
    assert (
        "judgement right where the rule was wrong: 1; rule right where judgement was wrong: 1"
        in text
    )
    assert (
        "2002-02-01  Green                wrong   judged Amber/Red   right, recorded later" in text
    )


def test_csv_gives_a_row_a_call_and_as_recorded_leaves_out_ratings_written_later(
    replayed: str,
) -> None:
    table = ok(replayed, "track-record", "--initiative", "rough-sleepers-unit", "--format", "csv")
    rows = [r for r in csv.DictReader(io.StringIO(table)) if r["measure"] == "syn-stall"]
    assert [(r["as_of"], r["call"], r["judged_rating"], r["judged_right"]) for r in rows][3] == (
        "2002-02-01",
        "Green",
        "Amber/Red",
        "True",
    )
    assert len(rows) == 7
    strict = json.loads(ok(replayed, "track-record", "--initiative", "rough-sleepers-unit",
                           "--format", "json", "--as-recorded"))  # fmt: skip
    assert strict["judgement"]["rated_calls"] == 0  # every rating was recorded after 2002
    assert strict["judgement"]["compared_calls"] == 0
    assert strict["judgement"]["judged_share_right"] is None


def test_as_recorded_counts_a_rating_from_the_day_it_was_recorded() -> None:
    """The newest rating made as at the day wins; as recorded, only those written by then."""
    from datetime import date, datetime

    from jwmetrics.briefing.judgement_record import in_force
    from jwmetrics.briefing.ratings import Rating

    def rating(ident: int, point: str, as_of: date, rated_at: datetime) -> Rating:
        return Rating(ident, "i", "m", "E92000001", point, "r", "e", as_of, "ann", rated_at)

    early = rating(1, "Green", date(2001, 6, 1), datetime(2001, 6, 1, 9))
    backdated = rating(2, "Red", date(2001, 6, 1), datetime(2001, 9, 1, 9))  # written in hindsight
    ratings = [early, backdated]
    assert in_force(ratings, date(2001, 5, 31)) is None
    assert in_force(ratings, date(2001, 7, 1)) == backdated
    assert in_force(ratings, date(2001, 7, 1), datetime(2001, 7, 1, 23, 59)) == early
    assert in_force(ratings, date(2001, 9, 2), datetime(2001, 9, 2, 23, 59)) == backdated
