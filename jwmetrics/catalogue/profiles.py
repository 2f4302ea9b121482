"""Initiative profiles: who delivers it, how, what it costs, and how it is measured.

Read once per page view: plain data the pages lay out, with spend written as the report
states it and, where a period is given, the amount per year worked out beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jwmetrics import text as fmt
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Initiative, Measure, Partner, Spend
from jwmetrics.periods import format_month
from jwmetrics.store.details import partners_known, spend_known
from jwmetrics.store.known import EVERYTHING, KnownAt


@dataclass(frozen=True)
class PartnerLine:
    """One partner of an initiative."""

    name: str
    kind: str
    role: str
    source: str


@dataclass(frozen=True)
class SpendLine:
    """One expenditure figure as stated, with the amount per year where it can be derived."""

    text: str
    amount_gbp: float
    per_year_gbp: float | None
    period: str
    plan_or_actual: str
    wording: str
    source: str


@dataclass(frozen=True)
class MeasureLine:
    """A measure of an initiative, for pickers and lists."""

    slug: str
    name: str
    unit: str
    kind: str


@dataclass(frozen=True)
class InitiativeProfile:
    """Everything descriptive about one initiative (Figures 1, 4 and 5 of the report)."""

    slug: str
    name: str
    client_group: str
    client_group_name: str
    client_group_description: str
    purpose: str
    joint_working_form: str
    lead_departments: list[str]
    key_features: list[str]
    performance_measurement: str
    satisfaction_assessment: str
    impact: str
    source: str
    partners: list[PartnerLine]
    spend: list[SpendLine]
    measures: list[MeasureLine]


def spend_line(spend: Spend) -> SpendLine:
    """A spend row in words: "£200m in total, April 1999 to March 2002 (£66.7m a year)"."""
    per_year: float | None = spend.amount_gbp if spend.basis == "per_year" else None
    if spend.basis == "total" and spend.period_start and spend.period_end:
        years = ((spend.period_end - spend.period_start).days + 1) / 365.25
        per_year = spend.amount_gbp / round(years, 2)
    if spend.basis == "total" and spend.period_start and spend.period_end:
        span = f"{format_month(spend.period_start)} to {format_month(spend.period_end)}"
        text = f"{fmt.money(spend.amount_gbp)} in total, {span}"
        if per_year is not None:
            text += f" (about {fmt.money(per_year)} a year)"
    elif spend.period:
        text = f"{fmt.money(spend.amount_gbp)} in {spend.period}"
    else:
        text = f"{fmt.money(spend.amount_gbp)} a year"
    if spend.plan_or_actual == "planned":
        text += " (planned)"
    return SpendLine(
        text=text,
        amount_gbp=spend.amount_gbp,
        per_year_gbp=per_year,
        period=spend.period,
        plan_or_actual=spend.plan_or_actual,
        wording=spend.wording,
        source=spend.source,
    )


def _profile(
    initiative: Initiative, partners: list[Partner], spend: list[Spend]
) -> InitiativeProfile:
    group = initiative.client_group
    return InitiativeProfile(
        slug=initiative.slug,
        name=initiative.name,
        client_group=group.slug,
        client_group_name=group.name,
        client_group_description=group.description,
        purpose=initiative.purpose,
        joint_working_form=initiative.joint_working_form,
        lead_departments=[d.strip() for d in initiative.lead_departments.split(";") if d.strip()],
        key_features=initiative.key_feature_list,
        performance_measurement=initiative.performance_measurement,
        satisfaction_assessment=initiative.satisfaction_assessment,
        impact=initiative.impact,
        source=initiative.source,
        partners=[PartnerLine(p.name, p.kind, p.role, p.source) for p in partners],
        spend=[spend_line(s) for s in spend],
        measures=[
            MeasureLine(m.slug, m.name, m.unit, m.kind)
            for m in sorted(initiative.measures, key=lambda m: m.id)
        ],
    )


def all_profiles(db: Database, known: KnownAt | None = None) -> list[InitiativeProfile]:
    """Every initiative's profile, in the report's order (Figure 4), with the partners and
    spend known at ``known`` (None: everything recorded)."""
    known = known or EVERYTHING
    with db.session() as session:
        partners = partners_known(session, known)
        spend = spend_known(session, known)
        return [
            _profile(i, partners.get(i.slug, []), spend.get(i.slug, [])) for i in _ordered(session)
        ]


def _ordered(session: Session) -> list[Initiative]:
    """Initiatives in the order their first measure was recorded: the report's order."""
    first_measure = {
        m.initiative_slug: m.id
        for m in session.scalars(select(Measure).order_by(Measure.id.desc()))
    }
    query = select(Initiative).options(
        selectinload(Initiative.measures), selectinload(Initiative.client_group)
    )
    initiatives = list(session.scalars(query))
    return sorted(initiatives, key=lambda i: first_measure.get(i.slug, 10**9))
