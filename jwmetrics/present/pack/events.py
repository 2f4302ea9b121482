"""A briefing pack's dated events: a short list per initiative, after the changes.

Each initiative's events are those that apply to it as known on the pack's day and recorded
by its generation moment (:func:`jwmetrics.briefing.content.build_content`), so a pack rebuilt
later lists the same ones. The list follows the changes on their page (no page of its own):
it is a few lines. The events are also drawn on each measure's chart
(:mod:`jwmetrics.present.event_marks`). Every text from the database is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from jwmetrics.briefing.content import InitiativeBrief, PackContent
from jwmetrics.periods import format_date


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def events_page(content: PackContent) -> str:
    """The "Dated events" section: one table per initiative, or a line saying there are none."""
    known = f"as known on {format_date(content.request.as_of)}"
    parts = ['<section class="events">', "<h2>Dated events</h2>"]
    if not any(section.events for section in content.initiatives):
        parts.append(f'<p class="muted">No dated events recorded {_e(known)}.</p>')
    for section in content.initiatives:
        if section.events:
            parts.append(_initiative_events(section, content.names))
    parts.append("</section>")
    return "\n".join(parts)


def _initiative_events(section: InitiativeBrief, names: Mapping[str, str]) -> str:
    """One initiative's events, oldest first: day, kind, what happened, what it applies to
    (by name: ``names`` gives the measures' and areas')."""
    named = {**names, section.slug: section.name}
    rows = "".join(
        f"<tr><td>{_e(format_date(x.occurred_on))}</td><td>{_e(x.kind)}</td>"
        f"<td>{_e(x.text)}</td><td>{_e(x.scope_named(named))}</td></tr>"
        for x in section.events
    )
    return (
        f"<h3>{_e(section.name)}</h3>\n<table>"
        '<thead><tr><th scope="col">Date</th><th scope="col">Kind</th>'
        '<th scope="col">What happened</th><th scope="col">Applies to</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
