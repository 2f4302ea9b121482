"""A briefing pack as one self-contained HTML file, ready to print to A4.

Opens offline: the charts' library (plotly.js) and every chart are inside the file, nothing
is fetched. The same file prints to the PDF pack (:mod:`jwmetrics.present.pdf`): A4 pages
numbered "Page n of N", a title page with the as-known-on day, who produced it and a
one-page summary of every measure's status, off track first, each with its reason in a line;
then what changed since the previous pack; then the measures, off track first
(:data:`STATUS_ORDER`), each under its initiative's name. Accessible: headings in
order, every chart an image with a text alternative and its source note, tables with
header cells, and a status always a symbol and a word beside its colour. Every text from
the database is escaped; commentary goes through its safe Markdown subset. The order of
statuses, their badges and the title page's summary table are
:mod:`jwmetrics.present.pack.status`'s.
"""

from __future__ import annotations

from functools import cache

from plotly.offline import get_plotlyjs

from jwmetrics.assess.words import Status
from jwmetrics.briefing.changes import ChangeRecord
from jwmetrics.briefing.content import InitiativeBrief, MeasureBrief, PackContent
from jwmetrics.periods import format_date
from jwmetrics.present.assessment import (
    latest_text,
    progress_text,
    series_text,
    target_text,
)
from jwmetrics.present.commentary_text import to_html
from jwmetrics.present.pack.events import events_page
from jwmetrics.present.pack.status import (
    STATUS_GROUPS,
    Entry,
    e,
    judgement_html,
    status_badge,
    summary_html,
)

# STATUS_ORDER and ordered stay importable from here, as before the split
from jwmetrics.present.pack.status import STATUS_ORDER as STATUS_ORDER
from jwmetrics.present.pack.status import ordered as ordered
from jwmetrics.present.passport_html import passport_annex, passport_link_html
from jwmetrics.present.status import STYLES, badge
from jwmetrics.present.trend_chart import trend_figure
from jwmetrics.present.trend_marks import chart_source
from jwmetrics.text import moment

CHART_WIDTH_PX, CHART_HEIGHT_PX = 680, 300  # fits A4's text width at 96 dpi; a page a measure
# (lay_out_foot makes a chart taller when its legend and source note need it: about 420 px)
CHART_CONFIG = {"staticPlot": True, "displayModeBar": False, "responsive": False}

STYLE = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font: 9pt sans-serif; } }
body { font: 11pt/1.45 "Liberation Sans", Arial, sans-serif; color: #0b0c0c; max-width: 720px;
  margin: 0 auto; padding: 16px; }
h1 { font-size: 24pt; margin: 0 0 12px; } h2 { font-size: 17pt; margin-top: 24px; }
h3 { font-size: 13pt; margin: 18px 0 6px; }
.page { break-before: page; }
.measure { break-inside: avoid-page; border-top: 1px solid #b1b4b6; padding-top: 6px; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 3px; font-weight: bold;
  white-space: nowrap; }
.synthetic { border: 3px solid #d4351c; padding: 8px; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 6px 0; }
th, td { border: 1px solid #b1b4b6; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
figure { margin: 8px 0; } figcaption { font-size: 9pt; color: #505a5f; }
.comment { border-left: 4px solid #1d70b8; padding: 2px 10px; margin: 6px 0; }
.muted { color: #505a5f; font-size: 9.5pt; } ol.notes { font-size: 9pt; }
table.summary { font-size: 8.5pt; } table.summary td { padding: 2px 4px; }
.title-page h1 { margin-bottom: 6px; } .title-page p { margin: 4px 0; }
h4 { margin: 8px 0 3px; break-after: avoid-page; } .measure p { margin: 5px 0; }
.measure ul, .measure ol { margin: 3px 0; } ol.notes { break-inside: avoid-page; }
table.summary td:first-child { width: 1%; }
.counts { margin: 4px 0 8px; } .counts .badge { margin-right: 6px; }
"""


@cache
def _plotly_js() -> str:
    """The plotly.js bundle, inlined once per pack so the file opens offline."""
    return str(get_plotlyjs())


def pack_file(content: PackContent, file_format: str) -> bytes:
    """The pack as a file: HTML in UTF-8, or that HTML printed to PDF by Chromium."""
    document = render_pack(content)
    if file_format == "pdf":
        from jwmetrics.present.pdf import html_to_pdf, plotly_scripts  # Chromium: only here

        scripts = plotly_scripts(document, _plotly_js())  # the pack's own: they alone run
        return html_to_pdf(document, content.request.generated_at, scripts)
    return document.encode("utf-8")


def render_pack(content: PackContent) -> str:
    """The whole pack as an HTML document."""
    request = content.request
    body = [_title_page(content), _changes_page(content), *_measure_pages(content)]
    body.insert(2, events_page(content))  # dated events per initiative (present/pack/events)
    body.append(passport_annex(content.passports))  # each measure's passport, linked below
    scope = "the portfolio" if request.initiative is None else content.title
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Briefing: {e(scope)}, as known on {e(format_date(request.as_of))}</title>\n"
        f"<style>{STYLE}</style>\n<script>{_plotly_js()}</script>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _title_page(content: PackContent) -> str:
    """Title, scope, as-known-on day, who produced it and when, and any synthetic warning."""
    request = content.request
    made = moment(request.generated_at)
    parts = [
        '<section class="title-page">',
        f"<h1>Briefing: {e(content.title)}</h1>",
        f"<p><strong>As known on {e(format_date(request.as_of))}</strong>: only figures "
        "published by then count.</p>",
        f"<p>Produced by {e(request.generated_by or 'an unnamed user')} on {e(made)} with "
        "jwmetrics.</p>",
    ]
    if request.since is not None:
        parts.append(f"<p>Changes since {e(format_date(request.since))} are on the next page.</p>")
    parts.append(
        '<p class="muted">Source: National Audit Office, <em>Joining Up to Improve Public '
        "Services</em> (HC 383, 2001-02), cited by paragraph or figure; and partners' returns, "
        "cited by return. Statuses follow the rules on the dashboard's Help page (How a status "
        "is decided).</p>"
    )
    if content.synthetic:
        parts.append(
            '<p class="synthetic">Synthetic data: some figures in this pack are synthetic, '
            "made up for testing, and are marked where they appear. They are not official "
            "statistics.</p>"
        )
    parts.append(summary_html(content) + "</section>")
    return "\n".join(parts)


def _changes_page(content: PackContent) -> str:
    """What changed since the previous pack, as one table (or why there is none)."""
    request = content.request
    if request.since is None:
        return (
            '<section class="page"><h2>Changes</h2><p>No earlier pack: there is nothing to '
            "compare with. Give a date to list the changes since then.</p></section>"
        )
    heading = f"Changes since {format_date(request.since)}"
    if not content.changes:
        return f'<section class="page"><h2>{e(heading)}</h2><p>Nothing changed.</p></section>'
    rows = "\n".join(_change_row(change, content.names) for change in content.changes)
    return (
        f'<section class="page"><h2>{e(heading)}</h2>\n<table><caption class="muted">'
        f"{e(content.changes_caption())}</caption>\n"
        '<thead><tr><th scope="col">Change</th>'
        '<th scope="col">Measure, area</th><th scope="col">Before</th><th scope="col">After'
        '</th><th scope="col">When</th><th scope="col">Source</th></tr></thead>\n<tbody>'
        f"{rows}</tbody></table></section>"
    )


def _change_row(change: ChangeRecord, names: dict[str, str]) -> str:
    """One change as a table row, with names not ids; a status shows both reasons."""
    before, after = _changed_value(change.before), _changed_value(change.after)
    if change.kind == "status":
        before += f'<br><span class="muted">{e(change.before_reason)}</span>'
        after += f'<br><span class="muted">{e(change.after_reason)}</span>'
    measure, area = names.get(change.measure, change.measure), names.get(change.area_code, "")
    what = f"{measure}, {area or change.area_code}" + (
        f", {change.period}" if change.period else ""
    )
    when = "" if change.when is None else format_date(change.when)
    return (
        f"<tr><td>{e(change.kind)}</td><td>{e(what)}</td><td>{before}</td><td>{after}</td>"
        f"<td>{e(when)}</td><td>{e(change.source)}</td></tr>"
    )


def _changed_value(value: float | str | None) -> str:
    """A before or after value, escaped; a status word with its symbol."""
    if value is None:
        return "none"
    if isinstance(value, float):
        return e(f"{value:,.10g}")
    known = {str(s): s for s in Status}
    return e(badge(known[value])) if value in known else e(value)


def _measure_pages(content: PackContent) -> list[str]:
    """The measures with a page, under a heading per group of statuses, off track first."""
    entries = ordered(content)
    sections = []
    for heading, statuses in STATUS_GROUPS:
        mine = [(n, entry) for n, entry in enumerate(entries) if _status(entry) in statuses]
        if not mine:
            continue
        title = f"<h2>{e(heading)} ({len(mine)})</h2>"  # inside the first page, kept with it
        measures = "\n".join(
            _measure(section, brief, str(n), title if i == 0 else "")
            for i, (n, (section, brief)) in enumerate(mine)
        )
        sections.append(f'<section class="page">\n{measures}</section>')
    return sections


def _status(entry: Entry) -> Status:
    return Status(entry[1].detail.assessment.status)


def _measure(section: InitiativeBrief, brief: MeasureBrief, key: str, heading: str = "") -> str:
    """One measure (under ``heading``, its group's, for the first of a group): its
    initiative, status and reason, chart, facts, commentary, remedial actions, quality
    notes, sources."""
    detail = brief.detail
    row = detail.assessment
    style = STYLES[Status(row.status)]
    status = status_badge(row.status)
    parts = [
        '<article class="measure">',
        heading,
        f"<h3>{e(detail.measure_name)} ({e(detail.area_name)})</h3>",
        f'<p class="muted">{e(section.name)} · client group: {e(section.client_group)}</p>',
        f'<p>Status: {status} <span class="muted">({e(style.meaning)})</span>'
        f"{judgement_html(brief)}</p>",
        f"<p>{e(row.reason)}</p>",
    ]
    if brief.synthetic:
        parts.append(
            '<p class="synthetic">Synthetic data: some figures of this series are synthetic.</p>'
        )
    parts.append(_chart(brief, key))
    parts.append(_facts(brief))
    parts.append(_comments(brief))
    parts.append(_actions(brief))
    if brief.quality:
        notes = "".join(f"<li>{e(note)}</li>" for note in brief.quality)
        parts.append(f"<h4>Data quality</h4><ul>{notes}</ul>")
    if brief.footnotes:
        notes = "".join(f"<li>{e(note)}</li>" for note in brief.footnotes)
        parts.append(f'<h4>Sources</h4><ol class="notes">{notes}</ol>')
    parts.append("</article>")
    return "\n".join(parts)


def _chart(brief: MeasureBrief, key: str) -> str:
    """The trend chart inline, as an image with a text alternative and its source note."""
    detail = brief.detail
    # On paper the heading above names the chart and the status line gives its status, so
    # the chart has no title of its own; its labels, legend and source are laid out for this
    # height, and never print over each other.
    figure = trend_figure(detail, height=CHART_HEIGHT_PX, titled=False, events=brief.events)
    figure.update_layout(width=CHART_WIDTH_PX, autosize=False)
    div = figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=f"chart-{key}", config=CHART_CONFIG
    )
    alt = (
        f"Trend chart of {detail.measure_name} in {detail.area_name}: "
        f"{series_text(detail)}. Target: {target_text(detail.assessment)}. "
        f"Status {detail.assessment.status}. {chart_source(detail)}"
    )
    # The source note is drawn under the chart itself (as in its PNG export).
    link = passport_link_html(detail.measure_slug)
    return f'<figure><div role="img" aria-label="{e(alt)}">{div}</div></figure>{link}'


def _facts(brief: MeasureBrief) -> str:
    """The latest figure, its period, publication day and source, target and progress."""
    row = brief.detail.assessment
    published = "–" if row.published_on is None else format_date(row.published_on)
    facts = [
        ("Latest figure", latest_text(row)),
        ("Period", row.latest_period or "–"),
        ("Published on", published),
        ("Source", row.latest_source or "–"),
        ("Target", target_text(row)),
        ("Progress (share of the required change)", progress_text(row.progress)),
    ]
    cells = "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in facts)
    return f"<table>{cells}</table>"


def _comments(brief: MeasureBrief) -> str:
    """The commentary on the measure, newest version of each, or a line saying there is none."""
    if not brief.comments:
        return '<p class="muted">No commentary.</p>'
    blocks = []
    for comment in brief.comments:
        when = format_date(comment.written_at.date())
        version = f", version {comment.version}" if comment.versions > 1 else ""
        blocks.append(
            f'<div class="comment"><p class="muted">Commentary on {e(comment.period)}, by '
            f"{e(comment.author)} on {e(when)}{e(version)}</p>{to_html(comment.text)}</div>"
        )
    return "<h4>Commentary</h4>" + "".join(blocks)


def _actions(brief: MeasureBrief) -> str:
    """The open remedial actions on the measure (overdue ones marked), or, for an Amber or
    Red status, a line saying none is open; nothing otherwise."""
    if not brief.actions:
        if brief.detail.assessment.status in ("Amber", "Red"):
            return '<p class="muted">No open remedial action on this measure.</p>'
        return ""
    head = "".join(
        f'<th scope="col">{e(h)}</th>'
        for h in ("Action", "Area", "Owner", "Due", "State", "Responds to")
    )
    rows = []
    for action in brief.actions:
        state = "open, OVERDUE" if action.overdue else action.state
        rows.append(
            f"<tr><td>{e(action.text)}</td><td>{e(action.area_name)}</td>"
            f"<td>{e(action.owner)}</td><td>{e(format_date(action.due))}</td>"
            f"<td>{e(state)}</td><td>{e(action.responds_to_status or '–')}</td></tr>"
        )
    return f"<h4>Remedial actions</h4><table><tr>{head}</tr>{''.join(rows)}</table>"
