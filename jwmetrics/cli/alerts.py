"""``python -m jwmetrics watch``, ``notify`` and ``pack-schedule``: alerts (issue 24).

- ``watch add WHAT --user EMAIL`` follows ``initiative:ID``, ``measure:ID``,
  ``measure:ID@AREA`` or ``partner:NAME`` for that user; ``watch list [--user EMAIL]``;
  ``watch remove ID``; ``watch delivery immediate|daily|weekly --user EMAIL``;
- ``notify [--dry-run] [--since D]`` writes what is new to the outbox and sends what is due
  (e-mail, webhook, the in-app inbox) and the scheduled packs due; safe to run twice, or
  from two processes at once;
- ``pack-schedule add INITIATIVE --every week|month --to EMAIL... [--skip-unchanged]``,
  ``pack-schedule list``, ``pack-schedule remove ID``.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from jwmetrics.cli.args import emit, iso_day
from jwmetrics.cli.governance import acting
from jwmetrics.metrics.face import Metrics

FORMAT_HELP = "output format (default text)"


def add_alerts_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``watch``, ``notify`` and ``pack-schedule`` to the command line."""
    watch = commands.add_parser("watch", help="follow an initiative, a measure or a partner")
    verbs = watch.add_subparsers(dest="watch_command", required=True, metavar="ACTION")
    add = verbs.add_parser("add", help="follow something: alerts when it changes")
    add.add_argument("what", help="initiative:ID, measure:ID, measure:ID@AREA or partner:NAME")
    add.add_argument("--user", default="", metavar="EMAIL", help="who follows it")
    listing = verbs.add_parser("list", help="the open follows")
    listing.add_argument("--user", default="", metavar="EMAIL", help="only this user's")
    listing.add_argument("--format", choices=("text", "json"), default="text", help=FORMAT_HELP)
    remove = verbs.add_parser("remove", help="unfollow (the follow is kept, ended)")
    remove.add_argument("id", type=int, help="the follow's number (see `watch list`)")
    remove.add_argument("--user", default="", metavar="EMAIL", help="who is unfollowing")
    delivery = verbs.add_parser("delivery", help="alerts at once, or a daily or weekly digest")
    delivery.add_argument("delivery", choices=("immediate", "daily", "weekly"))
    delivery.add_argument("--user", default="", metavar="EMAIL", help="whose preference")

    notify = commands.add_parser("notify", help="send the alerts and scheduled packs due")
    notify.add_argument(
        "--dry-run", action="store_true", help="say what would be sent; send nothing"
    )
    notify.add_argument(
        "--since", type=iso_day, metavar="DATE", help="only alerts made on or after DATE"
    )

    packs = commands.add_parser("pack-schedule", help="briefing packs sent on a timer")
    pverbs = packs.add_subparsers(dest="pack_command", required=True, metavar="ACTION")
    padd = pverbs.add_parser("add", help="send an initiative's pack every week or month")
    padd.add_argument("initiative", help="initiative id or name")
    padd.add_argument("--every", choices=("week", "month"), required=True, help="how often")
    padd.add_argument("--to", nargs="+", required=True, metavar="EMAIL", help="recipients")
    padd.add_argument(
        "--skip-unchanged", action="store_true", help="send nothing when nothing changed"
    )
    padd.add_argument("--user", default="", metavar="EMAIL", help="who schedules it")
    plist = pverbs.add_parser("list", help="the scheduled packs")
    plist.add_argument("--format", choices=("text", "json"), default="text", help=FORMAT_HELP)
    premove = pverbs.add_parser("remove", help="stop a scheduled pack")
    premove.add_argument("id", type=int, help="the schedule's number (see `pack-schedule list`)")
    premove.add_argument("--user", default="", metavar="EMAIL", help="who stops it")


def cmd_watch(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Add, list or remove follows, or set a user's delivery."""
    if args.watch_command == "list":
        found = metrics.watches(args.user or None)

        def text(o: TextIO) -> None:
            if not found:
                print("Nobody follows anything.", file=o)
            for w in found:
                print(f"#{w.id} {w.user} follows {w.what} (since {w.created_at:%d/%m/%Y})", file=o)

        emit([w.as_record() for w in found], args.format, out, text=text)
        return 0
    actor, _ = acting(metrics, args.user)
    if args.watch_command == "add":
        added = metrics.add_watch(args.what, args.user, actor=actor)
        print(f"#{added.id}: {added.user} follows {added.what}.", file=out)
    elif args.watch_command == "remove":
        ended = metrics.remove_watch(args.id, actor=actor)
        print(f"#{ended.id}: {ended.user} no longer follows {ended.what}.", file=out)
    else:
        metrics.add_delivery_preference(args.delivery, args.user, actor=actor)
        print(f"Alerts for {args.user or actor.name}: {args.delivery}.", file=out)
    return 0


def cmd_notify(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Send what is due (or, dry, say what would be)."""
    report = metrics.notify(dry_run=args.dry_run, since=args.since)
    for line in report.lines:
        print(line, file=out)
    done = (
        f"would do {len(report.lines)}"
        if args.dry_run
        else f"{report.sent} e-mail(s) or webhook(s) sent"
    )
    print(f"{report.found} new alert(s) in the outbox; {done}; {report.failed} failed.", file=out)
    return 1 if report.failed else 0


def cmd_pack_schedule(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Add, list or remove scheduled packs."""
    if args.pack_command == "list":
        found = metrics.pack_schedules()

        def text(o: TextIO) -> None:
            if not found:
                print("No scheduled packs.", file=o)
            for s in found:
                skip = ", skipped when unchanged" if s.skip_unchanged else ""
                print(
                    f"#{s.id} {s.initiative} every {s.every} to {', '.join(s.recipients)}{skip}",
                    file=o,
                )

        emit([s.as_record() for s in found], args.format, out, text=text)
        return 0
    actor, _ = acting(metrics, args.user)
    if args.pack_command == "add":
        made = metrics.add_pack_schedule(
            args.initiative, args.every, args.to, args.skip_unchanged, actor=actor
        )
        print(
            f"#{made.id}: {made.initiative} every {made.every} to {', '.join(made.recipients)}.",
            file=out,
        )
        return 0
    ended = metrics.remove_pack_schedule(args.id, actor=actor)
    print(f"#{ended.id}: the pack of {ended.initiative} is no longer sent.", file=out)
    return 0
