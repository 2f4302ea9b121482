"""The status table: every measure and area with its latest figure, progress and status.

This is what the overview page, ``python -m jwmetrics status``, packs and exports show. It
reads only what it needs: the targets in force, every series' recent figures in one SQL
pass, and the figures around each target date (however old), so the verdict always rests on
the figure for the target period.

One view, one date: every row is judged as known on one day, ``as_of``, by default the
newest publication day in the database ("latest data", never after today). A series may
carry several targets (interim and final, or renewed): each gets its own row, the open ones
soonest first, then those already settled.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jwmetrics.assess.balancing import checks_for, with_balancing
from jwmetrics.assess.progress import ResolvedTarget, gap_to_target, progress_share, resolve
from jwmetrics.assess.quality import with_quality
from jwmetrics.assess.reasons import MeasureFacts
from jwmetrics.assess.status import Judgement, StatusRules, judge
from jwmetrics.assess.words import Status
from jwmetrics.db.engine import Database
from jwmetrics.db.models import Area, Measure, Target
from jwmetrics.events.record import every_event
from jwmetrics.events.splits import definition_day
from jwmetrics.periods import months_before
from jwmetrics.returns.schedule import series_owed
from jwmetrics.store.figure import ObservationView
from jwmetrics.store.figures import (
    TARGET_WINDOW_MONTHS,
    latest_published_on,
    recent_values,
    target_period_figures,
)
from jwmetrics.store.known import KnownAt
from jwmetrics.store.lookup import ENGLAND, find_initiative, find_measure
from jwmetrics.store.targets import targets_in_force


@dataclass(frozen=True)
class Assessment:
    """One row of the status table: one measure in one area, judged at ``as_of``."""

    initiative: str
    initiative_name: str
    client_group: str
    measure: str
    measure_name: str
    unit: str
    direction: str
    area_code: str
    area_name: str
    latest_value: float | None
    latest_qualifier: str
    latest_period: str
    latest_period_end: date | None
    latest_age_days: int | None
    latest_source: str
    published_on: date | None  # when the latest figure became public
    baseline_value: float | None
    baseline_period: str
    target_value: float | None
    target_date: date | None
    target_wording: str
    progress: float | None
    gap_to_target: float | None
    trajectory_value: float | None
    forecast_value: float | None
    forecast_low: float | None
    forecast_high: float | None
    status: str
    reason: str
    as_of: date
    trend_status: str | None = None  # the progress call kept beside an Awaiting verdict
    forecast_scale: str | None = None  # log, logit or linear: the scale the trend is fitted on
    target_period: str | None = None  # the period the Achieved/Missed verdict rests on
    commentary: str = ""  # an analyst's newest note, when a page asks for it beside the reason
    quality: tuple[str, ...] = ()  # data quality notes beside the status (jwmetrics.assess.quality)
    target_id: int | None = None  # the target this row judges (a series may have several)
    probability_met: float | None = None  # the chance the target is met (1 or 0 once settled)
    probability_note: str = ""  # why there is no chance, when there is none

    def as_record(self) -> dict[str, object]:
        """A flat dict with ISO dates (and ``quality`` a list), for JSON and CSV output."""
        record = asdict(self)
        for key, item in record.items():
            if isinstance(item, date):
                record[key] = item.isoformat()
        record["quality"] = list(self.quality)
        return record


def reporting_day(session: Session, as_of: date | None = None) -> date:
    """The day a view is judged as known on: ``as_of``, else the newest publication day in
    the database ("latest data": a figure published or a target set, never after today)."""
    if as_of is not None:
        return as_of
    return latest_published_on(session) or date.today()


def facts_for(measure: Measure, target: Target | None) -> MeasureFacts:
    """The measure facts the status rules read."""
    return MeasureFacts(
        unit=measure.unit,
        direction=measure.direction,
        results_expected=measure.results_expected,
        too_early_note=measure.too_early_note,
        target_wording=target.wording if target else "",
        target_qualifier=target.value_qualifier if target else "exact",
    )


def judge_series(
    measure: Measure,
    target: Target | None,
    views: list[ObservationView],
    day: date,
    split: date | None = None,
) -> Judgement:
    """The status rules applied to one series as known on ``day``, with its evidence;
    ``split`` is the day of a change of definition the forecast fits after."""
    resolved = resolve(target, measure.direction) if target else None
    rules = StatusRules.for_measure(measure.status_rules)
    return judge(views, resolved, facts_for(measure, target), day, rules, split)


def judged(
    session: Session,
    known: KnownAt,
    measure: Measure,
    area_code: str,
    target: Target | None,
    views: list[ObservationView],
    day: date,
    split: date | None = None,
) -> Judgement:
    """:func:`judge_series` with the data quality notes and rules (:mod:`jwmetrics.assess.quality`),
    reading what the returns schedule expects of this one series by ``day``, and a sentence
    for each balancing measure that moved the wrong way (:mod:`jwmetrics.assess.balancing`)."""
    key = (measure.id, area_code)
    owed = series_owed(session, known, {key: day})
    rules = StatusRules.for_measure(measure.status_rules)
    judgement = judge_series(measure, target, views, day, split)
    judgement = with_quality(judgement, views, day, rules, owed.get(key, []))
    balancing = checks_for(session, known, {key: target.baseline_date if target else None})
    return with_balancing(judgement, balancing.get(key, []))


def assess(
    measure: Measure,
    area: Area,
    target: Target | None,
    views: list[ObservationView],
    day: date,
    judgement: Judgement | None = None,
) -> Assessment:
    """Judge one series as known on ``day``: progress figures plus status and reason.

    Pass the ``judgement`` when the caller already has it (:func:`judge_series`).
    """
    resolved: ResolvedTarget | None = resolve(target, measure.direction) if target else None
    judgement = judgement or judge_series(measure, target, views, day)
    valued = [v for v in views if v.value is not None]
    latest = valued[-1] if valued else None
    progress = gap = None
    if latest is not None and resolved is not None and latest.value is not None:
        progress = progress_share(resolved, latest.value)
        gap = gap_to_target(resolved, latest.value)
    trend = judgement.forecast
    evidence = judgement.evidence
    verdict_on = evidence.target_figure if evidence is not None else None
    initiative = measure.initiative
    return Assessment(
        initiative=initiative.slug,
        initiative_name=initiative.name,
        client_group=initiative.client_group_slug,
        measure=measure.slug,
        measure_name=measure.name,
        unit=measure.unit,
        direction=measure.direction,
        area_code=area.code,
        area_name=area.name,
        latest_value=latest.value if latest else None,
        latest_qualifier=latest.qualifier if latest else "",
        latest_period=latest.period.label if latest else "",
        latest_period_end=latest.period.end if latest else None,
        latest_age_days=_age_days(latest, day),
        latest_source=latest.source if latest else "",
        published_on=latest.published_on if latest else None,
        baseline_value=resolved.baseline_value if resolved else None,
        baseline_period=target.baseline_period if target else "",
        target_value=resolved.value if resolved else None,
        target_date=resolved.target_date if resolved else None,
        target_wording=target.wording if target else "",
        progress=progress,
        gap_to_target=gap,
        trajectory_value=judgement.trajectory,
        forecast_value=trend.value if trend else None,
        forecast_low=trend.low if trend else None,
        forecast_high=trend.high if trend else None,
        status=str(judgement.status),
        reason=judgement.reason,
        as_of=day,
        trend_status=str(judgement.trend_status) if judgement.trend_status else None,
        forecast_scale=str(trend.scale) if trend else None,
        target_period=verdict_on.period.label if verdict_on else None,
        quality=judgement.quality,
        target_id=target.id if target else None,
        probability_met=judgement.probability_met,
        probability_note=judgement.probability_note,
    )


def _age_days(latest: ObservationView | None, as_of: date) -> int | None:
    """Days from the end of the latest figure's period to the reporting date.

    None when there is no figure, or its period has not ended yet (a figure "for 1999 to
    2001" judged in December 2001), since an age would mislead there.
    """
    if latest is None or latest.period.end > as_of:
        return None
    return (as_of - latest.period.end).days


def status_table(
    db: Database,
    as_of: date | None = None,
    initiative: str | None = None,
    area_codes: list[str] | None = None,
    measure: str | None = None,
    recorded_by: datetime | None = None,
) -> list[Assessment]:
    """Status of every measure, area and target, as known on one day.

    ``as_of`` defaults to the newest publication day (:func:`reporting_day`); ``recorded_by``
    reads the database as it stood at that moment (default now). Reads every series' recent
    figures in one SQL pass and the figures around each target date in one query per date,
    never a query per series. A measure with neither figures nor targets gets one row for
    England (when England is in scope), so it still shows (Grey).
    """
    with db.session() as session:
        day = reporting_day(session, as_of)
        known = KnownAt(day, recorded_by or datetime.now())
        measures = chosen_measures(session, initiative, measure)
        ids = [m.id for m in measures]
        window = max(StatusRules.for_measure(m.status_rules).trend_points for m in measures)
        targets = targets_in_force(session, known, ids, area_codes)
        views = _series_views(session, known, ids, area_codes, window, targets)
        keys = set(views) | {k for k in targets if k[0] in ids}
        if area_codes is not None:
            keys = {k for k in keys if k[1] in area_codes}
        if area_codes is None or ENGLAND in area_codes:
            keys |= {(m.id, ENGLAND) for m in measures if not any(k[0] == m.id for k in keys)}
        codes = {k[1] for k in keys}
        areas = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes)))}
        owed = series_owed(session, known, dict.fromkeys(keys, day))
        baselines = {k: _first_baseline(targets.get(k, [])) for k in keys}
        balancing = checks_for(session, known, baselines)  # one query for every pair in scope
        found = every_event(session, known)  # one query: the definition changes split series
        rows = []
        for m in measures:
            rules = StatusRules.for_measure(m.status_rules)
            mine = sorted((k for k in keys if k[0] == m.id), key=lambda k: areas[k[1]].name)
            for key in mine:
                series = views.get(key, [])
                chosen: list[Target | None] = [*targets.get(key, [])] or [None]
                split = definition_day(found, m.initiative_slug, m.slug, key[1])
                every = [(t, judge_series(m, t, series, day, split)) for t in chosen]
                for target, judgement in ordered_targets(every):
                    judgement = with_quality(judgement, series, day, rules, owed.get(key, []))
                    judgement = with_balancing(judgement, balancing.get(key, []))
                    rows.append(assess(m, areas[key[1]], target, series, day, judgement))
        return rows


def _series_views(
    session: Session,
    known: KnownAt,
    ids: list[int],
    area_codes: list[str] | None,
    window: int,
    targets: dict[tuple[int, str], list[Target]],
) -> dict[tuple[int, str], list[ObservationView]]:
    """Each series' newest ``window`` figures and the figures around its target dates,
    merged oldest first: all the status rules read, and the same for every view."""
    recent = recent_values(session, known, ids, area_codes, count=window)
    deadlines: dict[tuple[int, str], set[date]] = {}
    for key, series_targets in targets.items():
        if key[0] not in ids or (area_codes is not None and key[1] not in area_codes):
            continue
        held = recent.get(key, [])
        oldest = held[0].period.end if len(held) >= window else date.min
        for target in series_targets:  # only the targets older than the figures read
            due = target.target_date
            if due is not None and months_before(due, TARGET_WINDOW_MONTHS) < oldest:
                deadlines.setdefault(key, set()).add(due)
    around = target_period_figures(session, known, deadlines)
    merged: dict[tuple[int, str], list[ObservationView]] = {}
    for key in set(recent) | set(around):
        unique = {(v.period.start, v.period.end): v for v in around.get(key, [])}
        unique.update({(v.period.start, v.period.end): v for v in recent.get(key, [])})
        merged[key] = sorted(unique.values(), key=lambda v: (v.period.end, v.period.start))
    return merged


def _first_baseline(targets: list[Target]) -> date | None:
    """The earliest baseline date of a series' targets: balancing checks count from it."""
    days = [t.baseline_date for t in targets if t.baseline_date is not None]
    return min(days) if days else None


def ordered_targets(
    judged_targets: list[tuple[Target | None, Judgement]],
) -> list[tuple[Target | None, Judgement]]:
    """A series' targets in the order shown: those still to come soonest deadline first (as
    given), then those past their date awaiting their figure, then the settled ones latest
    deadline first."""
    settled = [pair for pair in judged_targets if _settled(pair[1])]
    waiting = [pair for pair in judged_targets if pair[1].status is Status.AWAITING]
    coming = [pair for pair in judged_targets if pair not in settled and pair not in waiting]
    return [*coming, *waiting, *settled[::-1]]


def _settled(judgement: Judgement) -> bool:
    return judgement.evidence is not None and judgement.evidence.settled


def chosen_measures(session: Session, initiative: str | None, measure: str | None) -> list[Measure]:
    """The measures in scope, in the report's order."""
    if measure is not None:
        return [find_measure(session, measure)]
    measures = list(session.scalars(select(Measure).order_by(Measure.id)))
    if initiative is not None:
        chosen = find_initiative(session, initiative).slug
        measures = [m for m in measures if m.initiative_slug == chosen]
    return measures


def filter_assessments(
    rows: list[Assessment], initiatives: list[str] | None = None, statuses: list[str] | None = None
) -> list[Assessment]:
    """Rows of the given initiatives and statuses (an empty or None filter keeps all)."""
    return [
        row
        for row in rows
        if (initiatives is None or row.initiative in initiatives)
        and (not statuses or row.status in statuses)
    ]
