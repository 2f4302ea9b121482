"""Periods: every documented spelling, the month/financial-year clash, and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from jwmetrics.periods import PeriodError, PeriodKind, parse_date, parse_day, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("30/06/2001", date(2001, 6, 30), date(2001, 6, 30), PeriodKind.DAY),
        ("2001-06-30", date(2001, 6, 30), date(2001, 6, 30), PeriodKind.DAY),
        ("30 June 2001", date(2001, 6, 30), date(2001, 6, 30), PeriodKind.DAY),
        ("June 2001", date(2001, 6, 1), date(2001, 6, 30), PeriodKind.MONTH),
        ("Jun 2001", date(2001, 6, 1), date(2001, 6, 30), PeriodKind.MONTH),
        ("2001-06", date(2001, 6, 1), date(2001, 6, 30), PeriodKind.MONTH),
        ("06/2001", date(2001, 6, 1), date(2001, 6, 30), PeriodKind.MONTH),
        ("2001 Q2", date(2001, 4, 1), date(2001, 6, 30), PeriodKind.QUARTER),
        ("Q4 2001", date(2001, 10, 1), date(2001, 12, 31), PeriodKind.QUARTER),
        ("2000-01", date(2000, 4, 1), date(2001, 3, 31), PeriodKind.FINANCIAL_YEAR),
        ("2000/01", date(2000, 4, 1), date(2001, 3, 31), PeriodKind.FINANCIAL_YEAR),
        ("FY2000-01", date(2000, 4, 1), date(2001, 3, 31), PeriodKind.FINANCIAL_YEAR),
        ("1999-2000", date(1999, 4, 1), date(2000, 3, 31), PeriodKind.FINANCIAL_YEAR),
        ("1999-00", date(1999, 4, 1), date(2000, 3, 31), PeriodKind.FINANCIAL_YEAR),
        ("1997", date(1997, 1, 1), date(1997, 12, 31), PeriodKind.YEAR),
        ("1998 to 1999", date(1998, 1, 1), date(1999, 12, 31), PeriodKind.INTERVAL),
        ("1999-04-01/2002-03-31", date(1999, 4, 1), date(2002, 3, 31), PeriodKind.INTERVAL),
    ],
)
def test_accepted_spellings(text: str, start: date, end: date, kind: PeriodKind) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert parse_period(period.code) == period  # the canonical code reads back


def test_financial_year_wins_when_second_part_is_next_year() -> None:
    """2005-06 is the financial year 2005-06; 2001-06 (06 is not 02) is June 2001."""
    assert parse_period("2005-06").kind is PeriodKind.FINANCIAL_YEAR
    assert parse_period("2001-06").kind is PeriodKind.MONTH


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("31/02/2001", "not a real date"),
        ("13/2001", "month must be 1 to 12"),
        ("2000/05", "must follow its first"),
        ("next spring", "not a period"),
        ("2002-03-01/2001-01-01", "ends before it starts"),
    ],
)
def test_refusals_say_what_was_expected(text: str, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        parse_period(text)


def test_labels_are_british() -> None:
    assert parse_period("2001-06-30").label == "30 June 2001"
    assert parse_period("2001-06").label == "June 2001"
    assert parse_period("2001-06").phrase == "in June 2001"
    assert parse_period("31/03/2001").phrase == "at 31 March 2001"


def test_target_dates_are_period_ends() -> None:
    assert parse_date("April 2002") == date(2002, 4, 30)
    assert parse_date("2004") == date(2004, 12, 31)


@pytest.mark.parametrize(
    "text",
    [
        "31/12/2001",
        " 31/12/2001 ",
        "31/12/01",
        "31.12.2001",
        "31-12-2001",
        "31 12 2001",
        "31 Dec 2001",
        "31 december 2001",
        "31st December 2001",
        "31-Dec-01",
        "December 31, 2001",
        "2001-12-31",
    ],
)
def test_a_typed_day_is_read_day_first(text: str) -> None:
    """The "As known on" field: a day as people in Britain type it."""
    assert parse_day(text) == date(2001, 12, 31)


def test_a_typed_day_with_a_two_digit_year() -> None:
    assert parse_day("1/6/98") == date(1998, 6, 1)
    assert parse_day("1/6/29") == date(2029, 6, 1)
    assert parse_day("1/6/30") == date(1930, 6, 1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/02/2001", "not a real day: type the day first"),
        ("12/31/2001", "not a real day"),  # month first is not guessed
        ("June 2001", "not a date"),  # a month is not a day
        ("2001", "not a date"),
        ("", "not a date"),
        ("31 Foo 2001", "not a month name"),
    ],
)
def test_a_typed_day_refused_says_why(text: str, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        parse_day(text)
