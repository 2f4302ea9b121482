"""Balancing measures: what could get worse while a target is chased narrowly (paragraph 16).

The catalogue pairs a target measure with balancing measures
(``data/balancing_measures.csv``, :class:`~jwmetrics.db.joint_models.BalancingMeasure`). For one
series of the target measure (a measure in an area), each balancing measure is read in the
same area, and :class:`BalancingCheck` says whether it **moved the wrong way by more than
its threshold**:

* its *reference* figure is the one at the target's baseline: the last figure for a period
  ending on or before the target's baseline date, else (none so old) its first figure after
  it; without a target baseline, its first figure;
* its *latest* figure is its newest;
* the move is latest minus reference, and the wrong way is against the balancing measure's
  own direction (a rise for a measure to cut, a fall for one to raise);
* it is worth saying when the wrong-way move is more than the threshold (in the balancing
  measure's unit). Figures given only as a bound ("over 50") are not values and are skipped.

The balancing measures are read as known on the day asked for (by default everything known
now), not at the target series' own newest publication, so a balancing return that comes
after the target's newest figure still shows. The status reason then gains one sentence per
alert (:func:`with_balancing`); a balancing measure with no figure is "no data yet", shown
on the initiative page and never in the reason. The rule is in ``docs/status.md``.

Cheap for the status table: one query for every pair of the measures in scope, and one for
every balancing series in the areas in scope, however many series are judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics import text as fmt
from jwmetrics.assess.status import Judgement
from jwmetrics.db.engine import Database
from jwmetrics.db.joint_models import BalancingMeasure
from jwmetrics.db.models import Measure, Observation
from jwmetrics.store.figure import ObservationView, view_of
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import find_area, find_measure
from jwmetrics.store.targets import current_targets
from jwmetrics.store.versions import current_figures

NO_DATA = "no data yet"
ONE_FIGURE = "one figure so far"
WRONG_WAY = "moved the wrong way by more than its threshold"
WITHIN = "within its threshold"

SeriesKey = tuple[int, str]  # (measure id, area code)


@dataclass(frozen=True)
class BalancingPair:
    """One balancing measure of a target measure, with its threshold and why."""

    target_id: int
    measure_id: int
    slug: str
    name: str
    unit: str
    direction: str  # the balancing measure's own better direction
    threshold: float  # in its unit
    why: str
    source: str


@dataclass(frozen=True)
class BalancingCheck:
    """One balancing measure of one target series, as known: its figures and its move."""

    pair: BalancingPair
    area_code: str
    figures: tuple[ObservationView, ...]  # its series, oldest period first
    reference: ObservationView | None  # the figure at the target's baseline (see above)
    latest: ObservationView | None

    @property
    def change(self) -> float | None:
        """Latest minus reference in its unit; None without two different figures."""
        if self.reference is None or self.latest is None or self.latest is self.reference:
            return None
        return float(self.latest.value or 0.0) - float(self.reference.value or 0.0)

    @property
    def worse_by(self) -> float | None:
        """How far it moved the wrong way (negative: it moved the better way)."""
        change = self.change
        if change is None:
            return None
        return change if self.pair.direction == "down" else -change

    @property
    def alert(self) -> bool:
        """True when it moved the wrong way by more than its threshold."""
        worse = self.worse_by
        return worse is not None and worse > self.pair.threshold

    @property
    def state(self) -> str:
        """ "no data yet", "one figure so far", within or beyond its threshold."""
        if self.latest is None:
            return NO_DATA
        if self.change is None:
            return ONE_FIGURE
        return WRONG_WAY if self.alert else WITHIN

    @property
    def limit(self) -> float | None:
        """The value beyond which it has moved too far the wrong way; None without a reference."""
        if self.reference is None:
            return None
        base = float(self.reference.value or 0.0)
        return (
            base + self.pair.threshold
            if self.pair.direction == "down"
            else base - self.pair.threshold
        )

    def sentence(self) -> str:
        """ "Balancing measure: people returning to the streets after help rose by 120 since
        June 1998, to 420 in June 2001, more than the 50 allowed." ("" without an alert)."""
        change, reference, latest = self.change, self.reference, self.latest
        if not self.alert or change is None or reference is None or latest is None:
            return ""
        unit = self.pair.unit
        verb = "rose" if change > 0 else "fell"
        now = f"{fmt.value(latest.value, unit, latest.qualifier)} {latest.period.phrase}"
        return (
            f"Balancing measure: {in_sentence(self.pair.name)} {verb} by "
            f"{fmt.difference(abs(change), unit)} since {reference.period.label}, to {now}, "
            f"more than the {fmt.difference(self.pair.threshold, unit)} allowed."
        )


def in_sentence(name: str) -> str:
    """A measure's name inside a sentence: "People returning …" -> "people returning …"
    (an acronym such as "BTI" keeps its capitals)."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def pairs_for(
    session: Session, known: KnownAt, measure_ids: list[int]
) -> dict[int, list[BalancingPair]]:
    """The balancing measures of each of ``measure_ids`` set by ``known``, in one query."""
    if not measure_ids:
        return {}
    query = (
        select(BalancingMeasure, Measure)
        .join(Measure, Measure.id == BalancingMeasure.balancing_measure_id)
        .where(
            BalancingMeasure.measure_id.in_(measure_ids),
            BalancingMeasure.recorded_at <= known.cutoff,
        )
        .order_by(BalancingMeasure.id)
    )
    found: dict[int, list[BalancingPair]] = {}
    for pair, measure in session.execute(query):
        found.setdefault(pair.measure_id, []).append(
            BalancingPair(
                target_id=pair.measure_id,
                measure_id=measure.id,
                slug=measure.slug,
                name=measure.name,
                unit=measure.unit,
                direction=measure.direction,
                threshold=pair.threshold,
                why=pair.why,
                source=pair.source,
            )
        )
    return found


def series_of(
    session: Session, known: KnownAt, measure_ids: set[int], area_codes: set[str]
) -> dict[SeriesKey, list[ObservationView]]:
    """The current figures of every series of ``measure_ids`` in ``area_codes``, in one query."""
    query = current_figures(
        session,
        known,
        Observation.measure_id.in_(sorted(measure_ids)),
        Observation.area_code.in_(sorted(area_codes)),
    ).order_by(Observation.period_end, Observation.period_start)
    found: dict[SeriesKey, list[ObservationView]] = {}
    for row in session.scalars(query):
        found.setdefault((row.measure_id, row.area_code), []).append(view_of(row))
    return found


def reference_figure(
    figures: list[ObservationView], baseline: date | None
) -> ObservationView | None:
    """The figure at the target's baseline: the last ending on or before it, else the first
    after it; without a baseline, the first. ``figures`` are values, oldest first."""
    if not figures:
        return None
    if baseline is None:
        return figures[0]
    before = [v for v in figures if v.period.end <= baseline]
    return before[-1] if before else figures[0]


def check(
    pair: BalancingPair, area_code: str, figures: list[ObservationView], baseline: date | None
) -> BalancingCheck:
    """One balancing measure of one target series."""
    values = [v for v in figures if v.value is not None and not v.is_bound]
    return BalancingCheck(
        pair=pair,
        area_code=area_code,
        figures=tuple(figures),
        reference=reference_figure(values, baseline),
        latest=values[-1] if values else None,
    )


def checks_for(
    session: Session, known: KnownAt, baselines: Mapping[SeriesKey, date | None]
) -> dict[SeriesKey, list[BalancingCheck]]:
    """Each target series' balancing checks as known at ``known``.

    ``baselines`` names the target series in scope, each with its target's baseline date
    (None without one). Two queries however many series: the pairs, then every balancing
    series in the areas of the series that have pairs. Series without pairs are left out.
    """
    pairs = pairs_for(session, known, sorted({key[0] for key in baselines}))
    paired = [key for key in baselines if key[0] in pairs]
    if not paired:
        return {}
    wanted = {p.measure_id for key in paired for p in pairs[key[0]]}
    figures = series_of(session, known, wanted, {key[1] for key in paired})
    return {
        key: [
            check(p, key[1], figures.get((p.measure_id, key[1]), []), baselines[key])
            for p in pairs[key[0]]
        ]
        for key in paired
    }


def with_balancing(judgement: Judgement, checks: list[BalancingCheck]) -> Judgement:
    """``judgement`` whose reason ends with a sentence per balancing measure that moved the
    wrong way by more than its threshold (unchanged when none did)."""
    said = [c.sentence() for c in checks if c.alert]
    if not said:
        return judgement
    return replace(judgement, reason=" ".join([judgement.reason.rstrip(), *said]))


def balancing_checks(
    db: Database,
    measure_key: str,
    area_code: str,
    as_of: date | None = None,
    recorded_by: datetime | None = None,
) -> list[BalancingCheck]:
    """The balancing checks of one target series, as known on ``as_of`` (default: now), for
    the initiative page; empty when the measure has no balancing measure."""
    area = find_area(db, area_code)
    known = KnownAt(as_of or date.today(), recorded_by or datetime.now())
    with db.session() as session:
        measure = find_measure(session, measure_key)
        target = current_targets(session, known, [measure.id], [area.code]).get(
            (measure.id, area.code)
        )
        key = (measure.id, area.code)
        found = checks_for(session, known, {key: target.baseline_date if target else None})
        return found.get(key, [])
