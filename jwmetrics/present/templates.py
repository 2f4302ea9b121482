"""Downloadable return templates: one per initiative, listing its measures and units."""

from __future__ import annotations

import pandas as pd

from jwmetrics.catalogue.profiles import all_profiles
from jwmetrics.db.engine import Database
from jwmetrics.present.files import csv_text, to_csv_bytes, to_xlsx_bytes
from jwmetrics.self_assessment.partnerships import TEMPLATE_COLUMNS as SELF_ASSESSMENT_COLUMNS
from jwmetrics.store.lookup import ENGLAND
from jwmetrics.tabular import RETURN_COLUMNS

TEMPLATE_COLUMNS = [c for c in RETURN_COLUMNS if c != "source"]
UNIT_HELP = {
    "people": "a count of people, such as 1,850",
    "places": "a count of places, such as 140,000",
    "percent": "a percentage from 0 to 100, such as 55.4%",
    "GBP": "pounds, such as £650 or £1.2m",
}
FORMAT_NOTES = (
    "One figure a row. Required: initiative, measure, area_code (ONS code), period, value. "
    "Periods: 30/06/2001, June 2001, 2001 Q2, 2000-01 (financial year April to March) or 2001. "
    "Values: 1,850, 55.4%, £650, or a marker: .. (not available), x (suppressed), - (nil). "
    "Optional: area_name, partner, qualifier (exact, over, under, around), "
    "status (provisional, final), note. See docs/returns.md."
)


def template_frame(db: Database, initiative: str) -> pd.DataFrame:
    """A return template for ``initiative``: one starter row per measure, England, to fill in."""
    profile = next(p for p in all_profiles(db) if initiative in (p.slug, p.name))
    rows = [
        {
            "initiative": profile.slug,
            "measure": measure.slug,
            "area_code": ENGLAND,
            "area_name": "England",
            "period": "",
            "value": "",
        }
        for measure in profile.measures
    ]
    frame = pd.DataFrame(rows, columns=TEMPLATE_COLUMNS, dtype="object")
    return frame.where(frame.notna(), "")


def measures_frame(db: Database, initiative: str) -> pd.DataFrame:
    """The measures a template covers, with their unit and what a value looks like."""
    profile = next(p for p in all_profiles(db) if initiative in (p.slug, p.name))
    return pd.DataFrame(
        [
            {
                "measure": m.slug,
                "name": m.name,
                "unit": m.unit,
                "value looks like": UNIT_HELP.get(m.unit, m.unit),
            }
            for m in profile.measures
        ]
    )


def template_csv(db: Database, initiative: str) -> bytes:
    """The template as CSV (UTF-8 with BOM, so Excel shows £ correctly)."""
    return to_csv_bytes(template_frame(db, initiative))


def template_xlsx(db: Database, initiative: str) -> bytes:
    """The template as a workbook: the Return sheet to fill in, Measures, and About."""
    sheets = {"Return": template_frame(db, initiative), "Measures": measures_frame(db, initiative)}
    return to_xlsx_bytes(sheets, {"About": FORMAT_NOTES})


def self_assessment_csv(rows: list[dict[str, str]]) -> bytes:
    """The self-assessment template as CSV: UTF-8 with a byte order mark (so Excel shows it
    right), the columns of :data:`SELF_ASSESSMENT_COLUMNS`, written by
    :func:`~jwmetrics.present.files.csv_text` (every cell formula-safe, rows ending in
    ``"\\r\\n"``)."""
    cells = ([row.get(column, "") for column in SELF_ASSESSMENT_COLUMNS] for row in rows)
    return csv_text(SELF_ASSESSMENT_COLUMNS, cells).encode("utf-8-sig")
