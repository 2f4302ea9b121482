"""The briefing pack's annex: the passport of every measure in the pack, as HTML.

Each passport is an ``<article id="passport-SLUG">`` (:func:`anchor`), so every chart's
source note in the pack links to it (:func:`passport_link_html`). The passports come with
the pack's content (:class:`~jwmetrics.briefing.content.PackContent`), built as the
database stood at the pack's moment, so a rebuilt pack carries the same annex. Every text
is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from jwmetrics.passport import Passport
from jwmetrics.periods import format_date
from jwmetrics.present.passport import about_rows, revision_rows, revisions_summary


def e(text: object) -> str:
    """``text`` escaped for HTML."""
    return html.escape(str(text))


def anchor(slug: str) -> str:
    """The id of a measure's passport in the annex."""
    return f"passport-{slug}"


def passport_link_html(slug: str) -> str:
    """The line under a chart that links to the measure's passport in the annex."""
    return (
        f'<p class="muted">What this measure means, its sources and revisions: '
        f'<a href="#{e(anchor(slug))}">measure passport</a> (annex).</p>'
    )


def passport_annex(passports: Sequence[Passport]) -> str:
    """The annex: a heading, then each measure's passport; "" for a pack without measures."""
    if not passports:
        return ""
    parts = [
        '<section class="page annex">',
        '<h2 id="annex">Annex: measure passports</h2>',
        '<p class="muted">What each measure in this pack means and how it is made, from the '
        "report (cited by paragraph); where the report is silent, the passport says so.</p>",
    ]
    parts += [_passport(p) for p in passports]
    parts.append("</section>")
    return "\n".join(parts)


def _passport(passport: Passport) -> str:
    rows = "".join(
        f'<tr><th scope="row">{e(head)}</th><td>{e(text)}</td></tr>'
        for head, text in about_rows(passport)
    )
    methods = "".join(
        f"<li><strong>{e(m.name)}</strong>: {e(m.summary)} ({e(m.doc)})</li>"
        for m in passport.methods
    )
    parts = [
        f'<article class="measure" id="{e(anchor(passport.slug))}">',
        f"<h3>{e(passport.name)}</h3>",
    ]
    if passport.synthetic:
        parts.append('<p class="synthetic">Synthetic measure: its figures are made up.</p>')
    parts += [
        f"<table>{rows}</table>",
        f"<h4>How it is worked out</h4><ul>{methods}</ul>",
        f"<h4>Revisions, as known on {e(format_date(passport.as_of))}</h4>",
        _revision_table(passport),
        "<ul>" + "".join(f"<li>{e(line)}</li>" for line in revisions_summary(passport)) + "</ul>",
        "</article>",
    ]
    return "\n".join(part for part in parts if part)


def _revision_table(passport: Passport) -> str:
    rows = revision_rows(passport)
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in r.values()) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
