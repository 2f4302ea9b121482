"""The outcome of a write (committing or withdrawing a return), handled alike on every page.

A write runs in a button's callback, before the page reruns. :func:`attempt_write` runs it
and remembers in the session how it went: done (every cache cleared and the session's
checked upload forgotten, so the rerun shows the new figures), refused (with the reason),
stale (the file was checked against figures that changed since; checked again on the
rerun) or busy (the database was locked; nothing was written). The page then shows it with
:func:`show_success` and :func:`show_write_problem`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Literal, NoReturn, TypeVarTuple

import streamlit as st
from sqlalchemy.exc import OperationalError

from dashboard.cache import clear_caches, forget_checks
from dashboard.chrome import BUSY_MESSAGE
from jwmetrics.db import is_busy_error
from jwmetrics.returns import STALE_MESSAGE, ReturnRefused
from jwmetrics.text import plain, sentence

OutcomeKind = Literal["success", "error", "stale", "busy"]
Args = TypeVarTuple("Args")


@dataclass(frozen=True)
class WriteOutcome:
    """How one write went: its kind, the message to show, and what it was about.

    ``about`` names the thing written (an uploaded file's id, a return's id), so a page shows
    the outcome only beside that thing; ``link`` holds query parameters of a page that shows
    the result (the initiative page for a committed return's first figure).
    """

    kind: OutcomeKind
    message: str
    about: Hashable
    link: dict[str, str] | None = None


def attempt_write(
    key: str,
    about: Hashable,
    write: Callable[[], str],
    link: Callable[[], dict[str, str] | None] | None = None,
) -> None:
    """Run ``write`` (which returns its message) and keep its outcome under ``key``.

    Called from a button's callback. A refusal or a busy database is remembered, never
    raised; any other error propagates. After a successful write every cache is cleared and
    the session's checked upload forgotten, and ``link`` (if given) is asked where to look.
    """
    outcome: WriteOutcome
    try:
        message = write()
    except ReturnRefused as exc:
        stale = str(exc) == STALE_MESSAGE  # another return landed meanwhile: check again
        if stale:
            forget_checks()
        outcome = WriteOutcome("stale" if stale else "error", str(exc), about)
    except OperationalError as exc:
        if not is_busy_error(exc):
            raise
        outcome = WriteOutcome("busy", BUSY_MESSAGE, about)
    else:
        clear_caches()
        forget_checks()
        outcome = WriteOutcome("success", message, about, link() if link else None)
    st.session_state[key] = outcome


def recall_write(key: str, *, once: bool = False) -> WriteOutcome | None:
    """The outcome the last write left under ``key``; ``once`` forgets it as it is read."""
    held: WriteOutcome | None = (
        st.session_state.pop(key, None) if once else st.session_state.get(key)
    )
    return held


def show_success(outcome: WriteOutcome) -> None:
    """What the write did, as a sentence (the message may quote a file name: plain text)."""
    st.success(plain(sentence(outcome.message)), icon=":material/check_circle:")


def show_write_problem(
    outcome: WriteOutcome, retry_key: str, retry: Callable[[*Args], None], args: tuple[*Args]
) -> None:
    """A busy database as a warning with "Try again" (``retry(*args)``), a refusal as an error.

    Other outcomes show nothing here: success is shown by :func:`show_success`, and a stale
    check by the page, which has checked the file again.
    """
    if outcome.kind == "busy":
        st.warning(outcome.message, icon=":material/hourglass_top:")
        st.button("Try again", on_click=retry, args=args, key=retry_key)
    elif outcome.kind == "error":
        st.error(plain(sentence(outcome.message)), icon=":material/error:")


def refusal_text(exc: Exception) -> str:
    """Why a form's write was refused, as plain text for ``st.error``: each problem of an
    :class:`~jwmetrics.problems.InputError` as "field: message", else the exception's own
    message (a :class:`~jwmetrics.governance.PermissionDenied`)."""
    problems = getattr(exc, "problems", None)
    said = [f"{p.column or p.file_name}: {p.message}" for p in problems or []]
    return plain("; ".join(said) or str(exc))


def rerun_with_flash(flash_key: str, message: str) -> NoReturn:
    """After a form's write: empty the caches (the page shows the write at once), keep
    ``message`` for the rerun's :func:`show_flash`, and rerun."""
    clear_caches()
    st.session_state[flash_key] = message
    st.rerun()


def show_flash(flash_key: str) -> None:
    """The message a write left for this run (:func:`rerun_with_flash`), once."""
    flash = st.session_state.pop(flash_key, None)
    if flash:
        st.success(plain(flash), icon=":material/check_circle:")
