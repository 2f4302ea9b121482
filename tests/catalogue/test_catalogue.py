"""Growing the catalogue from CSV: additions, revised targets, and refusals that change nothing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from returns_support import database_checksum
from sqlalchemy import select

from jwmetrics.assess.detail import series_detail
from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Measure, Target
from jwmetrics.problems import InputError

TARGET_HEADER = (
    "measure,area_code,baseline_value,baseline_period,target_value,target_change,target_date,"
    "wording,value_qualifier,milestones,source,recorded_at\n"
)


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_add_a_measure_and_its_target(db: Database, tmp_path: Path) -> None:
    measures = write(
        tmp_path,
        "new_measures.csv",
        "initiative,slug,name,unit,direction,kind,description,results_expected,too_early_note,source\n"
        "sure-start,low-birth-weight,Babies born with low birth weight,percent,down,outcome,,,,"
        "Synthetic example\n",
    )
    assert load_catalogue_file(db, measures) == ("measures", 1)
    targets = write(
        tmp_path,
        "new_targets.csv",
        TARGET_HEADER
        + "low-birth-weight,E92000001,8,2001,,-5%,2004,reduce by 5%,exact,,Synthetic,\n",
    )
    assert load_catalogue_file(db, targets) == ("targets", 1)
    detail = series_detail(db, "low-birth-weight", as_of=date.today())
    assert detail.target is not None and detail.target.value == pytest.approx(7.6)


def test_revised_target_keeps_the_old_one(db: Database, tmp_path: Path) -> None:
    revised = write(
        tmp_path,
        "revised.csv",
        TARGET_HEADER + "rough-sleepers-count,E92000001,1850,June 1998,500,,March 2004,"
        "a new spending review target,exact,,Synthetic revision,2002-07-15\n",
    )
    load_catalogue_file(db, revised)
    with db.session() as session:
        measure_id = session.scalar(
            select(Measure.id).where(Measure.slug == "rough-sleepers-count")
        )
        rows = session.scalars(select(Target).where(Target.measure_id == measure_id)).all()
    assert sorted(r.recorded_at for r in rows) == [datetime(2001, 12, 7), datetime(2002, 7, 15)]
    before = series_detail(db, "rough-sleepers-count", as_of=date(2002, 1, 1))
    after = series_detail(db, "rough-sleepers-count", as_of=date(2002, 8, 1))
    assert before.target is not None and before.target.value == pytest.approx(1850 / 3)
    assert after.target is not None and (after.target.value, after.target.target_date) == (
        500,
        date(2004, 3, 31),
    )


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("rough-sleeper-count,E92000001,1850,June 1998,500,,2004,w,exact,,s,", "measure",
         "did you mean 'rough-sleepers-count'"),
        ("rough-sleepers-count,E92000001,1850,June 1998,500,,March 1997,w,exact,,s,", "target_date",
         "must be after the baseline"),
        ("rough-sleepers-count,E92000001,1850,June 1998,1850,,2004,w,exact,,s,", "target_value",
         "equals the baseline"),
        ("rough-sleepers-count,E92000001,1850,June 1998,500,,Spring 2004,w,exact,,s,",
         "target_date", "not a month name"),
        ("rough-sleepers-count,E99999999,1850,June 1998,500,,2004,w,exact,,s,", "area_code",
         "unknown area code"),
        ("rough-sleepers-count,E92000001,1850,June 1998,lots,,2004,w,exact,,s,", "target_value",
         "expected a number"),
    ],
)  # fmt: skip
def test_bad_target_rows_are_refused_and_change_nothing(
    db: Database, tmp_path: Path, row: str, column: str, fragment: str
) -> None:
    before = database_checksum(db)
    path = write(tmp_path, "bad_targets.csv", TARGET_HEADER + row + "\n")
    with pytest.raises(InputError) as caught:
        load_catalogue_file(db, path)
    problem = caught.value.problems[0]
    assert (problem.file_name, problem.row, problem.column) == ("bad_targets.csv", 2, column)
    assert fragment in problem.message
    assert database_checksum(db) == before


def test_every_problem_is_reported_at_once(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "two_bad.csv",
        TARGET_HEADER
        + "nope,E92000001,1,2000,2,,2004,w,exact,,s,\n"
        + "rough-sleepers-count,E92000001,1850,June 1998,500,,never,w,exact,,s,\n",
    )
    with pytest.raises(InputError) as caught:
        load_catalogue_file(db, path)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "measure"),
        (3, "target_date"),
    ]


def test_unknown_file_kind_names_expected_columns(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "odd.csv", "a,b\n1,2\n")
    with pytest.raises(InputError, match="unknown kind of file"):
        load_catalogue_file(db, path)


def test_measure_with_its_own_status_rules(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "strict.csv",
        "initiative,slug,name,unit,direction,kind,source,status_rules\n"
        "sure-start,strict,Synthetic strict measure,percent,down,outcome,Synthetic,"
        '"{""green_at"": 0.9}"\n'
        "sure-start,broken,Synthetic broken rules,percent,down,outcome,Synthetic,"
        '"{""colour"": 1}"\n',
    )
    with pytest.raises(InputError) as caught:
        load_catalogue_file(db, path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "status_rules")]
    path.write_text("\n".join(path.read_text().splitlines()[:2]) + "\n", encoding="utf-8")
    load_catalogue_file(db, path)
    with db.session() as session:
        rules = session.scalar(select(Measure.status_rules).where(Measure.slug == "strict"))
    assert rules == {"green_at": 0.9}


@pytest.mark.parametrize(
    ("milestones", "says"),
    [
        ("March 2001=1500; March 2000=1700", "expected milestones in date order"),
        ("March 1998=1700", "is outside the plan: expected a date after 1998-06-30"),
        ("March 2003=1500", "before 2002-04-30"),
        ("March 2001=2000", "and a value from 616.667 to 1850"),
        ("March 2001=500", "and a value from 616.667 to 1850"),
    ],
)
def test_a_milestone_off_the_plan_is_refused_with_its_row(
    db: Database, tmp_path: Path, milestones: str, says: str
) -> None:
    """A milestone outside the baseline-to-target span, or out of date order, would bend the
    plan (and the forecast that follows it) into nonsense: refused at load, naming the row."""
    path = write(
        tmp_path,
        "milestones.csv",
        TARGET_HEADER + "rough-sleepers-count,E92000001,1850,June 1998,,-2/3,April 2002,"
        f'a synthetic plan,exact,"{milestones}",Synthetic,2002-07-15\n',
    )
    before = database_checksum(db)
    with pytest.raises(InputError) as refused:
        load_catalogue_file(db, path)
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (2, "milestones")
    assert says in problem.message
    assert database_checksum(db) == before


def test_milestones_inside_the_plan_load(db: Database, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "milestones.csv",
        TARGET_HEADER + "rough-sleepers-count,E92000001,1850,June 1998,,-2/3,April 2002,"
        'a synthetic plan,exact,"March 2000=1500; March 2001=900",Synthetic,2002-07-15\n',
    )
    load_catalogue_file(db, path)
    detail = series_detail(db, "rough-sleepers-count", as_of=date(2002, 8, 1))
    assert detail.target is not None and len(detail.target.milestones) == 2


def test_a_catalogue_of_unknown_names_is_matched_once_per_name_and_capped(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """20,000 target rows naming 5,000 distinct unknown measures: each name is matched once
    against a short list, and the refusal lists 1,000 problems and then how many more."""
    import jwmetrics.tabular.csv_rows as csv_rows
    from jwmetrics.problems import MAX_PROBLEMS, SHORTLIST, did_you_mean

    calls: list[tuple[str, int]] = []

    def counting(value: str, choices: list[str], limit: int = 3) -> str:
        calls.append((value, len(choices)))
        return did_you_mean(value, choices, limit)

    monkeypatch.setattr(csv_rows, "did_you_mean", counting)
    rows = "".join(
        f"rough-sleepers-cont-{n % 5_000},E92000001,1850,June 1998,500,,March 2004,"
        "synthetic,exact,,Synthetic,\n"
        for n in range(20_000)
    )
    before = database_checksum(db)
    with pytest.raises(InputError) as refused:
        load_catalogue_file(db, write(tmp_path, "targets.csv", TARGET_HEADER + rows))
    problems = refused.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message.startswith("19,000 more problem(s) not listed (19,000 error(s)")
    assert "did you mean 'rough-sleepers-count'" in problems[0].message
    assert len(calls) == len({value for value, _ in calls}) == 5_000, "once per distinct name"
    assert max(count for _, count in calls) <= SHORTLIST
    assert database_checksum(db) == before
