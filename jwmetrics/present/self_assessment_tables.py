"""The self-assessment as tables for the pages and downloads (pandas frames).

Headers are written for people; scores stay numbers (a mean such as 3.5) and days stay
dates, so a downloaded CSV can be sorted and computed with. The requirement columns are
named after the requirements (:data:`~jwmetrics.self_assessment.questions.REQUIREMENTS`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from jwmetrics.problems import Problem
from jwmetrics.self_assessment.partnerships import Answer
from jwmetrics.self_assessment.questions import REQUIREMENTS, question_index
from jwmetrics.self_assessment.scores import MeasurementTimeliness, PartnershipScores

PROBLEM_COLUMNS = ["Row", "Column", "Value", "Problem"]


def scores_table(partnership: PartnershipScores) -> pd.DataFrame:
    """One partnership's requirements: the latest score, the questions it rests on, the
    earlier score and the change (blank without an earlier assessment)."""
    previous = partnership.previous
    rows = []
    for latest in partnership.latest.requirements:
        before = previous.score(latest.requirement) if previous else None
        change = latest.score - before if latest.score is not None and before is not None else None
        rows.append(
            {
                "Requirement": latest.name,
                "Latest score": latest.score,
                "Questions answered": f"{latest.answered} of {latest.questions}",
                "Earlier score": before,
                "Change": change,
            }
        )
    return pd.DataFrame(rows)


def portfolio_table(found: Iterable[PartnershipScores]) -> pd.DataFrame:
    """Every partnership's latest scores: one row each, a column per requirement, then how
    many days it has answered on and its area code."""
    rows = []
    for partnership in found:
        row: dict[str, object] = {
            "Initiative": partnership.initiative_name,
            "Area": partnership.area_name,
            "Assessed on": partnership.latest.day,
        }
        for requirement in partnership.latest.requirements:
            row[requirement.name] = requirement.score
        row.update({"Assessments": len(partnership.rounds), "Area code": partnership.area_code})
        rows.append(row)
    columns = ["Initiative", "Area", "Assessed on", *REQUIREMENTS.values()]
    return pd.DataFrame(rows, columns=[*columns, "Assessments", "Area code"])


def timeliness_table(found: Iterable[MeasurementTimeliness]) -> pd.DataFrame:
    """Each assessed partnership's progress-measurement score beside its returns'
    timeliness, lowest score first (the partnerships the analyst's question is about)."""
    rows = [
        {
            "Area": row.area_name,
            "Area code": row.area_code,
            "Assessed on": row.assessed_on,
            "Progress measurement score": row.progress_measurement,
            "Figures expected": row.expected,
            "Received": row.received,
            "On time": row.on_time,
            "Timeliness (%)": row.timeliness_pct,
            "Returns": row.schedule,
        }
        for row in found
    ]
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else ["Area"])
    if rows:
        frame = frame.sort_values(
            ["Progress measurement score", "Area"], na_position="last", kind="stable"
        )
    return frame.reset_index(drop=True)


def answers_table(found: Iterable[Answer]) -> pd.DataFrame:
    """Every answer with its question's wording, for reading or download."""
    index = question_index()
    rows = [
        {
            "Initiative": a.initiative,
            "Area": a.area_name,
            "Area code": a.area_code,
            "Answered on": a.answered_on,
            "Requirement": REQUIREMENTS.get(a.requirement, a.requirement),
            "Question id": a.question_id,
            "Score": a.score,  # before the long question, so a narrow window still shows it
            "Question": index[a.question_id].question if a.question_id in index else "",
            "Evidence": a.evidence,
            "Answered by": a.answered_by,
            "File": a.file_name,
            "Row": a.row_number,
        }
        for a in found
    ]
    return pd.DataFrame(rows)


def problems_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """An import's problems: spreadsheet row (blank for the whole file), column, value, what
    was wrong and what was expected."""
    frame = pd.DataFrame(
        [(p.row, p.column or "", p.value or "", p.message) for p in problems],
        columns=PROBLEM_COLUMNS,
    )
    frame["Row"] = frame["Row"].astype("Int64")
    return frame
