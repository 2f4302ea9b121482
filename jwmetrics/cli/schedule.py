"""``python -m jwmetrics schedule``: the returns due, per partner and initiative.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_schedule_command` and lists :func:`cmd_schedule` in its ``COMMANDS``. One record
per partner and initiative (``partner``, ``initiative``, ``expected``, ``on_time``, ``late``,
``overdue``, ``completeness_pct``, ``timeliness_pct``, ``overdue_items`` and more, see
:meth:`jwmetrics.returns.schedule.ReturnsSummary.as_record`); the text lists the overdue figures
by measure and period, naming the areas when there are few.
"""

from __future__ import annotations

import argparse
from itertools import groupby
from typing import TextIO

from jwmetrics import text as fmt
from jwmetrics.cli.args import FORMATS, any_day, emit
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import format_date
from jwmetrics.present.assessment import percent_text
from jwmetrics.returns.schedule import LATE, ON_TIME, ReturnsSummary, ScheduleReport

NAMED_AREAS = 5  # list the areas of an overdue period up to this many, else count them


def add_schedule_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``schedule`` to the command line."""
    schedule = commands.add_parser(
        "schedule",
        help="returns due per partner and initiative: expected, on time, late, overdue",
    )
    schedule.add_argument(
        "--as-of",
        type=any_day,
        metavar="DATE",
        help="count what was due and received by DATE (default today)",
    )
    schedule.add_argument(
        "--format", choices=FORMATS[:2], default="text", help="output format (default text)"
    )


def summary_line(summary: ReturnsSummary) -> str:
    """ "Local authorities / Rough Sleepers Unit: expected 4,944: 309 on time, …"."""
    counts = (
        f"expected {fmt.number(summary.expected)}: {fmt.number(summary.count(ON_TIME))} on "
        f"time, {fmt.number(summary.count(LATE))} late, "
        f"{fmt.number(len(summary.overdue_items))} overdue"
    )
    waiting = summary.awaiting_approval
    if waiting:
        counts += f" ({fmt.number(waiting)} received awaiting approval)"
    complete, on_time = percent_text(summary.completeness_pct), percent_text(summary.timeliness_pct)
    who = f"{summary.partner} / {summary.initiative_name}"
    return f"{who}: {counts}; {complete} complete, {on_time} on time"


def overdue_lines(summary: ReturnsSummary) -> list[str]:
    """One line per overdue measure and period: its due date and the areas (or how many)."""
    lines = []
    items = sorted(summary.overdue_items, key=lambda f: (f.measure_name, f.period, f.area_name))
    for (name, period), group in groupby(items, key=lambda f: (f.measure_name, f.period)):
        figures = list(group)
        if len(figures) <= NAMED_AREAS:
            where = ", ".join(f.area_name for f in figures)
        else:
            where = f"{fmt.number(len(figures))} areas"
        due = format_date(figures[0].due)
        lines.append(f"    overdue: {name}, {period.label} (due {due}): {where}")
    return lines


def schedule_text(report: ScheduleReport, out: TextIO) -> None:
    """The heading, then each partner and initiative with its overdue figures."""
    print(f"Returns due as of {format_date(report.as_of)}", file=out)
    if not report.summaries:
        print("No returns schedule: no partner owes any return.", file=out)
    for summary in report.summaries:
        print(summary_line(summary), file=out)
        for line in overdue_lines(summary):
            print(line, file=out)


def cmd_schedule(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print the returns due as text or JSON."""
    report = metrics.schedule(args.as_of)
    emit(report.records(), args.format, out, text=lambda o: schedule_text(report, o))
    return 0
