"""``python -m jwmetrics status``: the status of every measure and area, with the reason.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_status_command` and lists :func:`cmd_status` in its ``COMMANDS``. One record per
measure and area (the fields of :class:`~jwmetrics.assess.portfolio.Assessment`, ``quality``
a list in JSON and one ``"; "``-joined cell in CSV); the text gives each status with its
reason and data quality notes. Exit 1 on an unknown initiative.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from jwmetrics import text as fmt
from jwmetrics.assess.portfolio import Assessment
from jwmetrics.cli.args import FORMATS, any_day, emit
from jwmetrics.metrics.face import Metrics
from jwmetrics.present.assessment import latest_text

FIELDS = list(Assessment.__dataclass_fields__)
"""The CSV columns, in order: every field of an assessment."""


def add_status_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``status`` to the command line."""
    status = commands.add_parser("status", help="status of every measure and area, with the reason")
    status.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default text)"
    )
    status.add_argument(
        "--as-of",
        type=any_day,
        metavar="DATE",
        help="judge with the data known on DATE (e.g. 2001-12-07)",
    )
    status.add_argument("--initiative", help="only this initiative (id or name)")


def cmd_status(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print the status table as text, JSON or CSV."""
    rows = metrics.status(as_of=args.as_of, initiative=args.initiative)
    records = [row.as_record() for row in rows]
    emit(records, args.format, out, text=lambda o: status_text(rows, o), fields=FIELDS)
    return 0


def status_text(rows: list[Assessment], out: TextIO) -> None:
    """The day judged on, then each status with where, the latest figure and the reason."""
    if rows:
        print(f"Status as known on {fmt.format_date(rows[0].as_of)}", file=out)
    for row in rows:
        where = f"{row.initiative_name} / {row.measure_name} / {row.area_name}"
        print(f"[{row.status}] {where}: {latest_text(row)}", file=out)
        print(f"    {row.reason}", file=out)
        if row.quality:
            print(f"    Data quality: {'; '.join(row.quality)}.", file=out)
