"""How a delivery confidence rating is said beside the computed status.

One sentence for the command line, the pages and the packs alike: the judged point, who
judged it as at which day, and, when the judgement and the rule are two steps or more apart
on the five-point scale, that they differ (so a reader knows to ask which is right).
"""

from __future__ import annotations

from jwmetrics import text as fmt
from jwmetrics.briefing.ratings import DIVERGENT_STEPS, Rating, steps_apart


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
