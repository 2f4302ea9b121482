"""``python -m jwmetrics changes``: what changed between two days, for a briefing.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers the command with
:func:`add_briefing_commands` and lists :func:`cmd_changes` in its ``COMMANDS``. One record
per change (see :data:`FIELDS`): statuses, then figures, then targets. Exit 1 when
``--as-of`` is not after ``--since`` or the initiative is unknown.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from jwmetrics.briefing.changes import ChangeRecord
from jwmetrics.briefing.commentary import Comment
from jwmetrics.cli.args import FORMATS, any_day, emit
from jwmetrics.cli.governance import acting
from jwmetrics.governance.roles import LOCAL_USER
from jwmetrics.metrics.face import Metrics
from jwmetrics.present.pdf import PdfUnavailable
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


def add_briefing_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``brief``, ``packs``, ``changes``, ``comment`` and ``comments``."""
    brief = commands.add_parser(
        "brief", help="write a briefing pack (HTML, or PDF printed by Chromium) and record it"
    )
    brief.add_argument("initiative", nargs="?", help="one initiative (id or name); default all")
    brief.add_argument(
        "--output", required=True, type=Path, metavar="FILE", help="FILE.html or FILE.pdf"
    )
    brief.add_argument(
        "--as-of", type=any_day, metavar="DATE", help="as known on DATE (default: the latest data)"
    )
    brief.add_argument(
        "--since",
        type=any_day,
        metavar="DATE",
        help="list changes since DATE (default: the previous pack's day)",
    )
    brief.add_argument("--user", default="", metavar="WHO", help="who is producing it")
    brief.add_argument(
        "--include-empty",
        action="store_true",
        help="a page also for each measure with no figure yet (default: listed in the summary)",
    )
    brief.add_argument(
        "--rebuild", type=int, metavar="ID", help="make recorded pack ID again, exactly"
    )
    packs = commands.add_parser("packs", help="the briefing packs made, newest first")
    packs.add_argument("--format", choices=("text", "json"), default="text", help="output format")
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
        "--since", type=any_day, required=True, metavar="D1", help="the earlier day (a briefing's)"
    )
    changes.add_argument(
        "--as-of", type=any_day, metavar="D2", help="the later day (default: the latest data)"
    )
    changes.add_argument("--initiative", help="only this initiative (id or name)")
    changes.add_argument("--format", choices=FORMATS, default="text", help="output format")


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
    emit(
        records,
        args.format,
        out,
        text=lambda o: o.write(changes_text(found, args.since, as_of)),
        fields=FIELDS,
        ensure_ascii=False,
        csv_newline="\n",
    )
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
    actor, by = acting(metrics, args.user)
    written = metrics.add_comment(
        args.measure, args.area, args.period, args.text, by=by, actor=actor
    )
    print(
        f"Comment on {written.measure} in {written.area_code}, {written.period}, recorded "
        f"(version {written.version} of {written.versions}).",
        file=out,
    )
    return 0


def cmd_comments(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List the comments: the newest of each, or every version."""
    found = metrics.comments(all_versions=args.all_versions)
    records = [c.as_record() for c in found]
    emit(records, args.format, out, text=lambda o: comments_text(found, o), ensure_ascii=False)
    return 0


def comments_text(found: list[Comment], out: TextIO) -> None:
    """Each comment: what it is on, its version, author and time, then its text."""
    if not found:
        print("No commentary yet.", file=out)
    for c in found:
        print(
            f"{c.measure} in {c.area_code}, {c.period} (version {c.version} of {c.versions}, "
            f"{c.author}, {c.written_at:%d/%m/%Y %H:%M}):\n    {c.text}",
            file=out,
        )


def cmd_brief(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Write a pack to ``--output`` (its format from the file's suffix) and record it."""
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix not in ("html", "pdf"):
        raise InputError(
            [Problem("brief", None, "--output", str(args.output), "expected FILE.html or FILE.pdf")]
        )
    try:
        if args.rebuild is not None:
            made = metrics.rebuilt_pack(args.rebuild)
        else:
            as_of = args.as_of or metrics.latest_day()
            actor, by = acting(metrics, args.user) if args.user else (LOCAL_USER, "")
            made = metrics.add_pack(
                args.initiative,
                as_of,
                since=args.since,
                file_format=suffix,
                by=by,
                actor=actor,
                include_empty=args.include_empty,
            )
    except PdfUnavailable as exc:
        raise InputError([Problem("brief", None, "--output", str(args.output), str(exc))]) from None
    if made.file_format != suffix:
        raise InputError(
            [
                Problem(
                    "brief",
                    None,
                    "--output",
                    str(args.output),
                    f"pack {made.pack_id} is {made.file_format}; name the file .{made.file_format}",
                )
            ]
        )
    args.output.write_bytes(made.data)
    print(
        f"Wrote pack {made.pack_id} to {args.output} ({len(made.data):,} bytes, "
        f"SHA-256 {made.sha256}).",
        file=out,
    )
    return 0


def cmd_packs(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """List the packs made."""
    records = [
        {
            "id": p.id,
            "initiative": p.initiative_slug,
            "as_of": p.as_of.isoformat(),
            "since": None if p.since is None else p.since.isoformat(),
            "format": p.file_format,
            "generated_by": p.generated_by,
            "generated_at": p.generated_at.isoformat(),
            "sha256": p.sha256,
        }
        for p in metrics.packs()
    ]
    emit(records, args.format, out, text=lambda o: packs_text(records, o))
    return 0


def packs_text(records: list[dict[str, Any]], out: TextIO) -> None:
    """One line per pack: number, when made, format, scope, as known on, by whom."""
    if not records:
        print("No pack made yet.", file=out)
    for r in records:
        print(
            f"{r['id']:>4} {r['generated_at']} {r['format']:<4} {r['initiative'] or 'portfolio'} "
            f"as known on {r['as_of']} by {r['generated_by'] or 'unnamed'}",
            file=out,
        )
