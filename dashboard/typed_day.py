"""A day typed into a text field, applied on Enter or on leaving the field.

Streamlit's ``st.date_input`` (1.67) commits typed digits only when its calendar pop-over
closes: its field opens the pop-over on focus, ignores Enter, and Tab moves into the
pop-over, so a typed date waited for the next click elsewhere, and that click was spent
closing the pop-over. A text input commits on Enter and on blur like any other field, and
a screen reader reads it as one field rather than three spin buttons. The text is read by
:func:`jwmetrics.periods.parse_day` (``31/12/2001``, ``31 Dec 2001``, ``2001-12-31``...); a
day that cannot be read, or is out of range, is not applied: the field keeps the text and
says what is wrong beneath it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from jwmetrics.periods import PeriodError, format_date, parse_day
from jwmetrics.text import plain

DAY_PLACEHOLDER = "DD/MM/YYYY"
LATEST_WORDS = frozenset({"", "latest", "newest"})
"""What may be typed into the "As known on" field for the newest data."""


def day_text(day: date) -> str:
    """A day as the field shows it: ``31/12/2001``."""
    return day.strftime("%d/%m/%Y")


def _error_key(key: str) -> str:
    return f"{key}__typed_error"


def forget_typing(key: str) -> None:
    """Drop a refused text of the field ``key``: it shows its day again."""
    st.session_state.pop(_error_key(key), None)


def _apply(
    key: str,
    store: str,
    first: date,
    last: date | None,
    latest_ok: bool,
    applied: Callable[[], None] | None,
) -> None:
    """``on_change``: put the typed day into ``session_state[store]`` (None for the newest
    when ``latest_ok`` and the field is blank or says "latest") and call ``applied``, or
    keep the text and say why not."""
    text = str(st.session_state.get(key) or "").strip()
    if latest_ok and text.lower() in LATEST_WORDS:
        st.session_state[store] = None
        forget_typing(key)
        if applied is not None:
            applied()
        return
    try:
        day = parse_day(text)
    except PeriodError as exc:
        st.session_state[_error_key(key)] = (text, f"{exc}.")
        return
    if day < first or (last is not None and day > last):
        within = f"from {format_date(first)}" + (f" to {format_date(last)}" if last else " on")
        st.session_state[_error_key(key)] = (text, f"Choose a day {within}.")
        return
    st.session_state[store] = day
    forget_typing(key)
    if applied is not None:
        applied()


def day_field(
    label: str,
    key: str,
    shown: date,
    *,
    store: str,
    first: date,
    last: date | None = None,
    latest_ok: bool = False,
    help: str | None = None,
    applied: Callable[[], None] | None = None,
) -> None:
    """A text field showing ``shown``; a day typed into it goes to ``session_state[store]``
    on Enter or when the field loses focus, once read and within ``first`` to ``last``.

    The caller reads ``session_state[store]`` (a date, or None for "latest") before drawing
    the field: the change is applied by the field's callback, before the script runs, which
    then calls ``applied`` (if given).
    """
    refused = st.session_state.get(_error_key(key))
    st.session_state[key] = refused[0] if refused else day_text(shown)
    st.text_input(
        label,
        key=key,
        placeholder=DAY_PLACEHOLDER,
        autocomplete="off",
        help=help,
        on_change=_apply,
        args=(key, store, first, last, latest_ok, applied),
    )
    if refused:
        st.error(plain(refused[1]), icon=":material/error:")  # the typed text, as text
