"""Value for money as table frames: the initiative page's table and the portfolio's.

Pure: plain ``pandas`` frames the pages draw and offer as CSV. In the portfolio frame each
cost is written in words with its own unit ("£2,143 per place"), so no column sorts
different outcomes into a ranking.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jwmetrics import text as fmt
from jwmetrics.periods import format_month
from jwmetrics.text import DASH
from jwmetrics.value.for_money import (
    InitiativeValue,
    ValueRecord,
    ValueReport,
    change_word,
    unit_word,
)

NO_YEAR = "No year stated"


def value_frame(item: InitiativeValue) -> pd.DataFrame:
    """The initiative's records as a table: one row per measure and year; spend in millions
    of pounds, costs per unit in pounds."""
    rows = [
        {
            "Year": r.year or NO_YEAR,
            "Measure": r.measure_name or "No outcome or output measure",
            "Spend (£m)": None if r.spend is None else r.spend / 1e6,
            "Figure": DASH if r.outcome is None else _figure_words(r),
            "Spend per unit (£)": r.cost_per_unit,
            "Change": DASH if r.change is None else _change_words(r),
            "Spend per unit of change (£)": r.cost_per_unit_change,
            "Why none, or a caveat": " ".join(
                p for p in (r.why, f"{fmt.sentence(r.note)}." if r.note else "") if p
            )
            or DASH,
            "Per": unit_word(r.unit) if r.measure else DASH,
            "Spend is": r.spend_status,
            "Spend over the change (£m)": None if r.change_spend is None else r.change_spend / 1e6,
            "Basis": r.basis,
        }
        for r in item.records
    ]
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else None)


def _figure_words(record: ValueRecord) -> str:
    amount = fmt.value(record.outcome, record.unit, record.outcome_qualifier)
    return f"{amount} ({record.outcome_period})"


def _change_words(record: ValueRecord) -> str:
    amount = record.change or 0.0
    sign = "+" if amount > 0 else ""
    return f"{sign}{fmt.difference(amount, record.unit)} since {record.change_since}"


def _span_words(record: ValueRecord) -> str:
    if record.change_start is None or record.change_end is None:
        return ""
    span = f"{format_month(record.change_start)} to {format_month(record.change_end)}"
    if record.spend_coverage is not None and record.spend_coverage < 1:
        span += f"; spend stated for {fmt.percent(record.spend_coverage)} of the days"
    return span


def _latest(records: list[ValueRecord]) -> ValueRecord:
    """The newest record with a figure, else the newest."""
    with_figure = [r for r in records if r.outcome is not None]
    return (with_figure or records)[-1]


def portfolio_frame(report: ValueReport) -> pd.DataFrame:
    """One row per initiative and measure, grouped by form of joint working: the latest
    figure and its costs in words (each in its own unit, so a column never ranks them),
    which row it is first, and a dash where there is nothing to say."""
    rows: list[dict[str, Any]] = []
    for form, items in report.by_form().items():
        for item in items:
            references = "; ".join(f"{r.name}: {r.text}" for r in item.references)
            for measure in dict.fromkeys(r.measure for r in item.records):
                r = _latest([x for x in item.records if x.measure == measure])
                per_change = DASH
                if r.cost_per_unit_change is not None:
                    words = change_word(r.unit, r.change or 0)
                    per_change = f"{fmt.money(r.cost_per_unit_change)} per {words}"
                    per_change += f" ({_span_words(r)})"
                cost = r.cost_per_unit
                rows.append(
                    {
                        "Initiative": item.name,
                        "Measure": r.measure_name or "No outcome or output measure",
                        "Latest figure": _figure_words(r) if r.outcome is not None else DASH,
                        "Spend per unit": (
                            DASH if cost is None else f"{fmt.money(cost)} per {unit_word(r.unit)}"
                        )
                        + (f" ({r.year})" if cost is not None and r.year else ""),
                        "Spend per unit of change": per_change,
                        "Why none": r.why or DASH,
                        "The report's own figures": references or DASH,
                        "Form of joint working": form,
                    }
                )
    return pd.DataFrame(rows)


def spend_text(years: dict[str | None, tuple[float, str, str]]) -> str:
    """ "£66.8m in 1999-00; £66.6m in 2000-01; £650m in 2003-04 (planned)"."""
    parts = []
    for year, (amount, status, _) in years.items():
        when = f"in {year}" if year else "a year (no year stated)"
        parts.append(f"{fmt.money(amount)} {when}" + (" (planned)" if status == "planned" else ""))
    return "; ".join(parts) or "no spend stated"
