"""How a delivery confidence rating is said beside the computed status.

One sentence for the command line, the pages and the packs alike: the judged point, who
judged it as at which day, and, when the judgement and the rule are two steps or more apart
on the five-point scale, that they differ (so a reader knows to ask which is right). And
the track record of judgement beside the rule's, as a small table with a note on how far
its counts can be trusted.
"""

from __future__ import annotations

from jwmetrics import text as fmt
from jwmetrics.briefing.judgement_record import JudgementRecord
from jwmetrics.briefing.ratings import DIVERGENT_STEPS, Rating, steps_apart
from jwmetrics.text import plural


def judgement_text(rating: Rating, status: str) -> str:
    """ "Judged Amber/Red by ann@… as at 1 March 2002" and, when far from ``status``, why
    that matters."""
    said = (
        f"Judged {rating.rating} by {rating.rated_by} as at {fmt.format_date(rating.as_of)}: "
        f"{rating.reason}"
    )
    apart = steps_apart(rating.rating, status)
    if apart is not None and apart >= DIVERGENT_STEPS:
        said += (
            f" (the judgement and the computed status, {status}, are {apart} steps apart on "
            "the five-point scale)"
        )
    return said


SMALL_COUNT = 10
"""Fewer compared calls than this and the comparison says it is too few to tell."""


def _out_of(part: int, whole: int) -> str:
    """ "4 of 5 (80%)", or "none" with nothing to count."""
    return f"{part} of {whole} ({part / whole:.0%})" if whole else "none"


def judgement_record_rows(record: JudgementRecord) -> list[dict[str, str]]:
    """The rule's record and the judgement's side by side, a row a question: the decisive
    calls and how many were right, on every day and on the days both were decisive, and
    who was right when they disagreed."""
    rule = record.rule
    both = record.compared
    return [
        {
            "Calls": "Decisive (expected met or missed)",
            "Rule (computed status)": str(rule.decisive_calls),
            "Judgement (delivery confidence)": str(record.judged_decisive),
        },
        {
            "Calls": "Right, of its decisive calls",
            "Rule (computed status)": _out_of(rule.right_calls, rule.decisive_calls),
            "Judgement (delivery confidence)": _out_of(
                record.judged_right_calls, record.judged_decisive
            ),
        },
        {
            "Calls": f"Right, on the {plural(both, 'day')} both were decisive",
            "Rule (computed status)": _out_of(record.rule_right_compared, both),
            "Judgement (delivery confidence)": _out_of(record.judged_right_compared, both),
        },
        {
            "Calls": f"Right when they disagreed ({plural(record.disagreed, 'day')})",
            "Rule (computed status)": str(record.rule_right_judgement_wrong),
            "Judgement (delivery confidence)": str(record.judgement_right_rule_wrong),
        },
        {
            "Calls": "Right where the rule hedged (Amber)",
            "Rule (computed status)": "–",
            "Judgement (delivery confidence)": _out_of(
                record.judged_right_where_rule_hedged, record.judged_where_rule_hedged
            ),
        },
    ]


def judgement_record_note(record: JudgementRecord) -> str:
    """What to bear in mind reading the comparison: too few calls, and hindsight."""
    if not record.rated_calls:
        return (
            "No delivery confidence rating was in force on any day the rule made a call, so "
            "there is no judgement to score yet."
        )
    notes = [
        f"A rating counts as a call: Green and Amber/Green expect the target met, Amber/Red "
        f"and Red expect it missed, Amber hedges. {plural(record.rated_calls, 'call')} had a "
        "rating in force."
    ]
    if record.compared < SMALL_COUNT:
        notes.append(
            f"Only {plural(record.compared, 'day')} with both decisive: too few to say which "
            "is better; read the counts, not the shares."
        )
    if record.recorded_later:
        notes.append(
            f"On {plural(record.recorded_later, 'call')} the rating in force was recorded "
            "after the day, with hindsight."
        )
    return " ".join(notes)
