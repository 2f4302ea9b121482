"""Words the app writes one way everywhere: dates and moments, counts with their nouns,
nothing as a dash, Markdown reduced to its words, and ages of figures."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
import pytest

from jwmetrics import text
from jwmetrics.present.assessment import age_text
from jwmetrics.present.files import to_csv_bytes


@pytest.mark.parametrize(
    ("when", "shown"),
    [
        (date(2026, 12, 7), "7 December 2026"),
        (date(2001, 1, 31), "31 January 2001"),
        (datetime(2026, 12, 7, 13, 38, 59), "7 December 2026, 13:38"),
        (datetime(2026, 12, 7, 9, 5), "7 December 2026, 09:05"),
        (None, "–"),
    ],
)
def test_a_day_or_moment_reads_the_british_long_way(when: date | None, shown: str) -> None:
    assert text.moment(when) == shown


def test_a_day_alone_is_the_same_long_form() -> None:
    assert text.format_date(date(2026, 12, 7)) == "7 December 2026"


@pytest.mark.parametrize(
    ("when", "written"),
    [
        (date(2027, 1, 4), "2027-01-04"),
        (datetime(2026, 12, 7, 13, 38, 5, 123456), "2026-12-07 13:38:05"),
        (None, ""),
    ],
)
def test_files_get_iso_dates(when: date | None, written: str) -> None:
    assert text.iso(when) == written


def test_a_csv_writes_days_and_moments_iso() -> None:
    frame = pd.DataFrame(
        {
            "Due": [date(2027, 1, 4)],
            "When": [datetime(2026, 12, 7, 13, 38, 5, 999)],
            "Stamp": pd.Series([pd.Timestamp(2026, 12, 7, 13, 38, 5)]),
        }
    )
    lines = to_csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines == ["Due,When,Stamp", "2027-01-04,2026-12-07 13:38:05,2026-12-07 13:38:05"]


@pytest.mark.parametrize(
    ("count", "noun", "many", "said"),
    [
        (0, "measure", None, "0 measures"),
        (1, "measure", None, "1 measure"),
        (2, "return", None, "2 returns"),
        (1204, "figure", None, "1,204 figures"),
        (1, "partnership", None, "1 partnership"),
        (3, "person", None, "3 people"),
        (2, "analysis", "analyses", "2 analyses"),
        (1, "revised value", None, "1 revised value"),
    ],
)
def test_a_count_has_its_noun_in_the_right_number(
    count: int, noun: str, many: str | None, said: str
) -> None:
    assert text.plural(count, noun, many) == said


def test_no_plural_is_written_with_brackets() -> None:
    assert "(s)" not in text.plural(1, "return") + text.plural(2, "return")


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("**Target met.** The count fell.", "Target met. The count fell."),
        ("*Watch* the _bound_.", "Watch the bound."),
        ("See [the report](http://example.com).", "See the report."),
        ("# Heading\n- one\n- two", "Heading one two"),
        ("a ~~b~~ `c`", "a b c"),
        ("snake_case_name and 2*3*4 stay", "snake_case_name and 2*3*4 stay"),
    ],
)
def test_markdown_is_reduced_to_its_words(markdown: str, words: str) -> None:
    assert text.unmarked(markdown) == words


def test_a_table_for_markdown_never_reads_none() -> None:
    frame = pd.DataFrame({"Row": pd.Series([1, None], dtype="Int64"), "Note": ["*x*", None]})
    shown = text.plain_frame(frame)
    assert shown["Row"].tolist() == [1, "–"]
    assert shown["Note"].tolist() == ["\\*x\\*", "–"]


class _Row:
    """The three fields of an assessment an age is read from."""

    def __init__(self, days: int | None, end: date | None, as_of: date) -> None:
        self.latest_age_days, self.latest_period_end, self.as_of = days, end, as_of


@pytest.mark.parametrize(
    ("end", "as_of", "said"),
    [
        (date(2001, 6, 30), date(2001, 8, 14), "45 days"),
        (date(2001, 6, 30), date(2001, 6, 30), "0 days"),
        (date(2000, 12, 31), date(2002, 2, 28), "14 months"),
        (date(2001, 3, 31), date(2026, 12, 7), "308 months"),
        (date(2001, 1, 31), date(2001, 3, 31), "59 days"),
        (date(2001, 1, 31), date(2001, 4, 30), "3 months"),
    ],
)
def test_the_age_of_a_figure_is_said_one_way(end: date, as_of: date, said: str) -> None:
    """In days while young, then in whole months as the data quality notes count them
    ("based on a figure 308 months old"), never in years with a decimal."""
    row = _Row((as_of - end).days, end, as_of)
    assert age_text(row) == said  # type: ignore[arg-type]


def test_a_figure_without_an_age_is_a_dash() -> None:
    assert age_text(_Row(None, None, date(2001, 1, 1))) == "–"  # type: ignore[arg-type]


# GitHub's autolink literals as Streamlit's Markdown (remark-gfm) finds them in the text
# after escapes are resolved (mdast-util-gfm-autolink-literal); JavaScript's \w is ASCII.
GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.I | re.A)
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def autolinks(markdown: str) -> list[str]:
    """The bare web addresses Markdown would make links of in ``markdown``: in its source
    (the parser's own rule) and in its text once escapes are resolved (the transform's)."""
    return [
        m.group(0)
        for shown in (markdown, ESCAPED.sub(r"\1", markdown))
        for m in GFM_URL.finditer(shown)
    ]


@pytest.mark.parametrize(
    "written",
    [
        "http://evil.example/x",
        "see https://evil.example/x?y=1 now",
        "www.evil.example",
        "(WWW.Evil.Example/x)",
        "partner http://evil.example/x and www.evil.example.csv",
        "[x](http://evil.example) <http://evil.example>",
    ],
)
def test_plain_text_never_autolinks(written: str) -> None:
    assert autolinks(written), "the pattern finds the link in the text as written"
    shown = text.plain(written)
    assert autolinks(shown) == []
    assert ESCAPED.sub(r"\1", shown).replace(text.WORD_JOINER, "") == written, "shown as written"


def test_plain_leaves_ordinary_punctuation_alone() -> None:
    written = "Pre-school children (HC 383): 12:30, www and e-mail"
    assert text.plain(written) == written
    assert text.plain("a@b.example") == "a\\@b.example", "an address stays one to copy"
