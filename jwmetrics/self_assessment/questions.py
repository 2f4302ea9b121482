"""The self-assessment's questions: the five requirements of joint working, asked in detail.

Reference data, not a table: ``data/self_assessment_questions.csv`` lists each question's
id, the requirement it belongs to (one of :data:`REQUIREMENTS`, paragraph 23 of the report),
our wording, and the paragraph, recommendation or Annex key question it comes from. The
report recommends a self-assessment tool for partnerships (recommendation 1); the questions
turn its five requirements and the Annex's key questions into things a partnership can rate
itself on, 1 to 4 (:data:`SCALE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jwmetrics.db.engine import DATA_DIR
from jwmetrics.problems import InputError, Problem
from jwmetrics.tabular.csv_rows import read_csv_rows

QUESTIONS_FILE = DATA_DIR / "self_assessment_questions.csv"

REQUIREMENTS: dict[str, str] = {
    "goals": "Shared goals",
    "progress-measurement": "Progress measurement",
    "resources": "Resources",
    "leadership": "Leadership",
    "working-together": "Working well together",
}
"""The five requirements of joint working (paragraph 23), id to name, in the report's order."""

PROGRESS_MEASUREMENT = "progress-measurement"

SCALE: dict[int, str] = {1: "not at all", 2: "partly", 3: "mostly", 4: "fully"}
"""The answer scale: how far the partnership meets what the question asks."""

COLUMNS = ("question_id", "requirement", "question", "source")


@dataclass(frozen=True)
class Question:
    """One question: its id, requirement (an id of :data:`REQUIREMENTS`), wording, source."""

    question_id: str
    requirement: str
    question: str
    source: str


def read_questions(path: Path) -> tuple[Question, ...]:
    """Every question in ``path``, in file order; :class:`InputError` naming the row and
    column of every problem (a missing column, an unknown requirement, a repeated id, a
    blank question or source)."""
    header, rows = read_csv_rows(path)
    problems = [
        Problem(path.name, 1, column, None, "missing column")
        for column in COLUMNS
        if column not in header
    ]
    if problems:
        raise InputError(problems)
    found: list[Question] = []
    seen: dict[str, int] = {}
    for row in rows:
        question_id, requirement = row.get("question_id"), row.get("requirement")
        if not question_id:
            problems.append(row.problem("question_id", "a question id is required"))
        elif question_id in seen:
            problems.append(row.problem("question_id", f"repeats row {seen[question_id]}"))
        seen.setdefault(question_id, row.number)
        if requirement not in REQUIREMENTS:
            expected = ", ".join(REQUIREMENTS)
            problems.append(row.problem("requirement", f"expected one of {expected}"))
        for column in ("question", "source"):
            if not row.get(column):
                problems.append(row.problem(column, f"the {column} is required"))
        found.append(Question(question_id, requirement, row.get("question"), row.get("source")))
    if not found:
        problems.append(Problem(path.name, None, None, None, "no questions"))
    if problems:
        raise InputError(problems)
    return tuple(found)


@cache
def questions() -> tuple[Question, ...]:
    """The shipped questions (read once per process), by requirement in the report's order
    and then in file order."""
    order = list(REQUIREMENTS)
    listed = read_questions(QUESTIONS_FILE)
    return tuple(sorted(listed, key=lambda q: order.index(q.requirement)))


def question_index() -> dict[str, Question]:
    """The shipped questions by id."""
    return {q.question_id: q for q in questions()}


def questions_of(requirement: str) -> list[Question]:
    """The shipped questions of one requirement."""
    return [q for q in questions() if q.requirement == requirement]
