"""The self-assessment tool: the questions, the template, the all-or-nothing import (every bad
input named by row and column, nothing changed), scores over time, roles, the audit event,
progress measurement beside timeliness, the chart, and the ``self-assessment`` command.

Database tests run on SQLite and PostgreSQL (the ``db`` and ``db_url`` fixtures). Every
answer here is synthetic and its evidence says so.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import jwmetrics.self_assessment.answers as answers_module
from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.catalogue.snapshot import load_snapshot
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import SelfAssessment
from jwmetrics.db.models import AuditEvent
from jwmetrics.governance.roles import LOCAL_USER, Actor, PermissionDenied, Role
from jwmetrics.present.self_assessment_chart import self_assessment_figure
from jwmetrics.present.self_assessment_tables import portfolio_table, scores_table, timeliness_table
from jwmetrics.present.templates import self_assessment_csv
from jwmetrics.problems import MAX_PROBLEMS, InputError
from jwmetrics.returns import check_return, commit_return
from jwmetrics.self_assessment.answers import (
    MAX_EVIDENCE_CHARS,
    import_self_assessment,
    may_self_assess,
)
from jwmetrics.self_assessment.partnerships import (
    RECORD_FIELDS,
    TEMPLATE_COLUMNS,
    answers,
)
from jwmetrics.self_assessment.partnerships import (
    template_rows as library_template_rows,
)
from jwmetrics.self_assessment.questions import (
    QUESTIONS_FILE,
    REQUIREMENTS,
    questions,
    questions_of,
    read_questions,
)
from jwmetrics.self_assessment.scores import measurement_and_timeliness, scores

ENGLAND = "E92000001"
LONDON = "E12000007"
WESTMINSTER = "E09000033"
RSU = "rough-sleepers-unit"
EVIDENCE = "synthetic test evidence"
DAY_1, DAY_2 = "2002-01-15", "2002-04-15"


def row(
    question: str,
    score: object,
    day: str = DAY_1,
    *,
    area: str = ENGLAND,
    initiative: str = RSU,
    evidence: str = EVIDENCE,
    by: str = "",
) -> dict[str, str]:
    """One filled-in template row (area name, requirement and question are not read back)."""
    return {
        "initiative": initiative,
        "area_code": area,
        "question_id": question,
        "score": str(score),
        "evidence": evidence,
        "answered_on": day,
        "answered_by": by,
    }


def as_csv(*rows: dict[str, str], columns: list[str] = TEMPLATE_COLUMNS) -> bytes:
    """The rows as a CSV file with the template's columns."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def stored(db: Database) -> int:
    """How many answers the database holds."""
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(SelfAssessment)) or 0


def audit_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def refused(db: Database, data: bytes, actor: Actor = LOCAL_USER) -> set[tuple[Any, ...]]:
    """Import ``data``, which must be refused with nothing changed; (row, column) of each
    problem."""
    before = (stored(db), audit_count(db))
    with pytest.raises(InputError) as caught:
        import_self_assessment(db, data, "answers.csv", actor=actor)
    assert (stored(db), audit_count(db)) == before, "a refused file changed the database"
    return {(p.row, p.column) for p in caught.value.problems}


def goals_answers(scores_by_question: dict[str, int], day: str, **options: Any) -> bytes:
    return as_csv(*(row(q, s, day, **options) for q, s in scores_by_question.items()))


# --------------------------------------------------------------------------------------------
# The questions
# --------------------------------------------------------------------------------------------


def test_questions_cover_the_five_requirements_each_citing_the_report() -> None:
    asked = questions()
    assert len(asked) == 23
    assert [q.requirement for q in asked[:4]] == ["goals"] * 4  # the report's order first
    assert len({q.question_id for q in asked}) == len(asked)
    for requirement in REQUIREMENTS:
        assert 3 <= len(questions_of(requirement)) <= 5, requirement
    for question in asked:
        assert any(word in question.source for word in ("Paragraph", "paragraph", "Annex"))
        assert question.question.endswith("?")


def test_a_bad_questions_file_is_refused_by_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "questions.csv"
    original = QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([*original[:3], "goals-1,goals,Again?,Paragraph 23", "x-1,trust,Who?,", ""]),
        encoding="utf-8-sig",
    )
    with pytest.raises(InputError) as caught:
        read_questions(path)
    found = {(p.row, p.column, p.message.split(";")[0]) for p in caught.value.problems}
    assert found == {
        (4, "question_id", "repeats row 2"),
        (5, "requirement", "expected one of " + ", ".join(REQUIREMENTS)),
        (5, "source", "the source is required"),
    }


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------


def template_rows(db: Database, initiative: str) -> tuple[list[str], list[dict[str, str]]]:
    data = self_assessment_csv(library_template_rows(db, initiative))
    assert data.startswith(b"\xef\xbb\xbf")  # a byte order mark, for Excel
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_the_template_has_one_row_per_question_per_partnership_area(db: Database) -> None:
    header, rows = template_rows(db, "Sure Start")  # a name works as well as an id
    assert header == TEMPLATE_COLUMNS
    assert len(rows) == 23  # England only: the report's figures are national
    assert [r["question_id"] for r in rows] == [q.question_id for q in questions()]
    first = rows[0]
    assert (first["initiative"], first["area_code"], first["area_name"]) == (
        "sure-start",
        ENGLAND,
        "England",
    )
    assert first["question"] == questions()[0].question
    assert {r["score"] + r["evidence"] + r["answered_on"] + r["answered_by"] for r in rows} == {""}


def test_an_area_with_figures_or_answers_is_a_partnership_too(db: Database) -> None:
    send_westminster(db, "2001 Q1", 40, date(2001, 4, 30))  # a figure for Westminster
    import_self_assessment(db, as_csv(row("goals-1", 3, area=LONDON)), "london.csv")
    _, rows = template_rows(db, RSU)
    areas = list(dict.fromkeys(r["area_code"] for r in rows))
    assert areas == [ENGLAND, LONDON, WESTMINSTER]  # England, then regions, then the rest
    assert len(rows) == 3 * 23


def test_a_national_collection_adds_no_partnerships_unless_every_area_is_asked_for(
    db: Database,
) -> None:
    """The official snapshot has a figure for every council: that says where people sleep
    rough, not where the Unit works, so the template stays England (23 rows, not 7,337)."""
    load_snapshot(db, published_on=date(2023, 2, 28))
    _, rows = template_rows(db, RSU)
    assert {r["area_code"] for r in rows} == {ENGLAND} and len(rows) == 23
    every = library_template_rows(db, RSU, every_area=True)
    areas = {r["area_code"] for r in every}
    assert len(areas) == 1 + 9 + 309 and len(every) == 23 * len(areas)
    send_westminster(db, "2001 Q1", 40, date(2001, 4, 30))  # a partner's figure: it works there
    _, rows = template_rows(db, RSU)
    assert list(dict.fromkeys(r["area_code"] for r in rows)) == [ENGLAND, WESTMINSTER]


def test_an_unknown_initiative_has_no_template(db: Database) -> None:
    with pytest.raises(InputError, match="unknown initiative"):
        library_template_rows(db, "rough-sleeper-unit")


# --------------------------------------------------------------------------------------------
# Importing
# --------------------------------------------------------------------------------------------


def test_a_good_file_is_recorded_with_its_file_row_and_one_audit_event(db: Database) -> None:
    data = as_csv(
        row("goals-1", 3, by="Westminster partnership board"),
        row("goals-2", 2),
        {**row("goals-3", ""), "evidence": "", "answered_on": ""},  # not answered: skipped
    )
    events = audit_count(db)
    outcome = import_self_assessment(db, data, "rsu-2002.csv", by="analyst@example.gov.uk")
    assert (outcome.answers, outcome.skipped, outcome.partnerships) == (2, 1, ((RSU, ENGLAND),))
    assert outcome.message == (
        "Recorded 2 self-assessment answers for 1 partnership from rsu-2002.csv; "
        "1 blank row skipped."
    )
    found = answers(db)
    assert [(a.question_id, a.score, a.row_number, a.file_name) for a in found] == [
        ("goals-1", 3, 2, "rsu-2002.csv"),
        ("goals-2", 2, 3, "rsu-2002.csv"),
    ]
    assert [a.answered_by for a in found] == [
        "Westminster partnership board",
        "analyst@example.gov.uk",  # blank: the importer
    ]
    assert found[0].answered_on == date(2002, 1, 15) and found[0].evidence == EVIDENCE
    assert audit_count(db) == events + 1
    (event,) = [e for e in _events(db) if e.action == "self-assessment"]
    assert (event.actor, event.subject) == ("analyst@example.gov.uk", "rsu-2002.csv")
    assert event.detail == f"2 answer(s) for {RSU} in {ENGLAND}"


def _events(db: Database) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent)))


def test_every_bad_input_is_named_by_row_and_column_and_nothing_is_recorded(
    db: Database,
) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    data = as_csv(
        row("goals-1", 3),  # row 2: good, but not recorded either
        row("goals-2", 3, initiative="rough-sleeper-unit"),  # 3: unknown initiative
        row("goals-2", 3, area="E99999999"),  # 4: unknown area
        row("goals-9", 3),  # 5: unknown question
        row("goals-2", 5),  # 6: score out of range
        row("goals-3", "three"),  # 7: score not a number
        row("goals-4", 2.5),  # 8: score not whole
        row("leadership-1", 3, "15 January 2002"),  # 9: not a day we read
        row("leadership-2", 3, tomorrow),  # 10: in the future
        row("leadership-3", 3, evidence="x" * (MAX_EVIDENCE_CHARS + 1)),  # 11: too long
        row("goals-1", 4),  # 12: the same question, partnership and day as row 2
        row("resources-1", ""),  # 13: evidence and a day, but no score
    )
    assert refused(db, data) == {
        (3, "initiative"),
        (4, "area_code"),
        (5, "question_id"),
        (6, "score"),
        (7, "score"),
        (8, "score"),
        (9, "answered_on"),
        (10, "answered_on"),
        (11, "evidence"),
        (12, "question_id"),
        (13, "score"),
    }


def test_the_problems_say_what_was_wrong_and_what_was_expected(db: Database) -> None:
    data = as_csv(row("goals-1", 3, initiative="rough-sleeper-unit"), row("goals-1", 0))
    with pytest.raises(InputError) as caught:
        import_self_assessment(db, data, "answers.csv")
    first, second = caught.value.problems
    assert str(first) == (
        "answers.csv, row 2, column 'initiative': 'rough-sleeper-unit' — unknown initiative "
        "(did you mean 'rough-sleepers-unit'?)"
    )
    assert str(second) == (
        "answers.csv, row 3, column 'score': '0' — expected a whole number from 1 to 4: "
        "1 (not at all), 2 (partly), 3 (mostly), 4 (fully)"
    )


def test_two_thousand_unknown_area_codes_list_a_thousand_problems_each_matched_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = answers_module.did_you_mean

    def counting(value: str, choices: list[str], limit: int = 3) -> str:
        calls.append(value)
        return real(value, choices, limit)

    monkeypatch.setattr(answers_module, "did_you_mean", counting)
    codes = [f"E0900{n:04d}" for n in range(100, 2_100)]  # none is a real area
    rows = [row("goals-1", 3, area=codes[n // 2]) for n in range(4_000)]  # each code twice
    with pytest.raises(InputError) as caught:
        import_self_assessment(db, as_csv(*rows), "answers.csv")
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert {p.column for p in problems[:-1]} == {"area_code"}
    assert "did you mean 'E0900" in problems[0].message
    assert problems[-1].row is None and problems[-1].message.startswith(
        "and 3,000 more problem(s) not listed"
    )
    # Matched once per distinct code, and only for the problems listed.
    assert calls == codes[:500] and stored(db) == 0


def test_an_answer_already_recorded_for_that_day_is_refused(db: Database) -> None:
    import_self_assessment(db, as_csv(row("goals-1", 3)), "first.csv")
    with pytest.raises(InputError) as caught:
        import_self_assessment(db, as_csv(row("goals-2", 3), row("goals-1", 4)), "again.csv")
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (3, "question_id")
    assert "already answered for this partnership on this day (first.csv, row 2)" in str(problem)
    assert stored(db) == 1
    import_self_assessment(db, as_csv(row("goals-1", 4, DAY_2)), "later.csv")  # a new day
    assert stored(db) == 2


def test_missing_columns_and_files_that_are_not_csv_are_refused(db: Database) -> None:
    columns = [c for c in TEMPLATE_COLUMNS if c not in ("score", "answered_on")]
    assert refused(db, as_csv(row("goals-1", 3), columns=columns)) == {
        (1, "score"),
        (1, "answered_on"),
    }
    assert refused(db, b"PK\x03\x04 a workbook") == {(None, None)}
    assert refused(db, as_csv(columns=TEMPLATE_COLUMNS)) == {(None, "score")}  # no answers
    assert refused(db, b"") == {(1, c) for c in ("initiative", "area_code", "question_id")} | {
        (1, c) for c in ("score", "evidence", "answered_on")
    }


def test_a_cell_past_the_csv_field_limit_is_refused_by_row_and_column(db: Database) -> None:
    """131,073 characters of evidence: the csv module stops before building the cell; the
    problem names the file, the row and the column, and nothing is recorded."""
    long = "e" * (csv.field_size_limit() + 1)
    data = as_csv(row("goals-1", 3), row("goals-2", 2, evidence=long))
    assert len(long) == 131_073
    before = (stored(db), audit_count(db))
    with pytest.raises(InputError) as caught:
        import_self_assessment(db, data, "answers.csv")
    assert (stored(db), audit_count(db)) == before
    (problem,) = caught.value.problems
    assert (problem.file_name, problem.row, problem.column) == ("answers.csv", 3, "evidence")
    assert "more than 131,072 characters" in problem.message
    assert f"at most {MAX_EVIDENCE_CHARS:,} characters" in problem.message


def test_a_bom_windows_text_spaced_headers_and_uk_dates_are_read(db: Database) -> None:
    header = " Initiative ,AREA_CODE,question_id,Score,evidence,answered_on\r\n"
    body = f"{RSU},{ENGLAND},goals-1,4,Synthetic: £2m pooled budget,15/01/2002\r\n"
    outcome = import_self_assessment(db, (header + body).encode("cp1252"), "excel.csv")
    assert outcome.answers == 1
    (answer,) = answers(db)
    assert (answer.evidence, answer.answered_on) == (
        "Synthetic: £2m pooled budget",
        date(2002, 1, 15),
    )
    bom = "\ufeff" + header + body.replace("goals-1", "goals-2")
    assert import_self_assessment(db, bom.encode("utf-8"), "bom.csv").answers == 1


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------


VIEWER = Actor("viewer@example.gov.uk", Role.VIEWER)
PARTNER = Actor("partner@example.gov.uk", Role.UPLOADER, initiatives=(RSU,))
OTHER_PARTNER = Actor("sure@example.gov.uk", Role.UPLOADER, initiatives=("sure-start",))
ANALYST = Actor("analyst@example.gov.uk", Role.APPROVER)
OTHER_ANALYST = Actor("eydcp@example.gov.uk", Role.APPROVER, initiatives=("eydcp",))


def test_a_viewer_and_partners_of_other_initiatives_are_refused(db: Database) -> None:
    data = as_csv(row("goals-1", 3))
    for actor in (VIEWER, OTHER_PARTNER, OTHER_ANALYST):
        with pytest.raises(PermissionDenied):
            import_self_assessment(db, data, "answers.csv", actor=actor)
        assert not may_self_assess(actor, RSU)
    with pytest.raises(PermissionDenied, match="is a viewer and may not record a self-assess"):
        import_self_assessment(db, data, "answers.csv", actor=VIEWER)
    assert (stored(db), [e for e in _events(db) if e.action == "self-assessment"]) == (0, [])


def test_a_partner_for_the_initiative_an_analyst_and_an_admin_may_import(db: Database) -> None:
    for n, actor in enumerate((PARTNER, ANALYST, LOCAL_USER)):
        day = f"2002-0{n + 1}-01"
        assert may_self_assess(actor, RSU)
        outcome = import_self_assessment(db, as_csv(row("goals-1", 3, day)), f"{n}.csv", actor)
        assert outcome.answers == 1
    assert [a.answered_by for a in answers(db)] == [PARTNER.email, ANALYST.email, "local analyst"]


def test_a_file_of_two_initiatives_needs_both(db: Database) -> None:
    data = as_csv(row("goals-1", 3), row("goals-1", 3, initiative="sure-start"))
    with pytest.raises(PermissionDenied, match="only for rough-sleepers-unit, not sure-start"):
        import_self_assessment(db, data, "two.csv", actor=PARTNER)
    assert stored(db) == 0


# --------------------------------------------------------------------------------------------
# Scores over time
# --------------------------------------------------------------------------------------------


def test_scores_are_the_mean_of_each_questions_latest_answer_kept_over_time(
    db: Database,
) -> None:
    first = {"goals-1": 1, "goals-2": 2, "progress-1": 1, "progress-2": 2, "progress-3": 2}
    import_self_assessment(db, goals_answers(first, DAY_1), "jan.csv")
    import_self_assessment(db, goals_answers({"goals-1": 4, "progress-1": 3}, DAY_2), "apr.csv")
    (partnership,) = scores(db, RSU)
    assert [r.day for r in partnership.rounds] == [date(2002, 1, 15), date(2002, 4, 15)]
    earlier, latest = partnership.rounds
    assert earlier.score("goals") == 1.5 and earlier.score("progress-measurement") == 5 / 3
    assert latest.score("goals") == 3.0  # goals-1 now 4, goals-2 still 2
    assert latest.score("progress-measurement") == pytest.approx(7 / 3)
    assert latest.score("leadership") is None  # not answered: no score, not a low one
    goals = latest.requirements[0]
    assert (goals.name, goals.answered, goals.questions) == ("Shared goals", 2, 4)
    assert partnership.previous == earlier and partnership.latest == latest
    (before,) = scores(db, RSU, as_of=date(2002, 3, 1))  # as known then
    assert len(before.rounds) == 1 and before.latest.score("goals") == 1.5
    assert scores(db, "sure-start") == []

    table = scores_table(partnership)
    goals_row = table.iloc[0].to_dict()
    assert goals_row == {
        "Requirement": "Shared goals",
        "Latest score": 3.0,
        "Questions answered": "2 of 4",
        "Earlier score": 1.5,
        "Change": 1.5,
    }
    portfolio = portfolio_table(scores(db)).iloc[0].to_dict()
    assert portfolio["Area"] == "England" and portfolio["Assessments"] == 2
    assert portfolio["Shared goals"] == 3.0 and pd_isna(portfolio["Leadership"])


def pd_isna(value: object) -> bool:
    return value is None or value != value  # NaN is not equal to itself


def test_the_chart_shows_the_latest_and_the_earlier_assessment_with_labels(
    db: Database,
) -> None:
    import_self_assessment(
        db, goals_answers({"goals-1": 1, "goals-2": 2}, DAY_1, by="Board (synthetic)"), "a.csv"
    )
    import_self_assessment(db, goals_answers({"goals-1": 4}, DAY_2), "b.csv")
    (partnership,) = scores(db)
    figure = self_assessment_figure(partnership).to_dict()
    earlier, latest = figure["data"]
    assert (earlier["name"], latest["name"]) == (
        "Earlier: 15 January 2002",
        "Latest: 15 April 2002",
    )
    assert list(latest["y"]) == list(REQUIREMENTS.values())
    assert list(latest["x"])[:2] == [3.0, None]
    assert latest["text"][0] == "3 (2 of 4 questions)" and latest["text"][1] == "not answered"
    assert earlier["text"][0] == "1.5 (2 of 4 questions)"
    assert earlier["marker"]["pattern"]["shape"] == "/"  # told apart by pattern, not colour only
    notes = [a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "source"]
    assert len(notes) == 1 and "Board (synthetic)" in notes[0] and "paragraph 23" in notes[0]
    assert figure["layout"]["xaxis"]["ticktext"][0] == "1 not at all"


# --------------------------------------------------------------------------------------------
# Progress measurement beside timeliness
# --------------------------------------------------------------------------------------------

SCHEDULE_HEADER = "partner,measure,areas,frequency,due_days,first_period,last_period,source\n"


def send_westminster(db: Database, period: str, value: int, published: date) -> None:
    """A synthetic figure for Westminster, committed as a return published on ``published``."""
    body = (
        "initiative,measure,area_code,period,value,note\n"
        f"{RSU},rough-sleepers-count,{WESTMINSTER},{period},{value},synthetic test figure\n"
    )
    check = check_return(db, body.encode(), f"westminster-{period}.csv", published_on=published)
    commit_return(db, check, uploaded_by="uploader")


def test_progress_measurement_beside_timeliness_or_no_schedule(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text(
        SCHEDULE_HEADER + f"Local authorities,rough-sleepers-count,{WESTMINSTER},quarterly,30,"
        "2001 Q1,2001 Q4,synthetic test obligation\n",
        encoding="utf-8",
    )
    load_catalogue_file(db, path)
    send_westminster(db, "2001 Q1", 40, date(2001, 4, 30))  # due 30 April: on time
    send_westminster(db, "2001 Q2", 41, date(2001, 8, 1))  # due 30 July: late
    progress = {"progress-1": 1, "progress-2": 2}
    import_self_assessment(db, goals_answers(progress, DAY_1, area=WESTMINSTER), "w.csv")
    import_self_assessment(db, goals_answers({"progress-1": 4}, DAY_1), "e.csv")
    found = measurement_and_timeliness(db, RSU, date(2002, 6, 1))
    by_area = {r.area_code: r for r in found}
    westminster, england = by_area[WESTMINSTER], by_area[ENGLAND]
    assert westminster.progress_measurement == 1.5
    assert (westminster.expected, westminster.received, westminster.on_time) == (4, 2, 1)
    assert westminster.timeliness_pct == 50.0
    assert westminster.schedule == "1 of 2 received on time"
    assert (england.progress_measurement, england.schedule) == (4.0, "no schedule")
    assert england.timeliness_pct is None
    table = timeliness_table(found)
    assert list(table["Area"]) == ["Westminster", "England"]  # lowest score first
    assert list(table["Returns"]) == ["1 of 2 received on time", "no schedule"]


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_template_import_and_list(db_url: str, tmp_path: Path) -> None:
    output = tmp_path / "template.csv"
    code, out, err = run(db_url, "self-assessment", "template", RSU, str(output))
    assert (code, err) == (0, "")
    assert out == (
        f"Wrote the {RSU} self-assessment template to {output}: 23 questions for each of 1 "
        "partnership area(s).\n"
    )
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    for filled in rows[:2]:
        filled.update(score="3", evidence=EVIDENCE, answered_on=DAY_1, answered_by="Board")
    good = tmp_path / "filled.csv"
    with good.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=TEMPLATE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    code, out, err = run(db_url, "self-assessment", "import", str(good), "--user", "analyst")
    assert (code, err) == (0, "")
    assert out.startswith("Recorded 2 self-assessment answers for 1 partnership")

    code, out, _ = run(db_url, "self-assessment", "list", "--format", "json")
    records = json.loads(out)
    assert code == 0 and [list(r) for r in records] == [RECORD_FIELDS] * 2
    assert records[0] == {
        "initiative": RSU,
        "area_code": ENGLAND,
        "question_id": "goals-1",
        "requirement": "goals",
        "score": 3,
        "evidence": EVIDENCE,
        "answered_on": DAY_1,
        "answered_by": "Board",
    }
    code, text, _ = run(db_url, "self-assessment", "list")
    assert text.splitlines()[:2] == [
        f"{RSU} in England ({ENGLAND}), answered on 15 January 2002:",
        f"    goals-1 [3] (Board): {EVIDENCE}",
    ]


def test_the_command_line_refuses_bad_files_and_viewers_with_exit_1(
    db_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(as_csv(row("goals-1", 3), row("goals-2", 7)))
    code, out, err = run(db_url, "self-assessment", "import", str(bad))
    assert (code, out) == (1, "")
    assert "1 problem(s), nothing was changed" in err
    assert "bad.csv, row 3, column 'score': '7'" in err
    code, out, _ = run(db_url, "self-assessment", "list")
    assert out == "No self-assessment answers yet.\n"

    assert run(db_url, "users", "add", "admin@example.gov.uk", "--role", "admin")[0] == 0
    add = ("users", "add", "viewer@example.gov.uk", "--role", "viewer")
    assert run(db_url, *add, "--user", "admin@example.gov.uk")[0] == 0
    good = tmp_path / "good.csv"
    good.write_bytes(as_csv(row("goals-1", 3)))
    code, _, err = run(
        db_url, "self-assessment", "import", str(good), "--user", "viewer@example.gov.uk"
    )
    assert code == 1 and "is a viewer and may not record a self-assessment" in err
    code, _, err = run(db_url, "self-assessment", "template", RSU, str(tmp_path / "t.xlsx"))
    assert code == 1 and "name it FILE.csv" in err
    code, _, err = run(db_url, "self-assessment", "import", str(tmp_path / "missing.csv"))
    assert code == 1 and "no such file" in err
    with pytest.raises(SystemExit) as usage:
        main(["--database-url", db_url, "self-assessment", "list", "--format", "xml"])
    assert usage.value.code == 2
