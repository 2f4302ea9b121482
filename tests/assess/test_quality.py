"""Data quality beside the status: old, provisional, overdue and late-approved figures, and the
per-measure rules that show such a status as Grey.

The synthetic measures here are added through the catalogue like any other; every figure a
test uploads says it is synthetic in its note.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import Assessment, status_table
from jwmetrics.assess.quality import months_old
from jwmetrics.assess.status import StatusRules
from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure
from jwmetrics.present.tables import overview_table
from jwmetrics.problems import InputError
from jwmetrics.returns import check_return, commit_return
from jwmetrics.returns.approval import approve_return

ENGLAND = "E92000001"
MEASURES_HEADER = "initiative,slug,name,unit,direction,kind,source,status_rules\n"
TARGETS_HEADER = (
    "measure,area_code,baseline_value,baseline_period,target_value,target_change,target_date,"
    "wording,value_qualifier,milestones,source,recorded_at\n"
)
SCHEDULE_HEADER = "partner,measure,areas,frequency,due_days,first_period,last_period,source\n"
NOTE = "synthetic test figure"
STEADY, STRICT = "synthetic-steady", "synthetic-strict"


# --------------------------------------------------------------------------------------------
# Ages
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "day", "months"),
    [
        (date(2001, 6, 30), date(2001, 12, 7), 5),
        (date(2022, 12, 31), date(2024, 2, 29), 14),  # a month end to a month end
        (date(2022, 12, 31), date(2024, 2, 28), 13),  # a day short of it in a leap year
        (date(2022, 12, 31), date(2023, 2, 28), 2),
        (date(2001, 12, 31), date(2001, 6, 1), 0),  # not yet ended
    ],
)
def test_months_old_counts_whole_months(end: date, day: date, months: int) -> None:
    assert months_old(end, day) == months


def test_the_quality_thresholds_are_status_rules_with_their_defaults() -> None:
    defaults = StatusRules()
    assert (defaults.note_after_months, defaults.grey_after_months) == (12, 24)
    assert defaults.grey_when_overdue == 0
    custom = StatusRules.for_measure({"grey_after_months": 36.0, "grey_when_overdue": 1.0})
    assert (custom.grey_after_months, custom.grey_when_overdue) == (36, 1)
    assert isinstance(custom.grey_after_months, int)
    assert {f.name for f in fields(StatusRules)} >= {"note_after_months", "grey_after_months"}


# --------------------------------------------------------------------------------------------
# The report's own figures
# --------------------------------------------------------------------------------------------


def row_of(rows: list[Assessment], measure: str) -> Assessment:
    (row,) = [r for r in rows if r.measure == measure and r.area_code == ENGLAND]
    return row


def test_the_reports_figures_on_their_own_day(seeded_db: Database) -> None:
    rows = status_table(seeded_db)  # each as known on 7 December 2001
    assert row_of(rows, "rough-sleepers-count").quality == ()  # 5 months old
    satisfaction = row_of(rows, "business-link-customer-satisfaction")
    assert satisfaction.status == "No target"  # no call is made, so never greyed
    assert satisfaction.quality == ("based on a figure 47 months old",)


def test_a_verdict_is_not_greyed_and_not_aged(seeded_db: Database) -> None:
    rows = status_table(seeded_db, as_of=date(2004, 6, 1))
    rough = row_of(rows, "rough-sleepers-count")
    # Awaiting the April 2002 figure: its trend call rests on June 2001, three years back.
    assert (rough.status, rough.quality) == ("Awaiting", ("based on a figure 35 months old",))
    nursery = row_of(rows, "nursery-places-4-year-olds")
    assert (nursery.status, nursery.quality) == ("Achieved", ())  # a verdict on March 2001
    record = rough.as_record()
    assert record["quality"] == ["based on a figure 35 months old"]


def test_a_measures_own_rule_greys_its_call(db: Database) -> None:
    with db.session() as session, session.begin():
        session.execute(
            update(Measure)
            .where(Measure.slug == "rough-sleepers-count")
            .values(status_rules={"grey_after_months": 4})
        )
    rough = row_of(status_table(db), "rough-sleepers-count")
    assert rough.status == "Grey"
    assert rough.reason.startswith(
        "Grey: the figure it rests on, for June 2001, is 5 months old, more than the 4 months "
        "allowed for this measure, so no colour is shown. On the figures received the call "
        "would be Amber (at risk): 700 in June 2001 is below the trajectory value of 783"
    )
    assert rough.trend_status is None
    # The initiative page reads the same rule through series_detail.
    detail = series_detail(db, "rough-sleepers-count")
    assert (detail.assessment.status, detail.assessment.reason) == (rough.status, rough.reason)
    # Other measures keep the default: 24 months.
    assert row_of(status_table(db), "nursery-places-3-year-olds").status == "Amber"


# --------------------------------------------------------------------------------------------
# Synthetic series with a schedule
# --------------------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def scheduled(db: Database, tmp_path: Path) -> Database:
    """Two synthetic measures, alike but for their rules, each owed for England every year
    from 2001 (due 28 February), each with a target (100 in 2000 to 50 by 2010) and a
    provisional figure of 80 for 2001, received 1 February 2002: Green, on the trajectory."""
    load_catalogue_file(
        db,
        write(
            tmp_path,
            "measures.csv",
            MEASURES_HEADER
            + f"sure-start,{STEADY},Synthetic steady measure,people,down,outcome,Synthetic,\n"
            + f"sure-start,{STRICT},Synthetic strict measure,people,down,outcome,Synthetic,"
            + '"{""grey_when_overdue"": 1}"\n',
        ),
    )
    targets = "".join(
        f"{slug},{ENGLAND},100,2000,50,,2010,synthetic: halve it,exact,,Synthetic,2001-01-01\n"
        for slug in (STEADY, STRICT)
    )
    load_catalogue_file(db, write(tmp_path, "targets.csv", TARGETS_HEADER + targets))
    schedule = "".join(
        f"Local authorities,{slug},{ENGLAND},annual,59,2001,,synthetic test obligation\n"
        for slug in (STEADY, STRICT)
    )
    load_catalogue_file(db, write(tmp_path, "schedule.csv", SCHEDULE_HEADER + schedule))
    send(db, "2001", 80, date(2002, 2, 1), status="provisional")
    return db


def send(
    db: Database, period: str, value: int, published: date, *, status: str = "", wait: bool = False
) -> int:
    """A synthetic return of both measures for England and ``period``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["initiative", "measure", "area_code", "period", "value", "status", "note"])
    for slug in (STEADY, STRICT):
        writer.writerow(["sure-start", slug, ENGLAND, period, value, status, NOTE])
    name = f"synthetic-{period}.csv"
    check = check_return(db, out.getvalue().encode(), name, published_on=published)
    assert not check.errors, check.errors
    outcome = commit_return(
        db, check, uploaded_by="uploader", confirm_warnings=True, needs_approval=wait
    )
    assert outcome.return_id is not None
    return outcome.return_id


def pair(db: Database, as_of: date) -> tuple[Assessment, Assessment]:
    rows = status_table(db, as_of=as_of, initiative="sure-start")
    return row_of(rows, STEADY), row_of(rows, STRICT)


def test_a_provisional_figure_is_said(scheduled: Database) -> None:
    steady, strict = pair(scheduled, date(2002, 6, 1))
    assert steady.status == strict.status != "Grey"
    assert steady.quality == ("based on a provisional figure (2001)",)


def test_an_overdue_return_is_said_and_greys_only_the_measure_that_asks(
    scheduled: Database,
) -> None:
    steady, strict = pair(scheduled, date(2003, 6, 1))
    expected = ("based on a provisional figure 17 months old", "the return for 2002 is overdue")
    assert (steady.status, steady.quality) == ("Amber", expected)
    assert (strict.status, strict.quality) == ("Grey", expected)
    assert strict.reason.startswith(
        "Grey: the return for 2002 is overdue (due 28 February 2003), and this measure is not "
        "judged without its newest returns, so no colour is shown. On the figures received "
        "the call would be Amber (at risk): 80 in 2001 is below the trajectory value of "
    )


def test_an_old_figure_greys_a_call_by_default(scheduled: Database) -> None:
    steady, _ = pair(scheduled, date(2004, 6, 1))
    assert steady.status == "Grey"
    assert steady.reason.startswith(
        "Grey: the figure it rests on, for 2001, is 29 months old, more than the 24 months "
        "allowed for this measure"
    )
    assert steady.quality == (
        "based on a provisional figure 29 months old",
        "the returns for 2002 and 2003 are overdue",
    )


def test_awaiting_approval_then_approved_after_its_due_date(scheduled: Database) -> None:
    waiting = send(scheduled, "2002", 70, date(2003, 2, 10), wait=True)
    steady, strict = pair(scheduled, date(2003, 6, 1))
    # Received on time, so not overdue and not greyed; the status still rests on 2001.
    assert (steady.latest_period, strict.status) == ("2001", "Amber")
    assert steady.quality == (
        "based on a provisional figure 17 months old",
        "the return for 2002 is awaiting approval, so its figure does not count yet",
    )
    approve_return(scheduled, waiting, by="approver")  # today, long after 28 February 2003
    steady, _ = pair(scheduled, date(2003, 6, 1))
    assert (steady.latest_period, steady.latest_value) == ("2002", 70)
    assert steady.quality == (
        "the figure for 2002 was approved after its due date (28 February 2003)",
    )


def test_the_notes_are_beside_the_status_in_the_overview_table(scheduled: Database) -> None:
    steady, _ = pair(scheduled, date(2003, 6, 1))
    table = overview_table([steady])
    why, reason = table.loc[0, "Why"], table.loc[0, "Reason"]
    assert why.endswith(
        " ⚠ Based on a provisional figure 17 months old; the return for 2002 is overdue."
    )
    assert reason.startswith(steady.reason) and reason.endswith(
        "Data quality: Based on a provisional figure 17 months old; the return for 2002 is overdue."
    )


# --------------------------------------------------------------------------------------------
# The command line and the catalogue
# --------------------------------------------------------------------------------------------


def run(url: str, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue()


def test_status_output_carries_quality_and_every_field(db_url: str) -> None:
    code, out = run(db_url, "status", "--as-of", "2004-06-01", "--format", "json")
    records = json.loads(out)
    assert code == 0 and len(records) == 14  # 12 from the report, 2 balancing measures
    judged = {"judged_rating", "judged_on", "judged_by"}  # the delivery confidence (issue 23)
    assert all(set(r) == set(Assessment.__dataclass_fields__) | judged for r in records)
    rough = next(r for r in records if r["measure"] == "rough-sleepers-count")
    assert rough["quality"] == ["based on a figure 35 months old"]
    assert all(isinstance(r["quality"], list) for r in records)
    code, text = run(db_url, "status", "--as-of", "2004-06-01")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "People counted sleeping rough" in line)
    assert lines[at + 2] == "    Data quality: based on a figure 35 months old."
    code, table = run(db_url, "status", "--as-of", "2004-06-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table)))
    rough_row = next(r for r in rows if r["measure"] == "rough-sleepers-count")
    assert rough_row["quality"] == "based on a figure 35 months old"


def test_status_rules_of_the_quality_rules_are_checked(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules.csv",
        MEASURES_HEADER
        + 'sure-start,half,Synthetic,people,down,outcome,Synthetic,"{""grey_after_months"": 1.5}"\n'
        + 'sure-start,two,Synthetic,people,down,outcome,Synthetic,"{""grey_when_overdue"": 2}"\n'
        + 'sure-start,fine,Synthetic,people,down,outcome,Synthetic,"{""grey_after_months"": 36}"\n',
    )
    with pytest.raises(InputError) as caught:
        load_catalogue_file(db, path)
    messages = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert messages == [
        (2, "status_rules", "grey_after_months must be a whole number, 0 or more"),
        (3, "status_rules", "grey_when_overdue must be 0 or 1"),
    ]
    path.write_text(
        MEASURES_HEADER
        + 'sure-start,fine,Synthetic,people,down,outcome,Synthetic,"{""grey_after_months"": 36}"\n',
        encoding="utf-8",
    )
    load_catalogue_file(db, path)
    with db.session() as session:
        rules = session.scalar(select(Measure.status_rules).where(Measure.slug == "fine"))
    assert rules == {"grey_after_months": 36.0}
