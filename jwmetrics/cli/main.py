"""``python -m jwmetrics``: a command line over the same library functions as the app.

Exit codes: 0 success, 1 a problem with the input or the data (message on stderr),
2 a usage error (from argparse).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from jwmetrics import text as fmt
from jwmetrics.assess.portfolio import Assessment
from jwmetrics.cli.actions import add_actions_commands, cmd_actions
from jwmetrics.cli.args import any_day, iso_day
from jwmetrics.cli.briefing import (
    add_briefing_commands,
    cmd_brief,
    cmd_changes,
    cmd_comment,
    cmd_comments,
    cmd_packs,
)
from jwmetrics.cli.compare import add_compare_command, cmd_compare
from jwmetrics.cli.governance import (
    acting,
    add_governance_commands,
    cmd_approve,
    cmd_audit,
    cmd_reject,
    cmd_returns,
    cmd_users,
)
from jwmetrics.cli.schedule import add_schedule_command, cmd_schedule
from jwmetrics.cli.self_assessment import add_self_assessment_commands, cmd_self_assessment
from jwmetrics.cli.spc import add_spc_commands, cmd_change_point, cmd_spc, cmd_track_record
from jwmetrics.cli.value import add_value_commands, cmd_value_for_money
from jwmetrics.db.engine import DatabaseError
from jwmetrics.governance.roles import PermissionDenied
from jwmetrics.metrics.face import Metrics
from jwmetrics.present.assessment import latest_text
from jwmetrics.present.files import csv_row
from jwmetrics.present.progress_bar import terminal_progress
from jwmetrics.present.return_check import report_text
from jwmetrics.problems import InputError
from jwmetrics.returns import (
    ReturnRefused,
)

FORMATS = ("text", "json", "csv")


class CommandFailed(RuntimeError):
    """A command could not do what was asked; the message says why (exit code 1)."""


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
    commands.add_parser(
        "init", help="create or migrate the database and load the report's figures (safe to repeat)"
    )
    for name, what in (("initiatives", "initiatives"), ("measures", "measures with their targets")):
        sub = commands.add_parser(name, help=f"list the {what}")
        sub.add_argument(
            "--format", choices=FORMATS[:2], default="text", help="output format (default text)"
        )
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
    catalogue = commands.add_parser(
        "catalogue",
        help="add measures, targets, partners, spend, areas or returns schedule rows from a CSV "
        "in the data/ format",
    )
    catalogue.add_argument("file", type=Path, help="CSV file with the columns of one data/ file")
    catalogue.add_argument("--user", default="", help="who is changing the catalogue (an admin)")
    _add_return_commands(commands)
    add_spc_commands(commands)
    add_compare_command(commands)
    add_briefing_commands(commands)
    add_governance_commands(commands)
    add_schedule_command(commands)
    add_self_assessment_commands(commands)
    add_value_commands(commands)
    add_actions_commands(commands)
    return parser


def _add_return_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``import``, ``withdraw``, ``returns`` and ``template``: partners' returns."""
    imp = commands.add_parser(
        "import", help="check a partner's return (CSV or .xlsx) and commit it whole"
    )
    imp.add_argument("file", type=Path, help="the return: CSV, or an Excel .xlsx workbook")
    imp.add_argument("--dry-run", action="store_true", help="check and preview only")
    imp.add_argument("--partner", default="", help="the partner sending the return")
    imp.add_argument("--sheet", help="the worksheet to read from an .xlsx workbook")
    imp.add_argument("--yes", action="store_true", help="confirm the warnings and commit")
    imp.add_argument(
        "--user", default="", help="who is importing (recorded; must be a user once there are any)"
    )
    imp.add_argument(
        "--published",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="the day the figures became public (default today; never in the future)",
    )
    withdraw = commands.add_parser(
        "withdraw", help="withdraw a return; the values it replaced count again"
    )
    withdraw.add_argument("return_id", type=int, help="the return's number (see `returns`)")
    withdraw.add_argument("--user", default="", help="who is withdrawing it (an admin)")
    log = commands.add_parser("returns", help="the returns log: every return and its outcome")
    log.add_argument("--format", choices=FORMATS[:2], default="text", help="output format")
    snapshot = commands.add_parser(
        "load-snapshot",
        help="import the official rough sleeping snapshot 2010-2022 for every area (real data)",
    )
    snapshot.add_argument("--user", default="", help="who is loading it")
    snapshot.add_argument(
        "--published",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="the day the snapshot became public (default today; never in the future)",
    )
    template = commands.add_parser("template", help="write the return template of an initiative")
    template.add_argument("initiative", help="initiative id or name")
    template.add_argument("output", type=Path, help="file to write: .csv or .xlsx")


def cmd_init(metrics: Metrics, _args: argparse.Namespace, out: TextIO) -> int:
    """The database is opened (migrated, seeded) before any command; say where it is."""
    count = len(metrics.initiatives())
    print(f"Database ready: {metrics.description}, {count} initiatives.", file=out)
    return 0


def cmd_initiatives(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List initiatives with their client group and measures."""
    records = metrics.initiatives()
    if args.format == "json":
        json.dump(records, out, indent=2)
        out.write("\n")
        return 0
    for record in records:
        print(f"{record['id']:<30} {record['name']}  ({record['client_group']})", file=out)
    return 0


def cmd_measures(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List measures with unit, direction and current targets."""
    records = metrics.measures()
    if args.format == "json":
        json.dump(records, out, indent=2)
        out.write("\n")
        return 0
    for record in records:
        targets = record["targets"] or [{"wording": "no target"}]
        wording = "; ".join(str(t["wording"]) for t in targets)
        print(
            f"{record['id']:<36} {record['unit']:<8} {record['direction']:<5} {wording}", file=out
        )
    return 0


def _status_text(rows: list[Assessment], out: TextIO) -> None:
    if rows:
        print(f"Status as known on {fmt.format_date(rows[0].as_of)}", file=out)
    for row in rows:
        where = f"{row.initiative_name} / {row.measure_name} / {row.area_name}"
        print(f"[{row.status}] {where}: {latest_text(row)}", file=out)
        print(f"    {row.reason}", file=out)
        if row.quality:
            print(f"    Data quality: {'; '.join(row.quality)}.", file=out)


def cmd_status(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print the status table as text, JSON or CSV."""
    rows = metrics.status(as_of=args.as_of, initiative=args.initiative)
    if args.format == "json":
        json.dump([r.as_record() for r in rows], out, indent=2)
        out.write("\n")
    elif args.format == "csv":
        records = [{**r.as_record(), "quality": "; ".join(r.quality)} for r in rows]
        writer = csv.DictWriter(out, fieldnames=list(Assessment.__dataclass_fields__))
        writer.writeheader()
        writer.writerows(csv_row(record) for record in records)
    else:
        _status_text(rows, out)
    return 0


def cmd_catalogue(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Add catalogue rows from a CSV file; all or nothing."""
    actor, by = acting(metrics, args.user)
    kind, count = metrics.add_catalogue(args.file, by=by, actor=actor)
    print(f"Added {count} {kind.replace('_', ' ')} row(s) from {args.file.name}.", file=out)
    return 0


def cmd_import(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Check a return, print the report, and commit it unless it is a dry run.

    Exit 1 with nothing written when there are errors, or unconfirmed warnings, or when
    ``--user`` may not send this return.
    """
    actor, by = acting(metrics, args.user)
    data = args.file.read_bytes()
    progress = terminal_progress(sys.stderr)  # a bar on a terminal; quiet in a pipe or log
    check = metrics.check_return(
        data,
        args.file.name,
        sheet=args.sheet,
        partner=args.partner,
        published_on=args.published,
        progress=progress,
    )
    out.write(report_text(check))
    if check.errors:
        raise CommandFailed(
            f"{len(check.errors)} error(s) in {args.file.name}; nothing was written"
        )
    if args.dry_run:
        print("Dry run: nothing was written.", file=out)
        return 0
    if check.warnings and not args.yes:
        raise CommandFailed(
            f"{len(check.warnings)} warning(s): check them, then run again with --yes to "
            "commit; nothing was written"
        )
    outcome = metrics.commit_return(
        check, uploaded_by=by, confirm_warnings=args.yes, actor=actor, progress=progress
    )
    print(outcome.message, file=out)
    return 0


def cmd_withdraw(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Withdraw one return."""
    actor, by = acting(metrics, args.user)
    print(metrics.withdraw_return(args.return_id, by=by, actor=actor), file=out)
    return 0


def cmd_load_snapshot(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Import the official snapshot through the return path."""
    actor, by = acting(metrics, args.user)
    outcome = metrics.add_snapshot(
        uploaded_by=by,
        published_on=args.published,
        actor=actor,
        progress=terminal_progress(sys.stderr),
    )
    print(outcome.message, file=out)
    return 0


def cmd_template(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Write an initiative's return template as CSV or xlsx."""
    slug = metrics.initiative_id(args.initiative)
    suffix = args.output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CommandFailed(f"{args.output.name}: the template file must end in .csv or .xlsx")
    data = metrics.return_template(slug, suffix.lstrip("."))
    args.output.write_bytes(data)
    print(f"Wrote the {slug} return template to {args.output}.", file=out)
    return 0


COMMANDS: dict[str, Callable[[Metrics, argparse.Namespace, TextIO], int]] = {
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
}


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
    except (InputError, DatabaseError, CommandFailed, ReturnRefused, PermissionDenied) as exc:
        print(f"error: {exc}", file=err)
        return 1
