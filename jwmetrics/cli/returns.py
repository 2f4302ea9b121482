"""Partners' returns on the command line: ``import``, ``withdraw`` and ``template``.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers these with
:func:`add_returns_commands` and lists the ``cmd_*`` functions in its ``COMMANDS``. The
returns log (``returns``) is governance's, in :mod:`jwmetrics.cli.governance`.

``import`` checks a return, prints the report and commits it whole; it exits 1 with nothing
written on errors, on warnings not confirmed with ``--yes``, or when ``--user`` may not send
it. The format of a return is in ``docs/returns.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from jwmetrics.cli.args import CommandFailed, iso_day
from jwmetrics.cli.governance import acting
from jwmetrics.metrics.face import Metrics
from jwmetrics.present.progress_bar import terminal_progress
from jwmetrics.present.return_check import report_text
from jwmetrics.returns import ReturnCheck


def add_returns_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``import``, ``withdraw`` and ``template`` to the command line."""
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
    template = commands.add_parser("template", help="write the return template of an initiative")
    template.add_argument("initiative", help="initiative id or name")
    template.add_argument("output", type=Path, help="file to write: .csv or .xlsx")


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
    if not _go_ahead(check, args, out):
        return 0
    outcome = metrics.commit_return(
        check, uploaded_by=by, confirm_warnings=args.yes, actor=actor, progress=progress
    )
    print(outcome.message, file=out)
    return 0


def _go_ahead(check: ReturnCheck, args: argparse.Namespace, out: TextIO) -> bool:
    """Whether to commit a checked return: never with errors (exit 1), not in a dry run
    (say so), and with warnings only once ``--yes`` confirms them (else exit 1)."""
    if check.errors:
        raise CommandFailed(
            f"{len(check.errors)} error(s) in {args.file.name}; nothing was written"
        )
    if args.dry_run:
        print("Dry run: nothing was written.", file=out)
        return False
    if check.warnings and not args.yes:
        raise CommandFailed(
            f"{len(check.warnings)} warning(s): check them, then run again with --yes to "
            "commit; nothing was written"
        )
    return True


def cmd_withdraw(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Withdraw one return."""
    actor, by = acting(metrics, args.user)
    print(metrics.withdraw_return(args.return_id, by=by, actor=actor), file=out)
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
