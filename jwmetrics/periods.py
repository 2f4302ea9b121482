"""Reporting periods: parse the ways partners write them, and label them the British way.

A *period* is a closed date range with a kind (day, month, quarter, financial year,
calendar year or a free interval). Every observation has one; trends are drawn at the
period's end date, which is the date a figure is "as at".

Accepted spellings (see ``docs/returns.md``):

- day: ``30/06/2001`` (UK order), ``2001-06-30``, ``30 June 2001``
- month: ``June 2001``, ``Jun 2001``, ``2001-06``, ``06/2001``
- quarter (calendar): ``2001 Q2``, ``Q2 2001``, ``2001-Q2``
- financial year, April to March: ``2000-01``, ``2000/01``, ``FY2000-01``, ``2000-2001``,
  ``2000/2001``
- calendar year: ``1997``
- interval: ``1998-06-01/1999-06-30`` (ISO 8601) or ``1998 to 1999``

``YYYY-NN`` is ambiguous between a month and a financial year. It is read as a financial
year when ``NN`` is the last two digits of the following year (``2005-06`` is 2005-06, the
year from April 2005), and as a month otherwise (``2001-06`` is June 2001). Write
``June 2005`` for that month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9


class PeriodKind(StrEnum):
    """How long a period is; decides its label."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial_year"
    YEAR = "year"
    INTERVAL = "interval"


class PeriodError(ValueError):
    """A period string that cannot be read unambiguously."""


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range ``start``..``end`` (both inclusive) of a given kind."""

    start: date
    end: date
    kind: PeriodKind

    @property
    def code(self) -> str:
        """Canonical text that :func:`parse_period` reads back to the same period."""
        if self.kind is PeriodKind.DAY:
            return self.start.isoformat()
        if self.kind is PeriodKind.MONTH:
            return f"{calendar.month_name[self.start.month]} {self.start.year}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return f"{self.start.year}-{(self.start.year + 1) % 100:02d}"
        if self.kind is PeriodKind.YEAR:
            return f"{self.start.year:04d}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """Human label: "30 June 2001", "June 2001", "2001 Q2", "2000-01", "1998 to 1999"."""
        if self.kind is PeriodKind.DAY:
            return format_date(self.start)
        if self.kind is PeriodKind.INTERVAL:
            if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
                if self.start.year == self.end.year:
                    return str(self.start.year)
                return f"{self.start.year} to {self.end.year}"
            return f"{format_date(self.start)} to {format_date(self.end)}"
        return self.code

    @property
    def phrase(self) -> str:
        """The period inside a sentence: "at 31 March 2001", "in June 2001", "for 1998 to 1999"."""
        if self.kind is PeriodKind.DAY:
            return f"at {self.label}"
        if self.kind is PeriodKind.INTERVAL:
            return f"for {self.label}"
        return f"in {self.label}"


def format_date(day: date) -> str:
    """A date the British way: "7 December 2001"."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def format_month(day: date) -> str:
    """The month of a date: "June 2001"."""
    return f"{calendar.month_name[day.month]} {day.year}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month(year: int, month_number: int) -> Period:
    """The calendar month ``month_number`` of ``year``."""
    return Period(date(year, month_number, 1), _month_end(year, month_number), PeriodKind.MONTH)


def financial_year(start_year: int) -> Period:
    """The UK financial year from 1 April ``start_year`` to 31 March the year after."""
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), PeriodKind.FINANCIAL_YEAR)


def quarter(year: int, number: int) -> Period:
    """Calendar quarter ``number`` (1-4) of ``year``; Q2 is April to June."""
    first = 3 * (number - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 2), PeriodKind.QUARTER)


def year(number: int) -> Period:
    """The calendar year ``number``."""
    return Period(date(number, 1, 1), date(number, 12, 31), PeriodKind.YEAR)


def day(value: date) -> Period:
    """A single day, such as a snapshot count."""
    return Period(value, value, PeriodKind.DAY)


def _safe_date(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise PeriodError(f"{text!r} is not a real date ({exc})") from None


def _fy_from(first: int, second_text: str, text: str) -> Period:
    """Financial year from its two year parts, checking the second follows the first."""
    second = int(second_text)
    expected = first + 1 if len(second_text) == 4 else (first + 1) % 100
    if second != expected:
        raise PeriodError(
            f"{text!r}: a financial year's second year must follow its first "
            f"(expected {first}-{(first + 1) % 100:02d})"
        )
    return financial_year(first)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "iso_day"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "uk_day"),
    (re.compile(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})"), "named_day"),
    (re.compile(r"([a-z]+)\.?\s+(\d{4})"), "named_month"),
    (re.compile(r"(\d{1,2})/(\d{4})"), "slash_month"),
    (re.compile(r"(\d{4})\s*-?\s*q([1-4])"), "year_quarter"),
    (re.compile(r"q([1-4])\s*-?\s*(\d{4})"), "quarter_year"),
    (re.compile(r"fy\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})"), "fy"),
    (re.compile(r"(\d{4})\s*/\s*(\d{2}|\d{4})"), "fy"),
    (re.compile(r"(\d{4})-(\d{4})"), "fy"),
    (re.compile(r"(\d{4})-(\d{2})"), "dash_pair"),
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})"), "interval"),
    (re.compile(r"(\d{4})\s+to\s+(\d{4})"), "year_interval"),
]


def parse_period(text: str) -> Period:
    """Read a period written any of the documented ways; raise :class:`PeriodError` if not."""
    try:
        return _parse(text)
    except ValueError as exc:  # date() refusing year 0, day 30 of February and the like
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(f"{str(text).strip()!r} is not a real date ({exc})") from None


def _parse(text: str) -> Period:
    cleaned = " ".join(str(text).strip().lower().replace(",", " ").split())
    if not cleaned:
        raise PeriodError("the period is empty")
    for pattern, form in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            return _build(form, match.groups(), str(text).strip())
    raise PeriodError(
        f"{str(text).strip()!r} is not a period; expected a date (30/06/2001), month "
        "(June 2001), quarter (2001 Q2), financial year (2000-01) or year (2001)"
    )


def _month_number(name: str, text: str) -> int:
    if name not in MONTHS:
        raise PeriodError(f"{text!r}: {name!r} is not a month name")
    return MONTHS[name]


def _build(form: str, parts: tuple[str, ...], text: str) -> Period:
    """Turn the pieces one pattern matched into a :class:`Period`."""
    if form == "iso_day":
        return day(_safe_date(int(parts[0]), int(parts[1]), int(parts[2]), text))
    if form == "uk_day":
        return day(_safe_date(int(parts[2]), int(parts[1]), int(parts[0]), text))
    if form == "named_day":
        return day(_safe_date(int(parts[2]), _month_number(parts[1], text), int(parts[0]), text))
    if form == "named_month":
        return month(int(parts[1]), _month_number(parts[0], text))
    if form == "slash_month":
        if not 1 <= int(parts[0]) <= 12:
            raise PeriodError(f"{text!r}: month must be 1 to 12")
        return month(int(parts[1]), int(parts[0]))
    if form == "year_quarter":
        return quarter(int(parts[0]), int(parts[1]))
    if form == "quarter_year":
        return quarter(int(parts[1]), int(parts[0]))
    if form == "fy":
        return _fy_from(int(parts[0]), parts[1], text)
    if form == "dash_pair":
        first, second = int(parts[0]), int(parts[1])
        if second == (first + 1) % 100:
            return financial_year(first)
        if 1 <= second <= 12:
            return month(first, second)
        raise PeriodError(f"{text!r} is neither a month (2001-06) nor a financial year (2000-01)")
    if form == "year":
        return year(int(parts[0]))
    if form == "interval":
        start, end = date.fromisoformat(parts[0]), date.fromisoformat(parts[1])
        return interval(start, end, text)
    start_year, end_year = int(parts[0]), int(parts[1])
    return interval(date(start_year, 1, 1), date(end_year, 12, 31), text)


def interval(start: date, end: date, text: str = "") -> Period:
    """A free interval; the end must not be before the start."""
    if end < start:
        raise PeriodError(f"{text or start.isoformat()!r}: the interval ends before it starts")
    return Period(start, end, PeriodKind.INTERVAL)


def parse_date(text: str) -> date:
    """A single date from any period spelling: a day as is, a longer period's end date.

    Used for target dates ("April 2002" means by the end of April 2002) and ``--as-of``.
    """
    return parse_period(text).end


NEARBY_MONTHS = 12
"""Months within which an exact figure is still judged beside a newer bound (a "over 50%")."""


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier; a month's last day stays a month's last day.

    30 June less 3 months is 31 March (the end of the quarter before), not 30 March; 31 May
    less 3 months is 28 or 29 February.
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month + 1, last)
    return date(year, month + 1, min(day.day, last))


# A day as a person types it ----------------------------------------------------------------

_SEP = r"\s*[/.\-\s]\s*"
_TYPED_DAYS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),  # ISO, as in a link
    (re.compile(rf"(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})"), "dmy"),
    (re.compile(r"(\d{1,2})[\s/.\-]*([a-z]+)\.?[\s/.\-]*(\d{4}|\d{2})"), "d_name_y"),
    (re.compile(r"([a-z]+)\.?\s*(\d{1,2})\s+(\d{4}|\d{2})"), "name_d_y"),
]
TWO_DIGIT_YEAR_PIVOT = 30
"""A two-digit year below this is in the 2000s, from it in the 1900s (as Excel reads them):
``31/12/01`` is 2001, ``30/06/98`` is 1998."""


HOW_TO_TYPE_A_DAY = "type the day first, such as 31/12/2001 or 31 December 2001"


def _full_year(text: str) -> int:
    number = int(text)
    if len(text) == 4:
        return number
    return number + (2000 if number < TWO_DIGIT_YEAR_PIVOT else 1900)


def parse_day(text: str) -> date:
    """One day as a person types it, day first, the British way; raise :class:`PeriodError`.

    Accepts ``31/12/2001``, ``31/12/01``, ``31.12.2001``, ``31-12-2001``, ``31 12 2001``,
    ``31 Dec 2001``, ``31st December 2001``, ``31-Dec-01``, ``December 31, 2001`` and ISO
    ``2001-12-31``. A month or a year alone is not a day, so it is refused rather than guessed.
    """
    raw = str(text).strip()
    cleaned = " ".join(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", raw.lower()).replace(",", " ").split())
    for pattern, form in _TYPED_DAYS:
        match = pattern.fullmatch(cleaned)
        if not match:
            continue
        first, second, third = match.groups()
        if form == "ymd":
            parts = (int(first), int(second), int(third))
        elif form == "dmy":
            parts = (_full_year(third), int(second), int(first))
        elif form == "d_name_y":
            parts = (_full_year(third), _month_number(second, raw), int(first))
        else:
            parts = (_full_year(third), _month_number(first, raw), int(second))
        try:
            return date(*parts)
        except ValueError:
            raise PeriodError(f"{raw!r} is not a real day: {HOW_TO_TYPE_A_DAY}") from None
    raise PeriodError(f"{raw!r} is not a date: {HOW_TO_TYPE_A_DAY}")
