"""RAG status of one series, decided from its evidence, with the reason written from it.

The numbers come from :func:`jwmetrics.assess.evidence.gather` (computed once); the rules here only
compare them; :mod:`jwmetrics.assess.reasons` writes the words from the same numbers. The rules,
their thresholds and worked examples are in ``docs/status.md``. Thresholds are in
:class:`StatusRules`, changeable per measure through ``measure.status_rules``.

The status words are canonical: "Achieved", "Green", "Amber", "Red", "Missed", "Awaiting",
"Grey", "No target", the same on screen, on the command line and in downloads. How a status
is shown (symbol, colour, badge) is in :mod:`jwmetrics.present.status`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from jwmetrics.assess import reasons
from jwmetrics.assess.evidence import Evidence, Outlook, bound_meets, gather
from jwmetrics.assess.forecast import Forecast
from jwmetrics.assess.progress import ResolvedTarget
from jwmetrics.assess.reasons import MeasureFacts
from jwmetrics.assess.words import Status
from jwmetrics.store.figure import ObservationView


@dataclass(frozen=True)
class StatusRules:
    """Thresholds of the status rules; override any of them per measure."""

    amber_tolerance: float = 0.10  # behind trajectory by up to this share of the required change
    trend_points: int = 8  # the forecast fits the newest this-many figures since the baseline
    # Data quality (jwmetrics.assess.quality): say a figure's age beyond this many months ...
    note_after_months: int = 12
    # ... and show a Green, Amber or Red call on a figure older than this as Grey (0: never)
    grey_after_months: int = 24
    # 1: show Green, Amber or Red as Grey while a newer period's return is overdue
    grey_when_overdue: int = 0

    @classmethod
    def for_measure(cls, overrides: dict[str, float] | None) -> StatusRules:
        """Defaults with the measure's own overrides (unknown keys are ignored)."""
        types: dict[str, type[int] | type[float]] = {
            f.name: type(f.default) for f in fields(cls) if isinstance(f.default, int | float)
        }
        chosen: dict[str, Any] = {
            k: types[k](v) for k, v in (overrides or {}).items() if k in types
        }
        return cls(**chosen)


@dataclass(frozen=True)
class Judgement:
    """A status with its reason, and the numbers it was decided on.

    ``trend_status`` is the progress call (Green, Amber, Red or Achieved) kept beside an
    Awaiting verdict, so the trend stays visible while the target period's figure is due.
    ``quality`` says what the status rests on when that is weak: an old, provisional or
    late-approved figure, an overdue return (added by
    :func:`jwmetrics.assess.quality.with_quality`).
    """

    status: Status
    reason: str
    trajectory: float | None = None
    forecast: Forecast | None = None
    trend_status: Status | None = None
    evidence: Evidence | None = None
    quality: tuple[str, ...] = ()  # data quality notes shown beside it (jwmetrics.assess.quality)


def judge(
    series: list[ObservationView],
    target: ResolvedTarget | None,
    facts: MeasureFacts,
    as_of: date,
    rules: StatusRules | None = None,
) -> Judgement:
    """Apply the status rules to one series and its target, as known on ``as_of``."""
    rules = rules or StatusRules()
    if target is None or target.value is None:
        if target is not None and any(v.value is not None for v in series):
            return Judgement(Status.NO_TARGET, reasons.NO_BASELINE_FOR_CHANGE)
        return _without_target(series, facts)
    evidence = gather(series, target, facts.unit, as_of, rules.amber_tolerance, rules.trend_points)
    if evidence is None:
        return Judgement(Status.GREY, reasons.grey_with_target(series, target, facts))
    status, trend_status = decide(evidence)
    return Judgement(
        status=status,
        reason=reasons.reason(evidence, status, trend_status, facts),
        trajectory=evidence.planned,
        forecast=evidence.trend,
        trend_status=trend_status,
        evidence=evidence,
    )


def _without_target(series: list[ObservationView], facts: MeasureFacts) -> Judgement:
    """Grey without figures, No target with them."""
    if any(v.value is not None for v in series):
        return Judgement(Status.NO_TARGET, reasons.no_target(series, facts))
    return Judgement(Status.GREY, reasons.grey(facts))


def decide(evidence: Evidence) -> tuple[Status, Status | None]:
    """The status, and the progress call kept beside it when the verdict is Awaiting.

    Once the target date has passed the verdict rests on the figure for the target period:
    Achieved or Missed when it is known (Amber when it is a bound that cannot tell),
    Awaiting while it is not yet published. Before then, the progress call.
    """
    if evidence.due:
        if evidence.target_figure is None:
            return Status.AWAITING, progress_call(evidence)
        met = bound_meets(evidence.target_figure, evidence.goal, evidence.direction)
        if met is None:
            return Status.AMBER, None
        return (Status.ACHIEVED if met else Status.MISSED), None
    return progress_call(evidence), None


CONFIDENT = frozenset({Outlook.NONE, Outlook.REACHES, Outlook.LIKELY})


def progress_call(evidence: Evidence) -> Status:
    """Achieved, Green, Amber or Red from the judged figure, the plan and the forecast.

    Red needs a forecast interval whose better end still misses the target; a straddling
    interval, or too few figures for one, is Amber at worst. Green needs the figure on plan
    and no forecast that casts doubt on the target (none yet, a line that reaches it, or an
    interval wholly on the right side of it); a straddling interval is Amber.
    """
    met = bound_meets(evidence.judged, evidence.goal, evidence.direction)
    if met:
        return Status.ACHIEVED
    outlook = evidence.outlook
    if evidence.planned is not None:
        on_plan = bound_meets(evidence.judged, evidence.planned, evidence.direction)
        if on_plan is None:
            return Status.AMBER
        if on_plan:
            return Status.GREEN if outlook in CONFIDENT else Status.AMBER
        within = evidence.behind is not None and evidence.behind <= (evidence.tolerance or 0.0)
        if within or outlook is not Outlook.UNLIKELY:
            return Status.AMBER
        return Status.RED
    if outlook is Outlook.LIKELY:
        return Status.GREEN
    if outlook is Outlook.UNLIKELY:
        return Status.RED
    return Status.AMBER
