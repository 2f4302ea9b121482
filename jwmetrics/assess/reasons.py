"""The reason for a status, in words, written from the same numbers the rules compared.

Every sentence quotes the figures and dates that decided the status, and no sentence may
contradict it: a Red reason never says the trend reaches the target, a Green one never
says it falls short (a property test checks this over many series).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jwmetrics import text as fmt
from jwmetrics.assess.evidence import Evidence, bound_meets
from jwmetrics.assess.progress import ResolvedTarget, share_beyond
from jwmetrics.assess.words import Status
from jwmetrics.periods import format_date, format_month
from jwmetrics.store.figure import ObservationView

NO_BASELINE_FOR_CHANGE = (
    "No target: the target is a change from a baseline the data do not give yet."
)

OPENINGS = {
    "Achieved": "Achieved",
    "Green": "On track",
    "Amber": "At risk",
    "Red": "Off track",
    "Missed": "Missed",
    "Awaiting": "Awaiting",
}


@dataclass(frozen=True)
class MeasureFacts:
    """What the rules and the words need to know about a measure besides its figures."""

    unit: str
    direction: str
    results_expected: str = ""
    too_early_note: str = ""
    target_wording: str = ""
    target_qualifier: str = "exact"


def figure(view: ObservationView, unit: str) -> str:
    """A figure with its period: "700 in June 2001", "around £70,000 in 1999 to 2001"."""
    return f"{fmt.value(view.value, unit, view.qualifier, view.marker)} {view.period.phrase}"


def amount(value: float, unit: str) -> str:
    """A plain amount in the measure's unit."""
    return fmt.value(value, unit)


def target_text(target: ResolvedTarget, facts: MeasureFacts, dated: bool = True) -> str:
    """ "the target of 617 (about 600) by April 2002" (without the date when not ``dated``)."""
    text = f"the target of {amount(target.value or 0.0, facts.unit)}"
    if facts.target_qualifier == "around":
        text += " (about " + amount(round(target.value or 0.0, -2), facts.unit) + ")"
    if target.target_date and dated:
        text += f" by {format_month(target.target_date)}"
    return text


def better_word(direction: str, ahead: bool) -> str:
    """Below is better for a measure to cut, above for one to raise."""
    if direction == "down":
        return "below" if ahead else "above"
    return "above" if ahead else "below"


def grey(facts: MeasureFacts) -> str:
    """No figure at all."""
    if facts.too_early_note:
        expected = f" Results expected {facts.results_expected}." if facts.results_expected else ""
        return f"Too early to measure. {facts.too_early_note}{expected}"
    return "No data yet: no figure has been recorded."


def grey_with_target(
    series: list[ObservationView], target: ResolvedTarget, facts: MeasureFacts
) -> str:
    """A target but no figure after its baseline."""
    if target.baseline_value is not None and target.baseline_date is not None and series:
        base = (
            f"{amount(target.baseline_value, facts.unit)} in {format_month(target.baseline_date)}"
        )
        return (
            f"No data yet: only the baseline ({base}) so far, against {target_text(target, facts)}."
        )
    return grey(facts)


def no_target(series: list[ObservationView], facts: MeasureFacts) -> str:
    """Figures but no target."""
    latest = [v for v in series if v.value is not None][-1]
    return f"No target: none is set for this measure. Latest figure {figure(latest, facts.unit)}."


GREEN_AT, RED_AT = 0.8, 0.2  # the default bands (jwmetrics.assess.status.StatusRules)
CHANCE_WORDS = (
    (0.1, "1 in 10"),
    (0.2, "1 in 5"),
    (0.25, "1 in 4"),
    (1 / 3, "1 in 3"),
    (0.4, "2 in 5"),
    (0.5, "1 in 2"),
    (0.6, "3 in 5"),
    (2 / 3, "2 in 3"),
    (0.75, "3 in 4"),
    (0.8, "4 in 5"),
    (0.9, "9 in 10"),
)


def chance_words(chance: float) -> str:
    """A probability in words, then in per cent: "about 4 in 5 (82%)", "less than 1 in 20
    (3%)". The per cent never rounds across a default band edge (0.799 is "79%", not
    "80%"), so the figure shown never seems to contradict the word."""
    percent = round(chance * 100)
    if chance < GREEN_AT <= percent / 100:
        percent -= 1
    if chance > RED_AT >= percent / 100:
        percent += 1
    percent = min(max(percent, 1), 99) if 0 < chance < 1 else percent  # never a false 0 or 100
    share = f"{fmt.number(percent)}%"
    if chance < 0.05:
        return f"less than 1 in 20 ({share})"
    if chance > 0.95:
        return f"more than 19 in 20 ({share})"
    nearest = min(CHANCE_WORDS, key=lambda item: abs(item[0] - chance))[1]
    return f"about {nearest} ({share})"


def reason(
    evidence: Evidence, status: Status, trend_status: Status | None, facts: MeasureFacts
) -> str:
    """The reason for ``status``, opening with what it means and quoting the numbers."""
    if str(status) == "Awaiting":
        return _awaiting(evidence, trend_status, facts)
    if evidence.settled:
        return _verdict(evidence, status, facts)
    return (
        f"{OPENINGS[str(status)]}: {progress_words(evidence, facts)}{_bound_note(evidence, facts)}"
    )


def progress_words(evidence: Evidence, facts: MeasureFacts) -> str:
    """The call in words, without its opening: the figure, the plan, and the chance."""
    judged = figure(evidence.judged, facts.unit)
    goal = target_text(evidence.target, facts)
    met = bound_meets(evidence.judged, evidence.goal, evidence.direction)
    if met:
        where = f"{judged} already meets {goal}{_how_far_beyond(evidence, facts)}"
        confirm = "met early, to be confirmed by the figure for the target period"
        return f"{where}: {confirm}; {_chance_text(evidence, facts)}."
    if met is None and evidence.planned is None:
        return (
            f"the latest figure, {judged}, is a bound that does not show whether it meets "
            f"{goal}; {_chance_text(evidence, facts)}."
        )
    if evidence.planned is not None:
        return f"{_against_plan(evidence, facts)}; {_chance_text(evidence, facts)}."
    return f"{judged} has not yet met {goal}; {_chance_text(evidence, facts)}."


def _how_far_beyond(evidence: Evidence, facts: MeasureFacts) -> str:
    beyond = share_beyond(evidence.goal, float(evidence.judged.value or 0))
    if beyond is None or abs(beyond) < 0.5 or evidence.judged.is_bound:
        return ""
    return f", {fmt.number(abs(beyond))}% {better_word(facts.direction, True)} it"


def _against_plan(evidence: Evidence, facts: MeasureFacts) -> str:
    """The judged figure against the planned value for its period, in the series' own noise."""
    judged = figure(evidence.judged, facts.unit)
    planned = float(evidence.planned or 0.0)
    plan = "the milestone path" if evidence.target.milestones else "the trajectory"
    where = f"{plan} value of {amount(planned, facts.unit)}"
    on_plan = bound_meets(evidence.judged, planned, evidence.direction)
    if on_plan is None:
        return (
            f"the latest figure is only known to be {judged}, which does not show whether it "
            f"is on {where}"
        )
    if on_plan:
        return f"{judged} is {better_word(facts.direction, True)} {where}"
    behind = float(evidence.behind or 0.0)
    text = (
        f"{judged} is {fmt.difference(behind, facts.unit)} "
        f"{better_word(facts.direction, False)} {where}"
    )
    noise = evidence.noise
    if noise is not None and noise > 0:
        inside = "within" if behind <= 2 * noise else "beyond"
        text += (
            f", {inside} its usual variation (two sigma, {fmt.difference(2 * noise, facts.unit)})"
        )
    return text


WIDE_INTERVAL = 10
"""An interval's top beyond this many times the latest figure (and the target) is said in
words: a short or erratic record forecast years ahead on the log scale can reach millions."""


def _chance_text(evidence: Evidence, facts: MeasureFacts) -> str:
    """The forecast and the chance it gives, or why there is none."""
    trend, goal = evidence.trend, target_text(evidence.target, facts, dated=False)
    after = (
        f" since the definition change of {format_date(evidence.split)}" if evidence.split else ""
    )
    if evidence.chance is None or trend is None:
        return evidence.chance_note
    by = format_month(trend.when)
    low, high = float(trend.low or 0), float(trend.high or 0)
    scale = max(abs(float(evidence.judged.value or 0)), abs(evidence.target.value or 0.0))
    if scale > 0 and high > WIDE_INTERVAL * scale:  # "0 to 182,039,462 people" helps nobody
        top = f"more than {WIDE_INTERVAL} times the latest figure"
    else:
        top = _forecast_amount(high, high, facts.unit)
    interval = f"{_forecast_amount(low, high, facts.unit)} to {top}"
    centre = _forecast_amount(trend.value, high, facts.unit)
    basis = {
        "trend model": f"the trend of {trend.points} figures{after}",
        "run rate": f"the rate of change of {trend.points} figures{after}",
        "plan": f"the plan with {trend.points} figures' deviation from it{after}",
    }[trend.method]
    return (
        f"{basis} forecasts {centre} by {by} (95% interval "
        f"{interval}), a chance of {chance_words(evidence.chance)} of meeting {goal}"
    )


def _forecast_amount(value: float, largest: float, unit: str) -> str:
    """A forecast or interval end, whole when the interval reaches 100 or more ("86 to 3,288",
    not "86.6 to 3,288"): a decimal there claims a precision the forecast has not got."""
    return amount(round(value) if abs(largest) >= 100 else value, unit)


def outlook_words(evidence: Evidence, facts: MeasureFacts) -> str:
    """What the forecast says about the target (kept for pages that quote it alone)."""
    return _chance_text(evidence, facts)


def _bound_note(evidence: Evidence, facts: MeasureFacts) -> str:
    """Say when a newer figure was a bound and an exact one was judged instead."""
    bound = evidence.newer_bound
    if bound is None:
        return ""
    return (
        f" A newer figure, {figure(bound, facts.unit)}, is a bound, not a value, so the "
        f"exact figure for {evidence.judged.period.label} is the one judged."
    )


def _verdict(evidence: Evidence, status: Status, facts: MeasureFacts) -> str:
    """Achieved or Missed (or Amber for a bound that cannot tell), on the figure for the
    target period: after the target date, or as soon as that figure is public."""
    shown = evidence.target_figure
    assert shown is not None
    if evidence.target.target_date is None:
        goal = target_text(evidence.target, facts)
        return (
            f"Achieved: {figure(shown, facts.unit)} meets {goal}{_how_far_beyond(evidence, facts)}."
        )
    due = format_date(evidence.target.target_date)
    which = (
        f"no figure for the target period was published; the first after it, "
        f"{figure(shown, facts.unit)},"
        if evidence.target_figure_is_later
        else f"the figure for the target period, {figure(shown, facts.unit)},"
    )
    goal = target_text(evidence.target, facts, dated=False)
    when = "was due by" if evidence.due else "is due by"
    if str(status) == "Amber":
        return (
            f"At risk: {goal} {when} {due}; {which} is a bound that does not show "
            "whether the target was met."
        )
    met = str(status) == "Achieved"
    opening = "Achieved" if met else "Missed"
    verb = "meets" if met else f"is {better_word(facts.direction, False)}"
    text = f"{opening}: {goal} {when} {due}; {which} {verb} it."
    return text + _after_verdict(evidence, met, facts)


def _after_verdict(evidence: Evidence, met: bool, facts: MeasureFacts) -> str:
    """Met then slipped, or missed then met late."""
    since = evidence.since
    if since is None:
        return ""
    later_met = bound_meets(since, evidence.goal, evidence.direction)
    if met and later_met is False:
        return f" It has since slipped: {figure(since, facts.unit)} no longer meets it."
    if not met and later_met:
        return f" It was met late: {figure(since, facts.unit)} meets it."
    return ""


def _awaiting(evidence: Evidence, trend_status: Status | None, facts: MeasureFacts) -> str:
    """The target date has passed; the figure for its period is not yet out."""
    due = evidence.target.target_date
    assert due is not None
    call = str(trend_status) if trend_status is not None else "Amber"
    return (
        f"Awaiting: due {format_month(due)}, {overdue_words(due, evidence.day)}; the figure "
        f"for that period is not yet published. The call meanwhile is {call} "
        f"({OPENINGS.get(call, call).lower()}): {progress_words(evidence, facts)}"
        f"{_bound_note(evidence, facts)}"
    )


def overdue_words(due: date, day: date) -> str:
    """How long ago ``due`` was on ``day``: "3 months ago", "2 years ago"."""
    months = (day.year - due.year) * 12 + day.month - due.month - (day.day < due.day)
    if months < 1:
        days = (day - due).days
        return f"{days} day{'' if days == 1 else 's'} ago"
    if months < 24:
        return f"{months} month{'' if months == 1 else 's'} ago"
    return f"{months // 12} years ago"


def greyed(why: str, status: str, reason: str) -> str:
    """A call shown as Grey by a data quality rule (:mod:`jwmetrics.assess.quality`): why, and what
    the call on the figures received would have been, in its own words."""
    _, _, words = reason.partition(": ")
    meaning = OPENINGS.get(status, status).lower()
    return (
        f"Grey: {why}, so no colour is shown. On the figures received the call would be "
        f"{status} ({meaning}): {words or reason}"
    )
