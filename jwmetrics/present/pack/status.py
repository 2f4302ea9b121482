"""A briefing pack's statuses: their order, their badges and the one-page summary table.

Split from :mod:`jwmetrics.present.pack.document` so the pack's document stays one short module
that other sections join: this module holds what every part of the pack shares about a
status (the order measures come in, off track first, and the headings they come under; a
status as a badge with its symbol and word, never colour alone; the escaping of database
text), the title page's summary of every measure's status, and the delivery confidence
judged beside a status (:func:`judgement_html`).
"""

from __future__ import annotations

import html

from jwmetrics.assess.words import Status
from jwmetrics.briefing.content import InitiativeBrief, MeasureBrief, PackContent
from jwmetrics.briefing.ratings import DIVERGENT_STEPS, steps_apart
from jwmetrics.present.assessment import short_reason
from jwmetrics.present.judgement import judgement_text
from jwmetrics.present.status import STYLES, badge, text_colour

STATUS_ORDER = (
    Status.RED,
    Status.MISSED,
    Status.AWAITING,
    Status.AMBER,
    Status.GREEN,
    Status.ACHIEVED,
    Status.NO_TARGET,
    Status.GREY,
)
"""The order of a pack's summary and pages: off track and overdue first, then at risk, on
track and met, then the measures with no target or no figures to judge."""
STATUS_GROUPS = (
    ("Off track", (Status.RED, Status.MISSED)),
    ("Result overdue", (Status.AWAITING,)),
    ("At risk", (Status.AMBER,)),
    ("On track or met", (Status.GREEN, Status.ACHIEVED)),
    ("No target", (Status.NO_TARGET,)),
    ("Too early, no data or data too old", (Status.GREY,)),
)
"""The headings the measure pages come under, in :data:`STATUS_ORDER`."""
SUMMARY_REASON_CHARS = 100  # a reason in the one-page summary: its first sentence, cut


def e(text: object) -> str:
    """Text from the database, escaped for HTML."""
    return html.escape(str(text), quote=True)


Entry = tuple[InitiativeBrief, MeasureBrief]


def _rank(brief: MeasureBrief) -> int:
    """Where a measure's status comes in :data:`STATUS_ORDER`."""
    return STATUS_ORDER.index(Status(brief.detail.assessment.status))


def ordered(content: PackContent, *, with_left_out: bool = False) -> list[Entry]:
    """Every measure with a page (and, ``with_left_out``, those without), off track first;
    within a status in the initiatives' and the catalogue's order."""
    entries = [
        (section, brief)
        for section in content.initiatives
        for brief in section.measures + (section.without_pages if with_left_out else [])
    ]
    return sorted(entries, key=lambda entry: _rank(entry[1]))  # stable: catalogue order kept


def summary_html(content: PackContent) -> str:
    """Every measure's status on one page, off track first: a count of each status, then a
    line per measure with a page (status, the delivery confidence judged when any measure
    has one, measure, initiative, the reason's first sentence), then the measures left
    without a page (no figure yet) in one sentence."""
    entries = ordered(content, with_left_out=True)
    counts = {s: sum(1 for _, b in entries if b.detail.assessment.status == s) for s in Status}
    tally = " &nbsp; ".join(
        f"{status_badge(status)}&nbsp;{counts[status]}" for status in STATUS_ORDER if counts[status]
    )
    rows = []
    judged = any(brief.rating is not None for _, brief in ordered(content))
    for section, brief in ordered(content):
        row = brief.detail.assessment
        why = short_reason(row.reason, SUMMARY_REASON_CHARS)
        rating = f"<td>{_judged_short(brief)}</td>" if judged else ""
        rows.append(
            f"<tr><td>{status_badge(row.status)}</td>{rating}<td>{e(row.measure_name)}"
            f' <span class="muted">· {e(section.name)}</span></td><td>{e(why)}</td></tr>'
        )
    parts = [f'<h2>Summary: {len(entries)} measures in England</h2><p class="counts">{tally}</p>']
    if rows:
        parts.append(
            '<table class="summary"><thead><tr><th scope="col">Status</th>'
            + ('<th scope="col">Judged</th>' if judged else "")
            + '<th scope="col">Measure and initiative</th><th scope="col">Why</th></tr></thead>'
            "<tbody>" + "".join(rows) + "</tbody></table>"
        )
    left_out = [(section, b) for section in content.initiatives for b in section.without_pages]
    if left_out:
        names = "; ".join(f"{b.detail.measure_name} ({section.name})" for section, b in left_out)
        parts.append(
            f'<p class="muted">No figure yet, so no page ({len(left_out)}, all '
            f"{e(badge(Status.GREY))}): {e(names)}.</p>"
        )
    return "".join(parts)


def status_badge(status: str) -> str:
    """A status as a coloured badge holding its symbol and word (never colour alone)."""
    style = STYLES[Status(status)]
    return (
        f'<span class="badge" style="background:{style.colour};color:'
        f'{text_colour(style.colour)}">{e(badge(status))}</span>'
    )


def _judged_short(brief: MeasureBrief) -> str:
    """Beside a status in the summary: the judged rating, and how far apart when far."""
    rating = brief.rating
    if rating is None:
        return "–"
    apart = steps_apart(rating.rating, brief.detail.assessment.status)
    far = f" ({apart} steps apart)" if apart is not None and apart >= DIVERGENT_STEPS else ""
    return f'<span class="judged">{e(rating.rating)}{far}</span>'


def judgement_html(brief: MeasureBrief) -> str:
    """On a measure's status line, after the status: the delivery confidence judged (who,
    as at when, why) and any divergence, in the words of the pages and the command line;
    small, so a page still holds its measure. Nothing when none is judged, so a pack made
    before ratings existed rebuilds to the same bytes."""
    if brief.rating is None:
        return ""
    said = judgement_text(brief.rating, brief.detail.assessment.status)
    return f' <span class="muted">· <strong>Delivery confidence:</strong> {e(said)}</span>'
