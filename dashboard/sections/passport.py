"""Sections of the measure passport page: what the measure is, how it is made and handled,
how the dashboard works it out, and how far its figures have been revised.

Catalogue text can come from a user's CSV, so it is shown as plain text, never Markdown.
"""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import with_as_of
from dashboard.cache import cached_passport
from dashboard.tables import show_table
from jwmetrics.assess import SeriesDetail
from jwmetrics.passport import Passport
from jwmetrics.periods import format_date
from jwmetrics.present.passport import (
    revision_note,
    revision_rows,
    revisions_summary,
    stats_for,
)
from jwmetrics.text import plain

PASSPORT_PAGE = "pages/passport.py"
HELP_PAGE = "pages/help.py"

# The passport's fields, grouped under the page's headings.
GROUPS: dict[str, tuple[str, ...]] = {
    "What it counts": ("definition", "numerator", "numerator_source", "denominator",
                       "denominator_source"),
    "How it is published": ("frequency", "publication_lag", "revisions_policy", "rounding",
                            "disclosure"),
    "Who owns it, and what to watch": ("owner", "caveats"),
}  # fmt: skip


def show_summary(passport: Passport) -> None:
    """The facts a reader needs first: direction, unit, kind, initiative, description."""
    if passport.synthetic:
        st.warning("Synthetic measure: made up for tests and benchmarks; its figures are not real.")
    cols = st.columns(3)
    cols[0].metric("Which direction is good", passport.direction_text)
    cols[1].metric("Unit", passport.unit)
    cols[2].metric("Kind", passport.kind.capitalize())
    st.markdown(f"**Initiative:** {plain(passport.initiative)}")
    if passport.description:
        st.markdown(f"**Description:** {plain(passport.description)}")


def show_fields(passport: Passport) -> None:
    """Every passport field, under three headings, one labelled line each."""
    for heading, names in GROUPS.items():
        st.subheader(heading)
        st.markdown(
            "\n".join(
                f"- **{passport.headings[name]}:** {plain(passport.fields[name])}" for name in names
            )
        )
    cited = passport.passport_source or "no passport loaded for this measure"
    st.caption(
        f"Sources: the catalogue cites {plain(passport.catalogue_source)}; the passport cites "
        f"{plain(cited)} (NAO, Joining Up to Improve Public Services, HC 383 2001-02)."
    )


def show_methods(passport: Passport) -> None:
    """How the status, forecast, SPC chart, comparison and revisions are worked out."""
    st.subheader("How the dashboard works it out")
    for method in passport.methods:
        st.markdown(f"**{method.name}.** {plain(method.summary)} Developers: `{method.doc}`.")
        if method.help_topic:
            st.page_link(
                HELP_PAGE,
                label=f"Help: {method.name.lower()}",
                icon=":material/help:",
                query_params={"topic": method.help_topic},
            )


def show_revisions(passport: Passport) -> None:
    """How far first figures have been revised since, per partner, with the note shown
    beside provisional figures."""
    st.subheader("Revisions, measured")
    st.caption(
        "From every version kept: for each period's first figure, the newest value minus "
        f"the first, as known on {format_date(passport.as_of)}. Mean revision is signed "
        "(positive: revised up); unrevised figures count as zero."
    )
    rows = revision_rows(passport)
    if rows:
        wide = {"Partner": st.column_config.TextColumn(width="medium")}
        show_table(rows, key_columns=("Partner",), column_config=wide)
    st.markdown("\n".join(f"- {plain(line)}" for line in revisions_summary(passport)))


def passport_link(measure: str, label: str = "Measure passport") -> None:
    """A link to ``measure``'s passport page, keeping the day shown: under every chart."""
    st.page_link(
        PASSPORT_PAGE,
        label=label,
        icon=":material/badge:",
        query_params=with_as_of({"measure": measure}),
    )


def passport_links(measures: dict[str, str]) -> None:
    """Links to the passports of a chart's several measures (id -> name), one a line, so a
    long name is never cut at narrow widths."""
    for slug, name in measures.items():
        passport_link(slug, f"Measure passport: {plain(name)}")


def show_revision_note(detail: SeriesDetail) -> None:
    """Beside provisional figures: how far figures like the newest provisional one (same
    measure, same partner) have been revised on average, from the passport's statistics."""
    provisional = [
        v for v in detail.observations if v.value is not None and v.data_status != "final"
    ]
    if not provisional:
        return
    passport = cached_passport(detail.measure_slug, detail.assessment.as_of)
    newest = provisional[-1]
    note = revision_note(stats_for(passport.revisions, newest.partner), passport.unit)
    st.caption(f":material/history: Some figures here are provisional. {plain(note)}")
