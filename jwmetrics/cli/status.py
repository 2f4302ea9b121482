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
from jwmetrics.briefing.ratings import Rating
from jwmetrics.cli.args import FORMATS, any_day, emit
from jwmetrics.metrics.face import Metrics
from jwmetrics.present.assessment import latest_text
from jwmetrics.present.judgement import judgement_text

JUDGED_FIELDS = ["judged_rating", "judged_on", "judged_by"]
"""The delivery confidence rating that applies on the day judged (null when none)."""

FIELDS = [*Assessment.__dataclass_fields__, *JUDGED_FIELDS]
"""The CSV columns, in order: every field of an assessment, then the judged rating."""


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
    judged = metrics.judged_ratings(rows[0].as_of) if rows else {}
    records = [_with_judgement(row, judged.get((row.measure, row.area_code))) for row in rows]
    emit(records, args.format, out, text=lambda o: status_text(rows, o, judged), fields=FIELDS)
    return 0


def _with_judgement(row: Assessment, rating: Rating | None) -> dict[str, object]:
    """The row's record with the judged rating's fields (None when nobody has rated it)."""
    record = row.as_record()
    record["judged_rating"] = rating.rating if rating else None
    record["judged_on"] = rating.as_of.isoformat() if rating else None
    record["judged_by"] = rating.rated_by if rating else None
    return record


def status_text(
    rows: list[Assessment], out: TextIO, judged: dict[tuple[str, str], Rating] | None = None
) -> None:
    """The day judged on, then each status with where, the latest figure and the reason,
    and the judged rating where there is one (said to differ when two steps or more off)."""
    if rows:
        print(f"Status as known on {fmt.format_date(rows[0].as_of)}", file=out)
    for row in rows:
        where = f"{row.initiative_name} / {row.measure_name} / {row.area_name}"
        print(f"[{row.status}] {where}: {latest_text(row)}", file=out)
        print(f"    {row.reason}", file=out)
        if row.quality:
            print(f"    Data quality: {'; '.join(row.quality)}.", file=out)
        rating = (judged or {}).get((row.measure, row.area_code))
        if rating is not None:
            print(f"    {judgement_text(rating, row.status)}", file=out)
