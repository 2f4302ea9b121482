"""The arithmetic of value for money: one measure's records, year by year.

Pure (no database): :func:`measure_records` takes a measure's figures and baseline
(:class:`MeasureFacts`), the initiative's dated spend lines and the prices to count in, and
returns one :class:`ValueRecord` per financial year with a spend line or a figure. The rules
are in :mod:`jwmetrics.value.for_money`'s docstring and docs/value_for_money.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any

from jwmetrics import text as fmt
from jwmetrics.db.models import Spend
from jwmetrics.periods import Period, format_date
from jwmetrics.store.figure import ObservationView
from jwmetrics.value.spend import (
    Deflators,
    SpanSpend,
    SpendPiece,
    fy_of,
    spend_between,
    spend_by_year,
)

NOMINAL = "nominal"


@dataclass(frozen=True)
class ValueRecord:
    """One initiative, measure and financial year: spend, outcome and the costs per unit."""

    initiative: str
    initiative_name: str
    joint_working_form: str
    measure: str | None
    measure_name: str
    unit: str
    year: str | None  # a financial year, "2001-02"; None for spend stated without a year
    spend: float | None  # GBP in that year, on ``basis``
    spend_status: str  # "stated", or "planned" when any of it is a plan ("" with no spend)
    outcome: float | None
    outcome_qualifier: str
    outcome_period: str  # the figure's period, "June 2001"
    cost_per_unit: float | None
    change: float | None
    change_since: str  # what the change is measured from: "June 1998", "the baseline"
    change_start: date | None  # the first day of the change's spend (after the earlier figure)
    change_end: date | None  # its last day: the end of this figure's period
    change_spend: float | None  # GBP over the days of the change, on ``basis``
    spend_coverage: float | None  # share of the change's days some spend line covers
    cost_per_unit_change: float | None
    basis: str  # "nominal" or "real, 2001-02 prices"
    why: str | None  # why a cost is None
    note: str = ""  # caveats of a cost that is given

    def as_record(self) -> dict[str, Any]:
        """The record the CLI prints as JSON (dates as ISO text)."""
        record = asdict(self)
        for key in ("change_start", "change_end"):
            record[key] = record[key].isoformat() if record[key] else None
        return record


@dataclass(frozen=True)
class MeasureFacts:
    """What one measure's records are made from: England's figures and the baseline."""

    slug: str
    name: str
    unit: str
    direction: str  # "up" or "down" is better
    too_early_note: str
    figures: list[ObservationView]  # oldest period first
    baseline: tuple[float, date | None, str] | None = None  # value, date, period as written


@dataclass(frozen=True)
class Prices:
    """Nominal pounds, or real terms where a deflator covers every year a record uses."""

    deflators: Deflators | None = None

    def convert(self, groups: Sequence[Sequence[SpendPiece]]) -> tuple[list[float], str, str]:
        """Each group's total, the basis, and a note when the deflator lacks a year."""
        totals = [sum(p.amount_gbp for p in group) for group in groups]
        if self.deflators is None:
            return totals, NOMINAL, ""
        index = self.deflators.index
        missing = sorted({p.year for group in groups for p in group if p.year not in index})
        if missing:
            note = f"no deflator for {', '.join(y.label for y in missing)}, so in nominal terms"
            return totals, NOMINAL, note
        real = self.deflators.real
        return (
            [sum(real(p.amount_gbp, p.year) or 0.0 for p in group) for group in groups],
            self.deflators.basis,
            "",
        )


@dataclass(frozen=True)
class _Change:
    """The change to one figure, what it is measured from, and why it is not divided."""

    change: float | None = None
    since: str = ""
    start: date | None = None  # the first day of the change's spend (None: not known)
    why: str | None = None


NO_START = "no earlier figure or baseline to measure a change from"


def _change_to(figure: ObservationView, facts: MeasureFacts) -> _Change:
    """The change since the latest figure of an earlier year, or else since the baseline."""
    year = fy_of(figure.period.end)
    earlier = [f for f in facts.figures if f.value is not None and f.period.end < year.start]
    if earlier:
        before = earlier[-1]
        if before.is_bound or figure.is_bound:
            why = "a bound is not a value, so no change is worked out"
            return _Change(since=before.period.label, why=why)
        start = before.period.end + timedelta(days=1)
        amount = (figure.value or 0.0) - (before.value or 0.0)
        return _judged(_Change(amount, before.period.label, start), facts)
    if facts.baseline is None or figure.is_bound:
        return _Change(why=NO_START)
    value, day, written = facts.baseline
    if day is not None and day >= figure.period.end:
        return _Change(why=NO_START)
    since = f"the baseline ({written})" if written else "the baseline"
    first = day + timedelta(days=1) if day else None
    change = _judged(_Change((figure.value or 0.0) - value, since, first), facts)
    if first is None and change.why is None:
        why = "the baseline has no date, so the spend over the change is unknown"
        return replace(change, why=why)
    return change


def _judged(change: _Change, facts: MeasureFacts) -> _Change:
    """``change`` with a reason when it is zero or the wrong way (not divided either way)."""
    amount = change.change or 0.0
    if amount == 0:
        return replace(change, why=f"no change since {change.since}")
    if (amount > 0) != (facts.direction != "down"):
        words = fmt.difference(amount, facts.unit)
        why = f"it moved the wrong way since {change.since} ({words}): no cost of a worsening"
        return replace(change, why=why)
    return change


def _per_unit(piece: SpendPiece | None, figure: ObservationView, facts: MeasureFacts) -> str | None:
    """Why spend / outcome is not given for ``figure`` (None: it is)."""
    if facts.direction == "down":
        return (
            "less is better for this measure, so spend per unit of its level is no cost of "
            "the outcome (see the cost per unit of change)"
        )
    if figure.is_bound:
        words = fmt.value(figure.value, facts.unit, figure.qualifier, figure.marker)
        return f"the figure is a bound ({words}), so it is not divided"
    if figure.value == 0:
        return "the figure is zero"
    if piece is None:
        return f"no spend line covers {fy_of(figure.period.end).label}"
    return None


def _span_text(start: date, end: date) -> str:
    """ "from 1 July 1998 to 30 June 2001"."""
    return f"from {format_date(start)} to {format_date(end)}"


def measure_records(
    head: dict[str, str], facts: MeasureFacts | None, lines: Sequence[Spend], prices: Prices
) -> list[ValueRecord]:
    """The records of one measure (``facts``; None: the initiative has no outcome or output
    measure), one per financial year with a spend line or a figure, oldest first.

    ``head`` names the initiative (``slug``, ``name``, ``form``); ``lines`` are its dated
    spend lines (:func:`jwmetrics.value.spend.dated_lines`).
    """
    by_year = spend_by_year(lines)
    figures = facts.figures if facts else []
    years = set(by_year) | {fy_of(f.period.end) for f in figures if f.value is not None}
    records = []
    for year in sorted(years):
        base = _base(head, facts, year, by_year.get(year))
        figure = _latest_in(figures, year)
        if facts is None or figure is None:
            records.append(_without_figure(base, facts, year, by_year.get(year), prices))
        else:
            records.append(_with_figure(base, facts, figure, by_year.get(year), lines, prices))
    return records


def _latest_in(figures: list[ObservationView], year: Period) -> ObservationView | None:
    """The latest figure with a value whose period ends in ``year``."""
    inside = [f for f in figures if f.value is not None and year.start <= f.period.end <= year.end]
    return inside[-1] if inside else None


def _base(
    head: dict[str, str], facts: MeasureFacts | None, year: Period | None, piece: SpendPiece | None
) -> ValueRecord:
    """A record with the initiative, measure and year filled in and nothing worked out."""
    return ValueRecord(
        initiative=head["slug"],
        initiative_name=head["name"],
        joint_working_form=head["form"],
        measure=facts.slug if facts else None,
        measure_name=facts.name if facts else "",
        unit=facts.unit if facts else "",
        year=year.label if year else None,
        spend=None,
        spend_status=("planned" if piece.planned else "stated") if piece else "",
        outcome=None,
        outcome_qualifier="",
        outcome_period="",
        cost_per_unit=None,
        change=None,
        change_since="",
        change_start=None,
        change_end=None,
        change_spend=None,
        spend_coverage=None,
        cost_per_unit_change=None,
        basis=NOMINAL,
        why=None,
    )


def _without_figure(
    base: ValueRecord,
    facts: MeasureFacts | None,
    year: Period,
    piece: SpendPiece | None,
    prices: Prices,
) -> ValueRecord:
    """A year with spend but no figure (or no measure at all): the spend, and why."""
    (spend,), basis, _ = prices.convert([[piece] if piece else []])
    if facts is None:
        why = "The initiative has no outcome or output measure to divide its spend by."
    else:
        note = facts.too_early_note.strip().rstrip(".")
        early = f": {note[:1].lower()}{note[1:]}" if note else ""
        why = f"No figure of this measure in {year.label}{early}."
    return replace(base, spend=spend if piece else None, basis=basis, why=why)


def _with_figure(
    base: ValueRecord,
    facts: MeasureFacts,
    figure: ObservationView,
    piece: SpendPiece | None,
    lines: Sequence[Spend],
    prices: Prices,
) -> ValueRecord:
    """A year with a figure: spend per unit of it, and per unit of its change."""
    change = _change_to(figure, facts)
    span: SpanSpend | None = None
    if change.start is not None and change.why is None:
        span = spend_between(lines, change.start, figure.period.end)
    (spend, change_spend), basis, price_note = prices.convert(
        [[piece] if piece else [], span.pieces if span else []]
    )
    why_unit = _per_unit(piece, figure, facts)
    cost = None if why_unit or not figure.value else spend / figure.value
    why_change, notes = change.why, [price_note] if price_note else []
    if span is not None and change.start is not None:
        days = _span_text(change.start, figure.period.end)
        if span.covered_days == 0:
            why_change = f"no spend line covers the days {days}"
        elif span.coverage < 1:
            notes.append(
                f"spend lines cover {span.covered_days:,} of the {span.days:,} days {days}; "
                "no spend is stated for the rest, so the cost per unit of change divides the "
                "spend known"
            )
    if piece and cost is not None and piece.days < (piece.year.end - piece.year.start).days + 1:
        notes.append(f"spend lines cover {piece.days} of the days of {piece.year.label}")
    per_change = None
    if span is not None and why_change is None and change.change:
        per_change = change_spend / abs(change.change)
    parts = []
    if cost is None:
        parts.append(f"spend per unit: {why_unit}")
    if per_change is None:
        parts.append(f"per unit of change: {why_change}")
    return replace(
        base,
        spend=spend if piece else None,
        outcome=figure.value,
        outcome_qualifier=figure.qualifier,
        outcome_period=figure.period.label,
        cost_per_unit=cost,
        change=change.change,
        change_since=change.since,
        change_start=change.start if span else None,
        change_end=figure.period.end if span else None,
        change_spend=change_spend if span and span.covered_days else None,
        spend_coverage=span.coverage if span else None,
        cost_per_unit_change=per_change,
        basis=basis,
        why=fmt.sentence("; ".join(parts)) + "." if parts else None,
        note="; ".join(notes) if (cost is not None or per_change is not None) else "",
    )


def undated_record(
    head: dict[str, str], facts: MeasureFacts | None, lines: Sequence[Spend]
) -> ValueRecord:
    """The spend stated "a year" without saying which: kept, but paired with no figure."""
    amount = sum(line.amount_gbp for line in lines)
    planned = any(line.plan_or_actual == "planned" for line in lines)
    why = (
        f"The spend is stated as {fmt.money(amount)} a year without saying which year, so it "
        "is paired with no figure."
    )
    base = _base(head, facts, None, None)
    return replace(base, spend=amount, spend_status="planned" if planned else "stated", why=why)
