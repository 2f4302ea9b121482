"""AppTests of the upload and returns-log pages: check, preview, commit, re-upload, withdraw.

Uses the conventions of ``tests/test_app.py`` (imported from it): each test gets a fresh
SQLite database through ``JWMETRICS_DATABASE_URL`` and empty Streamlit caches (its autouse
``app_database`` fixture), ``new_app()`` runs the entry point as a signed-in test user, and
pages are reached with ``AppTest.switch_page`` after a first run.

The file is uploaded through the real ``st.file_uploader``: Streamlit 1.67's AppTest supports
it (``at.file_uploader[0].set_value((name, bytes, mime))``), so the page needs no back door.
Each ``set_value`` is a new upload with a new file id, as choosing a file again in a browser.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest
from test_app import (  # noqa: F401  (app_database is an autouse fixture)
    ENGLAND,
    app_database,
    assert_no_exception,
    new_app,
    open_initiative,
)

import jwmetrics.returns
from dashboard.chrome import BUSY_MESSAGE
from jwmetrics.assess.detail import series_detail
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.periods import format_date
from jwmetrics.present.returns_log import ROWS_HEADER

UPLOAD_PAGE = "pages/upload.py"
LOG_PAGE = "pages/returns_log.py"
RSU_LINK = {"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count", "area": ENGLAND}
HEADER = "initiative,measure,area_code,period,value,note\n"
NEW_ROW = f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2002,532,street count\n"
REVISED_ROW = f"rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2001,650,re-counted\n"
GOOD = (HEADER + NEW_ROW + REVISED_ROW).encode()
BAD = GOOD.replace(
    b"rough-sleepers-count,E92000001,June 2002", b"rough-sleeper-count,E92000001,June 2002"
)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def open_page(path: str) -> AppTest:
    """Run the app once (registers the pages), then switch to ``path``."""
    at = new_app().run()
    at.switch_page(path)
    at.run()
    assert_no_exception(at)
    return at


PARTNER = "Voluntary organisations"


def upload(
    at: AppTest, data: bytes, name: str = "rough-sleeping.csv", partner: str = PARTNER
) -> AppTest:
    """Name the partner who sent it (unless one is named already) and choose ``data`` in
    the "Return file" uploader, and run."""
    for box in at.text_input:
        if box.label == "Partner" and not box.value:
            box.set_value(partner)
    (uploader,) = [u for u in at.file_uploader if u.label == "Return file"]
    mime = "text/csv" if name.endswith(".csv") else "application/octet-stream"
    uploader.set_value((name, data, mime))
    at.run()
    assert_no_exception(at)
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    """The text of every element of ``kind`` ("markdown", "success", "error", ...)."""
    return [str(e.value) for e in at.get(kind)]


def button(at: AppTest, label: str) -> Any:
    """The one button labelled ``label``."""
    matches = [b for b in at.button if b.label == label]
    assert len(matches) == 1, f"expected one button {label!r}, got {[b.label for b in at.button]}"
    return matches[0]


def frames(at: AppTest) -> list[pd.DataFrame]:
    """Every ``st.dataframe`` on the page, in order."""
    return [d.value for d in at.dataframe]


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every ``st.table`` on the page, in order."""
    return [t.value for t in at.table]


def metric(at: AppTest, label: str) -> str:
    """The value of the metric labelled ``label``."""
    (found,) = [m for m in at.metric if m.label == label]
    return str(found.value)


def latest_figure() -> str:
    """The initiative page's "Latest figure" for people sleeping rough in England."""
    at = open_initiative(RSU_LINK)
    assert_no_exception(at)
    return metric(at, "Latest figure")


def commit(at: AppTest) -> AppTest:
    """Tick the warnings box (when there is one) and press "Commit this return"."""
    boxes = [c for c in at.checkbox if c.label == "I have checked the warnings"]
    if boxes:
        boxes[0].check()
        at.run()
    button(at, "Commit this return").click()
    at.run()
    assert_no_exception(at)
    return at


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_page_states_format_limits_and_offers_templates() -> None:
    """Before any upload: the format, the size and row limits, and both template downloads."""
    at = open_page(UPLOAD_PAGE)
    assert at.title[0].value == "Upload a return"
    about = " ".join(texts(at, "caption"))
    assert "at most 20 MB and 200,000 rows" in about
    page_text = " ".join(texts(at, "caption") + texts(at, "markdown"))
    assert page_text.count(" MB") == 1, "one size limit, stated once"
    (uploader,) = at.file_uploader
    assert "MB" not in (uploader.help or "")
    assert "docs/returns.md" not in page_text and "(help?topic=returns)" in page_text
    assert any("Required: initiative, measure, area_code" in t for t in texts(at, "markdown"))
    assert [d.label for d in at.download_button] == ["Template (CSV)", "Template (Excel)"]
    (picker,) = [s for s in at.selectbox if s.label == "Initiative for the template"]
    assert "sure-start" in picker.options or "Sure Start" in picker.options
    picker.set_value("sure-start").run()
    assert_no_exception(at)
    assert [d.label for d in at.download_button] == ["Template (CSV)", "Template (Excel)"]


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stated limits follow JWMETRICS_MAX_UPLOAD_BYTES / JWMETRICS_MAX_RETURN_ROWS."""
    monkeypatch.setenv("JWMETRICS_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024))
    monkeypatch.setenv("JWMETRICS_MAX_RETURN_ROWS", "1000")
    at = open_page(UPLOAD_PAGE)
    assert "at most 2 MB and 1,000 rows" in " ".join(texts(at, "caption"))


def test_upload_commit_reupload_withdraw() -> None:
    """The whole journey: a mistake, the fix, the preview, commit, re-upload and withdrawal."""
    assert latest_figure().startswith("700")
    at = open_page(UPLOAD_PAGE)

    # A file with one mistake: the problem names its row and column; commit is disabled.
    upload(at, BAD)
    (problems,) = tables(at)
    assert problems.loc[0, ["Severity", "Row", "Column", "Value"]].tolist() == [
        "error",
        2,
        "measure",
        "rough-sleeper-count",
    ]
    assert "did you mean 'rough-sleepers-count'" in problems.loc[0, "Problem"]
    assert button(at, "Commit this return").disabled
    assert any("fix the 1 error listed" in t for t in texts(at, "error"))
    assert ":red[There is a problem]" in [h.value for h in at.subheader]
    bodies = [str(h.proto.body) for h in at.get("html")]
    (summary,) = [b for b in bodies if 'class="error-summary"' in b]
    assert summary.startswith(
        '<ul class="error-summary"><li><a href="#problem-row-2">Row 2: rough-sleeper-count, '
        "England — measure: unknown measure"
    )
    assert "enter a measure id from the template" in summary  # what to enter instead
    assert 'id="problem-row-2"' in " ".join(bodies)  # where the link lands
    labels = [d.label for d in at.download_button]
    assert {"Download this report", "Problems (CSV)"} <= set(labels)

    # The fixed file: one new figure, one revision of a final figure (a warning).
    upload(at, GOOD)
    summary = " ".join(texts(at, "markdown"))
    published = format_date(date.today())  # the "Published on" field defaults to today
    assert f"Would record 1 new and 1 revised value, published on {published}; 0 " in summary
    assert [metric(at, f"{k} values") for k in ("New", "Revised", "Unchanged")] == ["1", "1", "0"]
    (problems,) = tables(at)
    new, revised = frames(at)
    assert problems["Severity"].tolist() == ["warning"]
    assert "revises a value marked final (was 700)" in problems.loc[0, "Problem"]
    assert new[["Measure", "Area", "Period", "New value"]].values.tolist() == [
        ["People counted sleeping rough in England", "England", "June 2002", "532"]
    ]
    assert list(new.columns[-2:]) == ["Measure id", "Area code"]  # ids last, for matching
    assert new[["Measure id", "Area code"]].values.tolist() == [["rough-sleepers-count", ENGLAND]]
    assert revised[["Period", "Old value", "New value"]].values.tolist() == [
        ["June 2001", "700", "650"]
    ]
    assert button(at, "Commit this return").disabled, "warnings must be confirmed first"
    (confirm,) = [c for c in at.checkbox if c.label == "I have checked the warnings"]
    confirm.check()
    at.run()
    assert not button(at, "Commit this return").disabled

    commit(at)
    assert texts(at, "success") == ["Return 1 committed: 1 new, 1 revised, 0 unchanged"]
    (link,) = at.page_link
    assert link.proto.page == "initiative"
    assert dict(parse_qsl(link.proto.query_string)) == RSU_LINK

    # The initiative page shows 532 from return 1.
    init = open_initiative(RSU_LINK | {"tab": "Figures"})
    assert_no_exception(init)
    assert metric(init, "Latest figure").startswith("532")
    figures = next(f for f in frames(init) if "Source" in f.columns)
    row = figures.loc[figures["Value"].astype(str).str.startswith("532")]
    assert len(row) == 1
    assert "return 1" in row.iloc[0]["Source"]

    # The same file again: already imported, nothing to commit.
    upload(at, GOOD)
    assert any("already imported as return 1" in t for t in texts(at, "info"))
    assert not [b for b in at.button if b.label == "Commit this return"]

    # Withdraw it on the returns log page; the initiative page shows 700 again.
    log = open_page(LOG_PAGE)
    table, changes = frames(log)
    assert table.loc[
        0, ["Id", "File", "Partner", "Uploaded by", ROWS_HEADER, "Outcome"]
    ].tolist() == [
        1,
        "rough-sleeping.csv",
        PARTNER,
        "local analyst",  # one name in local mode, whoever the browser says it is
        "2 / 1 / 1 / 0",
        "committed",
    ]
    assert isinstance(table.loc[0, "When"], pd.Timestamp)  # a moment; the grid writes it long
    assert set(changes["Measure"]) == {"People counted sleeping rough in England"}
    assert changes[["Row", "Change", "Period", "Old value", "New value"]].values.tolist() == [
        [2, "new", "June 2002", "", "532"],
        [3, "revised", "June 2001", "700", "650"],
    ]
    assert button(log, "Withdraw this return").disabled
    log.checkbox[0].check()
    log.run()
    button(log, "Withdraw this return").click()
    log.run()
    assert_no_exception(log)
    assert texts(log, "success") == ["Return 1 withdrawn; the values it replaced count again"]
    table = frames(log)[0]
    assert table.loc[0, "Outcome"] == "withdrawn"
    (picker,) = [s for s in log.selectbox if s.label == "Return"]
    assert "(withdrawn," in picker.format_func(picker.value)  # the label is refreshed too
    assert table.loc[0, "Withdrawn"].endswith(" by local analyst")
    assert latest_figure().startswith("700")


def locked_once(real: Callable[..., Any]) -> Callable[..., Any]:
    """``real``, except that its first call fails as SQLite does when another writer holds the lock.

    The page's callbacks keep the function they were given, so the lock must clear by itself,
    as a real lock does, rather than by undoing the patch.
    """
    calls = []

    def fake(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            locked = sqlite3.OperationalError("database is locked")
            raise OperationalError("INSERT INTO observation", {}, locked)
        return real(*args, **kwargs)

    return fake


def test_a_blank_partner_is_asked_for_and_kept_apart_from_the_uploader() -> None:
    """No partner in the file and none typed: the page asks who sent it and will not commit;
    named, the return records the partner and, separately, the one local name as uploader."""
    at = upload(open_page(UPLOAD_PAGE), (HEADER + NEW_ROW).encode(), partner="")
    (asked,) = texts(at, "warning")
    assert asked.startswith("Who sent these figures? No partner is named for 1 row of")
    assert button(at, "Commit this return").disabled
    (box,) = [t for t in at.text_input if t.label == "Partner"]
    box.set_value("Westminster City Council").run()
    assert_no_exception(at)
    assert not texts(at, "warning")
    commit(at)
    assert texts(at, "success") == ["Return 1 committed: 1 new, 0 revised, 0 unchanged"]
    table = frames(open_page(LOG_PAGE))[0]
    assert table.loc[0, ["Partner", "Uploaded by", "State"]].tolist() == [
        "Westminster City Council",
        "local analyst",
        "counts (no approval needed)",
    ]
    assert table.loc[0, "Last move"].endswith(": counted on upload")  # nobody "approved" it


def test_busy_database_offers_a_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A locked database is a friendly message with "Try again", never a traceback."""
    at = open_page(UPLOAD_PAGE)
    monkeypatch.setattr(
        jwmetrics.returns, "commit_return", locked_once(jwmetrics.returns.commit_return)
    )
    upload(at, GOOD)
    commit(at)
    assert texts(at, "warning") == [BUSY_MESSAGE]
    assert not at.success
    assert not at.exception
    button(at, "Try again").click()
    at.run()
    assert_no_exception(at)
    assert texts(at, "success") == ["Return 1 committed: 1 new, 1 revised, 0 unchanged"]


def test_busy_database_on_withdrawal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Withdrawing while the database is locked also asks to try again."""
    commit(upload(open_page(UPLOAD_PAGE), GOOD))
    monkeypatch.setattr(  # before the run that draws the button its callback comes from
        jwmetrics.returns, "withdraw_return", locked_once(jwmetrics.returns.withdraw_return)
    )
    log = open_page(LOG_PAGE)
    log.checkbox[0].check()
    log.run()
    button(log, "Withdraw this return").click()
    log.run()
    assert_no_exception(log)
    assert texts(log, "warning") == [BUSY_MESSAGE]
    button(log, "Try again").click()
    log.run()
    assert_no_exception(log)
    assert texts(log, "success") == ["Return 1 withdrawn; the values it replaced count again"]


def test_workbook_sheet_choice() -> None:
    """An .xlsx return offers its sheets; choosing the data sheet gives the preview."""
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Rough sleeping return from the Rough Sleepers Unit"])
    sheet = book.create_sheet("Figures")
    for line in (HEADER + NEW_ROW).splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)

    at = open_page(UPLOAD_PAGE)
    upload(at, buffer.getvalue(), "return.xlsx")
    (choice,) = [s for s in at.selectbox if s.label == "Sheet"]
    assert choice.options[1:] == ["Cover", "Figures"]
    choice.set_value("Figures").run()
    assert_no_exception(at)
    assert "sheet 'Figures'" in " ".join(texts(at, "markdown"))
    assert metric(at, "New values") == "1"
    commit(at)
    assert texts(at, "success") == ["Return 1 committed: 1 new, 0 revised, 0 unchanged"]


def test_nothing_new_offers_nothing_to_commit() -> None:
    """A file whose values are all stored already says so and has no commit button."""
    same = f"{HEADER}rough-sleepers-unit,rough-sleepers-count,{ENGLAND},June 2001,700,\n"
    at = upload(open_page(UPLOAD_PAGE), same.encode())
    assert metric(at, "Unchanged values") == "1"
    assert any("already stored" in t for t in texts(at, "info"))
    assert not [b for b in at.button if b.label == "Commit this return"]


def test_returns_log_empty() -> None:
    """With no returns yet, the log says so instead of showing an empty table."""
    at = open_page(LOG_PAGE)
    assert at.title[0].value == "Returns log"
    assert any("No returns yet" in t for t in texts(at, "info"))


def test_warnings_are_confirmed_per_file() -> None:
    """Ticking "I have checked the warnings" for one file does not carry over to the next."""
    at = upload(open_page(UPLOAD_PAGE), GOOD)
    (confirm,) = [c for c in at.checkbox if c.label == "I have checked the warnings"]
    confirm.check()
    at.run()
    assert not button(at, "Commit this return").disabled
    other = GOOD.replace(b"June 2001,650", b"June 2001,640")
    upload(at, other)
    (confirm,) = [c for c in at.checkbox if c.label == "I have checked the warnings"]
    assert confirm.value is False
    assert button(at, "Commit this return").disabled


def test_published_on_field_dates_the_figures(app_database: str) -> None:  # noqa: F811
    """The "Published on" day goes onto every figure of the return, so "as known on" an
    earlier day leaves them out."""
    at = open_page(UPLOAD_PAGE)
    (field,) = [d for d in at.date_input if d.label == "Published on"]
    field.set_value(date(2002, 9, 30)).run()
    new_only = f"{HEADER}{NEW_ROW}".encode()
    at = upload(at, new_only)
    assert "published on 30 September 2002" in " ".join(texts(at, "markdown"))
    commit(at)
    assert texts(at, "success") == ["Return 1 committed: 1 new, 0 revised, 0 unchanged"]
    db = open_seeded(app_database)
    try:
        before = series_detail(db, "rough-sleepers-count", as_of=date(2002, 9, 29)).assessment
        after = series_detail(db, "rough-sleepers-count", as_of=date(2002, 9, 30)).assessment
    finally:
        db.engine.dispose()
    assert (before.latest_value, after.latest_value) == (700, 532)
    assert after.published_on == date(2002, 9, 30)
