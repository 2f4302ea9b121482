"""The argparse types every command shares: days and periods, refused with the reason.

One place, so ``--as-of``, ``--since``, ``--published`` and ``--period`` read the same way in
every command.
"""

from __future__ import annotations

import argparse
from datetime import date

from jwmetrics.periods import Period, PeriodError, parse_date, parse_period


def any_day(text: str) -> date:
    """A day in any spelling a period takes (``2001-12-07``, ``June 2001``: its end)."""
    try:
        return parse_date(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def iso_day(text: str) -> date:
    """A calendar day written YYYY-MM-DD, nothing else (``--published``, ``--since``)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; expected YYYY-MM-DD") from None


def period_arg(text: str) -> Period:
    """A reporting period in any documented spelling."""
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
