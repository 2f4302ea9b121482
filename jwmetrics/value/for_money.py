"""Value for money over time: spend per unit of outcome, by financial year (paragraph 18,
recommendation 2 of the report).

For each initiative, each of its outcome and output measures (England's figures) is paired
with the initiative's spend lines, spread to financial years pro rata by days
(:mod:`jwmetrics.value.spend`). Per measure and financial year:

* ``spend``: that year's spend; ``outcome``: the measure's latest figure whose period ends
  in that year;
* ``cost_per_unit`` = spend / outcome;
* ``change``: the figure less the one before it (the latest figure of an earlier year) or,
  with none, less the target's baseline; ``change_spend``: the spend over the days between
  the two (after the earlier one, up to and including this one), so a change over three
  years is divided by three years' spend, as the report's footnote 6 compares a reduction
  with "the expenditure on rough sleeping over these years";
* ``cost_per_unit_change`` = change_spend / |change|.

Where a cost cannot be worked out it is None and ``why`` says so: no figure that year, no
spend line that year, a zero figure or no change, a bound ("over 50%") is not divided, a
measure where less is better has no cost per unit of its level (what is bought is the fall,
so only the cost per unit of change is given), and a change the wrong way is not divided.
When spend lines cover only part of a change's days, the spend known is divided and
``note`` says how much is covered. Amounts are nominal unless ``data/gdp_deflators.csv``
gives a deflator for every year a record uses (then "real, <base year> prices").

The report's own cost figures (measures of kind ``cost``) are the reference points. Costs
of different outcomes are not comparable in money: the portfolio view sets them side by
side by form of joint working (Figure 1), never in a ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics import text as fmt
from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import BalancingMeasure
from jwmetrics.db.models import Initiative, Measure, Spend, Target
from jwmetrics.periods import Period
from jwmetrics.store.details import spend_known
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.figures import series
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ENGLAND, find_initiative
from jwmetrics.store.targets import current_targets
from jwmetrics.value import spend as value_spend
from jwmetrics.value.records import (
    NOMINAL,
    MeasureFacts,
    Prices,
    ValueRecord,
    measure_records,
    undated_record,
)
from jwmetrics.value.spend import dated_lines, read_deflators

__all__ = ["NOMINAL", "InitiativeValue", "ReferencePoint", "ValueRecord", "ValueReport"]

PAIRED_KINDS = ("outcome", "output")  # the measures spend is divided by
UNIT_WORDS = {"people": "person", "places": "place", "percent": "percentage point"}
CAVEAT = (
    "Costs of different outcomes are not comparable in money: a place, a person and a "
    "percentage point are different things. What is comparable (spend in pounds, by year) is "
    "set side by side, and the initiatives are listed in the report's order, not ranked."
)


def unit_word(unit: str) -> str:
    """What one unit of ``unit`` is called in "£2,143 per place": person, place, ..."""
    return UNIT_WORDS.get(unit, f"unit ({unit})" if unit else "unit")


def change_word(unit: str, change: float) -> str:
    """One unit of a change, as in "£130,435 per person fewer" or "per extra place"."""
    return f"{unit_word(unit)} fewer" if change < 0 else f"extra {unit_word(unit)}"


@dataclass(frozen=True)
class ReferencePoint:
    """One of the report's own cost figures (paragraph 18), as stated."""

    initiative: str
    measure: str
    name: str
    period: Period
    value: float
    qualifier: str
    unit: str
    note: str
    source: str

    @property
    def text(self) -> str:
        """ "around £120,000 (1998 to 1999)"."""
        return f"{fmt.value(self.value, self.unit, self.qualifier)} ({self.period.label})"


@dataclass(frozen=True)
class InitiativeValue:
    """An initiative's value-for-money records and the report's cost figures for it."""

    slug: str
    name: str
    joint_working_form: str
    records: list[ValueRecord]
    references: list[ReferencePoint]

    def measures(self) -> dict[str, str]:
        """The measures with records: id -> name, in order."""
        return {r.measure: r.measure_name for r in self.records if r.measure}

    def spend_by_year(self) -> dict[str | None, tuple[float, str, str]]:
        """The initiative's spend per financial year (None: stated without a year), as
        (GBP, "stated" or "planned", basis); every measure's records carry the same."""
        found: dict[str | None, tuple[float, str, str]] = {}
        for record in self.records:
            if record.spend is not None and record.year not in found:
                found[record.year] = (record.spend, record.spend_status, record.basis)
        return found


@dataclass(frozen=True)
class ValueReport:
    """Value for money for one or every initiative, as known on ``as_of``."""

    as_of: date
    basis: str  # "nominal", or the deflator's "real, 2001-02 prices"
    deflator_source: str
    initiatives: list[InitiativeValue]

    def records(self) -> list[dict[str, Any]]:
        """Every record as a plain dict, initiative by initiative."""
        return [r.as_record() for i in self.initiatives for r in i.records]

    def by_form(self) -> dict[str, list[InitiativeValue]]:
        """The initiatives grouped by form of joint working, each group in the report's order."""
        groups: dict[str, list[InitiativeValue]] = {}
        for item in self.initiatives:
            groups.setdefault(item.joint_working_form or "Not stated", []).append(item)
        return groups


def value_for_money(
    db: Database,
    initiative: str | None = None,
    as_of: date | None = None,
    deflator_path: Path | None = None,
    recorded_by: datetime | None = None,
) -> ValueReport:
    """Value for money of ``initiative`` (id or name; None: every one), as known on ``as_of``
    (default today): its spend lines, measures, figures and baselines as known then.

    ``deflator_path`` (default :data:`jwmetrics.value.spend.DEFLATOR_PATH`) is read when it
    exists, for real terms; InputError if it is malformed.
    """
    known = KnownAt(as_of or date.today(), recorded_by or datetime.now())
    prices = Prices(read_deflators(deflator_path or value_spend.DEFLATOR_PATH))
    with db.session() as session:
        wanted = [find_initiative(session, initiative)] if initiative else None
        initiatives = wanted or _in_report_order(session)
        spend = spend_known(session, known)
        # A balancing measure (what could get worse if a target is chased narrowly) is
        # watched, not bought: spend is never divided by it.
        balancing = select(BalancingMeasure.balancing_measure_id)
        measures = list(
            session.scalars(
                select(Measure)
                .where(Measure.recorded_at <= known.cutoff)
                .where(Measure.initiative_slug.in_([i.slug for i in initiatives]))
                .where(Measure.id.not_in(balancing))
                .order_by(Measure.id)
            )
        )
        targets = current_targets(session, known, [m.id for m in measures], [ENGLAND])
        figures = {m.id: series(session, m.id, ENGLAND, known) for m in measures}
        items = []
        for item in initiatives:
            mine = [m for m in measures if m.initiative_slug == item.slug]
            facts = [_facts(m, figures[m.id], targets.get((m.id, ENGLAND))) for m in mine]
            items.append(_initiative_value(item, mine, facts, spend.get(item.slug, []), prices))
    deflators = prices.deflators
    basis = deflators.basis if deflators else NOMINAL
    return ValueReport(known.day, basis, deflators.source if deflators else "", items)


def _facts(measure: Measure, views: list[ObservationView], target: Target | None) -> MeasureFacts:
    """A measure's figures and its target's baseline, for :func:`measure_records`."""
    baseline = None
    if target is not None and target.baseline_value is not None:
        baseline = (target.baseline_value, target.baseline_date, target.baseline_period)
    return MeasureFacts(
        measure.slug,
        measure.name,
        measure.unit,
        measure.direction,
        measure.too_early_note,
        views,
        baseline,
    )


def _initiative_value(
    item: Initiative,
    measures: list[Measure],
    facts: list[MeasureFacts],
    spend: list[Spend],
    prices: Prices,
) -> InitiativeValue:
    head = {"slug": item.slug, "name": item.name, "form": item.joint_working_form}
    dated, undated = dated_lines(spend)
    paired: list[MeasureFacts | None] = [
        f for m, f in zip(measures, facts, strict=True) if m.kind in PAIRED_KINDS
    ]
    records: list[ValueRecord] = []
    for measure in paired or [None]:
        records += measure_records(head, measure, dated, prices)
        if undated:
            records.append(undated_record(head, measure, undated))
    references = [
        ReferencePoint(
            item.slug, m.slug, m.name, v.period, v.value, v.qualifier, m.unit, v.note, v.source
        )
        for m, f in zip(measures, facts, strict=True)
        if m.kind == "cost"
        for v in f.figures
        if v.value is not None
    ]
    return InitiativeValue(item.slug, item.name, item.joint_working_form, records, references)


def _in_report_order(session: Session) -> list[Initiative]:
    """Every initiative in the order its first measure was recorded: the report's order
    (Figure 4), as the profiles list them."""
    first: dict[str, int] = {}
    for measure in session.scalars(select(Measure).order_by(Measure.id)):
        first.setdefault(measure.initiative_slug, measure.id)
    initiatives = list(session.scalars(select(Initiative)))
    return sorted(initiatives, key=lambda i: (first.get(i.slug, 10**9), i.slug))
