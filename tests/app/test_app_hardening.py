"""AppTests of the hardening: a file named and filled with Markdown is shown as text, the
pages' downloads carry no live formula, and a stale check is checked again, not committed.

Uses the conventions of ``tests/test_app_upload.py`` (fresh database per test, the real
file uploader).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
import streamlit.runtime.memory_media_file_storage as storage
from base.test_text import autolinks
from sqlalchemy import text as sql
from test_app import app_database, open_initiative  # noqa: F401  (autouse fixture)
from test_app_upload import LOG_PAGE, UPLOAD_PAGE, commit, open_page, tables, texts, upload

from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.returns import check_return, commit_return
from jwmetrics.text import WORD_JOINER

FORMULA = '=HYPERLINK("http://example.com","x")'
MARKDOWN_NAME = "[x](http://example.com)![i](http://example.com/i.png).csv"
NOTE = "**bold** [link](http://example.com) ![img](http://example.com/i.png) <b>html</b>"


def return_csv(value: str, partner: str = "", note: str = "", measure: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["initiative", "measure", "area_code", "period", "value", "partner", "note"])
    writer.writerow(
        [
            "rough-sleepers-unit",
            measure or "rough-sleepers-count",
            "E92000001",
            "June 2002",
            value,
            partner,
            note,
        ]
    )
    return out.getvalue().encode()


def unescaped(markdown: str) -> str:
    """What Markdown still reads as markup once every backslash-escaped character is gone."""
    return re.sub(r"\\.", "", markdown)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes of every download the pages offer, by file name (captured from storage)."""
    captured: dict[str, bytes] = {}
    original = storage.MemoryMediaFileStorage.load_and_get_id

    def record(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: Any = None):  # type: ignore[no-untyped-def]
        if filename and isinstance(path_or_data, bytes):
            captured[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(storage.MemoryMediaFileStorage, "load_and_get_id", record)
    return captured


def test_markdown_in_a_file_name_and_cells_is_shown_as_text(app_database: str) -> None:  # noqa: F811
    at = open_page(UPLOAD_PAGE)
    data = return_csv("not a number", note=NOTE, measure="[m](http://example.com)")
    upload(at, data, MARKDOWN_NAME)
    shown = [*texts(at, "markdown"), *texts(at, "error"), *texts(at, "caption")]
    summary = [t for t in shown if "example" in t]
    assert summary, shown
    escaped = r"\[x\](http" + WORD_JOINER + r"\://example.com)!\[i\]"
    assert any(escaped in t for t in summary)
    for text in summary:
        left = unescaped(text)
        assert "](" not in left and "![" not in left and "<b>" not in left and "http://" not in left
    (problems,) = tables(at)
    for cell in problems.astype(str).to_numpy().ravel():
        left = unescaped(cell)
        assert "](" not in left and "http://" not in left, cell
    # The error summary and row headings are HTML: the file's words escaped, no link of theirs.
    bodies = [str(h.proto.body) for h in at.get("html")]
    (error_summary,) = [b for b in bodies if 'class="error-summary"' in b]
    assert "[m](http://example.com)" in error_summary  # shown as the text it is
    assert set(re.findall(r"<a [^>]*>", error_summary)) == {'<a href="#problem-row-2">'}
    assert all("<b>" not in b and '<a href="http' not in b for b in bodies)


def test_problems_and_log_downloads_are_inert(
    app_database: str,  # noqa: F811
    downloads: dict[str, bytes],
) -> None:
    at = open_page(UPLOAD_PAGE)
    upload(at, return_csv(FORMULA), "bad.csv")
    problems = list(csv.reader(io.StringIO(downloads["bad-problems.csv"].decode("utf-8-sig"))))
    assert [r[3] for r in problems[1:] if FORMULA in r[3]] == ["'" + FORMULA]

    (partner,) = [t for t in at.text_input if t.label == "Partner"]
    partner.set_value(FORMULA)
    upload(at, return_csv("532"), "good.csv")
    commit(at)
    assert texts(at, "success")
    at.switch_page(LOG_PAGE)
    at.run()
    log = list(csv.reader(io.StringIO(downloads["jwmetrics-returns-log.csv"].decode("utf-8-sig"))))
    header = log[0]
    assert log[1][header.index("Partner")] == "'" + FORMULA
    assert log[1][header.index("Rows read")] == "1"


def test_a_stale_check_is_checked_again_not_committed(app_database: str) -> None:  # noqa: F811
    at = open_page(UPLOAD_PAGE)
    upload(at, return_csv("500"), "a.csv")
    db = open_seeded(app_database)
    try:  # meanwhile another partner's return records the same figure
        other = check_return(db, return_csv("532"), "b.csv")
        commit_return(db, other, confirm_warnings=True)
    finally:
        db.engine.dispose()
    commit(at)
    assert not texts(at, "success")
    assert any("checked again" in t for t in texts(at, "warning"))
    summary = " ".join(texts(at, "markdown"))
    assert "Would record 0 new and 1 revised value" in summary.replace("\\", "")


EVIL = "http://evil.example/x www.evil.example"
SHOWN_AS_MARKDOWN = ("markdown", "caption", "subheader", "header", "title", "info", "error")


def evil_texts(at: Any) -> list[str]:
    """Every Markdown text and ``st.table`` cell on the page that holds :data:`EVIL`'s words."""
    shown = [t for kind in SHOWN_AS_MARKDOWN for t in texts(at, kind)]
    shown += [str(c) for table in tables(at) for c in table.astype(str).to_numpy().ravel()]
    return [t for t in shown if "evil" in t]


def test_bare_links_in_file_names_cells_and_catalogue_names_stay_text(
    app_database: str,  # noqa: F811
) -> None:
    db = open_seeded(app_database)
    try:  # catalogue names holding bare links, as a catalogue file could give them
        with db.session() as session, session.begin():
            session.execute(sql("UPDATE initiative SET name = name || ' ' || :n"), {"n": EVIL})
            session.execute(sql("UPDATE measure SET name = name || ' ' || :n"), {"n": EVIL})
            session.execute(sql("UPDATE area SET name = name || ' ' || :n"), {"n": EVIL})
    finally:
        db.engine.dispose()
    at = open_initiative({"initiative": "rough-sleepers-unit", "measure": "rough-sleepers-count"})
    catalogue = evil_texts(at)
    assert catalogue and all(WORD_JOINER in t for t in catalogue), catalogue
    assert [link for t in catalogue for link in autolinks(t)] == []

    at = open_page(UPLOAD_PAGE)
    upload(at, return_csv("not a number", note=EVIL, measure=EVIL), EVIL + ".csv")
    files_and_cells = evil_texts(at)
    assert any("x www" in t for t in files_and_cells), "the file name is shown"
    assert [link for t in files_and_cells for link in autolinks(t)] == []
