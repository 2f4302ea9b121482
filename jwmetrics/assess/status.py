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
from jwmetrics.assess.evidence import Evidence, bound_meets, gather
from jwmetrics.assess.forecast import Forecast
from jwmetrics.assess.progress import ResolvedTarget
from jwmetrics.assess.reasons import MeasureFacts
from jwmetrics.assess.words import Status
from jwmetrics.store.figure import ObservationView


@dataclass(frozen=True)
class StatusRules:
    """Thresholds of the status rules; override any of them per measure."""

    green_at: float = 0.8  # Green at or above this chance of meeting the target
    red_at: float = 0.2  # Red at or below it (docs/status.md: chosen from the backtest)
    trend_points: int = 36  # the forecast fits the newest this-many figures since the baseline
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

    @property
    def probability_met(self) -> float | None:
        """The chance the target is met: 1 or 0 once the verdict is in, else the forecast's
        (None where it cannot be computed; :attr:`probability_note` says why)."""
        if self.status is Status.ACHIEVED:
            return 1.0
        if self.status is Status.MISSED:
            return 0.0
        return self.evidence.chance if self.evidence is not None else None

    @property
    def probability_note(self) -> str:
        """Why there is no chance, when there is none."""
        if self.probability_met is not None:
            return ""
        if self.evidence is None:
            return "no target with a value, or no figure since its baseline"
        return self.evidence.chance_note


def judge(
    series: list[ObservationView],
    target: ResolvedTarget | None,
    facts: MeasureFacts,
    as_of: date,
    rules: StatusRules | None = None,
    split: date | None = None,
) -> Judgement:
    """Apply the status rules to one series and its target, as known on ``as_of``;
    ``split`` is the day of a change of definition the forecast fits after
    (:func:`jwmetrics.assess.evidence.gather`)."""
    rules = rules or StatusRules()
    if target is None or target.value is None:
        if target is not None and any(v.value is not None for v in series):
            return Judgement(Status.NO_TARGET, reasons.NO_BASELINE_FOR_CHANGE)
        return _without_target(series, facts)
    evidence = gather(series, target, facts.unit, as_of, rules.trend_points, split)
    if evidence is None:
        return Judgement(Status.GREY, reasons.grey_with_target(series, target, facts))
    status, trend_status = decide(evidence, rules)
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


def decide(evidence: Evidence, rules: StatusRules | None = None) -> tuple[Status, Status | None]:
    """The status, and the call kept beside it while the verdict is Awaiting.

    Once the figure for the target period is public, the verdict rests on it: Achieved or
    Missed (Amber when it is a bound that cannot tell). Before then the call is a band of
    the chance of meeting the target (:func:`band`); after the target date with that figure
    not yet out, the status is Awaiting and the band is kept beside it.
    """
    if evidence.settled:
        assert evidence.target_figure is not None
        met = bound_meets(evidence.target_figure, evidence.goal, evidence.direction)
        if met is None:
            return Status.AMBER, None
        return (Status.ACHIEVED if met else Status.MISSED), None
    call = band(evidence.chance, rules or StatusRules())
    if evidence.due:
        return Status.AWAITING, call
    return call, None


def band(chance: float | None, rules: StatusRules) -> Status:
    """Green at a chance of ``green_at`` (0.8) or more, Red at ``red_at`` (0.2) or less,
    Amber between them or when there is no chance to read: one evidence rule for both."""
    if chance is None:
        return Status.AMBER
    if chance >= rules.green_at:
        return Status.GREEN
    if chance <= rules.red_at:
        return Status.RED
    return Status.AMBER
