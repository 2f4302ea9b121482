"""``python -m jwmetrics``: a command line over the same library functions as the app.

The parser, the table of commands and :func:`main`; each group of commands lives in its own
module (see :mod:`jwmetrics.cli`) with an ``add_*`` function for its parsers and its
``cmd_*`` functions.

Exit codes: 0 success, 1 a problem with the input or the data (message on stderr),
2 a usage error (from argparse).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from jwmetrics.cli.actions import add_actions_commands, cmd_actions
from jwmetrics.cli.alerts import add_alerts_commands, cmd_notify, cmd_pack_schedule, cmd_watch
from jwmetrics.cli.args import CommandFailed
from jwmetrics.cli.briefing import (
    add_briefing_commands,
    cmd_brief,
    cmd_changes,
    cmd_comment,
    cmd_comments,
    cmd_packs,
)
from jwmetrics.cli.catalogue import (
    add_catalogue_commands,
    cmd_catalogue,
    cmd_init,
    cmd_initiatives,
    cmd_load_snapshot,
    cmd_measures,
)
from jwmetrics.cli.compare import add_compare_command, cmd_compare
from jwmetrics.cli.events import add_events_commands, cmd_event, cmd_events
from jwmetrics.cli.governance import (
    add_governance_commands,
    cmd_approve,
    cmd_audit,
    cmd_reject,
    cmd_returns,
    cmd_users,
)
from jwmetrics.cli.passport import add_passport_commands, cmd_passport
from jwmetrics.cli.ratings import add_ratings_commands, cmd_rate, cmd_ratings
from jwmetrics.cli.returns import add_returns_commands, cmd_import, cmd_template, cmd_withdraw
from jwmetrics.cli.schedule import add_schedule_command, cmd_schedule
from jwmetrics.cli.self_assessment import add_self_assessment_commands, cmd_self_assessment
from jwmetrics.cli.spc import add_spc_commands, cmd_change_point, cmd_spc, cmd_track_record
from jwmetrics.cli.status import add_status_command, cmd_status
from jwmetrics.cli.value import add_value_commands, cmd_value_for_money
from jwmetrics.db.engine import DatabaseError
from jwmetrics.governance.roles import PermissionDenied
from jwmetrics.metrics.face import Metrics
from jwmetrics.problems import InputError
from jwmetrics.returns import ReturnRefused

__all__ = ["COMMANDS", "CommandFailed", "build_parser", "main"]

Command = Callable[[Metrics, argparse.Namespace, TextIO], int]
"""A command: it makes its calls on the open metrics and writes to ``out``; the exit code."""

FAILURES = (InputError, DatabaseError, CommandFailed, ReturnRefused, PermissionDenied)
"""What a command raises for bad input or data: exit 1 with the message on stderr."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command and its help."""
    parser = argparse.ArgumentParser(
        prog="python -m jwmetrics",
        description="Performance of joined-up public services: the jwmetrics command line.",
    )
    parser.add_argument(
        "--database-url",
        help="database URL (default: $JWMETRICS_DATABASE_URL or data/jwmetrics.sqlite)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_catalogue_commands(commands)
    add_status_command(commands)
    add_returns_commands(commands)
    add_spc_commands(commands)
    add_compare_command(commands)
    add_briefing_commands(commands)
    add_governance_commands(commands)
    add_schedule_command(commands)
    add_self_assessment_commands(commands)
    add_value_commands(commands)
    add_actions_commands(commands)
    add_ratings_commands(commands)
    add_events_commands(commands)
    add_passport_commands(commands)
    add_alerts_commands(commands)
    return parser


COMMANDS: dict[str, Command] = {
    "init": cmd_init,
    "initiatives": cmd_initiatives,
    "measures": cmd_measures,
    "status": cmd_status,
    "catalogue": cmd_catalogue,
    "import": cmd_import,
    "withdraw": cmd_withdraw,
    "returns": cmd_returns,
    "template": cmd_template,
    "load-snapshot": cmd_load_snapshot,
    "spc": cmd_spc,
    "change-point": cmd_change_point,
    "track-record": cmd_track_record,
    "compare": cmd_compare,
    "changes": cmd_changes,
    "comment": cmd_comment,
    "comments": cmd_comments,
    "rate": cmd_rate,
    "ratings": cmd_ratings,
    "event": cmd_event,
    "events": cmd_events,
    "brief": cmd_brief,
    "packs": cmd_packs,
    "users": cmd_users,
    "approve": cmd_approve,
    "reject": cmd_reject,
    "audit": cmd_audit,
    "schedule": cmd_schedule,
    "self-assessment": cmd_self_assessment,
    "value-for-money": cmd_value_for_money,
    "actions": cmd_actions,
    "passport": cmd_passport,
    "watch": cmd_watch,
    "notify": cmd_notify,
    "pack-schedule": cmd_pack_schedule,
}
"""Every command by name, as the parser's subcommands name them."""


def main(
    argv: Sequence[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    """Run one command; return the exit code."""
    args = build_parser().parse_args(argv)
    if getattr(args, "file", None) is not None and not args.file.is_file():
        print(f"error: {args.file}: no such file", file=err)
        return 1
    try:
        metrics = Metrics.open(args.database_url)
        try:
            return COMMANDS[args.command](metrics, args, out)
        finally:
            metrics.close()
    except FAILURES as exc:
        print(f"error: {exc}", file=err)
        return 1
