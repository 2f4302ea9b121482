"""Compare areas fairly: each area's rate against England's, with funnel-plot limits.

A league table of raw figures says nothing about which differences are real: a district of
80,000 people with 4 rough sleepers has a rate of 5 per 100,000 residents that could as well
have been 1 or 10 by chance. :func:`compare_areas` puts every area of one measure and one
period on the same footing (NAO recommendation 7: "investigate the reasons for variations
in achievement"): its count, its denominator (the mid-year population, from
:mod:`jwmetrics.compare.denominators`, or the number a percentage is a share of), its rate, its own
exact interval (:mod:`jwmetrics.compare.intervals`), England's and its region's rate, and the
verdict of the funnel plot's exact control limits around England (:mod:`jwmetrics.compare.funnel`).
Areas with no figure (a ".." is never a zero) or no denominator are listed with the reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.compare import funnel
from jwmetrics.compare.basis import (
    AreaDenominators,
    Basis,
    benchmark_of,
    comparison_basis,
    own_interval,
    rate_of,
    region_rates,
    why_no_value,
)
from jwmetrics.compare.denominators import Denominator, NoDenominator
from jwmetrics.compare.summary import headline_text, summary_text
from jwmetrics.compare.types import ComparedArea, Comparison
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area
from jwmetrics.periods import Period
from jwmetrics.problems import InputError, Problem
from jwmetrics.store.cross_section import measure_periods, period_figures
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import (
    ALL_LOCAL_AUTHORITIES,
    ENGLAND,
    areas_under,
    find_area,
    find_measure,
)


def _scope(session: Session, within: str | None, figures: dict[str, ObservationView]) -> str:
    """The parent whose areas are compared; by default the finest level with a figure."""
    if within is not None:
        return within
    types = {area.area_type for area in session.scalars(select(Area).where(Area.code.in_(figures)))}
    return ALL_LOCAL_AUTHORITIES if "local authority" in types else ENGLAND


def _no_figures(session: Session, known: KnownAt, basis: Basis, period: Period) -> None:
    """Refuse a period with no figure in any area, naming the periods that have some."""
    periods = [p.label for p in measure_periods(session, known, basis.measure.id)]
    shown = ", ".join(periods[:12]) + (" …" if len(periods) > 12 else "")
    having = f"; periods with figures: {shown}" if periods else "; it has no figures yet"
    message = f"no figures of {basis.measure.slug} for {period.label}{having}"
    raise InputError([Problem("period", None, None, period.label, message)])


def _scope_name(session: Session, parent: str) -> str:
    """The areas compared, in words: "the regions of England", "the local authorities of
    London", "every local authority in England"."""
    if parent == ALL_LOCAL_AUTHORITIES:
        return "every local authority in England"
    area = session.get(Area, parent)
    name = area.name if area is not None else parent
    if parent == ENGLAND:
        return "the regions of England"
    kind = "local authorities" if parent.startswith("E12") else "areas"
    return f"the {kind} of {name}"


def _choose_period(
    session: Session, known: KnownAt, basis: Basis, denominator_measure: str | None
) -> tuple[Period, str]:
    """The newest period in which some area has both a figure and a denominator (else the
    newest with figures), and a note when a newer period had to be passed over."""
    periods = measure_periods(session, known, basis.measure.id)
    if not periods:
        message = f"{basis.measure.slug} has no figures to compare"
        raise InputError([Problem("measure", None, None, basis.measure.slug, message)])
    for period in periods:
        denominators = AreaDenominators(session, known, basis, period, denominator_measure)
        figures = period_figures(session, known, basis.measure.id, period)
        if any(
            view.value is not None and isinstance(denominators.of(code), Denominator)
            for code, view in figures.items()
        ):
            if period == periods[0]:
                return period, ""
            skipped = ", ".join(p.label for p in periods[: periods.index(period)])
            return period, f"Newer figures ({skipped}) have no denominator to compare them by."
    return periods[0], ""


def compare_areas(
    db: Database,
    measure: str,
    period: Period | None = None,
    known: KnownAt | None = None,
    within: str | None = None,
    denominator_measure: str | None = None,
) -> Comparison:
    """Every area under ``within`` compared with England for ``measure`` in ``period``.

    ``within``: England (its regions), a region (its local authorities) or
    ``"local-authorities"`` (every one); by default the finest level with a figure.
    ``period``: by default the newest one that has figures and denominators. ``known``:
    by default everything published by today. ``denominator_measure``: for a percentage,
    the measure whose figures give the number it is a share of.
    """
    known = known or KnownAt.on(date.today())
    with db.session() as session:
        basis = comparison_basis(session, find_measure(session, measure))
        note = basis.note
        if period is None:
            period, passed_over = _choose_period(session, known, basis, denominator_measure)
            note = " ".join(part for part in (note, passed_over) if part)
        figures = period_figures(session, known, basis.measure.id, period)
        if not figures:
            _no_figures(session, known, basis, period)
        parent = _scope(session, within, figures)
        if parent != ALL_LOCAL_AUTHORITIES:
            parent = find_area(db, parent).code
        within_name = _scope_name(session, parent)
        areas = areas_under(session, parent)
        names = {a.code: a.name for a in session.scalars(select(Area))}
        denominators = AreaDenominators(session, known, basis, period, denominator_measure)
        rows = _compare_rows(basis, period, areas, figures, denominators, names)
        comparison = Comparison(
            measure=basis.measure.slug,
            measure_name=basis.measure.name,
            unit=basis.unit,
            direction=basis.measure.direction,
            kind=basis.kind,
            period=period,
            as_of=known.day,
            within=parent,
            within_name=within_name,
            note=note,
            **rows,
        )
    return _with_summary(comparison)


def _compare_rows(
    basis: Basis,
    period: Period,
    areas: list[Area],
    figures: dict[str, ObservationView],
    denominators: AreaDenominators,
    names: dict[str, str],
) -> dict[str, Any]:
    """The rows, benchmark, limits and dispersion of a comparison (its keyword arguments)."""
    usable: dict[str, tuple[float, Denominator]] = {}
    reasons: dict[str, tuple[str, Denominator | NoDenominator]] = {}
    for area in areas:
        view = figures.get(area.code)
        denominator = denominators.of(area.code)
        why = why_no_value(view, period)
        if not why and isinstance(denominator, NoDenominator):
            why = denominator.why
        if why or view is None or view.value is None or isinstance(denominator, NoDenominator):
            reasons[area.code] = (why, denominator)
        else:
            usable[area.code] = (view.value, denominator)
    pooled = [(value, d.value) for value, d in usable.values()]
    benchmark = benchmark_of(basis, figures.get(ENGLAND), denominators.of(ENGLAND), pooled)
    regions = region_rates(basis, figures, denominators)
    points = [(rate_of(basis, v, d.value), d.value) for v, d in usable.values()]
    spread = (
        funnel.dispersion(basis.kind, benchmark.rate, points, basis.per)
        if benchmark is not None
        else None
    )
    rated: list[ComparedArea] = []
    unrated: list[ComparedArea] = []
    for area in areas:
        region = area.parent_code if (area.parent_code or "").startswith("E12") else None
        place: dict[str, Any] = {
            "area_code": area.code,
            "area_name": area.name,
            "area_type": area.area_type,
            "region_code": region,
            "region_name": names.get(region or "", ""),
            "region_rate": regions.get(region or ""),
            "benchmark_rate": benchmark.rate if benchmark is not None else None,
        }
        if area.code in usable and benchmark is not None:
            value, denominator = usable[area.code]
            rated.append(_rated(basis, place, value, denominator, benchmark.rate, spread))
            continue
        why, denominator = reasons.get(
            area.code, ("no England figure to compare with", NoDenominator(""))
        )
        view = figures.get(area.code)
        unrated.append(
            ComparedArea(
                value=view.value if view is not None and not why.startswith("a bound") else None,
                denominator=denominator.value if isinstance(denominator, Denominator) else None,
                denominator_basis=denominator.basis if isinstance(denominator, Denominator) else "",
                rate=None,
                lower_95=None,
                upper_95=None,
                lower_998=None,
                upper_998=None,
                verdict=funnel.NO_FIGURE,
                verdict_plain=funnel.NO_FIGURE,
                why=why,
                **place,
            )
        )
    rated.sort(key=lambda row: (-(row.rate or 0.0), row.area_name))
    lines: list[funnel.Limits] = []
    adjusted: list[funnel.Limits] = []
    if benchmark is not None and points:
        low = min(d for _, d in points)
        high = max(d for _, d in points)
        lines = funnel.curve(basis.kind, benchmark.rate, low, high, basis.per)
        if spread is not None:
            adjusted = [spread.limits(line.denominator, line) for line in lines]
    return {
        "benchmark": benchmark,
        "rows": rated + unrated,
        "limits": lines,
        "dispersion": spread,
        "adjusted_limits": adjusted,
    }


def _rated(
    basis: Basis,
    place: dict[str, Any],
    value: float,
    denominator: Denominator,
    benchmark: float,
    spread: funnel.Dispersion | None,
) -> ComparedArea:
    """The comparison of one area with a figure and a denominator."""
    rate = rate_of(basis, value, denominator.value)
    limits = funnel.exact_limits(basis.kind, benchmark, denominator.value, basis.per)
    own_95 = own_interval(basis, value, denominator.value, 0.95)
    own_998 = own_interval(basis, value, denominator.value, 0.998)
    plain = funnel.verdict(rate, limits)
    adjusted = funnel.verdict(rate, spread.limits(denominator.value, limits)) if spread else None
    basis_used = funnel.in_use(spread)
    return ComparedArea(
        value=value,
        denominator=denominator.value,
        denominator_basis=denominator.basis,
        rate=rate,
        lower_95=limits.lower_95,
        upper_95=limits.upper_95,
        lower_998=limits.lower_998,
        upper_998=limits.upper_998,
        verdict=adjusted if basis_used == funnel.ADJUSTED and adjusted else plain,
        verdict_plain=plain,
        verdict_basis=basis_used,
        ci_lower_95=own_95.lower,
        ci_upper_95=own_95.upper,
        ci_lower_998=own_998.lower,
        ci_upper_998=own_998.upper,
        interval_method=own_95.method,
        difference=rate - benchmark,
        difference_lower_95=own_95.lower - benchmark,
        difference_upper_95=own_95.upper - benchmark,
        verdict_adjusted=adjusted,
        **place,
    )


def _with_summary(comparison: Comparison) -> Comparison:
    return replace(
        comparison, summary_text=summary_text(comparison), headline=headline_text(comparison)
    )


def comparable_periods(db: Database, measure: str, known: KnownAt | None = None) -> list[Period]:
    """The periods ``measure`` (or the count behind a rate) has figures for, newest first."""
    known = known or KnownAt.on(date.today())
    with db.session() as session:
        basis = comparison_basis(session, find_measure(session, measure))
        return measure_periods(session, known, basis.measure.id)
