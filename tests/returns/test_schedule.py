"""The returns schedule: periods owed, on time / late / overdue, completeness and timeliness.

Unit tests of the expansion and the counting, then the real obligation shipped (the local
authorities' annual rough sleeping snapshot) on SQLite and PostgreSQL, the catalogue file's
refusals, approval and rejection, and the ``schedule`` command. Every figure a test uploads
is synthetic and says so in its note.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.catalogue.seed import open_seeded, seed_schedule
from jwmetrics.catalogue.snapshot import load_snapshot
from jwmetrics.cli.main import main
from jwmetrics.db.engine import DATA_DIR, Database
from jwmetrics.db.models import Return, ReturnSchedule
from jwmetrics.periods import Period, PeriodKind, financial_year, month, parse_period, quarter, year
from jwmetrics.present.assessment import percent_text, returns_text
from jwmetrics.problems import InputError
from jwmetrics.returns import check_return, commit_return, withdraw_return
from jwmetrics.returns.approval import approve_return, reject_return
from jwmetrics.returns.schedule import (
    LATE,
    ON_TIME,
    OVERDUE,
    OwedFigure,
    ReturnsSummary,
    due_date,
    owed_figures,
    periods_owed,
    schedule_report,
)
from jwmetrics.store.receipts import Obligation, Receipt

WESTMINSTER = "E09000033"
SCHEDULE_HEADER = "partner,measure,areas,frequency,due_days,first_period,last_period,source\n"
RETURN_HEADER = "initiative,measure,area_code,period,value,note\n"
NOTE = "synthetic test figure"
SNAPSHOT_DAY = date(2023, 2, 28)  # the day the 2022 snapshot was published
AS_OF = date(2026, 12, 3)


# --------------------------------------------------------------------------------------------
# Periods and due dates
# --------------------------------------------------------------------------------------------


def test_monthly_periods_run_to_the_last_that_has_started() -> None:
    owed = periods_owed("monthly", date(2001, 11, 1), None, date(2002, 2, 1))
    assert owed == [month(2001, 11), month(2001, 12), month(2002, 1), month(2002, 2)]


def test_quarterly_periods_are_calendar_quarters_from_the_one_holding_the_first_day() -> None:
    owed = periods_owed("quarterly", date(2001, 5, 15), None, date(2002, 1, 1))
    assert owed == [quarter(2001, 2), quarter(2001, 3), quarter(2001, 4), quarter(2002, 1)]
    assert owed[0].start == date(2001, 4, 1) and owed[0].end == date(2001, 6, 30)


def test_annual_periods_are_calendar_years_and_stop_at_the_last_period() -> None:
    owed = periods_owed("annual", date(2010, 1, 1), date(2012, 12, 31), date(2020, 6, 1))
    assert owed == [year(2010), year(2011), year(2012)]


def test_financial_years_run_april_to_march() -> None:
    owed = periods_owed("financial-year", date(2011, 2, 1), None, date(2012, 4, 1))
    assert owed == [financial_year(2010), financial_year(2011), financial_year(2012)]
    assert (owed[0].start, owed[0].end) == (date(2010, 4, 1), date(2011, 3, 31))
    assert owed[0].label == "2010-11"


def test_due_dates_count_days_after_the_period_end() -> None:
    assert due_date(month(2002, 1), 28) == date(2002, 2, 28)  # lands on a month end
    assert due_date(month(2004, 1), 29) == date(2004, 2, 29)  # a leap year's month end
    assert due_date(quarter(2001, 1), 30) == date(2001, 4, 30)
    assert due_date(financial_year(2010), 0) == date(2011, 3, 31)
    assert due_date(year(2022), 59) == date(2023, 2, 28)  # the snapshot's: end of February
    assert due_date(year(2023), 59) == date(2024, 2, 28)


# --------------------------------------------------------------------------------------------
# On time, late, overdue
# --------------------------------------------------------------------------------------------


def obligation(
    frequency: str = "monthly", due_days: int = 28, first: str = "2002-01-01"
) -> Obligation:
    return Obligation(
        partner="Local authorities",
        initiative="rough-sleepers-unit",
        initiative_name="Rough Sleepers Unit",
        measure_id=1,
        measure="rough-sleepers-count",
        measure_name="People counted sleeping rough in England",
        areas=WESTMINSTER,
        area_codes=(WESTMINSTER,),
        frequency=frequency,
        due_days=due_days,
        first_start=date.fromisoformat(first),
        last_end=None,
        source="synthetic test obligation",
    )


def receipt(period: Period, received: date, approved: date | None = None) -> Receipt:
    return Receipt(period.start, period.end, received, approved or received, return_id=None)


def owed(receipts: list[Receipt], as_of: date, **kwargs: object) -> list[OwedFigure]:
    return owed_figures(obligation(**kwargs), WESTMINSTER, "Westminster", receipts, as_of)  # type: ignore[arg-type]


def test_received_on_the_due_day_is_on_time_and_the_day_after_is_late() -> None:
    january = month(2002, 1)  # due 28 February 2002, a month end
    on_due_day = owed([receipt(january, date(2002, 2, 28))], date(2002, 3, 10))
    day_after = owed([receipt(january, date(2002, 3, 1))], date(2002, 3, 10))
    assert [f.state for f in on_due_day] == [ON_TIME]
    assert [f.state for f in day_after] == [LATE]
    assert on_due_day[0].due == date(2002, 2, 28)


def test_not_received_is_overdue_only_once_the_due_day_has_passed() -> None:
    assert owed([], date(2002, 2, 28)) == []  # due today: not yet due, not counted
    overdue = owed([], date(2002, 3, 1))
    assert [(f.period, f.state, f.received_on) for f in overdue] == [
        (month(2002, 1), OVERDUE, None)
    ]
    # February is due 28 March: still not expected on 1 March.
    assert len(owed([], date(2002, 3, 28))) == 1 and len(owed([], date(2002, 3, 29))) == 2


def test_a_figure_received_before_its_due_date_is_expected_at_once() -> None:
    early = owed([receipt(month(2002, 1), date(2002, 2, 3))], date(2002, 2, 10))
    assert [(f.period, f.state) for f in early] == [(month(2002, 1), ON_TIME)]


def test_receipts_after_the_as_of_day_do_not_count() -> None:
    later = receipt(month(2002, 1), date(2002, 3, 5))
    assert [f.state for f in owed([later], date(2002, 3, 4))] == [OVERDUE]
    assert [f.state for f in owed([later], date(2002, 3, 5))] == [LATE]


def test_a_figure_for_a_day_within_the_period_counts_and_one_spanning_two_does_not() -> None:
    night = Period(date(2010, 11, 4), date(2010, 11, 4), PeriodKind.DAY)
    two_years = parse_period("2010 to 2011")
    kwargs = {"frequency": "annual", "due_days": 59, "first": "2010-01-01"}
    counted = owed([receipt(night, date(2011, 2, 1))], date(2011, 3, 1), **kwargs)
    assert [(f.period, f.state) for f in counted] == [(year(2010), ON_TIME)]
    spanning = owed([receipt(two_years, date(2011, 2, 1))], date(2011, 3, 1), **kwargs)
    assert [f.state for f in spanning] == [OVERDUE]


def test_the_first_receipt_decides_and_approval_is_kept_apart() -> None:
    january = month(2002, 1)
    waiting = Receipt(january.start, january.end, date(2002, 2, 1), None, return_id=7)
    (figure,) = owed([waiting], date(2002, 3, 10))
    assert figure.state == ON_TIME and figure.awaiting_approval and not figure.approved_late
    late_approval = Receipt(january.start, january.end, date(2002, 2, 1), date(2002, 3, 2), 7)
    revision = receipt(january, date(2002, 3, 5))
    (figure,) = owed([revision, late_approval], date(2002, 3, 10))
    assert figure.state == ON_TIME and figure.received_on == date(2002, 2, 1)
    assert figure.approved_late and not figure.awaiting_approval


def summary(*states: str, waiting: int = 0) -> ReturnsSummary:
    figures = []
    for number, state in enumerate(states, start=1):
        period = month(2002, number)
        due = due_date(period, 28)
        received = {ON_TIME: due, LATE: date(2003, 1, 1), OVERDUE: None}[state]
        approved = None if number <= waiting else received
        figures.append(
            OwedFigure(
                "P", "i", "m", "M", WESTMINSTER, "Westminster", period, due, received, approved
            )
        )
    return ReturnsSummary("P", "i", "I", tuple(figures))


def test_completeness_and_timeliness_arithmetic() -> None:
    four = summary(ON_TIME, ON_TIME, LATE, OVERDUE, waiting=1)
    assert (four.expected, four.count(ON_TIME), four.count(LATE), four.count(OVERDUE)) == (
        4,
        2,
        1,
        1,
    )
    assert four.completeness_pct == pytest.approx(75.0)
    assert four.timeliness_pct == pytest.approx(200 / 3)
    assert four.awaiting_approval == 1
    record = four.as_record()
    assert record["overdue_items"] == [
        {"measure": "m", "area_code": WESTMINSTER, "period": "April 2002", "due": "2002-05-28"}
    ]
    nothing_came = summary(OVERDUE, OVERDUE)
    assert (nothing_came.completeness_pct, nothing_came.timeliness_pct) == (0.0, None)
    none_due = summary()
    assert (none_due.completeness_pct, none_due.timeliness_pct) == (None, None)


# --------------------------------------------------------------------------------------------
# The shipped obligation: the local authorities' annual snapshot
# --------------------------------------------------------------------------------------------


def test_the_shipped_schedule_cites_a_real_obligation() -> None:
    with (DATA_DIR / "returns_schedule.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (DATA_DIR / "snapshot_measures.csv").open(encoding="utf-8") as handle:
        measures = {row["slug"]: row["initiative"] for row in csv.DictReader(handle)}
    with (DATA_DIR / "partners.csv").open(encoding="utf-8") as handle:
        partners = {(row["initiative"], row["name"]) for row in csv.DictReader(handle)}
    assert len(rows) == 1
    (row,) = rows
    assert (row["measure"], row["areas"], row["frequency"]) == (
        "rough-sleeping-snapshot",
        "local-authorities",
        "annual",
    )
    assert (measures[row["measure"]], row["partner"]) in partners
    assert "Rough sleeping snapshot in England" in row["source"]
    assert "No deadline is given" in row["source"] and "28 February" in row["source"]


def test_the_report_alone_owes_nothing(db: Database) -> None:
    report = schedule_report(db, AS_OF)
    assert report.summaries == () and report.for_initiative("rough-sleepers-unit") is None


@pytest.fixture
def snapshot_db(db: Database) -> Database:
    """The seeded database with the official snapshot, published 28 February 2023."""
    load_snapshot(db, published_on=SNAPSHOT_DAY)
    return db


def test_the_snapshot_brings_its_schedule_and_is_counted(snapshot_db: Database) -> None:
    (summary,) = schedule_report(snapshot_db, AS_OF).summaries
    assert (summary.partner, summary.initiative, summary.initiative_name) == (
        "Local authorities",
        "rough-sleepers-unit",
        "Rough Sleepers Unit",
    )
    # 309 local authorities owe 2010 to 2025 (2025 was due 28 February 2026): 16 years.
    # 2010-2022 came on 28 February 2023: on time only for 2022, late for the rest.
    record = summary.as_record()
    assert {k: record[k] for k in ("expected", "on_time", "late", "overdue")} == {
        "expected": 309 * 16,
        "on_time": 309,
        "late": 309 * 12,
        "overdue": 309 * 3,
    }
    assert record["completeness_pct"] == pytest.approx(13 / 16 * 100)
    assert record["timeliness_pct"] == pytest.approx(100 / 13)
    assert record["awaiting_approval"] == 0
    first = record["overdue_items"][0]
    assert first == {
        "measure": "rough-sleeping-snapshot",
        "area_code": "E07000223",  # Adur, first by name of those due 28 February 2024
        "period": "2023",
        "due": "2024-02-28",
    }
    assert {item["period"] for item in record["overdue_items"]} == {"2023", "2024", "2025"}


def test_timeliness_is_judged_by_publication_not_by_the_day_loaded(db: Database) -> None:
    """Westminster's 2018 figure, published on 31 January 2019 and loaded today, came on
    time; its 2019 figure, first published today, is late. The day of loading never counts."""
    load_catalogue_file(db, DATA_DIR / "snapshot_measures.csv")
    seed_schedule(db)
    for period, value, published in (("2018", 306, date(2019, 1, 31)), ("2019", 333, None)):
        data = (
            f"{RETURN_HEADER}rough-sleepers-unit,rough-sleeping-snapshot,{WESTMINSTER},"
            f"{period},{value},{NOTE}\n"
        )
        check = check_return(
            db, data.encode(), f"w-{period}.csv", partner="Local authorities",
            published_on=published,
        )  # fmt: skip
        commit_return(db, check, needs_approval=False)
    with db.session() as session:
        loaded = {r.uploaded_at.date() for r in session.scalars(select(Return))}
    assert loaded == {date.today()}  # both loaded today
    (summary,) = schedule_report(db, date.today()).summaries
    westminster = {f.period.label: f for f in summary.figures if f.area_code == WESTMINSTER}
    assert westminster["2018"].received_on == date(2019, 1, 31)
    assert (westminster["2018"].state, westminster["2019"].state) == (ON_TIME, LATE)
    assert summary.schedules == [
        "Local authorities' annual return of People sleeping rough on a single autumn night "
        "(official snapshot) (every local authority), due 59 days after each year ends, from 2010"
    ]


def test_the_snapshot_loads_each_year_as_published_so_none_is_late(db: Database) -> None:
    """By default each year of the snapshot is a return published on its own day
    (data/snapshot_publication_days.csv): loaded years later, every year is on time."""
    outcome = load_snapshot(db)
    assert outcome.message.startswith("13 returns committed, one a year")
    with db.session() as session:
        published = dict(
            (name, day)
            for name, day in session.execute(select(Return.file_name, Return.published_on))
        )
    assert published["rough_sleeping_snapshot_autumn_2018.csv"] == date(2019, 1, 31)
    assert published["rough_sleeping_snapshot_autumn_2022.csv"] == SNAPSHOT_DAY
    (summary,) = schedule_report(db, AS_OF).summaries
    assert (summary.count(ON_TIME), summary.count(LATE)) == (309 * 13, 0)
    assert summary.timeliness_pct == pytest.approx(100.0)
    assert "already imported" in load_snapshot(db).message  # safe to repeat


def test_as_of_is_respected(snapshot_db: Database) -> None:
    (before,) = schedule_report(snapshot_db, date(2023, 2, 27)).summaries
    # 2010-2021 were due by 28 February 2022; nothing had been received; 2022 not yet due.
    assert (before.expected, before.received, before.count(OVERDUE)) == (309 * 12, 0, 309 * 12)
    assert (before.completeness_pct, before.timeliness_pct) == (0.0, None)
    (on_the_day,) = schedule_report(snapshot_db, SNAPSHOT_DAY).summaries
    assert (on_the_day.expected, on_the_day.count(ON_TIME), on_the_day.count(LATE)) == (
        309 * 13,
        309,
        309 * 12,
    )
    assert on_the_day.completeness_pct == pytest.approx(100.0)


def test_a_withdrawn_return_was_not_received(snapshot_db: Database) -> None:
    with snapshot_db.session() as session:
        return_id = session.scalar(select(Return.id))
    assert return_id is not None
    withdraw_return(snapshot_db, return_id, by="analyst")
    (after,) = schedule_report(snapshot_db, AS_OF).summaries
    assert (after.expected, after.received) == (309 * 16, 0)


def test_the_report_reads_the_schedule_in_a_few_statements(snapshot_db: Database) -> None:
    """Not one query per area or period: 309 areas x 16 years in a handful of statements."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(snapshot_db.engine, "before_cursor_execute", count)
    try:
        (summary,) = schedule_report(snapshot_db, AS_OF).summaries
    finally:
        event.remove(snapshot_db.engine, "before_cursor_execute", count)
    assert summary.expected == 309 * 16
    assert len(statements) <= 5, statements


def test_the_shipped_row_is_added_once_and_never_over_a_revision(
    snapshot_db: Database, db_url: str, tmp_path: Path
) -> None:
    assert seed_schedule(snapshot_db) == 0  # load_snapshot added it already
    ended = tmp_path / "ended.csv"
    ended.write_text(
        SCHEDULE_HEADER + "Local authorities,rough-sleeping-snapshot,local-authorities,"
        "annual,59,2010,2015,synthetic revision: the obligation ends with 2015\n",
        encoding="utf-8",
    )
    assert load_catalogue_file(snapshot_db, ended) == ("returns_schedule", 1)
    again = open_seeded(db_url)  # the start-up step of every command and the app
    try:
        with again.session() as session:
            assert session.scalar(select(func.count()).select_from(ReturnSchedule)) == 2
    finally:
        again.engine.dispose()
    (summary,) = schedule_report(snapshot_db, AS_OF).summaries
    assert summary.expected == 309 * 6  # 2010 to 2015: the revision replaced the row
    assert summary.count(OVERDUE) == 0


# --------------------------------------------------------------------------------------------
# The catalogue file
# --------------------------------------------------------------------------------------------


def test_a_schedule_file_with_problems_names_each_row_and_column(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text(
        SCHEDULE_HEADER
        + "Local authorities,rough-sleepers-cuont,E92000001,annual,59,2002,,synthetic\n"
        + "Schools,rough-sleepers-count,E92000001,annual,59,2002,,synthetic\n"
        + "Local authorities,rough-sleepers-count,E99999999,annual,59,2002,,synthetic\n"
        + "Local authorities,rough-sleepers-count,E92000001,weekly,59,2002,,synthetic\n"
        + "Local authorities,rough-sleepers-count,E92000001,annual,-3,2002,,synthetic\n"
        + "Local authorities,rough-sleepers-count,E92000001,quarterly,30,2002,,synthetic\n"
        + "Local authorities,rough-sleepers-count,E92000001,annual,59,2004,2002,synthetic\n"
        + "Local authorities,rough-sleepers-count,E92000001,annual,59,2002,,\n"
        + "Local authorities,rough-sleepers-count,local-authorities,annual,59,2002,,fine\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_catalogue_file(db, path)
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [
        (2, "measure"),
        (3, "partner"),
        (4, "areas"),
        (5, "frequency"),
        (6, "due_days"),
        (7, "first_period"),
        (8, "last_period"),
        (9, "source"),
    ]
    messages = {p.row: str(p) for p in caught.value.problems}
    assert "did you mean 'rough-sleepers-count'" in messages[2]
    assert "not a partner of rough-sleepers-unit" in messages[3]
    assert "expected an ONS area code or local-authorities" in messages[4]
    assert "expected one of monthly, quarterly, annual, financial-year" in messages[5]
    assert "expected a quarter such as 2010 Q2 for a quarterly schedule" in messages[7]
    assert "schedule.csv, row 8, column 'last_period'" in messages[8]
    with db.session() as session:  # nothing was written, not even the good last row
        assert session.scalar(select(func.count()).select_from(ReturnSchedule)) == 0


# --------------------------------------------------------------------------------------------
# Returns awaiting approval, rejected, approved
# --------------------------------------------------------------------------------------------


def westminster_quarterly(db: Database, tmp_path: Path) -> None:
    """A synthetic obligation: Westminster's count each calendar quarter, due 30 days on."""
    path = tmp_path / "westminster.csv"
    path.write_text(
        SCHEDULE_HEADER + f"Local authorities,rough-sleepers-count,{WESTMINSTER},quarterly,30,"
        "2001 Q1,2001 Q4,synthetic test obligation\n",
        encoding="utf-8",
    )
    load_catalogue_file(db, path)


def send(db: Database, period: str, value: int, published: date, *, wait: bool = False) -> int:
    row = f"rough-sleepers-unit,rough-sleepers-count,{WESTMINSTER},{period},{value},{NOTE}\n"
    body = RETURN_HEADER + row
    check = check_return(db, body.encode(), f"westminster-{period}.csv", published_on=published)
    outcome = commit_return(db, check, uploaded_by="uploader", needs_approval=wait)
    assert outcome.return_id is not None
    return outcome.return_id


def test_awaiting_approval_is_received_rejected_is_not(db: Database, tmp_path: Path) -> None:
    westminster_quarterly(db, tmp_path)
    send(db, "2001 Q1", 40, date(2001, 4, 30))  # due 30 April: on time
    send(db, "2001 Q2", 41, date(2001, 8, 1))  # due 30 July: late
    waiting = send(db, "2001 Q3", 42, date(2001, 10, 20), wait=True)
    rejected = send(db, "2001 Q4", 43, date(2002, 1, 10), wait=True)
    reject_return(db, rejected, reason="synthetic: wrong area", by="approver")
    (summary,) = schedule_report(db, date(2002, 6, 1)).summaries
    states = {f.period.label: f.state for f in summary.figures}
    assert states == {"2001 Q1": ON_TIME, "2001 Q2": LATE, "2001 Q3": ON_TIME, "2001 Q4": OVERDUE}
    assert summary.awaiting_approval == 1
    assert summary.completeness_pct == pytest.approx(75.0)
    assert summary.timeliness_pct == pytest.approx(200 / 3)
    approve_return(db, waiting, by="approver")  # today: long after its due date
    (summary,) = schedule_report(db, date(2002, 6, 1)).summaries
    third = next(f for f in summary.figures if f.period.label == "2001 Q3")
    assert (third.state, third.awaiting_approval, third.approved_late) == (ON_TIME, False, True)
    assert third.approved_on == date.today()


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_schedule_json_and_text(snapshot_db: Database, db_url: str) -> None:
    code, out, _ = run(db_url, "schedule", "--as-of", "2025-06-01", "--format", "json")
    assert code == 0
    (record,) = json.loads(out)
    documented = {
        "partner", "initiative", "expected", "on_time", "late", "overdue",
        "completeness_pct", "timeliness_pct", "overdue_items",
    }  # fmt: skip
    assert documented <= set(record)
    assert (record["partner"], record["initiative"]) == ("Local authorities", "rough-sleepers-unit")
    assert (record["expected"], record["overdue"]) == (309 * 15, 309 * 2)
    assert len(record["overdue_items"]) == 618
    assert set(record["overdue_items"][0]) == {"measure", "area_code", "period", "due"}
    code, text, _ = run(db_url, "schedule", "--as-of", "2025-06-01")
    lines = text.splitlines()
    assert code == 0 and lines[0] == "Returns due as of 1 June 2025"
    assert lines[1] == (
        "Local authorities / Rough Sleepers Unit: expected 4,635: 309 on time, 3,708 late, "
        "618 overdue; 86.7% complete, 7.7% on time"
    )
    assert lines[2] == (
        "    overdue: People sleeping rough on a single autumn night (official snapshot), "
        "2023 (due 28 February 2024): 309 areas"
    )


def test_schedule_without_a_schedule_and_usage_errors(db_url: str) -> None:
    code, out, _ = run(db_url, "schedule", "--as-of", "2002-06-01")
    assert code == 0 and "No returns schedule" in out
    assert json.loads(run(db_url, "schedule", "--format", "json")[1]) == []
    with pytest.raises(SystemExit) as usage:
        run(db_url, "schedule", "--as-of", "31/02/2002")
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:
        run(db_url, "schedule", "--format", "csv")
    assert usage.value.code == 2


def test_percentages_round_halves_up_and_never_to_a_false_hundred() -> None:
    assert [percent_text(x) for x in (81.25, 100 / 13, 99.96, 100.0, 0.0, None)] == [
        "81.3%",
        "7.7%",
        "99.9%",
        "100%",
        "0%",
        "–",
    ]
    assert returns_text(None) == "Returns: no returns schedule"
    assert returns_text(summary()) == "Returns: none due yet"
    assert returns_text(summary(ON_TIME, OVERDUE, OVERDUE)) == "Returns: 33.3% complete, 2 overdue"
