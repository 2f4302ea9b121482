"""``python -m jwmetrics event add`` and ``events``: dated events beside the figures.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the commands with
:func:`add_events_commands` and lists :func:`cmd_event` and :func:`cmd_events` in its
``COMMANDS``. ``event add`` records what happened on a day (a policy, definition, data or
funding change) for every series, an initiative, a measure, an area, or a measure in an
area; ``events`` lists the events that apply to the scope given, oldest first (text, JSON or
CSV: the fields of :class:`~jwmetrics.events.record.EventView`). Exit 1 on a bad day, empty
text, an unknown kind, initiative, measure or area, or a user who may not add events.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from jwmetrics import text as fmt
from jwmetrics.cli.args import FORMATS, emit
from jwmetrics.cli.governance import acting
from jwmetrics.events import KINDS, EventView
from jwmetrics.metrics.face import Metrics

FIELDS = list(EventView.__dataclass_fields__)
"""The CSV columns of ``events``, in order."""


def add_events_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``event add`` and ``events`` to the command line."""
    event = commands.add_parser("event", help="record a dated event (policy, definition, ...)")
    actions = event.add_subparsers(dest="event_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="record what happened on a day")
    add.add_argument("--on", required=True, metavar="DATE", help="the day it happened, YYYY-MM-DD")
    add.add_argument("--text", required=True, metavar="TEXT", help="what happened")
    add.add_argument("--initiative", metavar="X", help="only this initiative's measures (id)")
    add.add_argument("--measure", metavar="M", help="only this measure (id or name)")
    add.add_argument("--area", metavar="CODE", help="only this area (ONS code)")
    add.add_argument(
        "--kind", default="policy", metavar="KIND", help=f"one of {', '.join(KINDS)} (policy)"
    )
    add.add_argument("--user", default="", metavar="WHO", help="who is recording it")
    listing = commands.add_parser("events", help="the dated events that apply, oldest first")
    listing.add_argument("--initiative", metavar="X", help="events that apply to this initiative")
    listing.add_argument("--measure", metavar="M", help="events that apply to this measure")
    listing.add_argument("--area", metavar="CODE", help="events that apply to this area")
    listing.add_argument("--format", choices=FORMATS, default="text", help="output format")


def cmd_event(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Record a dated event."""
    actor, by = acting(metrics, args.user)
    made = metrics.add_event(
        args.on,
        args.text,
        kind=args.kind,
        initiative=args.initiative,
        measure=args.measure,
        area=args.area,
        by=by,
        actor=actor,
    )
    print(
        f"Event {made.id} recorded: {made.kind} on {fmt.format_date(made.occurred_on)}, "
        f"for {made.scope}, by {made.recorded_by}.",
        file=out,
    )
    return 0


def cmd_events(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List the events that apply."""
    found = metrics.events(args.initiative, args.measure, args.area)
    emit(
        [e.as_record() for e in found],
        args.format,
        out,
        text=lambda o: events_text(found, o),
        fields=FIELDS,
        ensure_ascii=False,
    )
    return 0


def events_text(found: list[EventView], out: TextIO) -> None:
    """One line per event: day, kind, text, scope, who recorded it."""
    if not found:
        print("No dated events yet.", file=out)
    for e in found:
        print(
            f"{fmt.format_date(e.occurred_on)} [{e.kind}] {e.text} (event {e.id}; for "
            f"{e.scope}; recorded by {e.recorded_by})",
            file=out,
        )
