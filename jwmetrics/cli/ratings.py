"""``python -m jwmetrics rate`` and ``ratings``: delivery confidence, judged beside the rule.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the commands with
:func:`add_ratings_commands` and lists :func:`cmd_rate` and :func:`cmd_ratings` in its
``COMMANDS``. A rating is one of the five points of :data:`~jwmetrics.briefing.ratings.RATINGS`
with a reason and evidence (both required); ``ratings`` lists every rating ever made, oldest
first (text, JSON or CSV: the fields of :class:`~jwmetrics.briefing.ratings.Rating`).
Exit 1 on a rating off the scale, a missing reason or evidence, an unknown measure or area,
or a user who may not rate.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from jwmetrics import text as fmt
from jwmetrics.briefing.ratings import RATINGS, Rating
from jwmetrics.cli.args import FORMATS, any_day, emit
from jwmetrics.cli.governance import acting
from jwmetrics.metrics.face import Metrics

FIELDS = list(Rating.__dataclass_fields__)
"""The CSV columns of ``ratings``, in order."""


def add_ratings_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``rate`` and ``ratings`` to the command line."""
    rate = commands.add_parser(
        "rate", help="record a delivery confidence rating beside the computed status"
    )
    rate.add_argument("measure", help="measure id or name")
    rate.add_argument("--area", required=True, metavar="CODE", help="the area's ONS code")
    rate.add_argument("--rating", required=True, metavar="R", help=f"one of {', '.join(RATINGS)}")
    rate.add_argument("--reason", required=True, metavar="TEXT", help="why (required)")
    rate.add_argument(
        "--evidence", required=True, metavar="TEXT", help="what the rating rests on (required)"
    )
    rate.add_argument(
        "--as-of", type=any_day, metavar="DATE", help="the day it is made as at (default today)"
    )
    rate.add_argument("--user", required=True, metavar="WHO", help="who is rating")
    listing = commands.add_parser("ratings", help="every delivery confidence rating, oldest first")
    listing.add_argument("--measure", help="only this measure (id or name)")
    listing.add_argument("--area", metavar="CODE", help="only this area")
    listing.add_argument("--initiative", help="only this initiative (id)")
    listing.add_argument("--format", choices=FORMATS, default="text", help="output format")


def cmd_rate(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Record a rating."""
    actor, by = acting(metrics, args.user)
    made = metrics.add_rating(
        args.measure,
        args.area,
        args.rating,
        reason=args.reason,
        evidence=args.evidence,
        as_of=args.as_of,
        by=by,
        actor=actor,
    )
    print(
        f"{made.measure} in {made.area_code} rated {made.rating} as at "
        f"{fmt.format_date(made.as_of)} by {made.rated_by} (rating {made.id}).",
        file=out,
    )
    return 0


def cmd_ratings(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List the ratings."""
    found = metrics.ratings(args.measure, args.area, args.initiative)
    records = [rating.as_record() for rating in found]
    emit(
        records,
        args.format,
        out,
        text=lambda o: ratings_text(found, o),
        fields=FIELDS,
        ensure_ascii=False,
    )
    return 0


def ratings_text(found: list[Rating], out: TextIO) -> None:
    """Each rating: what it is of, the point, as at when and by whom; its reason and evidence."""
    if not found:
        print("No delivery confidence ratings yet.", file=out)
    for r in found:
        print(
            f"[{r.rating}] {r.measure} in {r.area_code}, as at {fmt.format_date(r.as_of)} "
            f"({r.rated_by}):\n    Reason: {r.reason}\n    Evidence: {r.evidence}",
            file=out,
        )
