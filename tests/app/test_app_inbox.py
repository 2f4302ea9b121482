"""AppTest of the Inbox page (issue 24): a followed measure turned Red shows as an unread
alert with its reasons and its link, the sidebar's Inbox link counts it, and "Mark all
read" clears the count. Local mode: the user is the local analyst. The return is synthetic.

Conventions of ``tests/app/test_app.py`` (imported from it): a fresh database per test on
SQLite and PostgreSQL, empty Streamlit caches.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from alert_support import COUNT, ENGLAND, commit
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    app_database,
    assert_no_exception,
    new_app,
    sidebar_links,
)

from jwmetrics.alerts import user_key
from jwmetrics.governance.roles import LOCAL_USER
from jwmetrics.metrics import Metrics

INBOX_PAGE = "pages/inbox.py"
RED = f"rough-sleepers-unit,{COUNT},{ENGLAND},December 2001,1500"


@pytest.fixture
def metrics(app_database: str) -> Iterator[Metrics]:  # noqa: F811
    with Metrics.open(app_database) as opened:
        yield opened


def open_inbox() -> AppTest:
    """A fresh session opening the Inbox page through app.py."""
    at = new_app().run()
    at.switch_page(INBOX_PAGE)
    return at.run()


def test_a_followed_measure_turned_red_is_an_unread_alert_until_marked_read(
    metrics: Metrics,
) -> None:
    me = user_key(LOCAL_USER)
    metrics.add_watch(f"measure:{COUNT}", user=me)
    metrics.refresh_alerts()  # the follow's baseline: Amber
    assert [link for link in sidebar_links(new_app().run()) if link.startswith("Inbox")] == [
        "Inbox"
    ]
    commit(metrics, RED, date(2002, 1, 15), "red.csv")  # the commit runs the rules

    at = open_inbox()
    assert_no_exception(at)
    assert any("1 unread" in str(m.value) for m in at.markdown)
    (alert,) = [e for e in at.expander if "Red" in e.label and e.label.startswith("●")]
    text = " ".join(str(t.value) for t in alert.text)
    assert "from Amber to Red" in text and "lower is better" in text
    (link,) = [p for p in at.get("page_link") if "as known on the day" in p.proto.label]
    assert "as_of=2002-01-15" in link.proto.query_string and COUNT in link.proto.query_string
    assert "Inbox · 1 unread" in sidebar_links(new_app().run())

    next(b for b in at.button if b.label == "Mark all read").click().run()
    assert_no_exception(at)
    assert any("0 unread" in str(m.value) for m in at.markdown)
    assert not [e for e in at.expander if e.label.startswith("●")]
