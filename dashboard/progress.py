"""Long work shows progress on the page: a bar with "rows done of total" for each step.

The library reports :class:`jwmetrics.steps.Step` values to the callback it is given; this
draws them with ``st.progress`` in one place on the page and clears the bar when the work is
over, so the page then shows what happened (the check's report, the commit's outcome).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from jwmetrics.steps import Progress, Step
from jwmetrics.text import plain


@contextmanager
def page_progress(start: str) -> Iterator[Progress]:
    """A progress callback drawing one bar (starting with the words ``start``), removed at
    the end of the block. The words are shown as plain text (:func:`~jwmetrics.text.plain`):
    the bar's text is Markdown, and ``start`` names the user's file."""
    slot = st.empty()
    bar = slot.progress(0.0, text=plain(start))

    def draw(step: Step) -> None:
        bar.progress(step.fraction, text=plain(step.text))

    try:
        yield draw
    finally:
        slot.empty()
