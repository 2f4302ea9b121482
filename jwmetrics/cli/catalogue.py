"""The catalogue on the command line: ``init``, ``initiatives``, ``measures``, ``catalogue``
and ``load-snapshot``.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers these with
:func:`add_catalogue_commands` and lists the ``cmd_*`` functions in its ``COMMANDS``.
``initiatives`` and ``measures`` list what the catalogue holds (text or JSON, the records of
:meth:`~jwmetrics.metrics.face.Metrics.initiatives` and
:meth:`~jwmetrics.metrics.face.Metrics.measures`); ``catalogue`` and ``load-snapshot`` add to
it, all or nothing, as the ``--user`` given (see :func:`~jwmetrics.cli.governance.acting`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from jwmetrics.cli.args import FORMATS, emit, iso_day
from jwmetrics.cli.governance import acting
from jwmetrics.metrics.face import Metrics
from jwmetrics.present.progress_bar import terminal_progress


def add_catalogue_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``init``, ``initiatives``, ``measures``, ``catalogue`` and ``load-snapshot``."""
    commands.add_parser(
        "init", help="create or migrate the database and load the report's figures (safe to repeat)"
    )
    for name, what in (("initiatives", "initiatives"), ("measures", "measures with their targets")):
        sub = commands.add_parser(name, help=f"list the {what}")
        sub.add_argument(
            "--format", choices=FORMATS[:2], default="text", help="output format (default text)"
        )
    catalogue = commands.add_parser(
        "catalogue",
        help="add measures, targets, partners, spend, areas or returns schedule rows from a CSV "
        "in the data/ format",
    )
    catalogue.add_argument("file", type=Path, help="CSV file with the columns of one data/ file")
    catalogue.add_argument("--user", default="", help="who is changing the catalogue (an admin)")
    snapshot = commands.add_parser(
        "load-snapshot",
        help="import the official rough sleeping snapshot 2010-2022 for every area (real data)",
    )
    snapshot.add_argument("--user", default="", help="who is loading it")
    snapshot.add_argument(
        "--published",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="load the whole table as one return published on this day (default: each "
        "year a return of its own, published on its own day; never in the future)",
    )


def cmd_init(metrics: Metrics, _args: argparse.Namespace, out: TextIO) -> int:
    """The database is opened (migrated, seeded) before any command; say where it is."""
    count = len(metrics.initiatives())
    print(f"Database ready: {metrics.description}, {count} initiatives.", file=out)
    return 0


def cmd_initiatives(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List initiatives with their client group and measures."""
    records = metrics.initiatives()
    emit(records, args.format, out, text=lambda o: initiatives_text(records, o))
    return 0


def initiatives_text(records: list[dict[str, Any]], out: TextIO) -> None:
    """One line per initiative: id, name, client group."""
    for record in records:
        print(f"{record['id']:<30} {record['name']}  ({record['client_group']})", file=out)


def cmd_measures(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List measures with unit, direction and current targets."""
    records = metrics.measures()
    emit(records, args.format, out, text=lambda o: measures_text(records, o))
    return 0


def measures_text(records: list[dict[str, Any]], out: TextIO) -> None:
    """One line per measure: id, unit, direction and its targets in words."""
    for record in records:
        targets = record["targets"] or [{"wording": "no target"}]
        wording = "; ".join(str(t["wording"]) for t in targets)
        print(
            f"{record['id']:<36} {record['unit']:<8} {record['direction']:<5} {wording}", file=out
        )


def cmd_catalogue(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Add catalogue rows from a CSV file; all or nothing."""
    actor, by = acting(metrics, args.user)
    kind, count = metrics.add_catalogue(args.file, by=by, actor=actor)
    print(f"Added {count} {kind.replace('_', ' ')} row(s) from {args.file.name}.", file=out)
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
