"""The outcome of a write, shown alike on every page (``dashboard.writes``), in a tiny
AppTest script.

The script's button runs a write that succeeds, is refused, finds its check stale or finds
the database locked, as the query parameter ``w`` says; the next run shows the outcome.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.chrome import BUSY_MESSAGE


def _script() -> None:
    import sqlite3

    import streamlit as st
    from sqlalchemy.exc import OperationalError

    from dashboard.writes import attempt_write, recall_write, show_success, show_write_problem
    from jwmetrics.returns import STALE_MESSAGE, ReturnRefused

    def write() -> str:
        kind = st.query_params.get("w", "success")
        if kind == "refused":
            raise ReturnRefused("return 7 is already withdrawn")
        if kind == "stale":
            raise ReturnRefused(STALE_MESSAGE)
        if kind == "busy":
            raise OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
        if kind == "broken":
            raise OperationalError("UPDATE", {}, sqlite3.OperationalError("no such table: x"))
        return "return 7 withdrawn"

    def go() -> None:
        attempt_write("outcome", 7, write, link=lambda: {"initiative": "eydcp"})

    if "started" not in st.session_state:  # a checked upload, as the upload page keeps one
        st.session_state["started"] = True
        st.session_state["upload_checks"] = {"key": None, "check": None}
    outcome = recall_write("outcome")
    if outcome is not None:
        st.caption(f"kind={outcome.kind} about={outcome.about} link={outcome.link}")
        st.caption(f"checks kept={'upload_checks' in st.session_state}")
        if outcome.kind == "success":
            show_success(outcome)
        show_write_problem(outcome, "retry", go, ())
    st.button("Write", on_click=go, key="write")


def run_write(kind: str) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    at.query_params["w"] = kind
    at.run()
    at.button(key="write").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_success_is_shown_as_a_sentence_and_forgets_the_check() -> None:
    at = run_write("success")
    assert captions(at)[:2] == [
        "kind=success about=7 link={'initiative': 'eydcp'}",
        "checks kept=False",
    ]
    assert [s.value for s in at.success] == ["Return 7 withdrawn"]
    assert not at.error and not at.warning


def test_a_refusal_is_an_error_and_keeps_the_check() -> None:
    at = run_write("refused")
    assert captions(at)[:2] == ["kind=error about=7 link=None", "checks kept=True"]
    assert [e.value for e in at.error] == ["Return 7 is already withdrawn"]
    assert not at.success


def test_a_stale_check_is_forgotten_and_left_to_the_page() -> None:
    at = run_write("stale")
    assert captions(at)[:2] == ["kind=stale about=7 link=None", "checks kept=False"]
    assert not at.error and not at.warning and not at.success


def test_a_busy_database_offers_to_try_again() -> None:
    at = run_write("busy")
    assert [w.value for w in at.warning] == [BUSY_MESSAGE]
    at.query_params["w"] = "success"
    at.button(key="retry").click().run()
    assert [s.value for s in at.success] == ["Return 7 withdrawn"]


def test_any_other_database_error_is_raised() -> None:
    at = AppTest.from_function(_script, default_timeout=30)
    at.query_params["w"] = "broken"
    at.run()
    at.button(key="write").click().run()
    assert at.exception  # its text is redacted (client.showErrorDetails = "none")
    assert not at.warning


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """The script never opens the database; point it at a throwaway file all the same."""
    monkeypatch.setenv("JWMETRICS_DATABASE_URL", f"sqlite:///{tmp_path}/unused.sqlite")
