"""A measure passport in words: the revision note, its tables, Markdown and JSON records.

The passport itself is built by :mod:`jwmetrics.passport.record`; this module says it,
the same way on the page, in the pack's annex (:mod:`jwmetrics.present.passport_html`) and
on the command line (``python -m jwmetrics passport``). :func:`revision_note` is the
sentence shown beside provisional figures: "Figures like this have been revised by about
±3% on average ...", or "no revisions recorded yet".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jwmetrics.passport import Passport
from jwmetrics.periods import format_date
from jwmetrics.store.revisions import RevisionStats
from jwmetrics.text import plural

NO_PARTNER = "the report (no partner named)"
"""How the figures with no partner (``partner == ""``) are named."""

CLEARLY_SIGNED = 0.5
"""A mean revision at least this share of the mean absolute revision has a direction worth
saying ("mostly upward"): most of the revisions went one way."""


def partner_name(partner: str) -> str:
    """The partner's name, or what the figures without one are."""
    return partner or NO_PARTNER


def percent(value: float) -> str:
    """A size in per cent, to 2 significant figures or so: 0.42%, 3.1%, 12%."""
    size = abs(value)
    return f"{size:.2f}%" if size < 1 else f"{size:.1f}%" if size < 10 else f"{size:.0f}%"


def revision_note(stats: RevisionStats | None, unit: str = "") -> str:
    """The sentence beside a provisional figure: how far figures like it (same measure,
    same partner) have been revised on average, and which way when clearly one way."""
    if stats is None or stats.revised == 0:
        return f"Figures like this: {revision_words(stats, unit)}."
    return f"Figures like this have been {revision_words(stats, unit, named=True)}."


def revision_words(stats: RevisionStats | None, unit: str = "", *, named: bool = False) -> str:
    """ "revised by about ±3% on average, mostly upward (3 of 5 first figures revised
    since)", or "no revisions recorded yet (2 first figures kept)"; ``named`` names the
    partner the figures came from."""
    if stats is None or stats.revised == 0:
        kept = f" ({plural(stats.first_figures, 'first figure')} kept)" if stats else ""
        return f"no revisions recorded yet{kept}"
    if stats.mean_abs_revision_pct is not None:
        size = f"±{percent(stats.mean_abs_revision_pct)}"
        signed, scale = stats.mean_revision_pct or 0.0, stats.mean_abs_revision_pct
    else:
        size = f"±{stats.mean_abs_revision:,.3g} {unit}".rstrip()
        signed, scale = stats.mean_revision, stats.mean_abs_revision
    way = ""
    if scale and abs(signed) >= CLEARLY_SIGNED * scale:
        way = f", mostly {'upward' if signed > 0 else 'downward'}"
    source = f" from {partner_name(stats.partner)}" if named else ""
    return (
        f"revised by about {size} on average{way} ({stats.revised} of "
        f"{plural(stats.first_figures, 'first figure')}{source} revised since)"
    )


def stats_for(revisions: Sequence[RevisionStats], partner: str) -> RevisionStats | None:
    """The statistics of one partner's figures, if any are kept."""
    return next((s for s in revisions if s.partner == partner), None)


def revision_rows(passport: Passport) -> list[dict[str, Any]]:
    """One row per partner: first figures, share revised, mean and mean absolute revision."""
    rows = []
    for s in passport.revisions:
        pct = "–" if s.mean_revision_pct is None else f"{s.mean_revision_pct:+.2f}%"
        abs_pct = "–" if s.mean_abs_revision_pct is None else f"{s.mean_abs_revision_pct:.2f}%"
        rows.append(
            {
                "Partner": partner_name(s.partner),
                "First figures": s.first_figures,
                "Revised": s.revised,
                "Share revised": f"{s.share_revised:.0%}",
                "Mean revision": f"{s.mean_revision:+,.4g} ({pct})",
                "Mean abs. revision": f"{s.mean_abs_revision:,.4g} ({abs_pct})",
            }
        )
    return rows


def about_rows(passport: Passport) -> list[tuple[str, str]]:
    """The catalogue's facts first (heading, text), then every passport field."""
    rows = [
        ("Measure", f"{passport.name} ({passport.slug})"),
        ("Initiative", passport.initiative),
        ("Unit", passport.unit),
        ("Which direction is good", passport.direction_text),
        ("Kind", passport.kind),
        ("Description", passport.description or "–"),
    ]
    rows += [(passport.headings[name], text) for name, text in passport.fields.items()]
    cited = passport.passport_source or "no passport loaded"
    rows.append(("Sources", f"Catalogue: {passport.catalogue_source}. Passport: {cited}."))
    return rows


def revisions_summary(passport: Passport) -> list[str]:
    """One line a partner, naming it, with its revision note; or that none are kept yet."""
    if not passport.revisions:
        return ["No figures kept yet, so no revisions recorded yet."]
    return [
        f"{partner_name(s.partner)[:1].upper()}{partner_name(s.partner)[1:]}: "
        f"{'figures ' if s.revised else ''}{revision_words(s, passport.unit)}."
        for s in passport.revisions
    ]


def passport_record(passport: Passport) -> dict[str, Any]:
    """The passport as a JSON-ready record (the CLI's ``--format json``)."""
    return {
        "measure": passport.slug,
        "name": passport.name,
        "initiative": passport.initiative,
        "unit": passport.unit,
        "direction": passport.direction,
        "direction_text": passport.direction_text,
        "kind": passport.kind,
        "description": passport.description,
        "synthetic": passport.synthetic,
        **passport.fields,
        "catalogue_source": passport.catalogue_source,
        "passport_source": passport.passport_source,
        "methods": [{"name": m.name, "summary": m.summary, "doc": m.doc} for m in passport.methods],
        "revisions": [
            {
                "partner": s.partner,
                "first_figures": s.first_figures,
                "revised": s.revised,
                "share_revised": s.share_revised,
                "mean_revision": s.mean_revision,
                "mean_abs_revision": s.mean_abs_revision,
                "mean_revision_pct": s.mean_revision_pct,
                "mean_abs_revision_pct": s.mean_abs_revision_pct,
            }
            for s in passport.revisions
        ],
        "as_of": passport.as_of.isoformat(),
    }


def passport_markdown(passport: Passport) -> str:
    """The passport as a Markdown document (the CLI's ``--format md``)."""
    lines = [f"# Measure passport: {passport.name}", ""]
    if passport.synthetic:
        lines += ["**Synthetic measure: its figures are made up.**", ""]
    lines += ["| Field | |", "| --- | --- |"]
    lines += [f"| {head} | {_cell(text)} |" for head, text in about_rows(passport)]
    lines += ["", "## How it is worked out", ""]
    lines += [f"- **{m.name}**: {m.summary} See [{m.doc}]({m.doc})." for m in passport.methods]
    lines += ["", f"## Revisions, as known on {format_date(passport.as_of)}", ""]
    rows = revision_rows(passport)
    if rows:
        heads = list(rows[0])
        lines += ["| " + " | ".join(heads) + " |", "|" + " --- |" * len(heads)]
        lines += ["| " + " | ".join(_cell(str(r[h])) for h in heads) + " |" for r in rows]
        lines.append("")
    lines += [f"- {line}" for line in revisions_summary(passport)]
    lines.append("")
    return "\n".join(lines)


def passport_text(passport: Passport) -> str:
    """The passport as plain text (the CLI's default)."""
    lines = [f"Measure passport: {passport.name}"]
    lines += [f"  {head}: {text}" for head, text in about_rows(passport)]
    lines.append("How it is worked out:")
    lines += [f"  {m.name}: {m.summary} ({m.doc})" for m in passport.methods]
    lines.append(f"Revisions, as known on {format_date(passport.as_of)}:")
    for row in revision_rows(passport):
        lines.append("  " + "; ".join(f"{k}: {v}" for k, v in row.items()))
    lines += [f"  {line}" for line in revisions_summary(passport)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
