"""``python -m jwmetrics changes``: what changed between two days, for a briefing.

Kept apart so :mod:`jwmetrics.cli` stays short: it registers the command with
:func:`add_briefing_commands` and lists :func:`cmd_changes` in its ``COMMANDS``. One record
per change (see :data:`FIELDS`): statuses, then figures, then targets. Exit 1 when
``--as-of`` is not after ``--since`` or the initiative is unknown.
"""

from __future__ import annotations

import argparse
import csv
import json
from datetime import date
from typing import TextIO

from jwmetrics.changes import ChangeRecord
from jwmetrics.metrics import Metrics
from jwmetrics.periods import PeriodError, parse_date
from jwmetrics.present.files import csv_row
from jwmetrics.problems import InputError, Problem

FIELDS = [
    "kind",
    "initiative",
    "measure",
    "area_code",
    "before",
    "after",
    "when",
    "source",
    "period",
    "before_reason",
    "after_reason",
]
"""The fields of each record, in order: the issue's eight, then the period and reasons."""


def _day(text: str) -> date:
    """argparse type for ``--since`` and ``--as-of``: any date spelling."""
    try:
        return parse_date(text)
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_briefing_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``changes``, ``comment`` and ``comments`` to the command line."""
    comment = commands.add_parser(
        "comment", help="write commentary on a measure in an area for a period (a new version)"
    )
    comment.add_argument("measure", help="measure id or name")
    comment.add_argument("--area", required=True, metavar="CODE", help="the area's ONS code")
    comment.add_argument("--period", required=True, metavar="P", help="the period, e.g. 2001-02")
    comment.add_argument(
        "--text", required=True, help="plain text; simple Markdown (emphasis, lists) is kept"
    )
    comment.add_argument("--user", required=True, metavar="WHO", help="who is writing it")
    listing = commands.add_parser("comments", help="the newest version of every comment")
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    listing.add_argument(
        "--all-versions", action="store_true", help="every version, not only the newest"
    )
    changes = commands.add_parser(
        "changes",
        help="what changed between two days: statuses with both reasons, figures published "
        "or revised, targets set",
    )
    changes.add_argument(
        "--since", type=_day, required=True, metavar="D1", help="the earlier day (a briefing's)"
    )
    changes.add_argument(
        "--as-of", type=_day, metavar="D2", help="the later day (default: the latest data)"
    )
    changes.add_argument("--initiative", help="only this initiative (id or name)")
    changes.add_argument(
        "--format", choices=("text", "json", "csv"), default="text", help="output format"
    )


def cmd_changes(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print every change between ``--since`` and ``--as-of``."""
    as_of = args.as_of or metrics.latest_day()
    try:
        found = metrics.changes(args.since, as_of, args.initiative)
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            [Problem("changes", None, "--as-of", as_of.isoformat(), str(exc))]
        ) from None
    records = [{name: c.as_record()[name] for name in FIELDS} for c in found]
    if args.format == "json":
        json.dump(records, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_row(record) for record in records)
    else:
        out.write(changes_text(found, args.since, as_of))
    return 0


def changes_text(changes: list[ChangeRecord], since: date, as_of: date) -> str:
    """The changes as lines of text, one per change, under a heading."""
    lines = [f"Changes between {since:%d/%m/%Y} and {as_of:%d/%m/%Y}: {len(changes)}"]
    for change in changes:
        when = "" if change.when is None else f" ({change.when:%d/%m/%Y})"
        what = f"{change.measure} in {change.area_code}"
        if change.period:
            what += f", {change.period}"
        lines.append(
            f"- {change.kind}: {what}: {_shown(change.before)} -> {_shown(change.after)}{when}"
        )
        if change.kind == "status":
            lines.append(f"    before: {change.before_reason or 'no status'}")
            lines.append(f"    after: {change.after_reason}")
        else:
            lines.append(f"    source: {change.source}")
    return "\n".join(lines) + "\n"


def _shown(value: float | str | None) -> str:
    """A before or after value in text: a number without a needless ".0", or "none"."""
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:,.10g}"
    return str(value)


def cmd_comment(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Record a comment (or a new version of one)."""
    written = metrics.write_comment(args.measure, args.area, args.period, args.text, by=args.user)
    print(
        f"Comment on {written.measure} in {written.area_code}, {written.period}, recorded "
        f"(version {written.version} of {written.versions}).",
        file=out,
    )
    return 0


def cmd_comments(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List the comments: the newest of each, or every version."""
    found = metrics.comments(all_versions=args.all_versions)
    if args.format == "json":
        json.dump([c.as_record() for c in found], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    if not found:
        print("No commentary yet.", file=out)
    for c in found:
        print(
            f"{c.measure} in {c.area_code}, {c.period} (version {c.version} of {c.versions}, "
            f"{c.author}, {c.written_at:%d/%m/%Y %H:%M}):\n    {c.text}",
            file=out,
        )
    return 0
