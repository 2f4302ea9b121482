"""What every command shares: argument types, the error it raises, and :func:`emit`.

One place, so ``--as-of``, ``--since``, ``--published`` and ``--period`` read the same way in
every command, and so every ``--format text|json|csv`` writes its records the same way.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TextIO

from jwmetrics.periods import Period, PeriodError, parse_date, parse_period
from jwmetrics.present.files import csv_text

FORMATS = ("text", "json", "csv")
"""The output formats; a command offers all three, or the first two."""

Record = Mapping[str, Any]
"""One record of a command's output: a JSON object, a CSV row."""


class CommandFailed(RuntimeError):
    """A command could not do what was asked; the message says why (exit code 1)."""


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


def emit(
    data: Sequence[Record] | Record,
    form: str,
    out: TextIO,
    *,
    text: Callable[[TextIO], object],
    fields: Sequence[str] = (),
    ensure_ascii: bool = True,
    csv_newline: str = "\r\n",
) -> None:
    """Write a command's output to ``out`` in the format ``form`` (its ``--format``).

    - ``"json"``: ``data`` (a list of records, or one record) indented by two, then a
      newline. ``ensure_ascii=False`` keeps non-ASCII text as itself rather than ``\\uXXXX``
      (the commands that carry people's own words: changes, comments, self-assessment).
    - ``"csv"``: a header of ``fields``, then one row per record, each cell formula-safe
      and quoted when it holds a line break, by the one CSV writer of the app and the command
      line (:func:`~jwmetrics.present.files.csv_text`); a list cell is its items joined by
      ``"; "``. Rows end in ``csv_newline``: ``\\r\\n``, or ``\\n`` where a command has
      always written that (``changes``).
    - anything else: ``text(out)`` writes the text form; it is called only then, so JSON
      and CSV output never builds the text.

    The JSON and CSV forms are the users' scripts' interface: keep them byte for byte.
    """
    if form == "json":
        json.dump(data, out, indent=2, ensure_ascii=ensure_ascii)
        out.write("\n")
    elif form == "csv":
        _write_csv(data, fields, out, csv_newline)
    else:
        text(out)


def _write_csv(
    data: Sequence[Record] | Record, fields: Sequence[str], out: TextIO, newline: str
) -> None:
    """The header and one formula-safe row per record (see :func:`emit`)."""
    if isinstance(data, Mapping) or not fields:
        raise TypeError("CSV output needs a list of records and their fields")
    unknown = {key for record in data for key in record} - set(fields)
    if unknown:  # as csv.DictWriter refused them: a field the header does not name
        raise ValueError(f"records have fields not in the header: {sorted(unknown)}")
    rows = ([flat.get(name, "") for name in fields] for flat in map(_flat, data))
    out.write(csv_text(fields, rows, newline))


def _flat(record: Record) -> dict[str, Any]:
    """``record`` with each list (or tuple) as one cell: its items joined by ``"; "``."""
    return {
        key: "; ".join(str(item) for item in value) if isinstance(value, list | tuple) else value
        for key, value in record.items()
    }
