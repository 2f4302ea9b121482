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
                            DASH
                            if cost is None
                            else f"{fmt.money(cost)} spent per {unit_word(r.unit)} counted"
                        )
                        + (f" ({r.year})" if cost is not None and r.year else ""),
                        "Spend per unit of change": per_change,
                        "Why none": r.why or DASH,
                        "The report's own figures": references or DASH,
                        "Form of joint working": form,
                    }
                )
    return pd.DataFrame(rows)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def cost_words(record: ValueRecord) -> str:
    """A measure's costs in a line, each worded per extra unit of the measure with its
    caveat, or why there is none.

    * a cost of change first, the one to quote: "£130,435 per person fewer (July 1998 to
      June 2001)", or "£1,200 per extra place (…)", with its caveat ("spend lines cover …");
    * a year's spend per unit counted, for a count only (a percentage point of a share is
      not a thing bought): where the figure is itself the change from a baseline of nothing
      (140,000 new places created), it is "£2,143 per extra place", caveat: one year's spend;
      else said for what it is, "£2,143 spent per place counted in 2000-01", not the cost of
      an extra place;
    * else "no cost worked out: " and why.
    """
    unit = unit_word(record.unit)
    parts = []
    if record.cost_per_unit_change is not None:
        words = change_word(record.unit, record.change or 0.0)
        text = f"{fmt.money(record.cost_per_unit_change)} per {words} ({_months(record)})"
        if record.note:
            text += f"; caveat: {record.note}"
        parts.append(text)
    if record.cost_per_unit is not None and record.unit != "percent":
        cost = fmt.money(record.cost_per_unit)
        if record.change is not None and record.change == record.outcome:
            parts.append(
                f"{cost} per extra {unit} ({record.year}); caveat: {record.year}'s spend "
                f"divided by the {_count(record)} created since "
                "the baseline, as the spend over the whole change is not known"
            )
        else:
            parts.append(
                f"{cost} spent per {unit} counted in {record.year}; caveat: the year's spend "
                f"divided by the figure, not the cost of an extra {unit}"
            )
    if parts:
        return "; ".join(parts)
    why = (record.why or "no cost could be worked out").rstrip(".")
    why = why.replace("Spend per unit: ", "").replace("; per unit of change: ", "; ")
    why = why.replace("Per unit of change: ", "")
    if record.unit == "percent" and record.cost_per_unit is not None:
        why = "a share is not a count, so a year's spend per percentage point is no cost; " + (
            _lower_first(why)
        )
    return f"no cost worked out: {_lower_first(why)}"


def _count(record: ValueRecord) -> str:
    """A record's figure with its unit when the unit is a plural noun: "140,000 places"."""
    amount = fmt.value(record.outcome, record.unit)
    return f"{amount} {record.unit}" if record.unit in ("people", "places") else amount


def _months(record: ValueRecord) -> str:
    """The days a change's spend covers, in months: "July 1998 to June 2001"."""
    if record.change_start is None or record.change_end is None:
        return f"since {record.change_since}"
    return f"{format_month(record.change_start)} to {format_month(record.change_end)}"


def spend_text(years: dict[str | None, tuple[float, str, str]]) -> str:
    """ "£66.8m in 1999-00; £66.6m in 2000-01; £650m in 2003-04 (planned)"."""
    parts = []
    for year, (amount, status, _) in years.items():
        when = f"in {year}" if year else "a year (no year stated)"
        parts.append(f"{fmt.money(amount)} {when}" + (" (planned)" if status == "planned" else ""))
    return "; ".join(parts) or "no spend stated"
