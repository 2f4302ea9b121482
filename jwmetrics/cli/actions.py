"""``python -m jwmetrics actions``: remedial actions, who does what by when about a measure.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_actions_commands` and lists :func:`cmd_actions` in its ``COMMANDS``.

- ``actions add MEASURE --area CODE --owner WHO --due DATE --text TEXT [--user WHO]``
  records an open action; it keeps the status it responds to (the series' status and
  reason as known now);
- ``actions list [--open] [--format text|json]`` lists them by due date, one record each
  (``id``, ``measure``, ``area_code``, ``owner``, ``due``, ``state``, ``text``,
  ``responds_to``, ``overdue`` and who added and closed it, see
  :meth:`jwmetrics.briefing.actions.ActionRecord.as_record`);
- ``actions close ID [--state done|dropped] [--user WHO]`` closes an open one.

Adding and closing need an approver or an administrator once the database has users.
Exit 1 with the reason on stderr for an unknown measure or area, a due date that is not a
date, an action that is not open, or a user who may not.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from jwmetrics.briefing.actions import CLOSED_STATES, ActionRecord
from jwmetrics.cli.args import emit
from jwmetrics.cli.governance import acting
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import format_date


def add_actions_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``actions add``, ``actions list`` and ``actions close`` to the command line."""
    actions = commands.add_parser(
        "actions", help="remedial actions on a measure in an area: owner, action, due date"
    )
    verbs = actions.add_subparsers(dest="actions_command", required=True, metavar="ACTION")
    add = verbs.add_parser("add", help="record an open action on a measure in an area")
    add.add_argument("measure", help="measure id or name")
    add.add_argument("--area", required=True, metavar="CODE", help="the area's ONS code")
    add.add_argument("--owner", required=True, metavar="WHO", help="who owns the action")
    add.add_argument("--due", required=True, metavar="DATE", help="when it is due (YYYY-MM-DD)")
    add.add_argument("--text", required=True, help="what is to be done")
    add.add_argument(
        "--user", default="", metavar="WHO", help="who is adding it (an approver or admin)"
    )
    listing = verbs.add_parser("list", help="every action by due date, or only the open ones")
    listing.add_argument("--open", action="store_true", help="only the open actions")
    listing.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    close = verbs.add_parser("close", help="close an open action as done or dropped")
    close.add_argument("id", type=int, help="the action's number (see `actions list`)")
    close.add_argument(
        "--state", choices=CLOSED_STATES, default="done", help="how it ended (default done)"
    )
    close.add_argument(
        "--user", default="", metavar="WHO", help="who is closing it (an approver or admin)"
    )


def action_line(action: ActionRecord) -> str:
    """ "#3 [open, overdue] rough-sleepers-count in E92000001: Jo Bloggs, due 31 March 2002"."""
    state = f"{action.state}, overdue" if action.overdue else action.state
    where = f"{action.measure} in {action.area_code} ({action.area_name})"
    return f"#{action.id} [{state}] {where}: {action.owner}, due {format_date(action.due)}"


def actions_text(actions: list[ActionRecord], out: TextIO) -> None:
    """Each action: its line, what is to be done, the status it responds to, how it ended."""
    if not actions:
        print("No remedial actions.", file=out)
    for action in actions:
        print(action_line(action), file=out)
        print(f"    {action.text}", file=out)
        if action.responds_to_status:
            print(
                f"    Responds to: {action.responds_to_status}. {action.responds_to_reason}",
                file=out,
            )
        if action.closed_at is not None:
            closed = f"{action.state} on {format_date(action.closed_at.date())}"
            print(
                f"    Closed {closed}" + (f" by {action.closed_by}" if action.closed_by else ""),
                file=out,
            )


def cmd_actions(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Add, list or close remedial actions."""
    if args.actions_command == "list":
        found = metrics.actions(open_only=args.open)
        records = [a.as_record() for a in found]
        emit(records, args.format, out, text=lambda o: actions_text(found, o))
        return 0
    actor, by = acting(metrics, args.user)
    if args.actions_command == "add":
        added = metrics.add_action(
            args.measure, args.area, args.owner, args.due, args.text, by=by, actor=actor
        )
        print(f"Added {action_line(added)}; it responds to {added.responds_to_status}.", file=out)
        return 0
    closed = metrics.close_action(args.id, args.state, by=by, actor=actor)
    print(f"Closed action {closed.id} as {closed.state}.", file=out)
    return 0
