"""``python -m jwmetrics passport MEASURE``: what a measure means, and how far it is revised.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_passport_commands` and lists :func:`cmd_passport` in its ``COMMANDS``. Text by
default, ``--format json`` (one record: every field, the method links and the revision
statistics per partner, see :func:`jwmetrics.present.passport.passport_record`) or
``--format md`` (a Markdown document, as the pack's annex says it).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from jwmetrics.cli.args import any_day, emit
from jwmetrics.metrics.face import Metrics
from jwmetrics.present.passport import passport_markdown, passport_record, passport_text

PASSPORT_FORMATS = ("text", "json", "md")


def add_passport_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``passport`` to the command line."""
    command = commands.add_parser(
        "passport",
        help="a measure's passport: definition, sources, lag, revisions, rounding, owner",
    )
    command.add_argument("measure", help="the measure (id or name)")
    command.add_argument(
        "--format",
        choices=PASSPORT_FORMATS,
        default="text",
        help="output format (default text; md: Markdown)",
    )
    command.add_argument(
        "--as-of",
        type=any_day,
        default=None,
        help="revision statistics as known on this day (default today)",
    )


def cmd_passport(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print one measure's passport as text, JSON or Markdown."""
    passport = metrics.passport(args.measure, args.as_of)
    if args.format == "md":
        out.write(passport_markdown(passport))
        return 0
    emit(
        passport_record(passport),
        args.format,
        out,
        text=lambda o: o.write(passport_text(passport)),
        ensure_ascii=False,
    )
    return 0
