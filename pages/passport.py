"""Measure passport: what a measure means, where its figures come from, which direction is
good, how it is published and revised, who owns it, and its caveats (issue 23, item 4).

Like Fingertips' indicator definitions: one page per measure, every field filled (where the
report is silent it says so). The measure is in the URL (``?measure=…``, an id or a name),
and so is the day (``as_of``) the revision statistics are as known on; every chart's
source note links here.
"""

from __future__ import annotations

import streamlit as st

from dashboard.as_of import as_of_picker
from dashboard.cache import cached_names, cached_passport
from dashboard.chrome import route_through_app
from dashboard.sections.initiative import pick
from dashboard.sections.passport import (
    show_fields,
    show_methods,
    show_revisions,
    show_summary,
)
from jwmetrics.text import plain

route_through_app()
title = st.empty()
st.caption(
    "What each measure means and how it is made: its definition, numerator and denominator "
    "and their sources, which direction is good, how often and how late it is published, "
    "how it is revised, rounded and disclosed, who owns it, and what to watch. Facts come "
    "from the report, cited by paragraph; where the report is silent, the passport says so."
)

names = cached_names().measures
top = st.columns(2)
with top[0]:
    measure = pick("Measure", list(names), names, "measure", key="passport_measure")
with top[1]:
    as_of = as_of_picker("passport_as_of")

passport = cached_passport(measure, as_of)
title.title(f"Measure passport: {plain(passport.name)}")
show_summary(passport)
show_fields(passport)
show_methods(passport)
show_revisions(passport)
